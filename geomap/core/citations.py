"""Who a map or a note owes its data to: numbered feature sources and the data credits.

Plain text only; :mod:`geomap.web.html` turns these into HTML lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geomap.core.feature import Feature
from geomap.core.model import Source

#: Where the layers themselves come from (this project's compilation).
LAYERS_CREDIT = "Layers: geomap, compiled from the numbered sources (approximate shapes)"


@dataclass(frozen=True)
class SourceNote:
    """One numbered source of some records.

    Attributes
    ----------
    number
        1-based, in order of first use.
    key
        Key in ``data/sources.json``.
    source
        The bibliography entry, or ``None`` for an unknown key.
    features
        Names of the records citing it, in order of first use.
    supports
        What it backs, as the records say, without repeats.
    """

    number: int
    key: str
    source: Source | None
    features: tuple[str, ...]
    supports: tuple[str, ...] = ()

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
    """Deduplicated sources of ``features``, numbered in order of first use."""
    names: dict[str, list[str]] = {}
    supports: dict[str, list[str]] = {}
    for f in features:
        for ref in f.props.sources:
            named = names.setdefault(ref.key, [])
            if f.props.name not in named:
                named.append(f.props.name)
            backed = supports.setdefault(ref.key, [])
            if ref.supports not in backed:
                backed.append(ref.supports)
    return [
        SourceNote(i, key, sources.get(key), tuple(named), tuple(supports[key]))
        for i, (key, named) in enumerate(names.items(), start=1)
    ]


def data_credits(datapackage: Mapping[str, Any] | None) -> list[str]:
    """One line per resource of ``data/datapackage.json``: its attribution and licence."""
    resources = (datapackage or {}).get("resources", [])
    lines = []
    for res in resources if isinstance(resources, list) else []:
        if not isinstance(res, dict):
            continue
        attribution = res.get("attribution") or res.get("name", "")
        licence = res.get("licence")
        lines.append(f"{attribution}, licence {licence}" if licence else str(attribution))
    return lines


def credits_line(datapackage: Mapping[str, Any] | None) -> str:
    """``Data: Layers: geomap, …; Natural Earth …, licence …; ….`` in one line."""
    return "Data: " + "; ".join([LAYERS_CREDIT, *data_credits(datapackage)]) + "."
