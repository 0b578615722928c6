"""What the cross-file rules need besides the records: base geography and bibliography."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.core.errors import DataError
from geomap.data.io import read_json
from geomap.data.paths import data_dir


@dataclass
class Context:
    """Base geography (by id) and the bibliography, read once per run.

    Containers built from several shapes (the land of Syria and Iraq, a group
    of governorates) are built once and kept.
    """

    sources: dict[str, Any] | None
    countries: dict[str, BaseGeometry]
    admin1: dict[str, BaseGeometry]
    rivers: dict[str, BaseGeometry]
    _unions: dict[tuple[str, tuple[str, ...]], BaseGeometry] = field(default_factory=dict)

    def union(self, table: str, ids: Sequence[str]) -> BaseGeometry | None:
        """Union of the shapes ``ids`` of ``countries``, ``admin1`` or ``rivers`` (cached)."""
        key = (table, tuple(ids))
        if key not in self._unions:
            shapes: dict[str, BaseGeometry] = getattr(self, table)
            found = [shapes[i] for i in ids if i in shapes]
            self._unions[key] = shapely.union_all(found) if found else shapely.Polygon()
        out = self._unions[key]
        return None if out.is_empty else out

    @cached_property
    def land(self) -> BaseGeometry | None:
        """The land of Syria and Iraq."""
        return self.union("countries", ("SY", "IQ"))


def _shapes_by(folder: Path, name: str, key: str) -> dict[str, BaseGeometry]:
    path = folder / "basemap" / f"{name}.geojson"
    if not path.is_file():
        return {}
    try:
        doc = read_json(path)
    except DataError:
        return {}  # reported by the json rule of that file
    out: dict[str, BaseGeometry] = {}
    for f in doc.get("features", []) if isinstance(doc, dict) else []:
        try:
            out[f["properties"][key]] = shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # reported by the geometry and manifest rules of that file
    return out


def load_context(root: Path | None) -> Context:
    """Read the base geography and bibliography of the data root ``root``."""
    folder = data_dir(root)
    sources_path = folder / "sources.json"
    try:
        sources = read_json(sources_path) if sources_path.is_file() else None
    except DataError:
        sources = None
    return Context(
        sources=sources if isinstance(sources, dict) else None,
        countries=_shapes_by(folder, "countries", "iso_a2"),
        admin1=_shapes_by(folder, "admin1", "id"),
        rivers=_shapes_by(folder, "rivers", "id"),
    )
