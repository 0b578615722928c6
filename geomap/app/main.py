"""Streamlit entry point: ``geomap serve`` runs this file."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geomap.geodesy import held_area_on
from geomap.io import load_layers
from geomap.timeline import TIMELINE_END, TIMELINE_START, state_at


def main() -> None:
    """Render the page."""
    st.set_page_config(page_title="geomap", layout="wide")
    st.title("geomap: Islamic State territory in Iraq and Syria, 2014-2019")
    features = load_layers()
    day = st.slider(
        "Date",
        min_value=TIMELINE_START,
        max_value=TIMELINE_END,
        value=dt.date(2015, 1, 15),
        format="YYYY-MM-DD",
    )
    st.metric("IS-held area (approximate)", f"{held_area_on(features, day):,.0f} km²")
    rows = [
        {"layer": f.props.layer.value, "id": f.id, "name": f.props.name, "status": f.props.status}
        for f in state_at(features, day)
    ]
    st.dataframe(rows, hide_index=True)


main()
