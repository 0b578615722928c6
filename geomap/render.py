"""Build the folium map and the per-date layer payload the browser switches between.

Pure: no Streamlit here. The map is built once per dataset. Every record of every
layer goes into one compact JSON payload with its validity interval; the
browser-side script ``geomap/app/static/geomap.js`` shows the records valid on
the chosen date, so moving the date never rebuilds the map. Python talks to a
live map through :func:`command_group` (a tiny feature group that streamlit-folium
swaps without reloading the map).

Geometries are already lon/lat (EPSG:4326); :func:`display_geometry` is the one
place that prepares them for Leaflet (simplify, round, GeoJSON). Colours and
labels come from :mod:`geomap.style`, shared with the exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geomap.geodesy import area_series
from geomap.io import Feature
from geomap.model import Confidence, Source, Status
from geomap.style import KIND_COLOUR as KIND_COLOUR
from geomap.style import LAYER_STYLE as LAYER_STYLE
from geomap.style import OKABE_ITO as OKABE_ITO
from geomap.style import STATUS_STYLE as STATUS_STYLE
from geomap.timeline import TIMELINE_END, TIMELINE_START, events, periods_by_id

#: URL prefix Streamlit serves ``geomap/app/static/`` under (``server.enableStaticServing``).
STATIC_URL = "/app/static"
STATIC_DIR = Path(__file__).resolve().parent / "app" / "static"

#: Optional online tiles, off by default.
ONLINE_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
}

#: Display simplification tolerance (degrees, about 500 m) and coordinate rounding.
SIMPLIFY_DEG = 0.005
BASEMAP_SIMPLIFY_DEG = 0.01
DECIMALS = 3

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (what the browser script counts in)."""
    return (day - EPOCH).days


def from_day_number(n: int) -> dt.date:
    """Inverse of :func:`day_number`."""
    return EPOCH + dt.timedelta(days=n)


def esc(text: object) -> str:
    """HTML-escape any data-supplied value (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def source_link(src: Source, text: str | None = None) -> str:
    """Escaped ``text`` (default: the source's title), linked when its URL is http(s)."""
    label = esc(src.title if text is None else text)
    url = safe_url(src.url)
    if not url:
        return label
    return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def safe_url(url: str | None) -> str | None:
    """Return ``url`` only when it is http(s), else ``None``."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def record_class(key: str) -> str:
    """CSS class naming one record (``id@valid_from``) on the map."""
    return "gm-rec-" + key.replace("@", "-")


# ---------------------------------------------------------------- geometry


def round_coords(obj: Any, decimals: int = DECIMALS) -> Any:
    """Round nested GeoJSON coordinates."""
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list | tuple):
        return [round_coords(x, decimals) for x in obj]
    return obj


def simplify_coverage(
    geoms: Sequence[BaseGeometry], tolerance: float = SIMPLIFY_DEG
) -> list[BaseGeometry]:
    """Simplify polygons together so shared edges stay shared (shapely coverage)."""
    polys = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    if len(polys) != len(geoms):
        return [simplify_one(g, tolerance) for g in geoms]
    simplified = shapely.coverage_simplify(shapely.make_valid(list(polys)), tolerance)
    return [g if not g.is_empty else p for g, p in zip(simplified, polys, strict=True)]


def simplify_one(geom: BaseGeometry, tolerance: float = SIMPLIFY_DEG) -> BaseGeometry:
    """Simplify one geometry for display, keeping its own topology."""
    if geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        out = shapely.coverage_simplify(geom, tolerance)
        return out if not out.is_empty else geom
    if geom.geom_type in ("LineString", "MultiLineString"):
        return geom.simplify(tolerance, preserve_topology=True)
    return geom


def display_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry for Leaflet: lon/lat (EPSG:4326) with rounded coordinates.

    This is the one place geometries are prepared for folium; the data is already
    in EPSG:4326, so no transformation is needed, only rounding.
    """
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])}


# ---------------------------------------------------------------- HTML snippets


def status_label(status: Status | None) -> str:
    """Words for a status."""
    return STATUS_STYLE[status.value][1] if status else "no status"


