"""Geometry clean-up and GeoJSON serialisation shared by every basemap builder.

Outputs are RFC 7946 GeoJSON: EPSG:4326 longitude/latitude, valid geometries,
counter-clockwise exterior rings, clockwise holes, coordinates rounded to
:data:`DECIMALS` decimals (about 1 m).
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geomap.core.geojson import round_coords

DECIMALS = 5
GRID = 10.0**-DECIMALS

#: A longitude, latitude pair.
LonLat = tuple[float, float]


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Return the non-empty polygons inside any geometry (collections are flattened)."""
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if hasattr(geom, "geoms"):
        return [part for sub in geom.geoms for part in polygon_parts(sub)]
    return []


def clean_polygonal(geom: BaseGeometry, clip: BaseGeometry | None = None) -> MultiPolygon:
    """Make a polygonal geometry valid, optionally clip it, snap it to the output grid.

    Parameters
    ----------
    geom : BaseGeometry
        Input polygonal geometry, possibly invalid.
    clip : BaseGeometry, optional
        Area to intersect with.

    Returns
    -------
    MultiPolygon
        Valid, on the 1e-5 degree grid, exterior rings counter-clockwise and holes clockwise.
    """
    result: BaseGeometry = MultiPolygon(polygon_parts(shapely.make_valid(geom)))
    if clip is not None:
        result = MultiPolygon(polygon_parts(result.intersection(clip)))
    # Snapping to the grid of the written decimals keeps the written geometry valid.
    result = shapely.set_precision(result, GRID)
    parts = [orient(p, 1.0) for p in polygon_parts(result)]
    if not parts:
        raise ValueError("geometry vanished while cleaning")
    return MultiPolygon(parts)


def to_geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry mapping with rounded coordinates, checked valid.

    Parameters
    ----------
    geom : BaseGeometry
        Geometry already on the output grid (or a point / line).

    Returns
    -------
    dict
        GeoJSON geometry mapping.
    """
    raw = mapping(geom)
    out = {"type": raw["type"], "coordinates": round_coords(raw["coordinates"], DECIMALS)}
    written = shape(out)
    if not written.is_valid:
        raise ValueError(f"written {out['type']} is invalid: {shapely.is_valid_reason(written)}")
    return out


def feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a GeoJSON Feature."""
    return {"type": "Feature", "properties": properties, "geometry": geometry}
