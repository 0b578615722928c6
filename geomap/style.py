"""Colours, labels and line styles shared by the app and the exports.

One table each, so the interactive map (``geomap.render`` and the browser script
``geomap/app/static/geomap.js``) and the static, animated and HTML exports draw
every layer the same way. Colours are the Okabe-Ito palette, which stays
distinguishable for the common forms of colour blindness.

The per-kind weights and fill opacities in :data:`KIND_STYLE` and the dash
patterns in :data:`DASH` mirror the ``STYLE`` table and dash rules of
``geomap.js``; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from geomap.model import Confidence, FeatureProperties, Kind, Layer, Status

#: Okabe-Ito colours (colour-blind safe).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: Layer labels and colours, in display order.
LAYER_STYLE: dict[str, tuple[str, str]] = {
    Layer.territory.value: ("IS-held territory", OKABE_ITO["vermillion"]),
    Layer.hajin.value: ("Hajin pocket", OKABE_ITO["purple"]),
    Layer.euphrates_bend.value: ("Euphrates bend", OKABE_ITO["blue"]),
    Layer.captured_cities.value: ("Cities", OKABE_ITO["black"]),
    Layer.idlib_front.value: ("Idlib front and Sochi zone", OKABE_ITO["orange"]),
}

#: Fill colour and label of a city marker by status on the current date.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    Status.held.value: (OKABE_ITO["vermillion"], "held by IS"),
    Status.contested.value: (OKABE_ITO["yellow"], "contested"),
    Status.retaken.value: (OKABE_ITO["green"], "retaken from IS"),
    Status.not_held.value: ("#FFFFFF", "not (yet) held by IS"),
    Status.never_held.value: (OKABE_ITO["sky_blue"], "never held by IS"),
}

#: Colours of kinds that differ from their layer's colour.
KIND_COLOUR = {Kind.zone.value: OKABE_ITO["yellow"]}

#: Kinds drawn with a black outline instead of their fill colour.
BLACK_OUTLINE_KINDS = frozenset({Kind.zone.value})

#: Outline width (CSS px, about points) and fill opacity of each area kind.
KIND_STYLE: dict[str, tuple[float, float]] = {
    Kind.territory.value: (1.5, 0.38),
    Kind.pocket.value: (2.0, 0.5),
    Kind.bend.value: (2.5, 0.08),
    Kind.front.value: (2.0, 0.22),
    Kind.zone.value: (1.5, 0.55),
}

#: Width of line kinds (the Euphrates reach of the bend layer).
LINE_WIDTH = 2.5

#: Dash patterns (on, off, in px) for approximate shapes and low-confidence records.
DASH: dict[str, tuple[float, float]] = {"approximate": (7.0, 5.0), "low": (2.0, 5.0)}

#: Fill opacity factor for low-confidence records.
LOW_CONFIDENCE_FILL = 0.6

#: City marker radius (px) by kind, outline colour and width.
MARKER_RADIUS = {Kind.city.value: 7.5, Kind.town.value: 6.0}
MARKER_EDGE = ("#000000", 1.6)

#: Base geography: land, governorate lines, rivers, place labels, sea.
BASEMAP_STYLE = {
    "sea": "#dfe7eb",
    "land_fill": "#f3f0e8",
    "land_edge": "#6b6b6b",
    "admin_edge": "#9a9a9a",
    "river": "#6fa8d6",
    "label": "#333333",
}

#: Territory gained and lost between two dates (``--compare-from``).
CHANGE_STYLE: dict[str, tuple[str, str, str]] = {
    "gained": (OKABE_ITO["vermillion"], "xxx", "gained by IS"),
    "lost": (OKABE_ITO["green"], "///", "lost by IS"),
}

#: Legend notes on how certainty is drawn (shared wording with the app's legend).
APPROXIMATE_NOTE = "Dashed outline: approximate shape"
LOW_CONFIDENCE_NOTE = "Dotted outline, paler fill: low confidence"


@dataclass(frozen=True)
class ShapeStyle:
    """How to draw one record: colours, width, opacity and dash pattern."""

    edge: str
    fill: str
    width: float
    fill_opacity: float
    dash: tuple[float, float] | None


def layer_colour(layer: str) -> str:
    """Colour of a layer (black for an unknown one)."""
    return LAYER_STYLE.get(layer, ("", OKABE_ITO["black"]))[1]


def dash_for(props: FeatureProperties) -> tuple[float, float] | None:
    """Dash pattern of a record: dotted when low confidence, dashed when approximate."""
    if props.confidence is Confidence.low:
        return DASH["low"]
    if props.approximate:
        return DASH["approximate"]
    return None


def shape_style(props: FeatureProperties) -> ShapeStyle:
    """Style of an area or line record, as the app draws it."""
    kind = props.kind.value
    colour = KIND_COLOUR.get(kind) or layer_colour(props.layer.value)
    width, opacity = KIND_STYLE.get(kind, (LINE_WIDTH, 0.0))
    if props.confidence is Confidence.low:
        opacity *= LOW_CONFIDENCE_FILL
    edge = OKABE_ITO["black"] if kind in BLACK_OUTLINE_KINDS else colour
    return ShapeStyle(edge, colour, width, opacity, dash_for(props))


def status_colour(status: Status | None) -> str:
    """Marker fill of a city status (grey when a record has none)."""
    return STATUS_STYLE[status.value][0] if status else "#999999"
