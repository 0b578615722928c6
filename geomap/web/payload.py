"""The browser payload: every record of every layer, the style and the base geography.

Pure: no Streamlit and no folium here. The map is built once per dataset; every
record goes into one compact JSON payload with its validity interval, and the
browser script (``geomap/app/static/js/``) shows the records valid on the
chosen date, so moving the date never rebuilds the map. The payload also carries
the layer registry (panes, legend rows) and the whole style
(:func:`geomap.core.style.browser_style`): the script holds no style of its own.

Its shape, the meaning of every key and the rules on escaping and on who writes
which HTML are defined once, in :mod:`geomap.web.payload_schema`; this module
fills those types. Geometries are already lon/lat (EPSG:4326);
:func:`display_geometry` is the one place that prepares them for Leaflet
(simplify, round, GeoJSON). Every data-supplied string is HTML-escaped here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import shapely
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.geodesy import area_series
from geomap.core.geojson import geometry_json
from geomap.core.layers import LAYERS, LayerSpec, display_index
from geomap.core.model import Confidence
from geomap.core.sides import SIDES
from geomap.core.style import (
    STATUS_STYLE,
    browser_style,
    label_order,
    leaflet_style,
    legend_rows,
)
from geomap.core.timeline import DEFAULT_DATE, TIMELINE_END, TIMELINE_START, events, periods_by_id
from geomap.data.pieces import Piece, piece_keys
from geomap.web.html import TILE_ORIGIN, esc
from geomap.web.payload_schema import (
    PAYLOAD_VERSION,
    Basemap,
    BasemapShape,
    BrowserStyle,
    LayerEntry,
    LeafletOptions,
    Notes,
    Payload,
    PiecePayload,
    RecordPayload,
    StoryPayload,
    Tiles,
)

#: Optional online tiles, off by default.
ONLINE_TILES: Tiles = {
    "url": TILE_ORIGIN + "/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
    "opacity": 0.55,
    "maxZoom": 19,
}

#: Display simplification tolerance (degrees, about 500 m) and coordinate rounding.
SIMPLIFY_DEG = 0.005
#: The land model's pieces come simplified (about 1 km, together) and rounded from
#: ``land_pieces.json`` (:data:`geomap.data.pieces.DISPLAY_SIMPLIFY_DEG`).
BASEMAP_SIMPLIFY_DEG = 0.01
DECIMALS = 3

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (what the browser script counts in)."""
    return (day - EPOCH).days


def from_day_number(n: int) -> dt.date:
    """Inverse of :func:`day_number`."""
    return EPOCH + dt.timedelta(days=n)


def record_class(key: str) -> str:
    """CSS class naming one record (``id@valid_from``) on the map."""
    return "gm-rec-" + key.replace("@", "-")


