"""The one table of export formats: family, MIME type, label and writer of each.

The CLI's help, the app's format picker and the download buttons all read
:data:`FORMATS`; :func:`geomap.export.export` looks the writer up here. Writers
import their drawing libraries only when called.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geomap.io import Feature

if TYPE_CHECKING:
    from geomap.export.api import Resources
    from geomap.export.options import ExportOptions, Progress

Family = Literal["static", "animation", "data", "html"]


@dataclass(frozen=True)
class Job:
    """One export to write: every record, the target file and what was asked for."""

    features: Sequence[Feature]
    fmt: str
    path: Path
    options: ExportOptions
    resources: Resources
    progress: Progress | None


Writer = Callable[[Job], None]


@dataclass(frozen=True)
class Format:
    """An export format."""

    family: Family
    mime: str
    label: str
    write: Writer


def shown_on_date(job: Job) -> list[Feature]:
    """Records valid on the export's date, on its layers, touching its frame."""
    from geomap.export.api import in_frame
    from geomap.timeline import state_at

    options = job.options
    return in_frame(state_at(job.features, options.date, options.layers or None), job)


def description(options: ExportOptions) -> str:
    """The credits of a data export, in one paragraph."""
    from geomap.citations import credits_line

    return (
        f"geomap export for {options.date.isoformat()}. {credits_line(options.root)} "
        "Each feature's sources are in its sources field (keys into data/sources.json)."
    )


def _static(job: Job) -> None:
    from geomap.export.static import write_static

    res = job.resources
    write_static(job.features, job.fmt, job.path, job.options, res.basemap, res.sources)


def _animation(job: Job) -> None:
    from geomap.export.animation import write_animation
    from geomap.export.options import animation_range

    if job.options.story is not None:
        from geomap.export.story import write_story_animation

        write_story_animation(
            job.features, job.fmt, job.path, job.options, job.resources.basemap, job.progress
        )
        return

    start, end = animation_range(job.options)
    res = job.resources
    write_animation(
        job.features,
        job.fmt,
        job.path,
        job.options,
        start,
        end,
        res.basemap,
        res.sources,
        job.progress,
    )


def _geojson(job: Job) -> None:
    from geomap.export.data import write_geojson

    write_geojson(shown_on_date(job), job.path)


def _csv(job: Job) -> None:
    from geomap.export.data import write_csv

    write_csv(shown_on_date(job), job.path)


def _gpkg(job: Job) -> None:
    from geomap.export.data import write_gpkg

    write_gpkg(shown_on_date(job), job.path, description(job.options))


def _kml(job: Job) -> None:
    from geomap.export.kml import write_kml
    from geomap.export.static import default_title

    title = job.options.title or default_title(job.options)
    write_kml(shown_on_date(job), job.path, job.resources.sources, title, description(job.options))


def _html(job: Job) -> None:
    from geomap.export.framing import map_bbox
    from geomap.export.html import build_html
    from geomap.export.static import default_title
    from geomap.export.text import format_date, format_km2
    from geomap.geodesy import held_area_on

    options, res = job.options, job.resources
    if options.story is not None:
        from geomap.export.story import build_story_page, story_for

        page = build_story_page(
            job.features,
            story_for(options),
            res.basemap,
            res.sources,
            title=options.title,
            root=options.root,
        )
        job.path.write_text(page, encoding="utf-8")
        return
    wanted = set(options.layers) or None
    records = [f for f in job.features if wanted is None or f.props.layer in wanted]
    page = build_html(
        records,
        shown_on_date(job),
        res.basemap,
        res.sources,
        title=options.title or default_title(options),
        subtitle=(
            f"IS-held area on {format_date(options.date)}: "
            f"{format_km2(held_area_on(job.features, options.date))}. "
            "The map opens on this date; move the timeline to see others."
        ),
        date_text=format_date(options.date),
        day=options.date,
        bbox=map_bbox(options, job.features, res.basemap.get("places", [])),
        root=options.root,
    )
    job.path.write_text(page, encoding="utf-8")


#: Every export format, in the order menus list them.
FORMATS: dict[str, Format] = {
    "png": Format("static", "image/png", "PNG image (web)", _static),
    "svg": Format("static", "image/svg+xml", "SVG image (editable)", _static),
    "pdf": Format("static", "application/pdf", "PDF (print)", _static),
    "gif": Format(
        "animation", "image/gif", "GIF animation of the whole period (or of a story)", _animation
    ),
    "mp4": Format(
        "animation", "video/mp4", "MP4 video of the whole period (or of a story)", _animation
    ),
    "geojson": Format("data", "application/geo+json", "GeoJSON (state on this date)", _geojson),
    "gpkg": Format("data", "application/geopackage+sqlite3", "GeoPackage (QGIS, GDAL)", _gpkg),
    "kml": Format("data", "application/vnd.google-earth.kml+xml", "KML (Google Earth)", _kml),
    "csv": Format("data", "text/csv", "CSV of places with lon/lat", _csv),
    "html": Format(
        "html", "text/html", "Interactive HTML map (or scrolling story) that works offline", _html
    ),
}
