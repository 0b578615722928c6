"""The IS-held area chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import altair as alt

from geomap.core.feature import Feature
from geomap.core.style import OKABE_ITO
from geomap.core.timeline import TIMELINE_END
from geomap.web.payload import area_steps


def area_rows(features: Sequence[Feature]) -> list[dict[str, Any]]:
    """Area steps as chart rows (``date``, ``km2``), held flat to the timeline's end."""
    steps = area_steps(features)
    if steps:
        steps = [*steps, (TIMELINE_END, steps[-1][1])]
    return [{"date": d.isoformat(), "km2": round(a)} for d, a in steps]


def area_chart(rows: Sequence[dict[str, Any]], day: dt.date) -> alt.LayerChart | alt.FacetChart:
    """Step chart of the held area (rows of :func:`area_rows`) with a rule at ``day``."""
    line = (
        alt.Chart(alt.InlineData(values=list(rows)))
        .mark_area(interpolate="step-after", color=OKABE_ITO["vermillion"], opacity=0.45)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("km2:Q", title="km² of IS-held ground (desert zone not counted)"),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d", title="from"),
                alt.Tooltip("km2:Q", format=",.0f", title="km²"),
            ],
        )
    )
    marker = alt.InlineData(values=[{"date": day.isoformat(), "label": day.isoformat()}])
    rule = alt.Chart(marker).mark_rule(color=OKABE_ITO["black"], strokeWidth=2).encode(x="date:T")
    text = (
        alt.Chart(marker)
        .mark_text(align="left", dx=4, dy=2, baseline="top")
        .encode(x="date:T", y=alt.value(0), text="label:N")
    )
    return alt.layer(line, rule, text).properties(height=220)


def side_rows(features: Sequence[Feature]) -> list[dict[str, Any]]:
    """km² per side (held ground and thinly held desert together) at every control date."""
    from geomap.core.areas import SIDELESS_KEYS, areas_by_controller
    from geomap.core.sides import side_name

    rows = []
    for r in areas_by_controller(features):
        label = side_name(r.side) if r.side not in SIDELESS_KEYS else _sideless_label(r.side)
        rows.append({"date": r.date.isoformat(), "side": label, "km2": round(r.total_km2)})
    return rows


def _sideless_label(key: str) -> str:
    """The reader's words for ground no side held (``contested``, ``open``)."""
    from geomap.core.model import GROUND_LABEL, Ground

    return GROUND_LABEL[Ground(key)]


def sides_chart(rows: Sequence[dict[str, Any]], day: dt.date) -> alt.LayerChart | alt.FacetChart:
    """Stacked step chart of every side's ground over time, in the sides' colours."""
    from geomap.core.areas import SIDELESS_KEYS
    from geomap.core.sides import CONTESTED_COLOUR, SIDES
    from geomap.core.style import OPEN_COLOUR

    domain = [s.name for s in SIDES] + [_sideless_label(k) for k in SIDELESS_KEYS]
    colours = [s.colour for s in SIDES] + [CONTESTED_COLOUR, OPEN_COLOUR]
    area = (
        alt.Chart(alt.InlineData(values=list(rows)))
        .mark_area(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y(
                "km2:Q",
                stack="zero",
                title="km² of Syria and Iraq (each side's held ground and desert zone)",
            ),
            color=alt.Color("side:N", scale=alt.Scale(domain=domain, range=colours), title=None),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d", title="from"),
                alt.Tooltip("side:N"),
                alt.Tooltip("km2:Q", format=",.0f", title="km²"),
            ],
        )
        .transform_calculate(order=f"indexof({domain!r}, datum.side)")
    )
    marker = alt.InlineData(values=[{"date": day.isoformat()}])
    rule = alt.Chart(marker).mark_rule(color=OKABE_ITO["black"], strokeWidth=2).encode(x="date:T")
    return alt.layer(area, rule).properties(height=260)