# ---------------------------------------------------------------- geometry


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

    This is the one place geometries are prepared for the browser; the data is
    already in EPSG:4326, so no transformation is needed, only rounding.
    """
    return geometry_json(geom, DECIMALS)


# ---------------------------------------------------------------- records


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
                last.props.layer,
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


class _Styles:
    """The distinct Leaflet options of the records, each sent once."""

    def __init__(self) -> None:
        self.table: list[LeafletOptions] = []
        self._index: dict[str, int] = {}

    def index(self, f: Feature, outline: bool = True) -> int:
        options = leaflet_style(f.props, outline)
        key = json.dumps(options, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.table)
            self.table.append(cast(LeafletOptions, options))
        return self._index[key]


def _record_payload(
    f: Feature, geom: BaseGeometry, styles: _Styles, pieces: bool = False
) -> RecordPayload:
    p = f.props
    return {
        "k": f.key,
        "id": p.id,
        "l": p.layer,
        "kd": p.kind,
        "f": day_number(p.valid_from),
        "t": day_number(p.valid_to) if p.valid_to else None,
        "s": p.status,
        "a": bool(p.approximate),
        "lc": p.confidence is Confidence.low,
        "tip": esc(p.name),
        "g": display_geometry(geom) if not geom.is_empty else None,
        "cl": p.controller,
        "si": styles.index(f, outline=not pieces),
    }


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


def _region_shapes(raws: Sequence[dict[str, Any]]) -> list[BasemapShape]:
    """Countries or provinces, simplified together so that shared borders stay shared."""
    geoms = simplify_coverage([shape(r["geometry"]) for r in raws], BASEMAP_SIMPLIFY_DEG)
    return [
        {"n": esc(r["properties"].get("name", "")), "g": display_geometry(g)}
        for r, g in zip(raws, geoms, strict=True)
    ]


def _basemap_payload(
    basemap: Mapping[str, list[dict[str, Any]]], arabic: Mapping[str, str] | None = None
) -> Basemap:
    rivers: list[BasemapShape] = [
        {
            "n": esc(r["properties"].get("name", "")),
            "g": display_geometry(simplify_one(shape(r["geometry"]), BASEMAP_SIMPLIFY_DEG / 2)),
        }
        for r in basemap.get("rivers", [])
    ]
    places: list[tuple[float, float, str, int, str]] = []
    names_ar = arabic or {}
    # In the order labels claim room on the map (the browser hides a label that would
    # overprint one before it): the article's places first, then by population.
    ordered = sorted(
        basemap.get("places", []),
        key=lambda r: label_order(
            bool(r["properties"].get("required")),
            int(r["properties"].get("population") or 0),
            str(r["properties"].get("name", "")),
        ),
    )
    for r in ordered:
        lon, lat = r["geometry"]["coordinates"][:2]
        pop = r["properties"].get("population") or 0
        rank = 1 if pop >= 150_000 or r["properties"].get("required") else 2
        name_ar = names_ar.get(str(r["properties"].get("id", "")), "")
        places.append(
            (round(lat, 4), round(lon, 4), esc(r["properties"].get("name", "")), rank, esc(name_ar))
        )
    return {
        "countries": _region_shapes(basemap.get("countries", [])),
        "admin1": _region_shapes(basemap.get("admin1", [])),
        "rivers": rivers,
        "places": places,
    }


#: At most this many of its sides' colours band the swatch of a layer coloured by side.
SWATCH_BANDS = 4


def _swatch(spec: LayerSpec) -> list[str]:
    """The toggle's swatch: the layer's colour, or bands of its first sides' colours."""
    if spec.style_by == "controller":
        return [row["colour"] for row in legend_rows(spec)][:SWATCH_BANDS]
    return [spec.colour]


def _layers_payload() -> list[LayerEntry]:
    """The layer registry as the browser needs it: panes, toggles and legend rows."""
    return [
        {
            "id": spec.name,
            "label": esc(spec.label),
            "colour": spec.colour,
            "swatch": _swatch(spec),
            "z": spec.z,
            "styleBy": spec.style_by,
            "legend": [
                {
                    "shape": row["shape"],
                    "colour": row["colour"],
                    "opacity": row["opacity"],
                    "label": esc(row["label"]),
                }
                for row in legend_rows(spec)
            ],
            "on": spec.default_on,
        }
        for spec in LAYERS
    ]


def _escaped_style() -> BrowserStyle:
    """The core's style for the browser, its wording escaped."""
    style = browser_style()
    notes: dict[str, str] = {k: esc(v) for k, v in style["notes"].items()}
    return {
        "basemap": style["basemap"],
        "panes": style["panes"],
        "narrow": style["narrow"],
        "story": style["story"],
        "markers": style["markers"],
        "notes": cast(Notes, notes),
        "css": style["css"],
    }


def _pieces_payload(pieces: Sequence[Piece], index: Mapping[str, int]) -> list[PiecePayload]:
    """The shared pieces (stored ready for display) with the payload indexes of their records.

    Each layer's key table is mapped to payload indexes once (-1 where a record is
    not in the payload); a piece's runs into the table then become runs of indexes.
    """
    positions: dict[int, np.ndarray] = {}
    out: list[PiecePayload] = []
    for piece in pieces:
        records = {}
        for layer, pairs in piece.runs.items():
            table = piece.tables[layer]
            where = positions.get(id(table))
            if where is None:
                where = positions[id(table)] = np.array([index.get(k, -1) for k in table])
            parts = [where[first : first + count] for first, count in pairs]
            found = np.concatenate(parts) if parts else np.zeros(0, dtype=int)
            records[layer] = _runs(np.sort(found[found >= 0]))
        out.append({"g": piece.geojson, "r": records})
    return out


