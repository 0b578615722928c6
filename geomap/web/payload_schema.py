"""The browser contract, defined once: the payload and the messages of the live map.

Every key the map script reads is declared here as a ``TypedDict`` field with its
description (the attribute docstring under it). :mod:`geomap.web.payload` builds
the payload through these types, ``python -m geomap.schema_gen`` writes them out
as ``geomap/schema/payload.schema.json``, and the tests check that the shipped
payload validates against that file. The script in ``geomap/app/static/js/``
reads the short keys as described here; it keeps no description of its own.

Version
    :data:`PAYLOAD_VERSION` is the payload's ``version``. Raise it whenever a key
    is added, removed or changes meaning; the script reads only the version it
    was written for and refuses any other with an error, rather than misdraw.

Days
    Dates travel as day numbers, whole days since 1970-01-01. A record holds on
    the half-open interval ``[f, t)``; ``t = null`` means it still holds.

Escaping: Python escapes, once
    Every data-supplied text (names, labels, story text, notes) is HTML-escaped
    by Python when the payload is built, and its description says so ("escaped
    text"). The script inserts such text as HTML and never escapes it again.
    Identifiers from the data (ids, keys, slugs, layer and side names) are plain
    values: the script never puts them into an HTML string, only into attributes
    and class names through the DOM. Everything else it writes as HTML is its own
    wording, day numbers turned into ISO dates, numbers, and Python's own fixed
    words and colours (an event's kind, the style's colours).

One owner per piece of HTML
    * A record's popup: the script (``popup.js``) composes it from the record's
      escaped name, its status and side labels and its dates. Python sends no
      popup HTML, which keeps the payload small (it used to send one for every
      record not drawn from the land pieces, and the script composed the rest).
    * A story step's body (its text, fact check and sources): Python
      (:func:`geomap.web.story_payload.step_body`), because the scrolling story
      page written by the HTML export shows the same body without the script.
      The map's story card only frames it (step count, title, buttons).
    * Everything else the map draws (timeline, legend, story card, labels) is
      the script's, from the escaped text given here.
"""

from __future__ import annotations

from typing import Any, Final, Literal, NotRequired, TypeAlias

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

from geomap.core.layers import StyleBy
from geomap.core.model import Kind, Status

#: The payload's version (see the module docstring for when to raise it).
Version: TypeAlias = Literal[1]
PAYLOAD_VERSION: Final[Version] = 1

#: Every object of the contract: no key beyond those declared, each described.
_CONTRACT = ConfigDict(extra="forbid", use_attribute_docstrings=True)

#: A GeoJSON geometry (:func:`geomap.web.payload.display_geometry`).
Geometry: TypeAlias = dict[str, Any]


@with_config(_CONTRACT)
class RecordPayload(TypedDict):
    """One record of one layer: a thing during one stretch of dates."""

    k: str
    """Record key, ``id@valid_from``; its CSS class is ``gm-rec-`` and the key with ``-`` for
    ``@`` (:func:`geomap.web.payload.record_class`)."""
    id: str
    """Id of the thing the record is a period of (a slug)."""
    l: str  # noqa: E741
    """Layer: the name of a layer in ``layers``."""
    kd: Kind
    """Kind: what the record depicts."""
    f: int
    """Valid from: the first day on which the record holds (day number)."""
    t: int | None
    """Valid to: the first day on which it no longer holds (day number); null while it still
    holds."""
    s: Status | None
    """Status relative to the Islamic State (places), or null."""
    a: bool
    """Approximate: the shape or position is approximate (drawn dashed)."""
    lc: bool
    """Low confidence (drawn dotted, paler)."""
    tip: str
    """Name, escaped text: the tooltip and the popup's heading."""
    g: Geometry | None
    """GeoJSON geometry in lon/lat, 3 decimals; null when the record is drawn from the shared
    land pieces (``pieces``)."""
    cl: str | None
    """Controller: slug of the side (a key of ``sides``) that held it, or null."""
    si: int
    """Style index: the record's Leaflet options are ``styles[si]``."""


