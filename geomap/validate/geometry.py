"""Checks of one raw GeoJSON geometry: the ``geometry`` and ``rfc7946`` rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geomap.core.rawgeom import raw_geometry_problem
from geomap.validate.rules import GEOMETRY, RFC7946


def _rings(geom: BaseGeometry) -> Iterable[tuple[Any, bool]]:
    """Yield (ring, is_exterior) for every polygon ring."""
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return
    polys = getattr(geom, "geoms", [geom]) if geom.geom_type == "MultiPolygon" else [geom]
    for poly in polys:
        yield poly.exterior, True
        for hole in poly.interiors:
            yield hole, False


def _positions(obj: Any) -> Iterable[Sequence[float]]:
    if isinstance(obj, list | tuple) and obj and isinstance(obj[0], int | float):
        yield obj
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from _positions(item)


def geometry_problems(raw_geometry: Any) -> tuple[list[tuple[str, str]], BaseGeometry | None]:
    """Check one raw GeoJSON geometry; return ``(rule, message)`` pairs and the shape.

    The raw coordinates are checked first (:mod:`geomap.core.rawgeom`): shapely would
    close an open ring or read ``"36.3"`` as a number without a word.
    """
    problem = raw_geometry_problem(raw_geometry)
    if problem is not None:
        return [(GEOMETRY, problem)], None
    out: list[tuple[str, str]] = []
    if "crs" in raw_geometry:
        out.append((RFC7946, "geometry has a 'crs' member; RFC 7946 GeoJSON is always WGS84"))
    for pos in _positions(raw_geometry["coordinates"]):
        if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            out.append((RFC7946, f"position {list(pos)} is not lon/lat in range"))
            break
    try:
        geom = shape(raw_geometry)
    except (ValueError, TypeError, AttributeError, IndexError, ShapelyError) as exc:
        return [*out, (GEOMETRY, f"cannot build geometry: {exc}")], None
    if geom.is_empty:
        out.append((GEOMETRY, "empty geometry"))
    elif not geom.is_valid:
        out.append((GEOMETRY, f"invalid geometry: {explain_validity(geom)}"))
    for ring, exterior in _rings(geom):
        ccw = ring.is_ccw
        if exterior and not ccw:
            out.append((RFC7946, "exterior ring is clockwise; the right-hand rule wants CCW"))
            break
        if not exterior and ccw:
            out.append((RFC7946, "hole is counter-clockwise; the right-hand rule wants CW"))
            break
    return out, geom
