"""Colours, labels and line styles shared by the app and the exports.

Python owns the whole style. The static, animated and KML exports read these
tables directly; the browser script (``geomap/app/static/js/``) and its
style sheet receive them in the payload (:func:`browser_style`) and hold no
style of their own. Layer labels and colours come from the layer registry
:mod:`geomap.core.layers`; colours are the Okabe-Ito palette.

The tables are keyed by the model's enums (:class:`~geomap.core.model.Kind`,
:class:`~geomap.core.model.Status`, :class:`~geomap.core.model.Ground`,
:class:`~geomap.core.model.Confidence`) and have a row for every value, so a
new value fails a test instead of being drawn with no fill; sides take their
colours from the registry :mod:`geomap.core.sides`. The enums are strings, so
the tables serialise to the same JSON as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from geomap.core.layers import LayerSpec, layer_spec
from geomap.core.model import (
    AREA_KINDS,
    PLACE_KINDS,
    Confidence,
    FeatureProperties,
    Ground,
    Kind,
    Status,
)
from geomap.core.palette import OKABE_ITO as OKABE_ITO
from geomap.core.sides import CONTESTED_COLOUR, SIDES, side

#: Fill colour and label of a place marker by status on the current date.
STATUS_STYLE: dict[Status, tuple[str, str]] = {
    Status.held: (OKABE_ITO["vermillion"], "held by IS"),
    Status.contested: (OKABE_ITO["yellow"], "contested"),
    Status.retaken: (OKABE_ITO["green"], "retaken from IS"),
    Status.not_held: ("#FFFFFF", "not (yet) held by IS"),
    Status.never_held: (OKABE_ITO["sky_blue"], "never held by IS"),
}

#: Colours of kinds that differ from their layer's colour.
KIND_COLOUR: dict[Kind, str] = {Kind.zone: OKABE_ITO["yellow"]}

#: Kinds drawn with a black outline instead of their fill colour.
BLACK_OUTLINE_KINDS: frozenset[Kind] = frozenset({Kind.zone})

#: Width of line kinds (the Euphrates reach of the bend layer).
LINE_WIDTH = 2.5

#: Outline colour and width of a place marker.
MARKER_EDGE = ("#000000", 1.6)

#: Outline (or line) width in CSS px, about points, and fill opacity of every kind.
#: Places are markers: their row is the marker's outline width and fill opacity.
KIND_STYLE: dict[Kind, tuple[float, float]] = {
    Kind.territory: (1.5, 0.38),
    Kind.pocket: (2.0, 0.5),
    Kind.bend: (2.5, 0.08),
    Kind.front: (2.0, 0.22),
    Kind.zone: (1.5, 0.55),
    Kind.desert: (1.0, 0.5),
    Kind.control: (0.6, 0.55),
    Kind.river: (LINE_WIDTH, 0.0),
    Kind.city: (MARKER_EDGE[1], 1.0),
    Kind.town: (MARKER_EDGE[1], 1.0),
    Kind.village: (MARKER_EDGE[1], 1.0),
    Kind.site: (MARKER_EDGE[1], 1.0),
}

#: Marker radius factor by map zoom (``[zoom, factor]``, deepest step at or above wins):
#: at the whole-region zoom a city's marker is a few px, not a disc over its neighbours.
MARKER_ZOOM_SCALE: tuple[tuple[int, float], ...] = (
    (4, 0.45),
    (5, 0.5),
    (6, 0.6),
    (7, 0.75),
    (8, 0.9),
    (9, 1.0),
    (10, 1.15),
    (11, 1.3),
)
#: Below this zoom the minor markers (villages and sites IS never or not yet held) are
#: hidden: at the default view they are hundreds of markers that say "nothing here".
MINOR_BELOW_ZOOM = 8
MINOR_KINDS: frozenset[Kind] = frozenset({Kind.village, Kind.site})
MINOR_STATUSES: frozenset[Status] = frozenset({Status.never_held, Status.not_held})

#: Web-mercator ground metres per CSS pixel at zoom 0 on the equator (a 256 px world).
MERCATOR_M_PER_PX_Z0 = 156_543.034

#: Places of these kinds are named on a printed map at every scale; villages and sites
#: from :data:`MINOR_LABEL_ZOOM` (a zoom past the one that shows all their markers).
MAJOR_LABEL_KINDS: frozenset[Kind] = frozenset({Kind.city, Kind.town})
MINOR_LABEL_ZOOM = 9
#: The order labels claim room, by kind (the article's places and the selected one go
#: first whatever their kind).
LABEL_KIND_RANK: dict[Kind, int] = {Kind.city: 0, Kind.town: 1, Kind.village: 2, Kind.site: 3}


def marker_scale(zoom: float) -> float:
    """Radius factor of place markers at ``zoom`` (as the browser's ``markerScale``).

    The factor of the deepest :data:`MARKER_ZOOM_SCALE` step at or below ``zoom``,
    or the first step's below them all.
    """
    factor = MARKER_ZOOM_SCALE[0][1]
    for step, value in MARKER_ZOOM_SCALE:
        if zoom >= step:
            factor = value
    return factor


def is_minor_marker(kind: Kind, status: Status | None) -> bool:
    """Whether a place's marker is minor: hidden below :data:`MINOR_BELOW_ZOOM`."""
    return kind in MINOR_KINDS and status in MINOR_STATUSES


def equivalent_zoom(metres_per_css_px: float, lat: float) -> float:
    """The browser map's zoom at which one CSS pixel covers ``metres_per_css_px``.

    A printed map uses it to draw its markers and labels as the app would at that
    scale (web-mercator zoom at latitude ``lat``).
    """
    ground = MERCATOR_M_PER_PX_Z0 * math.cos(math.radians(lat))
    return math.log2(ground / max(metres_per_css_px, 1e-6))


def label_order(
    required: bool, population: int, name: str, kind: Kind | None = None
) -> tuple[bool, int, int, str]:
    """Sort key of the order place labels claim room (one that would overprint another is left out).

    The article's places (``required``) first, then by kind (cities, towns, villages,
    sites; base-map places have none), then by population, then by name.
    """
    rank = LABEL_KIND_RANK.get(kind, 0) if kind is not None else 0
    return (not required, rank, -population, name)


#: Place marker radius (px) by kind.
MARKER_RADIUS: dict[Kind, float] = {
    Kind.city: 7.5,
    Kind.town: 6.0,
    Kind.village: 4.5,
    Kind.site: 4.5,
}

#: Fill of ground held by no side, on the control layer.
OPEN_COLOUR = "#E8E4DA"


@dataclass(frozen=True)
class GroundStyle:
    """How one kind of ground is drawn on a layer styled by controller.

    Attributes
    ----------
    colour
        Its fill, or ``None`` for the colour of the side that held it.
    legend
        Its legend label, or ``None`` when the legend lists it under its side.
    """

    colour: str | None
    legend: str | None


#: The look of every kind of ground (held and desert ground take their side's colour;
#: the desert is drawn paler through its low confidence).
GROUND_STYLE: dict[Ground, GroundStyle] = {
    Ground.held: GroundStyle(None, None),
    Ground.desert: GroundStyle(None, None),
    Ground.contested: GroundStyle(CONTESTED_COLOUR, "Contested ground"),
    Ground.open: GroundStyle(OPEN_COLOUR, "Open desert, held by no side"),
}

#: Dash patterns (on, off, in px) of an approximate shape's outline and of a dotted one.
APPROXIMATE_DASH = (7.0, 5.0)
LOW_CONFIDENCE_DASH = (2.0, 5.0)

#: Dash pattern of each confidence (``None``: solid, or dashed when approximate).
CONFIDENCE_DASH: dict[Confidence, tuple[float, float] | None] = {
    Confidence.high: None,
    Confidence.medium: None,
    Confidence.low: LOW_CONFIDENCE_DASH,
}

#: Fill opacity factor of each confidence (low-confidence records are paler).
#: Fill opacity of an area the browser draws from the land pieces, as a fill alone
#: (before :data:`CONFIDENCE_FILL`): with no outline to mark it, held ground is filled
#: more strongly than its outlined shape in the exports, so that it stands apart from
#: the desert zone (which keeps its own opacity) as on ISW's maps.
FILL_ONLY_OPACITY: dict[Kind, float] = {
    Kind.territory: 0.62,
    Kind.pocket: 0.62,
}

CONFIDENCE_FILL: dict[Confidence, float] = {
    Confidence.high: 1.0,
    Confidence.medium: 1.0,
    Confidence.low: 0.6,
}

#: Base geography: land, governorate lines, rivers, place labels, sea.
BASEMAP_STYLE = {
    "sea": "#dfe7eb",
    "land_fill": "#f3f0e8",
    "land_edge": "#6b6b6b",
    "admin_edge": "#9a9a9a",
    "river": "#6fa8d6",
    "label": "#333333",
}

#: How the browser draws the base geography (line widths in CSS px).
BASEMAP_LINES: dict[str, dict[str, Any]] = {
    "land": {"weight": 1.3, "fillOpacity": 1.0},
    "admin": {"weight": 0.7, "dashArray": "3 3"},
    "river": {"weight": 2.2, "opacity": 0.9},
}

#: Dash pattern of a place marker's outline when its record is uncertain.
MARKER_DASH = (2.0, 2.0)

#: Outline of the selected thing in the browser.
SELECTED_EDGE = ("#000000", 4.0)

#: Colours of the timeline's event ticks, by event kind (see geomap.core.timeline.Event).
EVENT_COLOUR = {
    "capture": OKABE_ITO["vermillion"],
    "loss": OKABE_ITO["green"],
    "contested": OKABE_ITO["orange"],
}

#: Territory gained and lost between two dates (``--compare-from``).
CHANGE_STYLE: dict[str, tuple[str, str, str]] = {
    "gained": (OKABE_ITO["vermillion"], "xxx", "gained by IS"),
    "lost": (OKABE_ITO["green"], "///", "lost by IS"),
}

#: Legend notes on how certainty is drawn (shared wording with the app's legend).
APPROXIMATE_NOTE = "Dashed outline: approximate shape"
LOW_CONFIDENCE_NOTE = "Dotted outline, paler fill: low confidence"
#: The app's held ground and control areas are fills with no outline to dash.
APPROXIMATE_ALL_NOTE = "All shapes are approximate; areas are fills, paler where less certain."


@dataclass(frozen=True)
class ShapeStyle:
    """How to draw one record: colours, width, opacity and dash pattern."""

    edge: str
    fill: str
    width: float
    fill_opacity: float
    dash: tuple[float, float] | None


def area_fill_opacity(props: FeatureProperties) -> float:
    """Fill opacity of an area as the app's fills and the printed maps draw it.

    Held ground (:data:`FILL_ONLY_OPACITY`) is filled strongly, so that it stands
    apart from the desert zone beside it; other kinds keep their :data:`KIND_STYLE`
    opacity. Low confidence makes either paler (:data:`CONFIDENCE_FILL`).
    """
    base = FILL_ONLY_OPACITY.get(props.kind, KIND_STYLE[props.kind][1])
    return base * CONFIDENCE_FILL[props.confidence]


def legend_fill_opacity(kind: Kind) -> float:
    """Fill opacity of a kind's legend swatch, as its records are drawn.

    The desert zone's records are all of low confidence, hence paler.
    """
    base = FILL_ONLY_OPACITY.get(kind, KIND_STYLE[kind][1])
    return base * (CONFIDENCE_FILL[Confidence.low] if kind is Kind.desert else 1.0)


def layer_colour(layer: str) -> str:
    """Colour of a layer (black for an unknown one)."""
    try:
        return layer_spec(layer).colour
    except KeyError:
        return OKABE_ITO["black"]


def dash_for(props: FeatureProperties) -> tuple[float, float] | None:
    """Dash pattern of a record: dotted when low confidence, dashed when approximate."""
    dash = CONFIDENCE_DASH[props.confidence]
    if dash is None and props.approximate:
        return APPROXIMATE_DASH
    return dash


def controller_colour(props: FeatureProperties) -> str:
    """Colour of an area styled by who held it: its ground's, or its side's (black if unknown)."""
    own = GROUND_STYLE[props.ground].colour if props.ground else None
    if own is not None:
        return own
    try:
        return side(props.controller or "").colour
    except KeyError:
        return OKABE_ITO["black"]


def shape_style(props: FeatureProperties) -> ShapeStyle:
    """Style of an area or line record, as the app draws it."""
    kind = props.kind
    if _styled_by_controller(props.layer):
        colour = controller_colour(props)
    else:
        colour = KIND_COLOUR.get(kind) or layer_colour(props.layer)
    width, opacity = KIND_STYLE[kind]
    opacity *= CONFIDENCE_FILL[props.confidence]
    edge = OKABE_ITO["black"] if kind in BLACK_OUTLINE_KINDS else colour
    return ShapeStyle(edge, colour, width, opacity, dash_for(props))


def _styled_by_controller(layer: str) -> bool:
    try:
        return layer_spec(layer).style_by == "controller"
    except KeyError:
        return False


def leaflet_style(props: FeatureProperties, outline: bool = True) -> dict[str, Any]:
    """Leaflet path options of a record: the browser applies them as they are.

    ``outline=False`` is for an area drawn from the land pieces: a fill without a
    stroke, since the pieces' own outlines would trace every seam between them.
    """
    dash = dash_for(props)
    if props.kind in PLACE_KINDS:
        width, opacity = KIND_STYLE[props.kind]
        return {
            "radius": MARKER_RADIUS[props.kind],
            "color": MARKER_EDGE[0],
            "weight": width,
            "dashArray": dash_text(MARKER_DASH) if dash else None,
            "fillColor": status_colour(props.status),
            "fillOpacity": opacity,
        }
    st = shape_style(props)
    options: dict[str, Any] = {
        "color": st.edge,
        "weight": st.width,
        "fillColor": st.fill,
        "fillOpacity": round(st.fill_opacity, 3),
        "dashArray": dash_text(st.dash),
    }
    if not outline:
        options["stroke"] = False
        if props.kind in FILL_ONLY_OPACITY:
            options["fillOpacity"] = round(area_fill_opacity(props), 3)
    return options


def legend_rows(spec: LayerSpec) -> list[dict[str, Any]]:
    """The legend rows under a layer's toggle: swatch shape, colour, opacity and label.

    Place layers list the statuses, the control layer lists the sides (then
    contested and open ground), other layers list the kinds with a label of
    their own in the registry.
    """
    if spec.style_by == "status":
        return [
            {"shape": "dot", "colour": colour, "opacity": 1.0, "label": label}
            for colour, label in STATUS_STYLE.values()
        ]
    if spec.style_by == "controller":
        rows = [
            {"shape": "box", "colour": s.colour, "opacity": 0.8, "label": s.name} for s in SIDES
        ]
        rows += [
            {"shape": "box", "colour": look.colour, "opacity": 0.8, "label": look.legend}
            for look in GROUND_STYLE.values()
            if look.colour is not None and look.legend is not None
        ]
        return rows
    kinds = [(Kind(entry.kind), entry.label) for entry in spec.legend]
    return [
        {
            "shape": "box",
            "colour": KIND_COLOUR.get(kind, spec.colour),
            "opacity": min(1.0, KIND_STYLE[kind][1] * 1.6),
            "label": label,
        }
        for kind, label in kinds
        if kind in AREA_KINDS
    ]


def status_colour(status: Status | None) -> str:
    """Marker fill of a city status (grey when a record has none)."""
    return STATUS_STYLE[status][0] if status else "#999999"


def dash_text(dash: tuple[float, float] | None) -> str | None:
    """A dash pattern as an SVG ``stroke-dasharray`` (``"7 5"``), or ``None``."""
    return None if dash is None else " ".join(f"{v:g}" for v in dash)


#: Map width (px) below which the map is laid out for a phone.
NARROW_MAP_PX = 700

#: Colours of the fact-check verdicts (app panel, story card, story page).
VERDICT_COLOUR = {"consistent": "#007a5a", "inconsistent": "#b34700", "not checkable": "#555555"}

#: How the map moves to a story step: flight time (s) and the margin kept clear (px).
STORY_FLY_SECONDS = 0.8
STORY_MARGIN_PX = 12


def browser_style() -> dict[str, Any]:
    """Everything the browser script and its style sheet draw with, as JSON-ready data.

    Each record carries its own Leaflet options (:func:`leaflet_style`, by index
    into the payload's ``styles``); the script reads layer panes and legend rows
    from the payload's ``layers`` and the rest from this mapping; the style sheet
    reads the colours through CSS custom properties the script sets from ``css``.
    """
    return {
        "basemap": {
            "land": {"color": BASEMAP_STYLE["land_edge"], "fillColor": BASEMAP_STYLE["land_fill"]}
            | BASEMAP_LINES["land"],
            "admin": {"color": BASEMAP_STYLE["admin_edge"]} | BASEMAP_LINES["admin"],
            "river": {"color": BASEMAP_STYLE["river"]} | BASEMAP_LINES["river"],
        },
        "panes": {"land": 210, "admin": 220, "rivers": 430, "labels": 460},
        # Below this map width (px) the timeline stacks and the legend starts collapsed.
        "narrow": NARROW_MAP_PX,
        "story": {"fly": STORY_FLY_SECONDS, "margin": STORY_MARGIN_PX},
        "markers": {
            "zoomScale": [list(step) for step in MARKER_ZOOM_SCALE],
            "minorBelowZoom": MINOR_BELOW_ZOOM,
            "minorKinds": sorted(k.value for k in MINOR_KINDS),
            "minorStatuses": sorted(s.value for s in MINOR_STATUSES),
        },
        "notes": {
            "approximate": APPROXIMATE_NOTE,
            "low": LOW_CONFIDENCE_NOTE,
            "all": APPROXIMATE_ALL_NOTE,
            "more": "Notes and sources beside the map",
            "approximateWord": "approximate",
            "allOff": "Every layer is off: tick one under Layers and legend to see the map",
        },
        "css": {
            "--gm-sea": BASEMAP_STYLE["sea"],
            "--gm-label": BASEMAP_STYLE["label"],
            "--gm-place-dot": "#555555",
            "--gm-selected": SELECTED_EDGE[0],
            "--gm-selected-width": f"{SELECTED_EDGE[1]:g}px",
            **{f"--gm-tick-{kind}": colour for kind, colour in EVENT_COLOUR.items()},
            **{
                f"--gm-verdict-{verdict.replace(' ', '-')}": colour
                for verdict, colour in VERDICT_COLOUR.items()
            },
        },
    }
