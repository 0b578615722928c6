"""HTML snippets shared by the app, the payload and the exports; every data value escaped.

Data strings never reach HTML unescaped: :func:`esc` escapes them (quotes too),
and links are kept only when they are http(s) (:func:`safe_url`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from geomap.core.citations import SourceNote, numbered_sources
from geomap.core.feature import Feature
from geomap.core.model import Source, Status
from geomap.core.style import STATUS_STYLE

#: The one outside origin a page may load from: the tiles of the "Online street
#: map" toggle, which is off by default and says it needs the internet.
TILE_ORIGIN = "https://tile.openstreetmap.org"


def content_security_policy(*, served: bool) -> str:
    """The Content-Security-Policy of geomap's map pages.

    Only the page's own origin (``served``: the app's map frame) or nothing but the
    page itself (the self-contained HTML export), ``data:`` URIs and the optional
    tiles may load: defence in depth behind the escaping, so that no text in the
    data or a link can make the browser contact another host.
    """
    own = "'self' " if served else ""
    scripts = "'self' 'unsafe-inline' 'unsafe-eval'" if served else "'unsafe-inline'"
    directives = {
        "default-src": "'self' data:" if served else "'none'",
        "script-src": scripts,
        "style-src": f"{own}'unsafe-inline'",
        "img-src": f"{own}data: {TILE_ORIGIN}",
        "font-src": f"{own}data:",
        "connect-src": "'self'" if served else "'none'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def csp_meta(*, served: bool) -> str:
    """The policy as a ``<meta http-equiv>`` element."""
    return (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{esc(content_security_policy(served=served))}">'
    )


def esc(text: object) -> str:
    """HTML-escape any data-supplied value (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` only when it is http(s), else ``None``."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def source_link(src: Source, text: str | None = None) -> str:
    """Escaped ``text`` (default: the source's title), linked when its URL is http(s)."""
    label = esc(src.title if text is None else text)
    url = safe_url(src.url)
    if not url:
        return label
    return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def source_item(key: str, src: Source | None, detail: str = "") -> str:
    """One ``<li>`` of a source list: linked title, publisher and date, then ``detail``.

    ``detail`` is already HTML (escaped by the caller).
    """
    if src is None:
        head = f"{esc(key)} (not in the bibliography)"
    else:
        head = f"{source_link(src)}. {esc(src.publisher)}, {esc(src.date)}."
    tail = f"<br><span class='gm-supports'>{detail}</span>" if detail else ""
    return f"<li class='gm-source' data-key='{esc(key)}'>{head}{tail}</li>"


def supports_detail(note: SourceNote) -> str:
    """``Used for: …`` for a note, escaped."""
    return esc("Used for: " + "; ".join(note.supports)) if note.supports else ""


def source_items(
    features: Iterable[Feature], sources: Mapping[str, Source], *, supports: bool = True
) -> str:
    """The numbered sources of ``features`` as ``<li>`` elements (for an ``<ol>``).

    Parameters
    ----------
    features
        The records whose sources are listed, in order of first use.
    sources
        The bibliography.
    supports
        Add what each source backs under it.
    """
    return "".join(
        source_item(note.key, note.source, supports_detail(note) if supports else "")
        for note in numbered_sources(features, sources)
    )


def status_label(status: Status | None) -> str:
    """Words for a status."""
    return STATUS_STYLE[status][1] if status else "no status"


def period_text(f: Feature) -> str:
    """``2014-06-10 to 2017-07-10`` (or ``from ...``), plain text."""
    start = f.props.valid_from.isoformat()
    if f.props.valid_to is None:
        return f"from {start}"
    return f"{start} to {f.props.valid_to.isoformat()}"
