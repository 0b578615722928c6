"""Compare mode: territory gained and lost between two dates, and cities that changed hands."""

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
    left, right = st.columns(2)
    with left:
        start = st.date_input(
            "From",
            value=dt.date(2015, 1, 15),
            min_value=TIMELINE_START,
            max_value=TIMELINE_END,
            key="cmp_from",
        )
    with right:
        end = st.date_input(
            "To", value=current, min_value=TIMELINE_START, max_value=TIMELINE_END, key="cmp_to"
        )
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        st.warning("Pick two dates to compare.")
        return
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