def _runs(indexes: np.ndarray) -> list[tuple[int, int]]:
    """Sorted record indexes as ``(first, count)`` runs (numpy: 1.9 million in all).

    A piece belongs to consecutive records of one thing (records are ordered by
    layer, id and date), so the runs stay short.
    """
    if indexes.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(indexes) != 1) + 1
    starts = np.concatenate(([0], breaks))
    counts = np.diff(np.concatenate((starts, [indexes.size])))
    return list(zip(indexes[starts].tolist(), counts.tolist(), strict=True))


def build_payload(
    features: Sequence[Feature],
    basemap: Mapping[str, list[dict[str, Any]]],
    initial: dt.date | None = None,
    pieces: Sequence[Piece] | None = None,
    stories: Sequence[StoryPayload] = (),
    story_scroll: str | None = None,
    arabic: Mapping[str, str] | None = None,
) -> Payload:
    """Everything the browser needs to draw any date, as JSON-ready data.

    Parameters
    ----------
    features
        All records of all layers.
    basemap
        Raw features of ``countries``, ``admin1``, ``rivers`` and ``places``.
    initial
        Date to show before Python sends a command (``None``: the default day).
    pieces
        The land model's pieces (:func:`geomap.data.pieces.load_pieces`); the records
        they cover are sent without an outline of their own.
    stories
        Stories for the Story panel (:func:`geomap.web.story_payload.stories_payload`).
    story_scroll
        The id of the story a scrolling page drives (the HTML story export); the
        map then has no Story panel of its own.
    arabic
        Arabic names by place id (the gazetteer's), for the labels' Arabic mode.
    """
    ordered = sorted(features, key=lambda f: (display_index(f.props.layer), f.key))
    in_pieces = piece_keys(pieces or ())
    geoms = _display_geoms([f for f in ordered if f.key not in in_pieces])
    shapes = iter(geoms)
    styles = _Styles()
    records = [
        _record_payload(f, Polygon(), styles, pieces=True)
        if f.key in in_pieces
        else _record_payload(f, next(shapes), styles)
        for f in ordered
    ]
    index = {f.key: i for i, f in enumerate(ordered)}
    evs = [
        (day_number(e.date), e.kind, esc(e.label()), e.id)
        for e in events(features)
        if TIMELINE_START <= e.date <= TIMELINE_END
    ]
    return {
        "version": PAYLOAD_VERSION,
        "start": day_number(TIMELINE_START),
        "end": day_number(TIMELINE_END),
        "initial": day_number(initial) if initial else None,
        "defaultDay": day_number(DEFAULT_DATE),
        "layers": _layers_payload(),
        "status": {k: {"colour": c, "label": esc(lbl)} for k, (c, lbl) in STATUS_STYLE.items()},
        "style": _escaped_style(),
        "styles": styles.table,
        "records": records,
        "pieces": _pieces_payload(pieces, index) if pieces else [],
        "sides": {
            s.slug: {"colour": s.colour, "label": esc(s.name), "short": esc(s.short)} for s in SIDES
        },
        "things": {
            t.id: {"name": esc(t.name), "lat": t.lat, "lon": t.lon, "zoom": t.zoom}
            for t in things(features)
        },
        "events": evs,
        "areas": [(day_number(d), round(a)) for d, a in area_steps(features)],
        "basemap": _basemap_payload(basemap, arabic),
        "tiles": ONLINE_TILES,
        "attribution": "Leaflet | Natural Earth, GeoNames, GSHHG (see About)",
        "stories": list(stories),
        "storyScroll": story_scroll,
    }


def payload_json(payload: Mapping[str, Any]) -> str:
    """Compact JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
