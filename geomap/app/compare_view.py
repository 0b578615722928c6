"""Compare mode: territory gained and lost between two dates, and cities that changed hands.

The two dates are typed (or pasted) as ``YYYY-MM-DD`` in text fields that apply on
Enter, and on leaving the field, as every Streamlit text field does. Issue 19 asked
for a date to apply "on Enter or after a short pause". ``st.date_input`` applied a
typed date only on leaving the field, and Streamlit has no field that applies after
a pause: that would take a component of our own (its own frontend, built, served
and tested) for one small convenience. So the fields apply on Enter, and the rule
that matters is kept without a line of script: while a field holds text that is
not applied yet (Streamlit then shows "Press Enter to apply" under it), the
figures, the map and the list below are dimmed and headed "Not applied yet"
(:data:`STALE_CSS`, a CSS ``:has()`` rule on that hint). Every figure also names
the two dates it is for, and a date that does not parse shows no figures at all,
so old figures are never shown as if they answered the new dates.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geomap.app.data import Bundle
from geomap.app.show import alert, html
from geomap.core.areas import SIDELESS_KEYS
from geomap.core.compare import compare
from geomap.core.sides import side_name
from geomap.core.timeline import TIMELINE_END, TIMELINE_START
from geomap.export import ExportError, ExportOptions, export_bytes
from geomap.web.html import esc
from geomap.web.render_compare import compare_map, side_by_side_maps

#: The From field's first value: half a year after the caliphate was declared.
FROM_DEFAULT = dt.date(2015, 1, 15)
DATE_HELP = (
    f"A day from {TIMELINE_START} to {TIMELINE_END}, as YYYY-MM-DD. "
    "Press Enter (or leave the field) to apply it."
)
#: While a date field holds text not applied yet, Streamlit shows its "Press Enter to
#: apply" hint (the only sign of it in the page): the figures are dimmed and say so.
STALE_CSS = """<style>
.gm-cmp-dates { margin: .4rem 0 .2rem; }
.stMain:has(.st-key-cmp_from [data-testid="InputInstructions"]:not(:empty),
  .st-key-cmp_to [data-testid="InputInstructions"]:not(:empty)) .st-key-cmp_figures {
  opacity: .35;
}
.stMain:has(.st-key-cmp_from [data-testid="InputInstructions"]:not(:empty),
  .st-key-cmp_to [data-testid="InputInstructions"]:not(:empty)) .st-key-cmp_figures::before {
  content: "Not applied yet: these figures are for the dates before your edit. Press Enter.";
  font-weight: 600;
}
</style>"""


def side_label(key: str) -> str:
    """A side's display name, or contested / open ground."""
    return side_name(key) if key not in SIDELESS_KEYS else f"{key} ground"


def compare_panel(bundle: Bundle, current: dt.date) -> None:
    """Two date pickers, the totals, a change map and a list of cities."""
    if not st.toggle(
        "Compare", key="cmp_on", help="Draw the change map (off keeps the page light)"
    ):
        st.markdown("Turn on to pick two dates and see what IS gained and lost between them.")
        return
    st.markdown(STALE_CSS, unsafe_allow_html=True)
    left, right = st.columns(2)
    st.session_state.setdefault("cmp_from", FROM_DEFAULT.isoformat())
    st.session_state.setdefault("cmp_to", current.isoformat())
    with left:
        start_text = st.text_input("From (YYYY-MM-DD)", key="cmp_from", help=DATE_HELP)
    with right:
        end_text = st.text_input("To (YYYY-MM-DD)", key="cmp_to", help=DATE_HELP)
    start, start_error = parse_day(start_text)
    end, end_error = parse_day(end_text)
    if start is None or end is None:
        for label, error in (("From", start_error), ("To", end_error)):
            if error:
                alert(f"{label}: {error}", "warning")
        return
    figures = st.container(key="cmp_figures")
    with figures:
        _figures(bundle, start, end)


def parse_day(text: str) -> tuple[dt.date | None, str]:
    """The date typed in a Compare field, or None and why it is not one."""
    text = text.strip()
    if not text:
        return None, "type a date as YYYY-MM-DD."
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"'{text}' is not a date; type it as YYYY-MM-DD, e.g. 2015-01-15."
    if not TIMELINE_START <= day <= TIMELINE_END:
        return None, f"{day} is outside the map's period ({TIMELINE_START} to {TIMELINE_END})."
    return day, ""


def _figures(bundle: Bundle, start: dt.date, end: dt.date) -> None:
    """The totals, the change map or the two maps, and the lists, for ``start`` to ``end``."""
    html(f"<p class='gm-cmp-dates'>Figures for <b>{start}</b> to <b>{end}</b></p>")
    result = compare(bundle.features, start, end)
    a, b, c = st.columns(3)
    a.metric("IS-held area", f"{result.area_to_km2:,.0f} km²", help=f"on {end}")
    b.metric("Gained by IS", f"{result.gained_km2:,.0f} km²")
    c.metric("Lost by IS", f"{result.lost_km2:,.0f} km²")
    mode = st.radio("View", ("Change map", "Side by side"), horizontal=True, key="cmp_mode")
    if mode == "Change map":
        st_folium(
            compare_map(result, bundle.countries),
            key="compare_map",
            height=460,
            use_container_width=True,
            returned_objects=[],
        )
    else:
        before, after = side_by_side_maps(result, bundle.countries)
        left, right = st.columns(2)
        for column, fmap, day, key in (
            (left, before, start, "cmp_a"),
            (right, after, end, "cmp_b"),
        ):
            with column:
                st.markdown(f"IS-held territory on {day}")
                st_folium(fmap, key=key, height=380, use_container_width=True, returned_objects=[])
    st.markdown(
        "Solid orange: gained by IS; dashed green: lost by IS; dotted grey: held on both "
        "dates. Areas are computed in an equal-area projection. Outlines are approximate, "
        "and part of a change between distant dates comes from the model's calibration."
    )
    if start == end:
        st.markdown("Pick two different dates to export the change map.")
    elif st.button("Prepare the change map as PNG", key="cmp_png"):
        try:
            with st.spinner("Drawing…"):
                options = ExportOptions(date=end, compare_from=start)
                data = export_bytes(bundle.dataset, "png", options)
        except ExportError as exc:
            alert(f"The change map could not be drawn: {exc}", "error")
        else:
            st.download_button(
                "Download change map (PNG)",
                data,
                file_name=f"geomap-change-{start}-{end}.png",
                mime="image/png",
                key="cmp_png_dl",
            )
    if result.transfers:
        st.markdown("**Ground that changed hands** (control of terrain, km², equal-area)")
        st.dataframe(
            [
                {
                    "from": side_label(t.from_side),
                    "to": side_label(t.to_side),
                    "km²": round(t.km2),
                }
                for t in result.transfers
            ],
            hide_index=True,
            width="stretch",
            height=min(300, 36 + 35 * len(result.transfers)),
        )
    if result.cities:
        items = "".join(
            f"<li class='gm-city-change' data-place='{esc(ch.id)}'><b>{esc(ch.name)}</b>: "
            f"{esc(ch.status_from or '-')} on {start} &rarr; {esc(ch.status_to or '-')} on {end}"
            + (f" ({esc(side_name(ch.controller_to))})" if ch.controller_to else "")
            + (" &middot; changed hands and back in between" if ch.back_again else "")
            + "</li>"
            for ch in result.cities
        )
        html(f"<p><b>Cities that changed hands</b></p><ul>{items}</ul>")
    else:
        st.write("No city changed hands between these dates.")
