"""The shipped layers: valid, calibrated and consistent with each other."""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from typing import Any

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geomap.core.feature import Feature
from geomap.core.geodesy import area_series, distance_km, held_area_on
from geomap.core.model import PLACE_KINDS, Ground, Kind, Status
from geomap.core.timeline import events, state_at
from geomap.validate import validate_paths
from tests.conftest import ROOT

#: Published areas (tools/layers_src/area_figures.toml): the model's two area
#: parameters are chosen on the "fit" figures; "holdout" ones never influence it.
FIGURES = tomllib.loads((ROOT / "tools" / "layers_src" / "area_figures.toml").read_text())["figure"]
AREAS = [f for f in FIGURES if f["unit"] == "km2" and f["covers"] == "both"]
ARTICLE_CITIES = ["mosul", "tal-afar", "sinjar", "falluja", "ramadi", "raqqa"]
MORE_CITIES = [
    "tikrit",
    "palmyra",
    "kobani",
    "manbij",
    "dabiq",
    "deir-ez-zor",
    "mayadin",
    "al-qaim",
    "abu-kamal",
    "baghuz",
    "baghdad",
]


@pytest.mark.slow  # every rule on the whole data; each rule's fixture: test_validate_fixtures
def test_shipped_layers_and_data_validate() -> None:
    problems = validate_paths([ROOT / "layers", ROOT / "data"], root=ROOT)
    assert problems == [], [p.line() for p in problems[:10]]


@pytest.mark.parametrize("fig", [f for f in AREAS if f["use"] == "fit"], ids=lambda f: f["id"])
def test_area_fits_the_calibration_figures(shipped: list[Feature], fig: dict[str, Any]) -> None:
    got = held_area_on(shipped, fig["describes"])
    assert got == pytest.approx(fig["value"], rel=0.20), f"{got:,.0f} km², published {fig}"


def test_area_error_on_held_out_figures(shipped: list[Feature]) -> None:
    """Figures the calibration never saw: mean error within the issue's 15%, none off by
    more than its 35%.

    Measured (README): mean 8.7%, worst +34.7% (RAND, early 2017: 45,377 km², which
    itself lies 25% below IHS's 60,400 km² for the last day of 2016, held out at +1.6%).
    IHS January 2018 is +7.9% since the Badia desert pocket is drawn from its sourced
    cordon (it was -72.5% when the map left that pocket white).
    """
    held_out = [f for f in AREAS if f["use"] == "holdout"]
    errors = [
        abs(held_area_on(shipped, f["describes"]) - f["value"]) / f["value"] for f in held_out
    ]
    assert len(errors) >= 6
    assert sum(errors) / len(errors) <= 0.15, errors
    assert max(errors) <= 0.35, errors


@pytest.mark.slow  # ten unions and buffers of the whole IS-held ground
def test_one_belt_holds_the_ground_at_the_height(shipped: list[Feature]) -> None:
    """On the first day of each quarter from October 2014 to January 2017, the largest
    part of the IS-held ground (parts within 2 km joined) holds nearly all of it.

    Measured (README): 86-95% (it was 27-28% before territory v3, and 65-70% through
    2016 while a Syrian border post's reach, put in Iraq by the coarse border line,
    cut the belt south of al-Hawl). Held to 85%.
    """
    from tools.territory_report import largest_share

    low = {}
    for year, month in itertools.product((2014, 2015, 2016, 2017), (1, 4, 7, 10)):
        day = dt.date(year, month, 1)
        if dt.date(2014, 10, 1) <= day <= dt.date(2017, 1, 1):
            held = [f.geometry for f in state_at(shipped, day) if f.props.kind is Kind.territory]
            share, _parts = largest_share(shapely.union_all(held))
            if share < 0.85:
                low[day.isoformat()] = round(share, 2)
    assert low == {}


def test_enough_snapshots_and_dense_when_fast(shipped: list[Feature]) -> None:
    series = area_series(shipped)
    years = [d.year for d, _ in series]
    assert len(series) >= 12
    for group in ((2014,), (2017,), (2018, 2019)):
        assert sum(years.count(y) for y in group) >= 3, group
    assert series[-1] == (dt.date(2019, 3, 23), 0.0)
    peak = max(km2 for _, km2 in series)
    assert 80_000 < peak < 130_000


def test_territory_is_approximate_and_sourced(shipped: list[Feature]) -> None:
    snaps = [f for f in shipped if f.props.kind is Kind.territory]
    assert all(f.props.approximate and f.props.sources for f in snaps)


