"""The printed map's projection: the one place lon/lat geometries are reprojected.

Everything is drawn in the regional Albers equal-area projection of
:mod:`geomap.core.geodesy` (standard parallels 30° and 38° N, centre 41° E).
Equal-area, because the map is about how much ground IS held: shapes of the
same size on the ground get the same ink. Between the standard parallels the
scale error is under 1 %, so the scale bar (matplotlib-scalebar, in metres)
holds across the frame; the small rotation of true north away from the centre
meridian is shown by the north arrow, computed at the frame centre.
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from geomap.core.geodesy import from_equal_area, to_equal_area


def project(geom: BaseGeometry) -> BaseGeometry:
    """Reproject a lon/lat geometry for drawing (the exports' one reprojection point)."""
    return to_equal_area(geom)


def unproject(geom: BaseGeometry) -> BaseGeometry:
    """Back to lon/lat (the drawn extent, to pick the records it shows)."""
    return from_equal_area(geom)
