"""Geodesic areas and unit conversion."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import GeometryCollection, LineString, Point, box, mapping

from geomap.core.geodesy import (
    area_km2,
    distance_km,
    from_equal_area,
    km2_to_sq_mi,
    sq_mi_to_km2,
    to_equal_area,
)
from tests.conftest import make_feature


def test_one_degree_cell_at_equator() -> None:
    # A 1x1 degree cell on the equator is about 12,309 km² on WGS84.
    assert area_km2(box(0, 0, 1, 1)) == pytest.approx(12_308.8, rel=1e-3)


def test_lines_and_points_have_no_area() -> None:
    assert area_km2(LineString([(40, 34), (41, 34), (41, 35)])) == 0.0
    assert area_km2(Point(40, 34)) == 0.0
    both = GeometryCollection([box(0, 0, 1, 1), LineString([(5, 5), (6, 6), (5, 6)])])
    assert area_km2(both) == pytest.approx(area_km2(box(0, 0, 1, 1)))


def test_area_shrinks_with_latitude() -> None:
    assert area_km2(box(40, 36, 41, 37)) < area_km2(box(40, 30, 41, 31))


def test_orientation_does_not_change_area() -> None:
    cell = box(40, 34, 40.5, 34.5)
    assert area_km2(cell) == pytest.approx(area_km2(cell.reverse()))


def test_equal_area_projection_preserves_area() -> None:
    cell = box(40, 34, 40.5, 34.5)
    assert to_equal_area(cell).area / 1e6 == pytest.approx(area_km2(cell), rel=1e-4)
    back = from_equal_area(to_equal_area(cell))
    assert back.symmetric_difference(cell).area < 1e-9


def test_distance_one_degree_of_latitude() -> None:
    assert distance_km(Point(40, 34), Point(40, 35)) == pytest.approx(110.9, rel=1e-2)


def test_200_square_miles() -> None:
    assert sq_mi_to_km2(200) == pytest.approx(518.0, abs=0.1)


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_unit_round_trip(value: float) -> None:
    assert sq_mi_to_km2(km2_to_sq_mi(value)) == pytest.approx(value)


@cache
def _shipped_once() -> list:
    from geomap.data.io import load_layers

    return load_layers()


@pytest.mark.slow  # on the shipped data; small snapshots: test_held_area_lookup_on_small_*
@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(2013, 6, 1), max_value=dt.date(2020, 6, 1)))
def test_held_area_lookup_equals_the_direct_sum(day: dt.date) -> None:
    from geomap.core.geodesy import held_area_lookup, held_area_on

    features = _shipped_once()
    assert held_area_lookup(features)(day) == pytest.approx(held_area_on(features, day))


#: Three snapshots of one territory, built in code, with a gap before the third.
SNAPSHOTS = [
    make_feature(
        mapping(box(40, 34, 40 + size, 35)),
        layer="territory",
        kind="territory",
        ground="held",
        controller="is",
        **dates,
    )
    for size, dates in (
        (1.0, {"valid_from": "2015-01-01", "valid_to": "2015-06-01"}),
        (0.5, {"valid_from": "2015-06-01", "valid_to": "2016-01-01"}),
        (0.2, {"valid_from": "2016-03-01"}),
    )
]


@example(day=dt.date(2015, 1, 1))
@example(day=dt.date(2015, 6, 1))
@example(day=dt.date(2016, 1, 1))
@example(day=dt.date(2016, 3, 1))
@given(day=st.dates(min_value=dt.date(2014, 6, 1), max_value=dt.date(2016, 6, 1)))
def test_held_area_lookup_on_small_snapshots_equals_the_direct_sum(day: dt.date) -> None:
    from geomap.core.geodesy import held_area_lookup, held_area_on

    assert held_area_lookup(SNAPSHOTS)(day) == pytest.approx(held_area_on(SNAPSHOTS, day))
