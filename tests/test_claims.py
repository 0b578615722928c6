"""Claims are checked against geometry: numbers follow the data, units are enforced."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from geomap.core.claims import Check, Claim, check_all, check_claim
from geomap.core.feature import Feature
from geomap.core.geodesy import area_km2
from geomap.core.units import UnitError, convert, dimension
from geomap.data.claims import load_claims
from geomap.data.dataset import Dataset
from geomap.data.io import load_sources
from tests.conftest import ROOT, make_feature


def territory(cell: tuple[float, float, float, float], start: str, end: str | None) -> Feature:
    return make_feature(
        mapping(box(*cell)),
        id="isis-territory",
        layer="territory",
        kind="territory",
        ground="held",
        valid_from=start,
        valid_to=end,
        status="held",
    )


def area_claim(value: float, unit: str, day: str = "2016-06-01", **kw: object) -> Claim:
    return Claim(
        id="c",
        claim="Some area figure.",
        source="nyt-hajin-2018-09",
        date=dt.date.fromisoformat(day),
        check=Check(method="held_area"),
        value=value,
        unit=unit,
        comparison="approx",
        tolerance=0.05,
        **kw,  # type: ignore[arg-type]
    )


SMALL = (40.0, 34.0, 40.2, 34.2)
BIG = (40.0, 34.0, 41.0, 35.0)


def test_computed_value_follows_the_fixture_geometry() -> None:
    known = area_km2(box(*SMALL))
    feats = [territory(SMALL, "2016-01-01", "2017-01-01")]
    result = check_claim(area_claim(known, "km2"), feats)
    assert result.computed == pytest.approx(known, rel=1e-6)
    assert result.verdict == "consistent"
    # Same claim, bigger territory: the number and the verdict change with the data.
    result = check_claim(area_claim(known, "km2"), [territory(BIG, "2016-01-01", "2017-01-01")])
    assert result.computed == pytest.approx(area_km2(box(*BIG)), rel=1e-6)
    assert result.verdict == "inconsistent"


def test_claim_in_square_miles_is_converted() -> None:
    known = area_km2(box(*SMALL))
    feats = [territory(SMALL, "2016-01-01", None)]
    assert check_claim(area_claim(known / 2.589988, "sq_mi"), feats).verdict == "consistent"


def test_unit_error_is_a_mismatch_not_a_pass() -> None:
    known = area_km2(box(*SMALL))
    feats = [territory(SMALL, "2016-01-01", None)]
    # The km² number labelled as square miles: off by a factor of 2.59.
    assert check_claim(area_claim(known, "sq_mi"), feats).verdict == "inconsistent"
    # A unit that measures something else entirely.
    wrong = check_claim(area_claim(known, "percent"), feats)
    assert wrong.verdict == "inconsistent"
    assert "unit mismatch" in wrong.explanation
    unknown = check_claim(area_claim(known, "acres-ish"), feats)
    assert unknown.verdict == "inconsistent"
    assert "unknown unit" in unknown.explanation


def test_share_of_peak_uses_the_largest_snapshot() -> None:
    feats = [
        territory(BIG, "2015-01-01", "2016-01-01"),
        territory(SMALL, "2016-01-01", "2017-01-01"),
    ]
    claim = Claim(
        id="s",
        claim="Share left.",
        source="nyt-hajin-2018-09",
        date=dt.date(2016, 6, 1),
        check=Check(method="remaining_share_of_peak"),
        value=100 * area_km2(box(*SMALL)) / area_km2(box(*BIG)),
        unit="percent",
        comparison="approx",
        tolerance_abs=0.01,
    )
    assert check_claim(claim, feats).verdict == "consistent"


def test_not_checkable_says_so() -> None:
    claim = Claim(
        id="p",
        claim="A population.",
        source="nyt-hajin-2018-09",
        date=dt.date(2018, 9, 11),
        check=Check(method="not_checkable", reason="no such data"),
        value=60000,
        unit="people",
        comparison="approx",
    )
    result = check_claim(claim, [])
    assert result.verdict == "not checkable"
    assert "Not checkable with shipped data" in result.explanation


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [(200, "sq_mi", "km2", 517.9976), (1, "fraction", "percent", 100), (2, "weeks", "days", 14)],
)
def test_unit_conversion(value: float, unit: str, to: str, expected: float) -> None:
    assert convert(value, unit, to) == pytest.approx(expected, rel=1e-6)


def test_conversion_across_dimensions_fails() -> None:
    with pytest.raises(UnitError):
        convert(1, "km2", "days")
    with pytest.raises(UnitError, match="unknown unit"):
        dimension("furlongs")


@given(st.floats(min_value=0, max_value=1e9), st.sampled_from(["km2", "sq_mi", "ha"]))
def test_area_units_round_trip(value: float, unit: str) -> None:
    assert convert(convert(value, unit, "km2"), "km2", unit) == pytest.approx(value)


# ---------------------------------------------------------------- shipped claims


@pytest.fixture(scope="module")
def verdicts(shipped: list[Feature]) -> dict[str, str]:
    results = check_all(shipped, load_claims(ROOT), load_sources(ROOT), Dataset(ROOT).places)
    return {r.id: r.verdict for r in results}


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        # The land model draws the Hajin pocket and the late pockets larger than the
        # coalition measured them (README, "Calibration"); the fact check says so.
        ("hajin-last-200-sq-mi", "inconsistent"),  # 604 km² (233 sq mi) on 2018-09-11
        # 6.4% left: the map holds the Badia desert pocket that the coalition's share
        # left out (0.8% without it, as the claim's caveat says)
        ("all-but-1-percent", "inconsistent"),
        ("peak-size-of-britain", "inconsistent"),
        ("peak-size-of-uk", "inconsistent"),
        ("sinjar-tal-afar-fell-in-days", "consistent"),
        ("war-began-over-four-years-ago", "consistent"),
        ("hajin-60000-people", "not checkable"),
        ("mosul-1-5-million", "consistent"),
        ("raqqa-over-200000", "consistent"),
    ],
)
def test_article_claims(verdicts: dict[str, str], claim: str, verdict: str) -> None:
    assert verdicts[claim] == verdict


def test_disputed_dates_are_listed(verdicts: dict[str, str]) -> None:
    manbij = {k: v for k, v in verdicts.items() if k.startswith("date-manbij")}
    assert manbij.get("date-manbij-valid_to-2016-08-06") == "inconsistent"
    assert verdicts["date-palmyra-valid_to-2016-05-01"] == "inconsistent"
    assert any(k.startswith("date-tal-afar-valid_from-2014-06-15") for k in verdicts)


def test_claims_cli_json_shape() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "claims", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = json.loads(out.stdout)
    need = {"claim", "source", "date", "computed", "unit", "verdict", "explanation"}
    assert all(need <= set(r) for r in rows)
    assert {r["verdict"] for r in rows} <= {"consistent", "inconsistent", "not checkable"}


def test_no_raw_codes_reach_the_fact_checks_words(dataset: Dataset) -> None:
    """Units, statuses and ids are codes: readers see km², sq mi and place names."""
    import re

    codes = re.compile(r"\b(sq_mi|km2|not_held|never_held|tal-afar)\b")
    leaks = [
        f"{r.id}: {m.group(0)}"
        for r in dataset.claim_results
        for text in (r.claim, r.explanation)
        for m in codes.finditer(text or "")
    ]
    assert leaks == []
