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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geomap.export.options import ANIMATION_SIZE, STATIC_SIZE, ExportError, Size

if TYPE_CHECKING:
    from geomap.data.dataset import Dataset
    from geomap.export.options import Progress
    from geomap.export.plan import Plan

#: What a format draws: the state on one date, frames over a range of dates, or a story's steps.
Dates = Literal["date", "range", "steps"]
#: Layers drawn when none are asked for: every layer, or those the app shows by default.
DefaultLayers = Literal["all", "app"]


@dataclass(frozen=True)
class Job:
    """One export to write: the data, the resolved plan, the target file and a progress hook."""

    dataset: Dataset
    plan: Plan
    path: Path
    progress: Progress | None


Writer = Callable[[Job], None]


@dataclass(frozen=True)
class Format:
    """An export format: what it is, what it can do, and its writer."""

    name: str
    mime: str
    label: str
    write: Writer
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


def _static(job: Job) -> None:
    from geomap.export.static import write_static

    write_static(job)


def _animation(job: Job) -> None:
    from geomap.export.animation import write_animation

    write_animation(job)


def _story_animation(job: Job) -> None:
    from geomap.export.story import write_story_animation

    write_story_animation(job)


def _geojson(job: Job) -> None:
    from geomap.export.data import write_geojson
    from geomap.export.shown import shown_on_date

    write_geojson(shown_on_date(job), job.path)


def _csv(job: Job) -> None:
    from geomap.export.data import write_csv
    from geomap.export.shown import shown_on_date

    write_csv(shown_on_date(job), job.path)


def _gpkg(job: Job) -> None:
    from geomap.export.data import write_gpkg
    from geomap.export.shown import description, shown_on_date

    write_gpkg(shown_on_date(job), job.path, description(job))


def _kml(job: Job) -> None:
    from geomap.export.kml import write_kml
    from geomap.export.plan import default_title
    from geomap.export.shown import description, shown_on_date

    title = job.plan.title or default_title(job.plan)
    write_kml(shown_on_date(job), job.path, job.dataset.sources, title, description(job))


def _html(job: Job) -> None:
    from geomap.export.html import write_html

    write_html(job)


def _story_html(job: Job) -> None:
    from geomap.export.story import write_story_page

    write_story_page(job)


def _rows(*rows: Format) -> dict[str, Format]:
    return {row.name: row for row in rows}


def _map(name: str, mime: str, label: str) -> Format:
    """A static map of one date, framed, with an optional comparison date."""
    return Format(
        name, mime, label, _static, "date", size=STATIC_SIZE, compare=True, default_layers="app"
    )


def _frames(name: str, mime: str, label: str) -> Format:
    """An animation with a frame for every date on which anything shown changes."""
    return Format(name, mime, label, _animation, "range", size=ANIMATION_SIZE, default_layers="app")


#: Every export format, in the order menus list them.
FORMATS: dict[str, Format] = _rows(
    _map("png", "image/png", "PNG image (web)"),
    _map("svg", "image/svg+xml", "SVG image (editable)"),
    _map("pdf", "application/pdf", "PDF (print)"),
    _frames("gif", "image/gif", "GIF animation of the whole period (or of a story)"),
    _frames("mp4", "video/mp4", "MP4 video of the whole period (or of a story)"),
    Format("geojson", "application/geo+json", "GeoJSON (state on this date)", _geojson, "date"),
    Format("gpkg", "application/geopackage+sqlite3", "GeoPackage (QGIS, GDAL)", _gpkg, "date"),
    Format("kml", "application/vnd.google-earth.kml+xml", "KML (Google Earth)", _kml, "date"),
    Format("csv", "text/csv", "CSV of places with lon/lat", _csv, "date"),
    Format(
        "html",
        "text/html",
        "Interactive HTML map (or scrolling story) that works offline",
        _html,
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
        _story_html,
        "steps",
        framed=False,
        story=True,
    ),
    Format(
        "gif",
        "image/gif",
        "GIF, one captioned frame per step",
        _story_animation,
        "steps",
        size=STORY_SIZE,
        framed=False,
        story=True,
    ),
    Format(
        "mp4",
        "video/mp4",
        "MP4, one captioned frame per step",
        _story_animation,
        "steps",
        size=STORY_SIZE,
        framed=False,
        story=True,
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
