"""Areas, lengths and the one reprojection boundary.

Areas and distances come from :class:`pyproj.Geod` on the WGS84 ellipsoid, never
from degrees. Overlay work that needs planar coordinates (differences, buffers in
metres) goes through :func:`to_equal_area` and back through :func:`from_equal_area`,
an Albers equal-area projection centred on Syria and Iraq.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache

import shapely
from pyproj import Geod, Transformer
from shapely import ops
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.model import Kind
from geomap.core.units import convert

#: Albers equal-area for the region (standard parallels 30 and 38 N, centre 41 E).
EQUAL_AREA_PROJ = "+proj=aea +lat_0=34 +lon_0=41 +lat_1=30 +lat_2=38 +datum=WGS84 +units=m +no_defs"


@cache
def geod() -> Geod:
    """The WGS84 ellipsoid used for every area and distance."""
    return Geod(ellps="WGS84")


@cache
def _transformers() -> tuple[Transformer, Transformer]:
    forward = Transformer.from_crs("EPSG:4326", EQUAL_AREA_PROJ, always_xy=True)
    inverse = Transformer.from_crs(EQUAL_AREA_PROJ, "EPSG:4326", always_xy=True)
    return forward, inverse


#: Longest edge (degrees) kept straight when projecting; longer edges are split
#: first, so that lines of latitude stay curves in the projection.
SEGMENT_DEG = 0.05


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry to the regional equal-area CRS (metres)."""
    dense = shapely.segmentize(geom, SEGMENT_DEG)
    return shapely.transform(dense, _transformers()[0].transform, interleaved=False)


def from_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Project a geometry in the regional equal-area CRS back to lon/lat."""
    return shapely.transform(geom, _transformers()[1].transform, interleaved=False)


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area of a lon/lat geometry in km² (0 for points and lines)."""
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return 0.0
    if geom.geom_type == "GeometryCollection":
        return sum(area_km2(part) for part in geom.geoms)
    area, _ = geod().geometry_area_perimeter(geom)
    return abs(area) / 1e6


def feature_area_km2(f: Feature) -> float:
    """Geodesic area of a record in km², the stored figure when the record carries one."""
    return f.known_area_km2 if f.known_area_km2 is not None else area_km2(f.geometry)


def length_km(geom: BaseGeometry) -> float:
    """Geodesic length of a lon/lat line in km."""
    return float(geod().geometry_length(geom)) / 1e3


def distance_km(a: Point, b: BaseGeometry) -> float:
    """Geodesic distance in km from a point to the nearest point of a geometry.

    The nearest point is found in lon/lat, which is exact enough for the short
    distances (a few km) this is used for; the distance itself is geodesic.
    """
    near = ops.nearest_points(a, b)[1]
    _, _, metres = geod().inv(a.x, a.y, near.x, near.y)
    return float(metres) / 1e3


def km2_to_sq_mi(km2: float) -> float:
    """Convert square kilometres to square miles."""
    return convert(km2, "km2", "sq_mi")


def sq_mi_to_km2(sq_mi: float) -> float:
    """Convert square miles to square kilometres."""
    return convert(sq_mi, "sq_mi", "km2")


def territory_records(features: Iterable[Feature]) -> list[Feature]:
    """The ISIS-held territory snapshots, oldest first."""
    snaps = [f for f in features if f.props.kind is Kind.territory]
    return sorted(snaps, key=lambda f: f.props.valid_from)


def area_series(features: Iterable[Feature]) -> list[tuple[dt.date, float]]:
    """ISIS-held area in km² at each snapshot date, ending with 0 when the last one ends."""
    snaps = territory_records(features)
    series = [(f.props.valid_from, feature_area_km2(f)) for f in snaps]
    if snaps and snaps[-1].props.valid_to is not None:
        series.append((snaps[-1].props.valid_to, 0.0))
    return series


def held_area_lookup(features: Iterable[Feature]) -> Callable[[dt.date], float]:
    """:func:`held_area_on` for many dates: areas computed once, each date found by bisection.

    Relies on the territory snapshots not overlapping (the ``interval`` rule).
    """
    snaps = sorted(territory_records(features), key=lambda f: f.props.valid_from)
    starts = [f.props.valid_from for f in snaps]
    ends = [f.props.valid_to for f in snaps]
    areas = [feature_area_km2(f) for f in snaps]

    def on(day: dt.date) -> float:
        i = bisect.bisect_right(starts, day) - 1
        if i < 0 or (ends[i] is not None and day >= ends[i]):  # type: ignore[operator]
            return 0.0
        return areas[i]

    return on


def held_area_on(features: Iterable[Feature], day: dt.date) -> float:
    """ISIS-held area in km² on a date (0 when no snapshot covers it)."""
    return sum(feature_area_km2(f) for f in territory_records(features) if f.props.valid_on(day))
