"""The one registry of geomap's layers.

Every place that needs the list of layers derives it from :data:`LAYERS`: the
files read by :mod:`geomap.io`, the schema's allowed ``layer`` values, the
legend and colours of the app and the exports, the words of the notes panel,
the browser's panes (sent in the payload), the URL and CLI choices, and the
fixture lists of the tests. Adding a layer means adding one :class:`LayerSpec`
here, a builder in ``tools/`` and its curated source file.

Order matters: it is the display order (legend, exports, payload) and, through
``z``, the stacking order in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from geomap.core.palette import OKABE_ITO

#: What decides the look of a record: its ``kind`` (areas and lines, coloured by
#: layer) or its ``status`` (place markers, coloured by who held the place).
StyleBy = Literal["kind", "status", "controller"]


@dataclass(frozen=True)
class LegendEntry:
    """A legend row for one kind of record a layer holds."""

    kind: str
    label: str


@dataclass(frozen=True)
class LayerSpec:
    """One layer: where it lives, how it is named and how it is drawn.

    Attributes
    ----------
    name
        The ``layer`` value of its records, and its name in URLs and on the CLI.
    file
        File name in ``layers/``.
    label
        Legend and export label.
    colour
        Fill and outline colour of its areas (markers use the status colours).
    noun
        What one thing of the layer is called in the notes panel.
    z
        Stacking order of its pane in the browser (higher is on top).
    style_by
        Whether its records are styled by ``kind``, by ``status`` (place markers)
        or by ``controller`` (areas coloured by the side that held them).
    legend
        Legend rows for kinds drawn with their own label (default: ``label``).
    default_on
        Whether the app shows it before the reader switches it on.
    """

    name: str
    file: str
    label: str
    colour: str
    noun: str
    z: int
    style_by: StyleBy = "kind"
    legend: tuple[LegendEntry, ...] = field(default=())
    default_on: bool = True

    def kind_label(self, kind: str) -> str:
        """Legend label for records of ``kind`` on this layer."""
        for entry in self.legend:
            if entry.kind == kind:
                return entry.label
        return self.label


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        name="control",
        file="control.geojson",
        label="Control of terrain",
        colour=OKABE_ITO["black"],
        noun="area of control",
        z=396,
        style_by="controller",
        legend=(LegendEntry("desert", "Thinly held desert"),),
        default_on=False,
    ),
    LayerSpec(
        name="territory",
        file="territory.geojson",
        label="IS-held territory",
        colour=OKABE_ITO["vermillion"],
        noun="IS-held territory",
        z=400,
        legend=(LegendEntry("desert", "IS desert zone (no town held)"),),
    ),
    LayerSpec(
        name="hajin",
        file="hajin.geojson",
        label="Hajin pocket",
        colour=OKABE_ITO["purple"],
        noun="Hajin pocket",
        z=402,
    ),
    LayerSpec(
        name="euphrates_bend",
        file="euphrates_bend.geojson",
        label="Euphrates near Hajin",
        colour=OKABE_ITO["blue"],
        noun="Euphrates bend",
        z=404,
        legend=(
            LegendEntry("river", "River course, Abu Kamal to Mayadin"),
            LegendEntry("bend", "The bend at Hajin"),
        ),
    ),
    LayerSpec(
        name="captured_cities",
        file="captured_cities.geojson",
        label="Cities",
        colour=OKABE_ITO["black"],
        noun="city",
        z=450,
        style_by="status",
    ),
    LayerSpec(
        name="settlements",
        file="settlements.geojson",
        label="Towns and villages",
        colour=OKABE_ITO["black"],
        noun="town or village",
        z=448,
        style_by="status",
    ),
    LayerSpec(
        name="idlib_front",
        file="idlib_front.geojson",
        label="Idlib front and Sochi zone",
        colour=OKABE_ITO["orange"],
        noun="Idlib front",
        z=406,
        legend=(
            LegendEntry("front", "Idlib rebel-held area"),
            LegendEntry("zone", "Sochi demilitarised zone"),
        ),
    ),
)


def layer_names() -> tuple[str, ...]:
    """Names of every layer, in display order."""
    return tuple(spec.name for spec in LAYERS)


def layer_spec(name: str) -> LayerSpec:
    """The spec of a layer.

    Raises
    ------
    KeyError
        For a name that is no layer.
    """
    for spec in LAYERS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def layer_files() -> dict[str, str]:
    """Layer name to file name in ``layers/``, in display order."""
    return {spec.name: spec.file for spec in LAYERS}


def display_index(name: str) -> int:
    """Position of a layer in display order (unknown layers last)."""
    names = layer_names()
    return names.index(name) if name in names else len(names)
