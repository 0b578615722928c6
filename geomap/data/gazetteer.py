"""The gazetteer ``data/gazetteer.json``: every name of every place, and search.

The file is compiled by ``tools/build_gazetteer.py`` from the curated records and
GeoNames alternate names. :meth:`Gazetteer.find` ranks places by their best name
(:func:`geomap.core.names.match_score`), then cities before towns before villages,
then by name. It serves the app's search, the notes (the Arabic name) and
``geomap find``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.core.errors import DataError
from geomap.core.names import fold, match_score
from geomap.data.io import read_json
from geomap.data.paths import data_dir

#: Kinds in the order search prefers them when two names match equally well.
KIND_ORDER = ("city", "town", "village", "site")


@dataclass(frozen=True)
class Entry:
    """One thing of the map with every name it is known by."""

    id: str
    name: str
    name_ar: str | None
    names: tuple[str, ...]
    kind: str
    layer: str


@dataclass(frozen=True)
class Match:
    """A search result: the entry, the name that matched and the score (0-100)."""

    entry: Entry
    matched: str
    score: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as ``geomap find --format json`` prints it."""
        e = self.entry
        return {
            "id": e.id,
            "name": e.name,
            "name_ar": e.name_ar,
            "kind": e.kind,
            "layer": e.layer,
            "matched": self.matched,
            "score": self.score,
        }


class Gazetteer:
    """Entries by id, with a ranked search over all their names."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = {e.id: e for e in entries}

    def __len__(self) -> int:
        return len(self.entries)

    def arabic(self, thing_id: str) -> str | None:
        """The Arabic name of a thing, if the gazetteer knows one."""
        entry = self.entries.get(thing_id)
        return entry.name_ar if entry else None

    def find(self, query: str, limit: int = 10) -> list[Match]:
        """The best matches for ``query``, best first (none for an empty query)."""
        if not fold(query):
            return []
        found: list[tuple[tuple[int, bool], Match]] = []
        for entry in self.entries.values():
            best: tuple[tuple[int, bool], str] | None = None
            for name in (entry.name, entry.name_ar or "", *entry.names):
                score = match_score(query, name) if name else 0
                # On equal scores the usual name wins over a variant.
                key = (score, name == entry.name)
                if score and (best is None or key > best[0]):
                    best = (key, name)
            if best:
                found.append((best[0], Match(entry, best[1], best[0][0])))
        rank = {k: i for i, k in enumerate(KIND_ORDER)}
        found.sort(
            key=lambda km: (
                -km[0][0],
                not km[0][1],
                rank.get(km[1].entry.kind, len(rank)),
                km[1].entry.name.lower(),
                km[1].entry.id,
            )
        )
        return [m for _, m in found[: max(0, limit)]]


def load_gazetteer(root: Path | None = None) -> Gazetteer:
    """Read ``data/gazetteer.json`` (a clear :class:`DataError` when it is not valid)."""
    return read_gazetteer(data_dir(root) / "gazetteer.json")


def read_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer file (a clear :class:`DataError` when it is not valid)."""
    doc = read_json(path)
    try:
        entries = [
            Entry(
                id=str(p["id"]),
                name=str(p["name"]),
                name_ar=str(p["name_ar"]) if p.get("name_ar") else None,
                names=tuple(str(n) for n in p.get("names") or ()),
                kind=str(p["kind"]),
                layer=str(p["layer"]),
            )
            for p in doc["places"]
        ]
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a gazetteer ({exc!r})") from exc
    return Gazetteer(entries)