def period_text(f: Feature) -> str:
    """``2014-06-10 to 2017-07-10`` (or ``from ...``), plain text."""
    start = f.props.valid_from.isoformat()
    if f.props.valid_to is None:
        return f"from {start}"
    return f"{start} to {f.props.valid_to.isoformat()}"


def popup_html(f: Feature) -> str:
    """Short popup for one record; every data value escaped."""
    p = f.props
    lines = [f"<b>{esc(p.name)}</b>"]
    if p.status is not None:
        who = f" ({esc(p.controller)})" if p.controller else ""
        lines.append(f"{esc(status_label(p.status))}{who}")
    lines.append(esc(period_text(f)))
    if p.approximate or p.confidence is Confidence.low:
        lines.append("<i>approximate</i>")
    lines.append('<span class="gm-more">Notes and sources beside the map</span>')
    return "<br>".join(lines)


# ---------------------------------------------------------------- payload


@dataclass(frozen=True)
class Thing:
    """A searchable thing: id, name, layer and where to fly to (lat, lon, zoom)."""

    id: str
    name: str
    layer: str
    kind: str
    lat: float
    lon: float
    zoom: int


def things(features: Iterable[Feature]) -> list[Thing]:
    """Every thing with records, sorted by name, with a place to fly to."""
    out = []
    for tid, records in periods_by_id(features).items():
        last = records[-1]
        geom = last.geometry
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        zoom = 8 if geom.geom_type == "Point" else _zoom_for(geom)
        out.append(
            Thing(
                tid,
                last.props.name,
                last.props.layer.value,
                last.props.kind.value,
                round(point.y, 5),
                round(point.x, 5),
                zoom,
            )
        )
    return sorted(out, key=lambda t: (t.name.lower(), t.id))


def _zoom_for(geom: BaseGeometry) -> int:
    minx, miny, maxx, maxy = geom.bounds
    span = max(maxx - minx, maxy - miny, 0.01)
    for zoom, limit in ((11, 0.15), (10, 0.3), (9, 0.6), (8, 1.2), (7, 2.5), (6, 5.0)):
        if span <= limit:
            return zoom
    return 5


def area_steps(features: Sequence[Feature]) -> list[tuple[dt.date, float]]:
    """IS-held km² from each date on which it changes (start of timeline first)."""
    series = area_series(features)
    if not series or series[0][0] > TIMELINE_START:
        series.insert(0, (TIMELINE_START, 0.0))
    return [(d, km2) for d, km2 in series if d <= TIMELINE_END]


def _record_payload(f: Feature, geom: BaseGeometry) -> dict[str, Any]:
    p = f.props
    rec: dict[str, Any] = {
        "k": f.key,
        "c": record_class(f.key),
        "id": p.id,
        "l": p.layer.value,
        "kd": p.kind.value,
        "f": day_number(p.valid_from),
        "t": day_number(p.valid_to) if p.valid_to else None,
        "s": p.status.value if p.status else None,
        "a": bool(p.approximate),
        "lc": p.confidence is Confidence.low,
        "tip": esc(p.name),
        "pop": popup_html(f),
        "g": display_geometry(geom),
    }
    return rec


def _display_geoms(features: Sequence[Feature]) -> list[BaseGeometry]:
    """Simplified geometries, one per feature, computed once per distinct geometry."""
    cache: dict[bytes, BaseGeometry] = {}
    out = []
    for f in features:
        wkb = shapely.to_wkb(f.geometry)
        if wkb not in cache:
            cache[wkb] = simplify_one(f.geometry)
        out.append(cache[wkb])
    return out


