"""Download buttons: the current date and view, through the same export functions as the CLI."""

from __future__ import annotations

import streamlit as st

from geomap.app.data import Bundle
from geomap.app.show import alert
from geomap.app.state import View
from geomap.core.names import DEFAULT_LABEL_LANG, LABEL_LANGS
from geomap.export import (
    FORMATS,
    PRESETS,
    STORY_FORMATS,
    ExportError,
    ExportOptions,
    check_request,
    export_download,
)

#: The layout choice that keeps a format's own size.
DEFAULT_LAYOUT = "default size"
#: How the place-name languages read in the panel.
LANG_LABELS = {"en": "As the data spells them", "ar": "Arabic (العربية), where known"}


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
    row = FORMATS[fmt]
    picture = row.size is not None
    layout = st.selectbox(
        "Layout",
        [DEFAULT_LAYOUT, *PRESETS],
        format_func=lambda p: p if p == DEFAULT_LAYOUT else f"{p}: {PRESETS[p].what}",
        disabled=not picture,
        key="dl_layout",
        help="Paper sizes for print, or a size for a post or a web page.",
    )
    lang = st.selectbox(
        "Place names",
        list(LABEL_LANGS),
        format_func=lambda k: LANG_LABELS.get(k, k),
        disabled=row.sources is None,
        key="dl_lang",
        help="On maps and animations.",
    )
    extras: dict[str, object] = {}
    if picture and layout != DEFAULT_LAYOUT:
        extras["preset"] = layout
    if row.sources is not None and lang != DEFAULT_LABEL_LANG:
        extras["lang"] = lang
    story_formats = list(STORY_FORMATS)
    whole_story = st.checkbox(
        "Export the whole story being read (a scrolling page, or a frame per step)",
        value=view.story is not None and fmt in story_formats,
        disabled=view.story is None or fmt not in story_formats,
        key="dl_story",
        help="For " + ", ".join(story_formats) + " while a story is open on the map.",
    )
    if whole_story and view.story is not None and fmt in story_formats:
        options = ExportOptions(story=view.story).with_changes(**extras)
    else:
        options = ExportOptions(
            date=view.date,
            layers=tuple(view.layers),
            place=view.place if framed else None,
        ).with_changes(**extras)
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
            download = export_download(bundle.dataset, fmt, plan, progress=progress)
        except ExportError as exc:
            bar.empty()
            alert(f"Export failed: {exc}", "error")
            return
        bar.empty()
        st.session_state["dl_ready"] = (request, download)
    ready = st.session_state.get("dl_ready")
    if ready and ready[0] == request:
        download = ready[1]
        st.download_button(
            f"Download {download.name}",
            download.data,
            file_name=download.name,
            mime=FORMATS[fmt].mime,
            key="dl_button",
        )
        if download.sources is not None and download.sources_name is not None:
            st.download_button(
                f"Download its numbered sources ({download.sources_name})",
                download.sources,
                file_name=download.sources_name,
                mime="text/plain",
                key="dl_sources",
                help="The full credits and every source of the features shown, numbered "
                "as on the map.",
            )
    else:
        st.markdown(
            f"Exports {view.date} with the layers shown on the map; static maps carry a "
            "legend, scale bar, the IS-held area and numbered sources."
        )
