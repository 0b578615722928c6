"""The fact-check panel: every registered claim with its verdict.

"Show on map" sets the map to the claim's date and selects what it refers to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from geomap.app.data import Bundle
from geomap.app.show import html
from geomap.core.claims import Result
from geomap.core.dates import parse_date
from geomap.core.style import VERDICT_COLOUR
from geomap.web.html import esc

BADGE = {"consistent": "CONSISTENT", "inconsistent": "INCONSISTENT"}


def _badge(verdict: str) -> str:
    colour = VERDICT_COLOUR.get(verdict, VERDICT_COLOUR["not checkable"])
    word = BADGE.get(verdict, "NOT CHECKABLE")
    return f"<b class='gm-verdict' style='color:{colour}'>{esc(word)}</b>"


def _title(bundle: Bundle, key: str) -> str:
    source = bundle.sources.get(key)
    return f"{source.title} ({source.publisher}, {source.date})" if source else key


def _thing_name(bundle: Bundle, thing: str | None) -> str:
    """A thing's name for readers (its id is a code, never shown)."""
    records = bundle.periods.get(thing or "")
    return records[-1].props.name.split(" from ")[0] if records else "nothing"


def fact_check_panel(bundle: Bundle, show: Callable[[dt.date, str | None], None]) -> None:
    """List claims with verdicts; each button calls ``show(date, place)``."""
    claims = [r for r in bundle.claims if r.unit != "date"]
    disputes = [r for r in bundle.claims if r.unit == "date"]
    counts = {v: sum(r.verdict == v for r in claims) for v in BADGE}
    st.markdown(
        f"{len(claims)} claims: {counts['consistent']} consistent, "
        f"{counts['inconsistent']} inconsistent, "
        f"{len(claims) - sum(counts.values())} not checkable with the shipped data. "
        "Each number is computed from the map's own geometry."
    )
    for r in claims:
        _claim_row(bundle, r, show)
    if disputes:
        _disputes(bundle, disputes, show)


def _disputes(
    bundle: Bundle, disputes: list[Result], show: Callable[[dt.date, str | None], None]
) -> None:
    """The dates sources disagree on: one table and one picker.

    A row of widgets per dispute would cost the page a second of rendering for a
    hundred of them.
    """
    if not st.toggle(
        f"Where sources disagree on dates ({len(disputes)})",
        key="disputes_on",
        help="The table is drawn only when asked for, to keep the page quick to open.",
    ):
        return
    rows = [
        {
            "place or record": r.claim,
            "other date": r.claimed,
            "date used": r.computed,
            "within a day": r.verdict == "consistent",
            "source": _title(bundle, r.source),
        }
        for r in disputes
    ]
    st.dataframe(rows, hide_index=True, width="stretch", height=260)
    labels = {r.id: f"{r.claim} ({r.claimed})" for r in disputes}
    chosen = st.selectbox(
        "Show a disputed date on the map",
        options=list(labels),
        format_func=lambda k: labels[k],
        index=None,
        key="dispute_pick",
        placeholder="Pick a disputed date…",
    )
    if chosen is not None:
        r = next(x for x in disputes if x.id == chosen)
        place = r.refers_to[0] if r.refers_to else None
        day = parse_date(r.map_date or r.date)
        st.button(
            "Show on map",
            key="dispute_show",
            on_click=show,
            args=(day, place),
            help=f"Set the map to {day} and select {_thing_name(bundle, place)}",
        )


def _claim_row(bundle: Bundle, r: Result, show: Callable[[dt.date, str | None], None]) -> None:
    place = r.refers_to[0] if r.refers_to else None
    day = parse_date(r.map_date or r.date)
    text, button = st.columns([5, 1])
    with text:
        html(
            f"<div class='gm-claim' data-claim='{esc(r.id)}' data-verdict='{esc(r.verdict)}'>"
            f"{_badge(r.verdict)} "
            f"{esc(r.claim)}<br><span class='gm-supports'>{esc(r.explanation)} "
            f"Source: {esc(_title(bundle, r.source))}.</span></div>"
        )
    with button:
        st.button(
            "Show on map",
            key=f"claim-{r.id}",
            on_click=show,
            args=(day, place),
            help=f"Set the map to {day} and select what the claim is about",
        )
