"""One date policy: refused before the data starts, the final state after it ends.

The same rule in Python (:func:`geomap.core.timeline.shown_day`, behind the CLI,
the exports and the app's links) and in the map script (``dayRule`` in
``geomap/app/static/js/dates.js``, compared here by running it in node).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.app.state import View, parse_view, view_from_map
from geomap.core.timeline import (
    DEFAULT_DATE,
    TIMELINE_END,
    TIMELINE_START,
    check_day,
    shown_day,
)
from geomap.web.payload import day_number
from tests.conftest import ROOT

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))
PLACES = {"mosul"}


@given(DAYS)
def test_shown_day_refuses_before_the_start_and_shows_the_end_after_it(day: dt.date) -> None:
    if day < TIMELINE_START:
        with pytest.raises(ValueError, match="before the data starts"):
            shown_day(day)
        return
    shown = shown_day(day)
    assert shown.day == min(day, TIMELINE_END)
    assert (shown.note is not None) == (day > TIMELINE_END)
    assert check_day(day) == (f"note: {shown.note}" if shown.note else None)


@given(DAYS)
def test_a_link_follows_the_policy(day: dt.date) -> None:
    view, messages = parse_view({"date": day.isoformat()}, PLACES)
    if day < TIMELINE_START:
        assert view.date == DEFAULT_DATE
        assert len(messages) == 1 and "before the data starts" in messages[0]
    elif day > TIMELINE_END:
        assert view.date == TIMELINE_END
        assert len(messages) == 1 and "shows that date" in messages[0]
    else:
        assert (view.date, messages) == (day, [])


@given(DAYS)
def test_a_date_the_map_reports_follows_the_policy(day: dt.date) -> None:
    current = View(dt.date(2016, 3, 1))
    moved = view_from_map({"date": day.isoformat()}, current, PLACES)
    expected = current.date if day < TIMELINE_START else min(day, TIMELINE_END)
    assert moved.date == expected


def test_the_script_applies_the_same_rule() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    days = [TIMELINE_START + dt.timedelta(days=n) for n in range(-800, 2800, 7)]
    days += [TIMELINE_START, TIMELINE_START - dt.timedelta(days=1), TIMELINE_END]
    days += [TIMELINE_END + dt.timedelta(days=1), dt.date(2030, 1, 1)]
    module = (ROOT / "geomap" / "app" / "static" / "js" / "dates.js").as_uri()
    args = [[day_number(d) for d in days], day_number(TIMELINE_START), day_number(TIMELINE_END)]
    script = (
        f"import {{ dayRule }} from {json.dumps(module)};"
        f"const [days, start, end] = {json.dumps(args)};"
        "console.log(JSON.stringify(days.map((d) => dayRule(d, start, end))));"
    )
    run = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    for day, rule in zip(days, json.loads(run.stdout), strict=True):
        if day < TIMELINE_START:
            assert rule["day"] is None and "before the data starts" in rule["note"]
            continue
        shown = shown_day(day)
        assert (rule["day"], rule["note"]) == (day_number(shown.day), shown.note)
