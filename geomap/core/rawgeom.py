"""Checks of a raw GeoJSON geometry before shapely sees it.

shapely is forgiving in ways that hide bad data: it closes an unclosed ring,
turns ``"36.3"`` into a number, and raises assorted exceptions (or builds an
empty point) for the rest. :func:`raw_geometry_problem` walks the coordinates
of a geometry as the JSON gave them and says what is wrong, so readers and the
validator refuse such input with one clear message.

:func:`raw_geometry_problem` checks every value in Python (``geomap validate``);
:func:`quick_geometry_problem` checks each ring or line as one numpy array, about
ten times faster, for loading data that validation has passed. It accepts what
numpy reads as a number (``true`` as 1.0), and defers to the exact check for the
message whenever it finds a problem.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Nesting depth of ``coordinates`` per geometry type (a position is depth 1).
DEPTHS = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def _position_problem(pos: Any) -> str | None:
    if not isinstance(pos, list) or not 2 <= len(pos) <= 3:
        return f"position {_short(pos)} is not a list of 2 or 3 numbers"
    for value in pos:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"position {_short(pos)} holds {_short(value)}, not a number"
        if not math.isfinite(value):
            return f"position {_short(pos)} holds a value that is not finite"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _walk(coords: Any, depth: int, kind: str) -> str | None:
    """Check ``coords`` nested ``depth`` deep; ``kind`` says what the lists are."""
    if depth == 1:
        return _position_problem(coords)
    if not isinstance(coords, list):
        return f"expected a list, got {_short(coords)}"
    for item in coords:
        problem = _walk(item, depth - 1, kind)
        if problem:
            return problem
    if kind == "ring" and depth == 2:
        if len(coords) < 4:
            return f"a ring has {len(coords)} positions; it needs at least 4"
        if coords[0][:2] != coords[-1][:2]:
            return "a ring is not closed: its last position differs from its first"
    if kind == "line" and depth == 2 and len(coords) < 2:
        return f"a line has {len(coords)} positions; it needs at least 2"
    return None


def raw_geometry_problem(raw: Any) -> str | None:
    """What is wrong with a raw GeoJSON geometry, or None when shapely may have it."""
    if not isinstance(raw, dict):
        return "missing or malformed geometry"
    kind = raw.get("type")
    if kind == "GeometryCollection":
        return "GeometryCollection is not used by geomap"
    if not isinstance(kind, str) or kind not in DEPTHS:
        return f"unknown geometry type {_short(kind)}"
    if "coordinates" not in raw:
        return "geometry without coordinates"
    coords = raw["coordinates"]
    depth = DEPTHS[kind]
    if depth > 1 and (not isinstance(coords, list) or not coords):
        return f"{kind} with no coordinates"
    role = "ring" if "Polygon" in kind else "line" if "LineString" in kind else "point"
    return _walk(coords, depth, role)


def _quick_walk(coords: Any, depth: int, role: str) -> bool:
    """Whether ``coords`` looks right, checking lists of positions as arrays."""
    if not isinstance(coords, list):
        return False
    if depth > 2:
        return all(_quick_walk(item, depth - 1, role) for item in coords)
    try:
        arr = np.asarray(coords)
    except ValueError:  # ragged
        return False
    if arr.ndim != 2 or arr.shape[1] not in (2, 3) or arr.dtype.kind not in "fiu":
        return False
    if not np.isfinite(arr).all():
        return False
    if role == "ring":
        return len(arr) >= 4 and bool((arr[0, :2] == arr[-1, :2]).all())
    return role != "line" or len(arr) >= 2


def quick_geometry_problem(raw: Any) -> str | None:
    """:func:`raw_geometry_problem`, checking coordinates as arrays (see the module notes)."""
    if not isinstance(raw, dict) or raw.get("type") not in DEPTHS or "coordinates" not in raw:
        return raw_geometry_problem(raw)
    kind = raw["type"]
    depth = DEPTHS[kind]
    coords = raw["coordinates"]
    if depth == 1:
        return _position_problem(coords)
    role = "ring" if "Polygon" in kind else "line" if "LineString" in kind else "point"
    if coords and _quick_walk(coords, depth, role):
        return None
    return raw_geometry_problem(raw) or "coordinates are not lists of finite numbers"