def test_cities_named_by_the_issue_are_present(shipped: list[Feature]) -> None:
    ids = {f.id for f in shipped if f.props.kind is Kind.city}
    assert set(ARTICLE_CITIES + MORE_CITIES) <= ids
    baghdad = [f for f in shipped if f.id == "baghdad"]
    assert {f.props.status for f in baghdad} == {Status.never_held}


def test_palmyra_changed_hands_four_times(shipped: list[Feature]) -> None:
    kinds = [e.kind for e in events(shipped) if e.id == "palmyra"]
    assert kinds.count("capture") == 2
    assert kinds.count("loss") == 2


def test_disputed_dates_lower_confidence(shipped: list[Feature]) -> None:
    for f in shipped:
        if f.props.date_variants:
            assert f.props.confidence.value != "high", f.key


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2019, 5, 31)))
def test_cities_agree_with_territory_on_any_date(shipped: list[Feature], day: dt.date) -> None:
    now = state_at(shipped, day)
    territory = [f.geometry for f in now if f.props.kind is Kind.territory]
    # Ground near a place under assault is contested (territory v3): a place IS holds
    # there lies in contested ground rather than in IS territory.
    contested = [f.geometry for f in now if f.props.ground is Ground.contested]
    for city in now:
        if city.props.kind not in PLACE_KINDS or city.props.status is None:
            continue
        assert isinstance(city.geometry, Point)
        # Within 1 km counts as inside: border towns sit on the generalised land outline.
        inside = any(distance_km(city.geometry, t) <= 1.0 for t in territory)
        if city.props.status is not Status.held:
            inside = any(t.covers(city.geometry) for t in territory)
        if city.props.status is Status.held:
            inside = inside or any(distance_km(city.geometry, c) <= 1.0 for c in contested)
            assert inside, f"{city.key} held but outside territory on {day}"
        elif city.props.status is not Status.contested:
            assert not inside, f"{city.key} is {city.props.status} but inside territory on {day}"


def test_hajin_pocket_stages(shipped: list[Feature]) -> None:
    stages = sorted(
        (f for f in shipped if f.props.kind is Kind.pocket), key=lambda f: f.props.valid_from
    )
    starts = [f.props.valid_from for f in stages]
    assert starts[0] == dt.date(2018, 9, 10)
    assert dt.date(2018, 12, 14) in starts
    assert stages[-1].props.valid_to == dt.date(2019, 3, 23)
    hajin = [f for f in shipped if f.id == "hajin"]
    taken = [f for f in hajin if f.props.status is Status.retaken]
    assert taken and taken[0].props.valid_from == dt.date(2018, 12, 14)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2019, 5, 31)))
def test_state_at_gives_one_record_per_thing(shipped: list[Feature], day: dt.date) -> None:
    ids = [f.id for f in state_at(shipped, day)]
    assert len(ids) == len(set(ids))


def test_territory_snapshots_are_contiguous(shipped: list[Feature]) -> None:
    snaps = sorted(
        (f for f in shipped if f.props.kind is Kind.territory), key=lambda f: f.props.valid_from
    )
    for before, after in itertools.pairwise(snaps):
        assert before.props.valid_to == after.props.valid_from, before.key


@pytest.mark.parametrize("when", ["2018-09-11", "2018-10-22", "2018-12-16", "2019-01-25"])
def test_the_hajin_enclave_keeps_within_its_reported_inland_edge(
    shipped: list[Feature], when: str
) -> None:
    """IS ground near Hajin (held or desert zone) east of the river lies inside the ring
    the reports give the enclave (35 km along the river, 8 to 10 km deep), give or take
    the model's 2 km cells: the band of desert zone farther east is gone."""
    from tools.builders.pockets import read_pockets

    record = next(p for p in read_pockets() if p["id"] == "hajin-enclave-2018")
    stage = record["stage"][0]
    ring = shapely.Polygon([(b["lon"], b["lat"]) for b in stage["boundary"]])
    east = shapely.box(40.85, 34.40, 41.40, 34.90).difference(ring.buffer(0.03))
    day = dt.date.fromisoformat(when)
    ours = [
        f.geometry
        for f in state_at(shipped, day)
        if f.props.layer == "territory" and f.props.kind in (Kind.territory, Kind.desert)
    ]
    beyond = shapely.union_all(ours).intersection(east)
    assert beyond.area < 1e-4, f"{beyond.area:.4f} square degrees of IS ground beyond the edge"
