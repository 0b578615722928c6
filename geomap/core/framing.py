"""Frames on the ground: the default region and the box around any named thing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geomap.core.feature import Feature

#: Default frame (W, S, E, N): Syria and Iraq with a little of their neighbours.
REGION_BBOX = (35.5, 31.0, 46.5, 37.6)

#: The smallest frame on the ground (degrees a side; 0.05° is about 5 km) and the
#: largest (the region with room to spare): the one rule for export frames and story
#: steps alike.
MIN_FRAME_DEG = 0.05
MAX_FRAME_DEG = (60.0, 45.0)


def frame_problem(bbox: Sequence[float]) -> str | None:
    """Why ``bbox`` (W, S, E, N in degrees) cannot frame a map, or ``None``."""
    west, south, east, north = (float(v) for v in bbox)
    if not all(abs(v) < float("inf") for v in (west, south, east, north)):
        return "values must be finite numbers"
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return "need -180 <= W < E <= 180 and -90 <= S < N <= 90"
    if east - west < MIN_FRAME_DEG or north - south < MIN_FRAME_DEG:
        return f"smaller than {MIN_FRAME_DEG}° (about 5 km) on a side"
    if east - west > MAX_FRAME_DEG[0] or north - south > MAX_FRAME_DEG[1]:
        return "larger than the region the map covers"
    return None


#: Half-size in degrees of the frame around a place given by ``--place``.
PLACE_HALF_DEG = 0.9

#: Margin added around an area given by ``--place``, as a share of its size.
AREA_MARGIN = 0.25


def place_index(
    features: Sequence[Feature], places: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[float, float, float, float]]:
    """Bounding boxes (W, S, E, N) of every named thing: layer ids and basemap places.

    Layer ids come first, so ``mosul`` frames the city record; basemap places
    (GeoNames, by their ``id``) add the rest. Points get a fixed-size frame,
    areas their bounds plus a margin.
    """
    index: dict[str, tuple[float, float, float, float]] = {}
    for raw in places:
        pid = (raw.get("properties") or {}).get("id")
        lon, lat = raw["geometry"]["coordinates"][:2]
        if pid:
            index[str(pid)] = _around(lon, lat)
    bounds: dict[str, list[float]] = {}
    for f in features:
        west, south, east, north = f.geometry.bounds
        if f.id in bounds:
            b = bounds[f.id]
            bounds[f.id] = [min(b[0], west), min(b[1], south), max(b[2], east), max(b[3], north)]
        else:
            bounds[f.id] = [west, south, east, north]
    for fid, (west, south, east, north) in bounds.items():
        if east - west < 0.05 and north - south < 0.05:
            index[fid] = _around((west + east) / 2, (south + north) / 2)
        else:
            dx, dy = (east - west) * AREA_MARGIN, (north - south) * AREA_MARGIN
            index[fid] = (west - dx, south - dy, east + dx, north + dy)
    return index


def _around(lon: float, lat: float) -> tuple[float, float, float, float]:
    return (lon - PLACE_HALF_DEG, lat - PLACE_HALF_DEG, lon + PLACE_HALF_DEG, lat + PLACE_HALF_DEG)
