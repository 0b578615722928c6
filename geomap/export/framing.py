"""Which part of the region a map shows: the default frame, ``--bbox`` or ``--place``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geomap.export.options import ExportError, ExportOptions, check_bbox
from geomap.io import Feature

#: Default frame (W, S, E, N): Syria and Iraq with a little of their neighbours.
REGION_BBOX = (35.5, 31.0, 46.5, 37.6)

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


def map_bbox(
    options: ExportOptions, features: Sequence[Feature], places: Sequence[Mapping[str, Any]]
) -> tuple[float, float, float, float]:
    """The frame of a map in degrees, from ``--bbox``, ``--place`` or the default."""
    if options.bbox is not None and options.place is not None:
        raise ExportError("give either --bbox or --place, not both")
    if options.bbox is not None:
        return check_bbox(options.bbox)
    if options.place is not None:
        index = place_index(features, places)
        if options.place not in index:
            raise ExportError(
                f"unknown place {options.place!r}: use an id such as mosul, raqqa or hajin-pocket"
            )
        return index[options.place]
    return REGION_BBOX
