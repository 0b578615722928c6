"""The manifest ``data/datapackage.json``: one record per written file, with hashes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tools.atomic import write_json
from tools.basemap.sources import sha256_file

#: The manifest's description (the land cover's builder keeps it as it is).
DESCRIPTION = (
    "Base geography and land cover built by tools/build_basemap.py and "
    "tools/build_landcover.py from pinned packages."
)


def geometry_types(path: Path) -> str | list[str]:
    """Return the geometry type of a written layer, or the sorted list if mixed."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    kinds = sorted({f["geometry"]["type"] for f in doc["features"]})
    return kinds[0] if len(kinds) == 1 else kinds


def resource(data_dir: Path, path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Return a manifest entry for a written file, with its hash, size and geometry type."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    entry = {
        "name": path.stem,
        "path": path.relative_to(data_dir).as_posix(),
        "format": "geojson",
        **meta,
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
        "feature_count": len(doc["features"]),
        "geometry_type": geometry_types(path),
    }
    return entry


def write_manifest(data_dir: Path, entries: Sequence[dict[str, Any]]) -> Path:
    """Write ``datapackage.json`` and return its path.

    Entries written by other build scripts (the land cover) are kept.
    """
    path = data_dir / "datapackage.json"
    names = {e["name"] for e in entries}
    kept = []
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8")).get("resources", [])
        kept = [r for r in old if r.get("name") not in names and r.get("format") != "geojson"]
    manifest = {
        "name": "geomap-basemap",
        "description": DESCRIPTION,
        "resources": [*entries, *kept],
    }
    write_json(path, manifest)
    return path
