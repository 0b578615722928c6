"""The credits every export carries: data licences and numbered feature sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geomap.io import Feature, read_json
from geomap.model import Source
from geomap.paths import data_dir

#: Where the layers themselves come from (this project's compilation).
LAYERS_CREDIT = "Layers: geomap, compiled from the numbered sources (approximate shapes)"


@dataclass(frozen=True)
class SourceNote:
    """One numbered source: its key, entry (if the key is known) and what it backs."""

    number: int
    key: str
    source: Source | None
    features: tuple[str, ...]

    def line(self, max_title: int = 64) -> str:
        """``3. Publisher (2017-07-10), “Title”`` as plain text, the title shortened."""
        if self.source is None:
            return f"{self.number}. {self.key} (not in the bibliography)"
        title = self.source.title
        if len(title) > max_title:
            title = title[: max_title - 1].rstrip() + "…"
        return f"{self.number}. {self.source.publisher} ({self.source.date}), “{title}”"


def numbered_sources(
    features: Iterable[Feature], sources: Mapping[str, Source]
) -> list[SourceNote]:
    """Deduplicated sources of the features shown, numbered in order of first use."""
    seen: dict[str, list[str]] = {}
    for f in features:
        for ref in f.props.sources:
            names = seen.setdefault(ref.key, [])
            if f.props.name not in names:
                names.append(f.props.name)
    return [
        SourceNote(i, key, sources.get(key), tuple(names))
        for i, (key, names) in enumerate(seen.items(), start=1)
    ]


def data_credits(root: Path | None = None) -> list[str]:
    """One line per base-geography resource: attribution and licence (datapackage)."""
    doc = read_json(data_dir(root) / "datapackage.json")
    lines = []
    for res in doc.get("resources", []):
        attribution = res.get("attribution") or res.get("name", "")
        licence = res.get("licence")
        lines.append(f"{attribution}, licence {licence}" if licence else str(attribution))
    return lines


def credit_entries(
    features: Iterable[Feature], sources: Mapping[str, Source], root: Path | None = None
) -> list[str]:
    """Paragraphs of a map's credits: data and licences, then the numbered sources."""
    data = "Data: " + "; ".join([LAYERS_CREDIT, *data_credits(root)]) + "."
    notes = [note.line() for note in numbered_sources(features, sources)]
    return [data, "Sources for the features shown:", *notes]
