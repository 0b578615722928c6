"""A self-contained interactive map in one HTML file, for use offline from disk.

The page is the app's map: the vendored Leaflet and the map script are inlined
(Leaflet's images as data URIs, the script's ES modules bundled into one
classic script by :func:`geomap.web.js_bundle.bundle`, since a page opened from
disk cannot load modules), and the payload comes from
:func:`geomap.web.render.build_payload`, opened on the chosen date and framed on the
chosen area. No script, style sheet or image is fetched from anywhere: there is
no ``src`` or ``href`` to a server in the file. Readers can still move the
timeline, since every record is included.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from string import Template
from typing import Any

from geomap.core.citations import credits_line
from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_on
from geomap.data.dataset import Dataset
from geomap.data.paths import STATIC_DIR
from geomap.export.job import Job
from geomap.export.plan import Plan, default_title
from geomap.export.text import format_date, format_km2
from geomap.web.html import csp_meta, esc, source_items
from geomap.web.js_bundle import bundle
from geomap.web.payload import build_payload, payload_json

SHELL = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
$csp
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<!-- Leaflet 1.9.4 (BSD-2-Clause, see its header below) and geomap's map script, inlined. -->
<style>$leaflet_css</style>
<style>$geomap_css</style>
<style>
$page_css
</style>
</head>
<body>
$body
<script>$leaflet_js</script>
<script>$geomap_js</script>
<script>
(function () {
  var map = L.map("map", { zoomControl: true, minZoom: 4, maxZoom: 13$map_options });
  map.fitBounds($bounds);
  L.control.scale({ imperial: false }).addTo(map);
  window.geomapInit(map, $payload);
})();
</script>
</body>
</html>
"""
)

MAP_CSS = """body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { color: #222; }
header { padding: 10px 16px 4px; }
h1 { font-size: 20px; margin: 0 0 2px; }
.gm-sub { color: #444; margin: 0; }
#map { height: 72vh; min-height: 420px; }
.gm-credits { padding: 8px 16px 24px; font-size: 12px; color: #333; max-width: 1100px; }
.gm-credits ol { padding-left: 22px; }"""

MAP_BODY = Template(
    """<header>
<h1>$title</h1>
<p class="gm-sub">$subtitle</p>
</header>
<div id="map"></div>
<section class="gm-credits">
<p>$data</p>
<p>Sources for the features shown on $date:</p>
<ol>
$sources
</ol>
</section>"""
)


def offline_page(
    *,
    title: str,
    page_css: str,
    body: str,
    bbox: tuple[float, float, float, float],
    payload: Mapping[str, Any],
    map_options: str = "",
) -> str:
    """A self-contained page: ``body`` (with a ``#map`` element) and the inlined map.

    ``title`` is plain text (escaped here); ``body`` and ``page_css`` are HTML and
    CSS written by geomap, with every data string in them escaped already.
    ``map_options`` adds Leaflet map options (``, key: value``).
    """
    west, south, east, north = bbox
    return SHELL.substitute(
        csp=csp_meta(served=False),
        title=esc(title),
        page_css=page_css,
        body=body,
        map_options=map_options,
        bounds=f"[[{south:.4f}, {west:.4f}], [{north:.4f}, {east:.4f}]]",
        payload=payload_json(payload),
        **inline_assets(),
    )


_CLOSE_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def _inline(text: str) -> str:
    """Make vendored text safe inside a ``<script>`` or ``<style>`` element."""
    return _CLOSE_TAG.sub(lambda m: "<\\/" + m.group(1), text)


def leaflet_css() -> str:
    """Leaflet's style sheet with its images inlined as data URIs."""
    css = (STATIC_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        path = STATIC_DIR / "images" / match.group(1)
        if not path.is_file():
            return "none"
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)


def build_html(dataset: Dataset, plan: Plan, shown: Sequence[Feature]) -> str:
    """The page, as text: the map of the plan's layers, opened on its date and frame.

    ``shown`` (the records on that date, in the frame) feed the source list.
    """
    wanted = set(plan.layers)
    records = [f for f in dataset.features if f.props.layer in wanted]
    payload = build_payload(
        records,
        dataset.basemap,
        initial=plan.date,
        pieces=dataset.pieces,
        arabic=dataset.arabic_names,
    )
    title = plan.title or default_title(plan)
    subtitle = (
        f"IS-held area on {format_date(plan.date)}: "
        f"{format_km2(held_area_on(dataset.features, plan.date))}. "
        "The map opens on this date; move the timeline to see others."
    )
    body = MAP_BODY.substitute(
        title=esc(title),
        subtitle=esc(subtitle),
        data=esc(credits_line(dataset.datapackage)),
        date=esc(format_date(plan.date)),
        sources=source_items(shown, dataset.sources, supports=False),
    )
    return offline_page(title=title, page_css=MAP_CSS, body=body, bbox=plan.bbox, payload=payload)


def write_html(job: Job) -> None:
    """Write the offline HTML map of the job's plan."""
    from geomap.export.shown import shown_on_date

    page = build_html(job.dataset, job.plan, shown_on_date(job))
    job.path.write_text(page, encoding="utf-8")


def inline_assets() -> dict[str, str]:
    """Leaflet's and geomap's style sheets and scripts, safe to inline in a page."""
    return {
        "leaflet_css": _inline(leaflet_css()),
        "geomap_css": _inline((STATIC_DIR / "geomap.css").read_text(encoding="utf-8")),
        "leaflet_js": _inline((STATIC_DIR / "leaflet.js").read_text(encoding="utf-8")),
        "geomap_js": _inline(bundle()),
    }