def _basemap_payload(basemap: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("countries", "admin1"):
        raws = basemap.get(name, [])
        geoms = simplify_coverage([shape(r["geometry"]) for r in raws], BASEMAP_SIMPLIFY_DEG)
        out[name] = [
            {"n": esc(r["properties"].get("name", "")), "g": display_geometry(g)}
            for r, g in zip(raws, geoms, strict=True)
        ]
    out["rivers"] = [
        {
            "n": esc(r["properties"].get("name", "")),
            "g": display_geometry(simplify_one(shape(r["geometry"]), BASEMAP_SIMPLIFY_DEG / 2)),
        }
        for r in basemap.get("rivers", [])
    ]
    places = []
    for r in basemap.get("places", []):
        lon, lat = r["geometry"]["coordinates"][:2]
        pop = r["properties"].get("population") or 0
        rank = 1 if pop >= 150_000 or r["properties"].get("required") else 2
        places.append([round(lat, 4), round(lon, 4), esc(r["properties"].get("name", "")), rank])
    out["places"] = places
    return out


def build_payload(
    features: Sequence[Feature],
    basemap: Mapping[str, list[dict[str, Any]]],
    initial: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the browser needs to draw any date, as JSON-ready data.

    Parameters
    ----------
    features
        All records of all layers.
    basemap
        Raw features of ``countries``, ``admin1``, ``rivers`` and ``places``.
    initial
        Date to show before Python sends a command (``None``: the script's default).
    """
    ordered = sorted(features, key=lambda f: (list(LAYER_STYLE).index(f.props.layer.value), f.key))
    geoms = _display_geoms(ordered)
    records = [_record_payload(f, g) for f, g in zip(ordered, geoms, strict=True)]
    evs = [
        [day_number(e.date), e.kind, esc(e.label()), e.id]
        for e in events(features)
        if TIMELINE_START <= e.date <= TIMELINE_END
    ]
    return {
        "start": day_number(TIMELINE_START),
        "end": day_number(TIMELINE_END),
        "initial": day_number(initial) if initial else None,
        "layers": [
            {"id": lid, "label": esc(label), "colour": colour}
            for lid, (label, colour) in LAYER_STYLE.items()
        ],
        "status": {k: {"colour": c, "label": esc(lbl)} for k, (c, lbl) in STATUS_STYLE.items()},
        "kindColour": KIND_COLOUR,
        "records": records,
        "things": {
            t.id: {"name": esc(t.name), "lat": t.lat, "lon": t.lon, "zoom": t.zoom}
            for t in things(features)
        },
        "events": evs,
        "areas": [[day_number(d), round(a)] for d, a in area_steps(features)],
        "basemap": _basemap_payload(basemap),
        "tiles": ONLINE_TILES,
        "attribution": "Leaflet | Natural Earth, GeoNames, GSHHG (see About)",
    }


def payload_json(payload: Mapping[str, Any]) -> str:
    """Compact JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- folium


def _static(name: str) -> str:
    """Root-relative URL of a vendored file, with a content hash to defeat stale caches."""
    path = STATIC_DIR / name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return f"{STATIC_URL}/{name}"
    return f"{STATIC_URL}/{name}?v={digest}"


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet, jQuery and geomap's script from ``/app/static``.

    folium's defaults point at CDNs; the lists are set per instance so folium's own
    class attributes stay untouched.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default_js = [
            ("leaflet", _static("leaflet.js")),
            ("jquery", _static("jquery.min.js")),
            ("geomap", _static("geomap.js")),
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


MAP_CENTRE = (34.8, 40.5)
MAP_ZOOM = 6


def build_map(data: str, height: int = 640) -> folium.Map:
    """The folium map: no tiles, the payload ``data`` (from :func:`payload_json`)."""
    m = OfflineMap(
        location=list(MAP_CENTRE),
        zoom_start=MAP_ZOOM,
        tiles=None,
        min_zoom=4,
        max_zoom=13,
        control_scale=True,
        prefer_canvas=False,
        height=height,
    )
    TimelineLayers(data).add_to(m)
    return m


def command_group(command: Mapping[str, Any]) -> folium.FeatureGroup:
    """A feature group whose only job is to run ``command`` in the live map."""
    group = folium.FeatureGroup(name="geomap-command", control=False)
    group.add_child(Command(payload_json(command)))
    return group


def source_entries(
    features: Iterable[Feature], sources: Mapping[str, Source]
) -> list[tuple[str, Source | None, list[str]]]:
    """Numbered sources of a thing's records: key, entry (if known), what each supports."""
    seen: dict[str, list[str]] = {}
    for f in features:
        for ref in f.props.sources:
            seen.setdefault(ref.key, [])
            if ref.supports not in seen[ref.key]:
                seen[ref.key].append(ref.supports)
    return [(key, sources.get(key), supports) for key, supports in seen.items()]
