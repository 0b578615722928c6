"""The one way data and URL text reach the page: escaped HTML, never Markdown.

Streamlit's Markdown would turn ``![x](http://host/img.png)`` in a place name,
a note or a shared link into a request to that host, and a blank line inside an
HTML block into Markdown. So every fragment that holds data goes through
:func:`html` (``st.html``: no Markdown, sanitised by Streamlit), built from
strings escaped by :func:`geomap.web.html.esc`, and messages go through
:func:`alert`, which escapes the whole text.
"""

from __future__ import annotations

from typing import Any, Literal

import streamlit as st

from geomap.web.html import esc

AlertKind = Literal["warning", "error", "info"]


def html(fragment: str, container: Any = None) -> None:
    """Show an HTML fragment whose data strings were escaped when it was built."""
    (container or st).html(fragment)


def alert(text: str, kind: AlertKind = "warning", container: Any = None) -> None:
    """Show ``text`` as a plain-text message box (nothing in it is markup)."""
    role = "alert" if kind == "error" else "status"
    (container or st).html(f'<div class="gm-alert gm-alert-{kind}" role="{role}">{esc(text)}</div>')