@with_config(_CONTRACT)
class LeafletOptions(TypedDict, total=False):
    """Leaflet path options, applied as they are (Python owns the whole style)."""

    color: str
    """Outline colour."""
    weight: float
    """Outline width (px)."""
    opacity: float
    """Outline opacity."""
    fillColor: str
    """Fill colour."""
    fillOpacity: float
    """Fill opacity."""
    dashArray: str | None
    """Outline dashes (SVG ``stroke-dasharray``), null for a solid line."""
    radius: float
    """Marker radius (px), for place markers."""
    stroke: bool
    """False for an area the browser draws from the land pieces: its pieces' outlines
    would trace every seam between them, so it is drawn as a fill alone (its confidence
    shows in the fill's opacity); the exports outline its dissolved shape."""


@with_config(_CONTRACT)
class LegendRow(TypedDict):
    """One row of a layer's key in the legend."""

    shape: Literal["dot", "box"]
    """Swatch shape."""
    colour: str
    """Swatch colour."""
    opacity: float
    """Swatch opacity."""
    label: str
    """Escaped text."""


@with_config(_CONTRACT)
class LayerEntry(TypedDict):
    """A layer of the registry (:data:`geomap.core.layers.LAYERS`), as the map shows it."""

    id: str
    """Layer name; its records go into the Leaflet pane ``gm-<id>``."""
    label: str
    """Escaped text of its toggle."""
    colour: str
    """Its colour."""
    swatch: list[str]
    """Colours of its toggle's swatch: one, or several bands for a layer coloured by side."""
    z: int
    """Stacking order of its pane (higher is on top)."""
    styleBy: StyleBy
    """What colours its records: kind, status (place markers) or controlling side."""
    legend: list[LegendRow]
    """Its key, listed under its toggle while it is shown."""
    on: bool
    """Shown when the map opens."""


@with_config(_CONTRACT)
class StatusEntry(TypedDict):
    """How a status is shown."""

    colour: str
    """Marker colour."""
    label: str
    """Escaped text (the popup's status line)."""


@with_config(_CONTRACT)
class SideEntry(TypedDict):
    """A side of the war (:data:`geomap.core.sides.SIDES`)."""

    colour: str
    """Its colour."""
    label: str
    """Escaped text: its name."""
    short: str
    """Escaped text: its short name."""


@with_config(_CONTRACT)
class ThingEntry(TypedDict):
    """Where the map flies to for a searched thing."""

    name: str
    """Escaped text."""
    lat: float
    """Latitude of its last record's point."""
    lon: float
    """Longitude of its last record's point."""
    zoom: int
    """Zoom that frames it."""


@with_config(_CONTRACT)
class PiecePayload(TypedDict):
    """A piece of land shared by area records, sent once (drawn in one path per record)."""

    g: Geometry
    """GeoJSON geometry in lon/lat, 3 decimals."""
    r: dict[str, list[tuple[int, int]]]
    """For each layer, the records the piece belongs to, as ``[first, count]`` runs of
    indexes into ``records``; on a day it shows the one that holds."""


@with_config(_CONTRACT)
class BasemapShape(TypedDict):
    """A country, province or river of the base map."""

    n: str
    """Name, escaped text."""
    g: Geometry
    """GeoJSON geometry in lon/lat, 3 decimals."""


@with_config(_CONTRACT)
class Basemap(TypedDict):
    """The base geography, drawn under the records."""

    countries: list[BasemapShape]
    """Countries (the land)."""
    admin1: list[BasemapShape]
    """Provinces (dashed borders)."""
    rivers: list[BasemapShape]
    """Rivers."""
    places: list[tuple[float, float, str, int, str]]
    """Place labels as ``[lat, lon, escaped name, rank, escaped Arabic name or ""]`` (rank
    1: large or named in the article), in the order labels claim room: a label that would
    overprint one before it is hidden."""


