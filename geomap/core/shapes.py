"""Shape helpers shared by the core and the layer build."""

from __future__ import annotations

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygonal parts of ``geom``: the lines and points an overlay leaves dropped."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys: list[Polygon] = []
    for p in parts:
        polys.extend(getattr(p, "geoms", [p]))
    return MultiPolygon(polys) if polys else Polygon()
