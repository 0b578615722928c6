"""Comparing two dates: gained plus kept equals the later area."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from geomap.core.compare import compare
from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_on
from tests.conftest import ROOT, make_feature

DATES = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2019, 4, 1))


def test_fixture_squares() -> None:
    early = make_feature(
        mapping(box(40, 34, 41, 35)),
        id="t",
        layer="territory",
        kind="territory",
        ground="held",
        valid_from="2015-01-01",
        valid_to="2016-01-01",
    )
    late = make_feature(
        mapping(box(40.5, 34, 41.5, 35)),
        id="t",
        layer="territory",
        kind="territory",
        ground="held",
        valid_from="2016-01-01",
    )
    result = compare([early, late], dt.date(2015, 6, 1), dt.date(2016, 6, 1))
    assert result.gained_km2 == pytest.approx(result.lost_km2, rel=0.01)
    assert result.kept_km2 == pytest.approx(result.area_to_km2 / 2, rel=0.01)
    assert result.gained.centroid.x == pytest.approx(41.25, abs=0.01)
    assert result.lost.centroid.x == pytest.approx(40.25, abs=0.01)


@pytest.mark.slow  # on the shipped data; in-code squares: test_fixture_squares
@settings(max_examples=15, deadline=None)
@given(DATES, DATES)
def test_gained_plus_kept_is_later_area(shipped: list[Feature], a: dt.date, b: dt.date) -> None:
    result = compare(shipped, a, b)
    assert result.gained_km2 + result.kept_km2 == pytest.approx(result.area_to_km2, abs=0.5)
    assert result.lost_km2 + result.kept_km2 == pytest.approx(result.area_from_km2, abs=0.5)
    # Equal-area planar km² agree with geodesic km² (edges differ: straight in lon/lat
    # versus geodesic, which on the long desert borders is worth about 0.1%).
    assert result.area_to_km2 == pytest.approx(held_area_on(shipped, b), rel=3e-3, abs=0.5)


def test_cities_changed_hands(shipped: list[Feature]) -> None:
    result = compare(shipped, dt.date(2017, 6, 1), dt.date(2017, 8, 1))
    changed = {c.id: (c.status_from, c.status_to) for c in result.cities}
    # Mosul was fought over from October 2016 (contested) until it was retaken; the SDF's
    # battle for Raqqa began on 6 June 2017.
    assert changed["mosul"] == ("contested", "retaken")
    assert changed["raqqa"] == ("held", "contested")


def test_compare_cli_geojson() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "geomap.cli",
            "compare",
            "--from",
            "2016-07-04",
            "--to",
            "2017-06-26",
            "--format",
            "geojson",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert doc["type"] == "FeatureCollection"
    assert {f["properties"]["change"] for f in doc["features"]} == {"gained", "lost"} or {
        f["properties"]["change"] for f in doc["features"]
    } == {"lost"}
    assert doc["comparison"]["lost_km2"] > 20_000
