"""The one table of export formats: each row's capabilities and its writer.

A row says what its format needs and allows, and :func:`geomap.export.plan.check_request`
reads only that: which dates it draws (one date, a range of frames, or a story's
steps), its default picture size (``None``: not a picture, so ``--preset``,
``--width`` and ``--height`` are refused), whether ``--bbox``/``--place`` frame
it, whether ``--compare-from`` is allowed, and which layers it shows when none
are asked for. Story exports are rows of their own (:data:`STORY_FORMATS`), with
their own writers. Adding a format, or a whole family, is one row here and its
writer: the CLI help, the app's picker, the download buttons and the checks all
read these tables.

Writers import their drawing libraries only when called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from geomap.export.encoders import require_mp4
from geomap.export.options import ANIMATION_SIZE, STATIC_SIZE, ExportError, Size

if TYPE_CHECKING:
    from geomap.export.job import Job

#: What a format draws: the state on one date, frames over a range of dates, or a story's steps.
Dates = Literal["date", "range", "steps"]
#: Layers drawn when none are asked for: every layer, or those the app shows by default.
DefaultLayers = Literal["all", "app"]


@dataclass(frozen=True)
class Format:
    """An export format: what it is, what it can do, and its writer."""

    name: str
    mime: str
    label: str
    #: The writer, as ``module:function`` taking a :class:`~geomap.export.job.Job`; it is
    #: imported only when a file of this format is written.
    writer: str
    dates: Dates
    #: Default picture size; ``None`` for files that are not pictures.
    size: Size | None = None
    #: ``--bbox`` and ``--place`` frame the output (data files keep only what touches the frame).
    framed: bool = True
    #: ``--compare-from`` is allowed.
    compare: bool = False
    default_layers: DefaultLayers = "all"
    #: ``--story`` asks for this row.
    story: bool = False
    #: Checks that an encoder the format needs is installed (raises ExportError).
    requires: Callable[[], None] | None = None
    #: Where the numbered sources go when they are not on the map: ``"file"`` (a
    #: ``NAME.sources.txt`` beside it), ``"page"`` (a second page) or ``None`` (the
    #: format carries no credits of its own, or a story's).
    sources: Literal["file", "page"] | None = None

    def write(self, job: Job) -> None:
        """Write ``job`` with this format's writer."""
        module, _, name = self.writer.partition(":")
        getattr(importlib.import_module(module), name)(job)


def _rows(*rows: Format) -> dict[str, Format]:
    return {row.name: row for row in rows}


def _map(name: str, mime: str, label: str) -> Format:
    """A static map of one date, framed, with an optional comparison date."""
    return Format(
        name,
        mime,
        label,
        "geomap.export.static:write_static",
        "date",
        size=STATIC_SIZE,
        compare=True,
        default_layers="app",
        sources="page" if name == "pdf" else "file",
    )


def _frames(name: str, mime: str, label: str, requires: Callable[[], None] | None = None) -> Format:
    """An animation with a frame for every date on which anything shown changes."""
    return Format(
        name,
        mime,
        label,
        "geomap.export.animation:write_animation",
        "range",
        size=ANIMATION_SIZE,
        default_layers="app",
        requires=requires,
        sources="file",
    )


#: Every export format, in the order menus list them.
FORMATS: dict[str, Format] = _rows(
    _map("png", "image/png", "PNG image (web)"),
    _map("svg", "image/svg+xml", "SVG image (editable)"),
    _map("pdf", "application/pdf", "PDF (print)"),
    _frames("gif", "image/gif", "GIF animation of the whole period (or of a story)"),
    _frames("mp4", "video/mp4", "MP4 video of the whole period (or of a story)", require_mp4),
    Format(
        "geojson",
        "application/geo+json",
        "GeoJSON (state on this date)",
        "geomap.export.data:write_geojson_job",
        "date",
    ),
    Format(
        "gpkg",
        "application/geopackage+sqlite3",
        "GeoPackage (QGIS, GDAL)",
        "geomap.export.data:write_gpkg_job",
        "date",
    ),
    Format(
        "kml",
        "application/vnd.google-earth.kml+xml",
        "KML (Google Earth)",
        "geomap.export.kml:write_kml_job",
        "date",
    ),
    Format(
        "csv", "text/csv", "CSV of places with lon/lat", "geomap.export.data:write_csv_job", "date"
    ),
    Format(
        "html",
        "text/html",
        "Interactive HTML map (or scrolling story) that works offline",
        "geomap.export.html:write_html",
        "date",
    ),
)

#: Story size: landscape, so the legend sits beside the map, and tall enough for the caption.
STORY_SIZE = Size(1000, 720, ANIMATION_SIZE.dpi)

#: Story exports (``--story ID``): each step gives its own date, frame and layers.
STORY_FORMATS: dict[str, Format] = _rows(
    Format(
        "html",
        "text/html",
        "Scrolling story page that works offline",
        "geomap.export.story:write_story_page",
        "steps",
        framed=False,
        story=True,
    ),
    Format(
        "gif",
        "image/gif",
        "GIF, one captioned frame per step",
        "geomap.export.story:write_story_animation",
        "steps",
        size=STORY_SIZE,
        framed=False,
        story=True,
    ),
    Format(
        "mp4",
        "video/mp4",
        "MP4, one captioned frame per step",
        "geomap.export.story:write_story_animation",
        "steps",
        size=STORY_SIZE,
        framed=False,
        story=True,
        requires=require_mp4,
    ),
)


def names_of(rows: dict[str, Format]) -> str:
    """``html, gif and mp4``: the names of some rows, for messages."""
    names = list(rows)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def format_row(fmt: str, *, story: bool = False) -> Format:
    """The row of ``fmt`` (a story row when ``story``), or a one-line :class:`ExportError`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if story:
        if fmt not in STORY_FORMATS:
            raise ExportError(f"--story works with {names_of(STORY_FORMATS)}, not {fmt}")
        return STORY_FORMATS[fmt]
    return FORMATS[fmt]
