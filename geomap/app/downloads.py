"""Download buttons: the current date and view, through the same export functions as the CLI."""

from __future__ import annotations

import streamlit as st

from geomap.app.data import Bundle
from geomap.app.show import alert
from geomap.app.state import View
from geomap.export import FORMATS, ExportError, ExportOptions, export_bytes, file_name
from geomap.paths import project_root


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
    story_formats = [f for f, spec in FORMATS.items() if spec.family in ("html", "animation")]
    whole_story = st.checkbox(
        "Export the whole story being read (a scrolling page, or a frame per step)",
        value=view.story is not None and fmt in story_formats,
        disabled=view.story is None or fmt not in story_formats,
        key="dl_story",
        help="For " + ", ".join(story_formats) + " while a story is open on the map.",
    )
    if whole_story and view.story is not None and fmt in story_formats:
        options = ExportOptions(story=view.story, root=project_root())
    else:
        options = ExportOptions(
            date=view.date,
            layers=tuple(view.layers),
            place=view.place if framed else None,
            root=project_root(),
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
            data = export_bytes(bundle.features, fmt, options, progress=progress)
        except ExportError as exc:
            bar.empty()
            alert(f"Export failed: {exc}", "error")
            return
        bar.empty()
        st.session_state["dl_ready"] = (request, data)
    ready = st.session_state.get("dl_ready")
    if ready and ready[0] == request:
        st.download_button(
            f"Download {file_name(fmt, options)}",
            ready[1],
            file_name=file_name(fmt, options),
            mime=FORMATS[fmt].mime,
            key="dl_button",
        )
    else:
        st.markdown(
            f"Exports {view.date} with the layers shown on the map; static maps carry a "
            "legend, scale bar, the IS-held area and numbered sources."
        )
