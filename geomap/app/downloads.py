"""Download buttons: the current date and view, through the same export functions as the CLI."""

from __future__ import annotations

import streamlit as st

from geomap.app.data import Bundle
from geomap.app.show import alert
from geomap.app.state import View
from geomap.export import (
    FORMATS,
    STORY_FORMATS,
    ExportError,
    ExportOptions,
    check_request,
    export_bytes,
)


def downloads_panel(bundle: Bundle, view: View) -> None:
    """Pick a format, prepare the file for the current view, then download it."""
    fmt = st.selectbox(
        "Format", list(FORMATS), format_func=lambda f: FORMATS[f].label, key="dl_format"
    )
    framed = st.checkbox(
        "Frame the map on the selected place",
        value=False,
        disabled=view.place is None,
        key="dl_frame",
        help="Otherwise the whole region is shown.",
    )
    story_formats = list(STORY_FORMATS)
    whole_story = st.checkbox(
        "Export the whole story being read (a scrolling page, or a frame per step)",
        value=view.story is not None and fmt in story_formats,
        disabled=view.story is None or fmt not in story_formats,
        key="dl_story",
        help="For " + ", ".join(story_formats) + " while a story is open on the map.",
    )
    if whole_story and view.story is not None and fmt in story_formats:
        options = ExportOptions(story=view.story)
    else:
        options = ExportOptions(
            date=view.date,
            layers=tuple(view.layers),
            place=view.place if framed else None,
        )
    request = (fmt, options)
    if not view.layers and options.story is None:
        st.warning("Every layer is switched off on the map; turn one on to export it.")
        return
    if st.button("Prepare file", key="dl_prepare"):
        bar = st.progress(0.0, text="Exporting…")

        def progress(done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"Exporting… {done}/{total}")

        try:
            plan = check_request(bundle.dataset, fmt, options)
            data = export_bytes(bundle.dataset, fmt, plan=plan, progress=progress)
        except ExportError as exc:
            bar.empty()
            alert(f"Export failed: {exc}", "error")
            return
        bar.empty()
        st.session_state["dl_ready"] = (request, data, plan.file_name())
    ready = st.session_state.get("dl_ready")
    if ready and ready[0] == request:
        st.download_button(
            f"Download {ready[2]}",
            ready[1],
            file_name=ready[2],
            mime=FORMATS[fmt].mime,
            key="dl_button",
        )
    else:
        st.markdown(
            f"Exports {view.date} with the layers shown on the map; static maps carry a "
            "legend, scale bar, the IS-held area and numbered sources."
        )
