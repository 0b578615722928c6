"""The folium side of the app's map: the offline map element and its commands.

Pure: no Streamlit here. :func:`build_map` makes the folium map once per
dataset and hands it the payload of :mod:`geomap.web.payload`; Python then talks to
the live map through :func:`command_group` (a tiny feature group that
streamlit-folium swaps without reloading the map).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geomap.data.paths import STATIC_DIR
from geomap.web.html import csp_meta
from geomap.web.js_bundle import served_script
from geomap.web.payload import payload_json
from geomap.web.payload_file import referenced_src

#: URL prefix Streamlit serves ``geomap/app/static/`` under (``server.enableStaticServing``).
STATIC_URL = "/app/static"

#: Where every interactive map opens (lat, lon) and its zoom.
MAP_CENTRE = (34.8, 40.5)
MAP_ZOOM = 6
#: The deepest zoom: the land model works on 2 km cells (simplified at 1.5 km), about
#: 30 px at zoom 11 over Syria and Iraq; zooming further would show street-level
#: precision the map does not have.
MAX_ZOOM = 11


def _static(name: str) -> str:
    """Root-relative URL of a vendored file, with a content hash to defeat stale caches."""
    path = STATIC_DIR / name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return f"{STATIC_URL}/{name}"
    return f"{STATIC_URL}/{name}?v={digest}"


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet and geomap's script from ``/app/static``.

    folium's defaults point at CDNs; the lists are set per instance so folium's own
    class attributes stay untouched. ``payload_src``, the address of a cached
    payload, puts ``preload.js`` first so the payload downloads while the other
    scripts load.

    streamlit-folium loads these as classic scripts, one after the other, and
    drops any ``<script>`` of the page's header; the map script is its modules
    bundled into one classic script (:func:`geomap.web.js_bundle.served_script`),
    or, where that cannot be written, the modules started by ``js/boot.js``,
    which queues the ``geomapInit`` call of :class:`TimelineLayers` until they
    have run.
    """

    def __init__(self, payload_src: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        first = []
        if payload_src:
            preload = _static("preload.js")
            joiner = "&" if "?" in preload else "?"
            first.append(("geomap_preload", f"{preload}{joiner}payload={quote(payload_src)}"))
        self.default_js = [
            *first,
            ("leaflet", _static("leaflet.js")),
            ("geomap", served_script()),
        ]
        self.default_css = [
            ("leaflet_css", _static("leaflet.css")),
            ("geomap_css", _static("geomap.css")),
        ]


class TimelineLayers(MacroElement):
    """Hands the payload to ``geomapInit`` once the Leaflet map exists."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.geomapInit({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TimelineLayers"
        self.data = data


class Command(MacroElement):
    """Runs ``geomapCommand`` with a JSON command when rendered."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.geomapCommand({{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Command"
        self.data = data


def build_map(data: str, height: int = 640) -> folium.Map:
    """The folium map: no tiles, the payload ``data`` (:func:`geomap.web.payload.payload_json`)."""
    m = OfflineMap(
        payload_src=referenced_src(data),
        location=list(MAP_CENTRE),
        zoom_start=MAP_ZOOM,
        tiles=None,
        min_zoom=4,
        max_zoom=MAX_ZOOM,
        control_scale=True,
        prefer_canvas=False,
        height=height,
    )
    # The policy goes into the map frame's head with the rest of folium's header.
    root: Any = m.get_root()
    root.header.add_child(Element(csp_meta(served=True)), name="geomap_csp", index=0)
    TimelineLayers(data).add_to(m)
    return m


def command_group(command: Mapping[str, Any]) -> folium.FeatureGroup:
    """A feature group whose only job is to run ``command`` in the live map."""
    group = folium.FeatureGroup(name="geomap-command", control=False)
    group.add_child(Command(payload_json(command)))
    return group