@with_config(_CONTRACT)
class BasemapLook(TypedDict):
    """Leaflet options of the base map's lines and fills."""

    land: LeafletOptions
    """Countries."""
    admin: LeafletOptions
    """Province borders."""
    river: LeafletOptions
    """Rivers."""


@with_config(_CONTRACT)
class Panes(TypedDict):
    """Stacking order (z-index) of the base map's panes."""

    land: int
    """Countries."""
    admin: int
    """Province borders."""
    rivers: int
    """Rivers."""
    labels: int
    """Place labels."""


@with_config(_CONTRACT)
class StoryLook(TypedDict):
    """How the map moves to a story step."""

    fly: float
    """Flight time to a step's frame (s)."""
    margin: int
    """Margin kept around the frame, clear of the card and the timeline (px)."""


@with_config(_CONTRACT)
class MarkerLook(TypedDict):
    """How place markers follow the zoom and their relevance."""

    zoomScale: list[tuple[int, float]]
    """``[zoom, factor]`` steps: a marker's radius is its style's times the factor of the
    deepest step at or above the map's zoom (the first step's below it)."""
    minorBelowZoom: int
    """Below this zoom the minor markers are hidden."""
    minorKinds: list[str]
    """Kinds of place whose markers can be minor."""
    minorStatuses: list[str]
    """Statuses that make such a marker minor (never or not yet held by IS)."""


@with_config(_CONTRACT)
class Notes(TypedDict):
    """Wording of the legend's notes and the popups, escaped text."""

    approximate: str
    """Legend note on dashed outlines."""
    low: str
    """Legend note on dotted outlines."""
    all: str
    """Legend note that every shape is approximate."""
    more: str
    """Popup line pointing to the notes beside the map."""
    approximateWord: str
    """Popup word for an approximate or low-confidence record."""
    allOff: str
    """Said under the timeline while every layer is switched off."""


@with_config(_CONTRACT)
class BrowserStyle(TypedDict):
    """The script's whole style (:func:`geomap.core.style.browser_style`)."""

    basemap: BasemapLook
    """The base map's look."""
    panes: Panes
    """The base map's panes."""
    narrow: int
    """Below this map width (px) the timeline stacks and the legend starts folded."""
    story: StoryLook
    """Story flights."""
    markers: MarkerLook
    """Place markers by zoom and relevance."""
    notes: Notes
    """Wording."""
    css: dict[str, str]
    """CSS custom properties set on the map's container, read by ``geomap.css``."""


@with_config(_CONTRACT)
class Tiles(TypedDict):
    """The optional online street map (off until the reader asks for it)."""

    url: str
    """Tile URL template."""
    attribution: str
    """Attribution, HTML."""
    opacity: float
    """Tile opacity."""
    maxZoom: int
    """Highest zoom with tiles."""


@with_config(_CONTRACT)
class StoryStepPayload(TypedDict):
    """One step of a story."""

    title: str
    """Escaped text."""
    day: int
    """The step's date (day number)."""
    bounds: tuple[tuple[float, float], tuple[float, float]]
    """The frame to fly to, Leaflet's ``[[south, west], [north, east]]``."""
    place: str | None
    """Id of the thing selected on the step, or null."""
    layers: list[str]
    """Names of the layers shown on the step."""
    body: str
    """HTML made by Python from escaped text: the step's text, its fact check and sources
    (:func:`geomap.web.story_payload.step_body`)."""


@with_config(_CONTRACT)
class StoryPayload(TypedDict):
    """A guided story (``data/stories``)."""

    id: str
    """Story id (a slug), as in links (``?story=``)."""
    title: str
    """Escaped text."""
    summary: str
    """Escaped text."""
    steps: list[StoryStepPayload]
    """Its steps, numbered from 1 in links and on the card."""


