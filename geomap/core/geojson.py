"""GeoJSON in and out: coordinate rounding and the FeatureCollection of ``geomap state``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature


def round_coords(obj: Any, decimals: int) -> Any:
    """Round every number in nested GeoJSON coordinate lists to ``decimals`` places."""
    if isinstance(obj, int | float):
        return round(float(obj), decimals)
    if isinstance(obj, list | tuple):
        return [round_coords(x, decimals) for x in obj]
    return obj


def geometry_json(geom: BaseGeometry, decimals: int) -> dict[str, Any]:
    """A GeoJSON geometry mapping of a lon/lat shape with rounded coordinates."""
    return _rounded(mapping(geom), decimals)


def _rounded(gj: Any, decimals: int) -> dict[str, Any]:
    if "geometries" in gj:  # a GeometryCollection (e.g. a difference of two shapes)
        return {"type": gj["type"], "geometries": [_rounded(g, decimals) for g in gj["geometries"]]}
    return {"type": gj["type"], "coordinates": round_coords(gj["coordinates"], decimals)}


def feature_collection(features: Iterable[Feature]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection with every property of each feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": f.props.model_dump(mode="json", exclude_none=True),
                "geometry": f.raw.get("geometry") or mapping(f.geometry),
            }
            for f in features
        ],
    }
