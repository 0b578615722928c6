"""The compare view's folium map: territory gained and lost between two dates.

Pure (no streamlit). Geometries are already lon/lat; they are simplified and
rounded for display through :func:`geomap.web.payload.display_geometry`, the one place
that prepares shapes for folium.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.core.compare import Comparison
from geomap.core.style import BASEMAP_STYLE, CHANGE_STYLE
from geomap.web.html import esc
from geomap.web.payload import display_geometry, simplify_one
from geomap.web.render import MAP_CENTRE, OfflineMap

#: Gained and lost in the colours the exports use (geomap.core.style.CHANGE_STYLE), told
#: apart by dashes too, since Leaflet has no hatching; kept ground in grey.
WEB_CHANGE_STYLE: dict[str, dict[str, Any]] = {
    "gained": {"color": CHANGE_STYLE["gained"][0], "fillOpacity": 0.55, "dashArray": None},
    "lost": {"color": CHANGE_STYLE["lost"][0], "fillOpacity": 0.35, "dashArray": "6 4"},
    "kept": {"color": "#777777", "fillOpacity": 0.15, "dashArray": "2 3"},
}


def _layer(
    geom: BaseGeometry, name: str, label: str, css: str, style: Mapping[str, Any]
) -> folium.GeoJson:
    shown = simplify_one(geom)
    label = esc(label)
    data = {"type": "Feature", "properties": {"label": label}, "geometry": display_geometry(shown)}
    colour, fill, dash = style["color"], style["fillOpacity"], style["dashArray"]
    return folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f: {
            "color": colour,
            "weight": 1.5,
            "fillColor": colour,
            "fillOpacity": fill,
            "dashArray": dash,
            "className": css,
        },
        tooltip=label,
    )


def _base(countries: Sequence[dict[str, Any]], height: int, zoom: int) -> folium.Map:
    m = OfflineMap(location=list(MAP_CENTRE), zoom_start=zoom, tiles=None, height=height)
    borders = folium.FeatureGroup(name="Countries", control=False)
    for c in countries:
        outline = display_geometry(shape(c["geometry"]).simplify(0.01))
        folium.GeoJson(
            outline,
            style_function=lambda _f: {
                "color": BASEMAP_STYLE["admin_edge"],
                "weight": 0.8,
                "fillColor": BASEMAP_STYLE["land_fill"],
            },
            interactive=False,
        ).add_to(borders)
    borders.add_to(m)
    return m


def _add(m: folium.Map, layers: Sequence[tuple[str, BaseGeometry, str]]) -> folium.Map:
    for key, geom, label in layers:
        if not geom.is_empty:
            _layer(geom, label, label, f"gm-compare-{key}", WEB_CHANGE_STYLE[key]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def compare_map(
    result: Comparison,
    countries: Sequence[dict[str, Any]],
    height: int = 460,
) -> folium.Map:
    """Build the change map: gained, lost and kept territory over country outlines."""
    return _add(
        _base(countries, height, 6),
        [
            ("kept", result.kept, f"held on both dates: {result.kept_km2:,.0f} km²"),
            ("lost", result.lost, f"lost by IS: {result.lost_km2:,.0f} km²"),
            ("gained", result.gained, f"gained by IS: {result.gained_km2:,.0f} km²"),
        ],
    )


def side_by_side_maps(
    result: Comparison, countries: Sequence[dict[str, Any]], height: int = 380
) -> tuple[folium.Map, folium.Map]:
    """Two maps: the earlier territory with what it went on to lose, the later with its gains."""
    before = _add(
        _base(countries, height, 5),
        [
            ("kept", result.kept, f"{result.date_from}: kept until {result.date_to}"),
            ("lost", result.lost, f"{result.date_from}: lost by {result.date_to}"),
        ],
    )
    after = _add(
        _base(countries, height, 5),
        [
            ("kept", result.kept, f"{result.date_to}: held since {result.date_from}"),
            ("gained", result.gained, f"{result.date_to}: gained since {result.date_from}"),
        ],
    )
    return before, after