@with_config(_CONTRACT)
class Payload(TypedDict):
    """Everything the map script needs to draw any date (``geomapInit(map, payload)``)."""

    version: Version
    """Version of this contract; the script refuses any other."""
    start: int
    """First day of the timeline (day number)."""
    end: int
    """Last day of the timeline (day number)."""
    initial: int | None
    """Day to open on, or null for ``defaultDay``."""
    defaultDay: int
    """Day the map opens on unless told otherwise."""
    layers: list[LayerEntry]
    """The layers, in drawing order."""
    status: dict[str, StatusEntry]
    """Each status (``s`` of a record) and how it is shown."""
    style: BrowserStyle
    """The script's style."""
    styles: list[LeafletOptions]
    """The records' distinct Leaflet options, each sent once (``si`` of a record)."""
    records: list[RecordPayload]
    """Every record of every layer, ordered by layer, id and date."""
    pieces: list[PiecePayload]
    """The land model's shared pieces; their records come without a geometry."""
    sides: dict[str, SideEntry]
    """The sides, by slug (``cl`` of a record)."""
    things: dict[str, ThingEntry]
    """Every thing with records, by id, for flying to it."""
    events: list[tuple[int, str, str, str]]
    """Dated captures and losses as ``[day, kind, escaped label, thing id]`` (kind: capture,
    loss or contested), oldest first; ticks on the timeline and the targets of its step
    buttons."""
    areas: list[tuple[int, int]]
    """IS-held area as ``[day, km²]`` from each day on which it changes."""
    basemap: Basemap
    """The base geography."""
    tiles: Tiles
    """The optional online street map."""
    attribution: str
    """The map's attribution line, HTML."""
    stories: list[StoryPayload]
    """The stories of the Story panel (or the one a story page scrolls through)."""
    storyScroll: str | None
    """Id of the story a scrolling page drives (the HTML story export; the map then has no
    Story panel of its own), or null."""


@with_config(_CONTRACT)
class Command(TypedDict):
    """What Python tells the live map to do (``geomapCommand``), run once per ``nonce``."""

    nonce: str
    """Tells commands apart: one with the nonce of the last is ignored."""
    date: str
    """Date to show (ISO), under the one date policy (``dayRule`` in ``dates.js``)."""
    place: str | None
    """Id of the thing to select, or null for none."""
    layers: list[str]
    """Names of the layers to show (the others are hidden)."""
    fly: bool
    """Fly to ``place`` and open its popup."""
    reveal: NotRequired[bool]
    """Scroll the page so the map is in view (asked from a panel far below it)."""
    story: NotRequired[str | None]
    """Open this story at ``step``; null leaves the story being read."""
    step: NotRequired[int | None]
    """Step to open (from 1)."""


@with_config(_CONTRACT)
class ComponentValue(TypedDict, total=False):
    """What the live map reports back (the streamlit-folium component value)."""

    date: str
    """Date shown (ISO)."""
    place: str | None
    """Id of the selected thing, or null."""
    layers: list[str]
    """Names of the layers shown, in the registry's order."""
    story: str | None
    """Id of the story being read, or null."""
    step: int | None
    """Step being read (from 1), or null."""
    nonce: str
    """The map's session and a count: a value with the nonce of the last is ignored."""


def _tidy(node: object) -> None:
    """One line per description; no property titles (pydantic's ``K`` for ``k`` says nothing)."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            node["description"] = " ".join(node["description"].split())
        for prop in node.get("properties", {}).values():
            prop.pop("title", None)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def payload_json_schema() -> dict[str, Any]:
    """The JSON Schema of the payload; the two messages are in its ``$defs``."""
    schema = TypeAdapter(Payload).json_schema()
    defs = schema.setdefault("$defs", {})
    for message in (Command, ComponentValue):
        defs[message.__name__] = TypeAdapter(message).json_schema()
    _tidy(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://geomap.invalid/payload.schema.json"
    return schema
