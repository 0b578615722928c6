"""One dated record of a layer, as every floor above the core handles it.

:class:`Feature` pairs the checked properties (:class:`geomap.core.model.FeatureProperties`)
with a shapely geometry. It is built from a raw GeoJSON feature by
:func:`feature_from_raw` (the file readers live in :mod:`geomap.data`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.core.errors import DataError
from geomap.core.model import FeatureProperties
from geomap.core.rawgeom import quick_geometry_problem


@dataclass(frozen=True)
class Feature:
    """One dated record of a layer: its properties, its geometry and where it came from."""

    props: FeatureProperties
    geometry: BaseGeometry
    path: Path
    raw: dict[str, Any] = field(repr=False, compare=False)
    #: Geodesic area in km² when it was computed ahead (the compiled store keeps it).
    known_area_km2: float | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The thing's id (shared by all its periods)."""
        return self.props.id

    @property
    def key(self) -> str:
        """The record key, ``id@valid_from``."""
        return self.props.record_key


def feature_from_raw(raw: dict[str, Any], path: Path) -> Feature:
    """Build a :class:`Feature` from a raw GeoJSON feature (raises on bad input)."""
    props = FeatureProperties.model_validate(raw.get("properties") or {})
    problem = quick_geometry_problem(raw.get("geometry"))
    if problem is not None:
        raise DataError(f"{path}: {props.record_key}: geometry: {problem}")
    geometry = shape(raw["geometry"])
    return Feature(props=props, geometry=geometry, path=path, raw=raw)
