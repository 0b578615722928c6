"""Shapely shapes as matplotlib artists, added straight to an axes.

The maps draw a few hundred shapes in a known projection, with limits and
aspect set by the figure itself, so they need no GeoSeries on the way: each
(multi)polygon becomes one patch of a :class:`~matplotlib.collections.PatchCollection`
and each line a segment of a :class:`~matplotlib.collections.LineCollection`.
Drawing without geopandas saves its import (about 0.3 s) in every fresh export;
geopandas stays for the GeoPackage writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString", "LinearRing")


def _parts(geom: BaseGeometry, kinds: tuple[str, ...]) -> Iterator[BaseGeometry]:
    """The non-empty single parts of ``geom`` whose type is one of ``kinds``."""
    if geom is None or geom.is_empty:
        return
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        for part in geom.geoms:
            yield from _parts(part, kinds)
    elif geom.geom_type in kinds or (geom.geom_type == "LinearRing" and "LineString" in kinds):
        yield geom


def polygon_path(geom: BaseGeometry) -> Path:
    """One compound path of every ring of a (multi)polygon, holes wound against their shell.

    Agg fills with the non-zero rule, so exteriors run counter-clockwise and
    holes clockwise (:func:`shapely.orient_polygons`).
    """
    rings = []
    for polygon in _parts(shapely.orient_polygons(geom), ("Polygon",)):
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append(Path(np.asarray(ring.coords)[:, :2]))
    return Path.make_compound_path(*rings)


def add_polygons(ax: Axes, geoms: Iterable[BaseGeometry], **style: Any) -> PatchCollection | None:
    """Add one patch per polygonal shape (its other parts ignored); return the collection."""
    patches = [
        PathPatch(polygon_path(g))
        for g in geoms
        if g is not None and any(True for _ in _parts(g, ("Polygon",)))
    ]
    if not patches:
        return None
    collection = PatchCollection(patches, **style)
    ax.add_collection(collection, autolim=False)
    return collection


def add_lines(ax: Axes, geoms: Iterable[BaseGeometry], **style: Any) -> LineCollection | None:
    """Add every line of ``geoms`` (rings and polygon outlines given as lines) as one collection."""
    segments = [
        np.asarray(line.coords)[:, :2] for g in geoms for line in _parts(g, ("LineString",))
    ]
    if not segments:
        return None
    collection = LineCollection(segments, **style)
    ax.add_collection(collection, autolim=False)
    return collection
