"""Interval logic, state_at and events, with Hypothesis properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.core.dates import overlaps, parse_date
from geomap.core.timeline import events, state_at
from tests.conftest import make_feature

POINT = {"type": "Point", "coordinates": [43.1, 36.3]}
dates = st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def intervals(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start = draw(dates)
    length = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=3000)))
    return start, (start + dt.timedelta(days=length) if length else None)


@given(intervals(), dates)
def test_valid_on_is_half_open(interval: tuple[dt.date, dt.date | None], day: dt.date) -> None:
    start, end = interval
    feat = make_feature(POINT, valid_from=start.isoformat(), valid_to=end and end.isoformat())
    expected = start <= day and (end is None or day < end)
    assert feat.props.valid_on(day) is expected
    assert (feat in state_at([feat], day)) is expected
    assert feat.props.valid_on(start)
    if end is not None:
        assert not feat.props.valid_on(end)


@given(intervals(), intervals())
def test_overlaps_is_symmetric_and_matches_day_sets(
    a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]
) -> None:
    assert overlaps(*a, *b) == overlaps(*b, *a)
    # Two intervals overlap exactly when the later start lies inside both.
    later = max(a[0], b[0])
    inside = all(end is None or later < end for end in (a[1], b[1]))
    assert overlaps(*a, *b) == inside


@given(st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=8), dates)
def test_contiguous_periods_give_exactly_one_record_per_day(
    lengths: list[int], day: dt.date
) -> None:
    start = dt.date(2014, 1, 1)
    feats = []
    for i, n in enumerate(lengths):
        end = start + dt.timedelta(days=n)
        is_last = i == len(lengths) - 1
        feats.append(
            make_feature(
                POINT,
                valid_from=start.isoformat(),
                valid_to=None if is_last else end.isoformat(),
                status="held" if i % 2 else "retaken",
            )
        )
        start = end
    found = state_at(feats, day)
    assert len(found) == (1 if day >= dt.date(2014, 1, 1) else 0)


def test_state_at_filters_layers() -> None:
    a = make_feature(POINT, id="a")
    b = make_feature(POINT, id="b", layer="hajin", kind="town")
    assert state_at([a, b], dt.date(2016, 1, 1), ["hajin"]) == [b]


def test_events_from_status_changes() -> None:
    recs = [
        make_feature(
            POINT,
            id="m",
            name="M",
            status="not_held",
            valid_from="2014-01-01",
            valid_to="2014-06-10",
        ),
        make_feature(
            POINT, id="m", name="M", status="held", valid_from="2014-06-10", valid_to="2017-07-10"
        ),
        make_feature(
            POINT, id="m", name="M", status="retaken", valid_from="2017-07-10", controller="ISF"
        ),
    ]
    got = [(e.date.isoformat(), e.kind, e.by) for e in events(recs)]
    assert got == [("2014-06-10", "capture", None), ("2017-07-10", "loss", "ISF")]


@pytest.mark.parametrize(
    "text",
    [
        "2015-02-30",
        "15-01-01",
        "2015-1-1",
        "yesterday",
        "",
        "2015-W01-1",
        "\uff12\uff10\uff11\uff15-01-01",
    ],
)
def test_parse_date_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_date(text)


def test_a_bad_date_is_echoed_short() -> None:
    with pytest.raises(ValueError) as info:
        parse_date("x" * 100_000)
    assert len(str(info.value)) < 200 and "100,000 characters" in str(info.value)
