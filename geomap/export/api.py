"""One entry point for every export format, shared by the CLI and the app.

:func:`export` writes a file (atomically); :func:`export_bytes` returns the
bytes, for a download button. Both check the request first with
:func:`check_request`, so a bad request fails before any drawing and leaves no
file behind.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import box

from geomap.export.atomic import atomic_output, check_writable
from geomap.export.formats import FORMATS, Job
from geomap.export.options import (
    ANIMATION_SIZE,
    STATIC_SIZE,
    ExportError,
    ExportOptions,
    Progress,
    Size,
    animation_range,
    check_bbox,
    check_date,
    check_format,
    check_layers,
    output_size,
)
from geomap.io import BASEMAP_NAMES, Feature, load_basemap, load_sources
from geomap.layers import LAYERS
from geomap.model import Source
from geomap.text import text_problem


@dataclass(frozen=True)
class Resources:
    """The base geography and bibliography an export draws on."""

    basemap: Mapping[str, list[dict[str, Any]]]
    sources: Mapping[str, Source]


def load_resources(root: Path | None = None) -> Resources:
    """Read the basemap layers and ``sources.json`` from the data folder."""
    return Resources(
        basemap={name: load_basemap(name, root) for name in BASEMAP_NAMES},
        sources=load_sources(root),
    )


def check_request(
    features: Sequence[Feature],
    fmt: str,
    options: ExportOptions,
    resources: Resources | None = None,
) -> tuple[str, ExportOptions]:
    """Check a request; return the format family and the options with layers normalised.

    Raises
    ------
    ExportError
        One line naming the first problem.
    """
    from geomap.export.framing import map_bbox

    family = check_format(fmt)
    if options.title is not None:
        problem = text_problem(options.title, markup=False)
        if problem is not None:
            raise ExportError(f"--title {problem}")
    if options.story is not None:
        return _check_story_request(fmt, family, options)
    layers = check_layers(options.layers)
    if not layers and family in ("static", "animation"):
        # Pictures show what the app shows by default (the control layer only on request);
        # data exports and the HTML map keep every layer.
        layers = tuple(spec.name for spec in LAYERS if spec.default_on)
    options = options.with_changes(layers=layers)
    if family == "animation":
        animation_range(options)
    else:
        check_date(options.date)
        if options.date_from is not None or options.date_to is not None:
            raise ExportError("--from and --to are for animations (gif, mp4); use --date")
    if options.compare_from is not None:
        if family != "static":
            raise ExportError("--compare-from works with the map formats png, svg and pdf")
        check_date(options.compare_from, "--compare-from date")
        if options.compare_from == options.date:
            raise ExportError("--compare-from must be a different date from --date")
    if options.bbox is not None:
        check_bbox(options.bbox)
    _check_output(fmt, family, options, STATIC_SIZE if family == "static" else ANIMATION_SIZE)
    places = (resources or load_resources(options.root)).basemap.get("places", [])
    map_bbox(options, features, places)
    return family, options


#: What a story export refuses: each step gives its own date, frame and layers.
STORY_CONFLICTS = (
    ("date_given", "--date"),
    ("date_from", "--from"),
    ("date_to", "--to"),
    ("bbox", "--bbox"),
    ("place", "--place"),
    ("layers", "--layers"),
    ("compare_from", "--compare-from"),
)


def _check_story_request(
    fmt: str, family: str, options: ExportOptions
) -> tuple[str, ExportOptions]:
    """Check a ``--story`` export: its format, the options it leaves to the steps, the story."""
    from geomap.export.story import STORY_SIZE, story_for

    if family not in ("html", "animation"):
        raise ExportError(f"--story works with html, gif and mp4, not {fmt}")
    for name, flag in STORY_CONFLICTS:
        if getattr(options, name):
            raise ExportError(f"{flag} cannot be used with --story: each step sets its own")
    _check_output(fmt, family, options, STORY_SIZE)
    story_for(options)
    return family, options


def _check_output(fmt: str, family: str, options: ExportOptions, size: Size) -> None:
    """Check what the output needs: mp4's encoder, and a size only for pictures.

    ``size`` is the format's default size (see :func:`output_size`).
    """
    if fmt == "mp4":
        from geomap.export.animation import require_mp4

        require_mp4()
    if family in ("static", "animation"):
        output_size(options, size)
    elif options.preset or options.width or options.height:
        raise ExportError(f"--preset, --width and --height apply to images, not {fmt}")


def in_frame(features: Sequence[Feature], job: Job) -> list[Feature]:
    """Records that touch the frame, when ``--bbox`` or ``--place`` asks for one."""
    from geomap.export.framing import map_bbox

    options, places = job.options, job.resources.basemap.get("places", [])
    if options.bbox is None and options.place is None:
        return list(features)
    frame = box(*map_bbox(options, job.features, places))
    return [f for f in features if f.geometry.intersects(frame)]


def export(
    features: Sequence[Feature],
    fmt: str,
    out: Path | str,
    options: ExportOptions | None = None,
    *,
    resources: Resources | None = None,
    progress: Progress | None = None,
) -> Path:
    """Export ``features`` (usually all records of all layers) to ``out`` as ``fmt``.

    Parameters
    ----------
    features
        All records; the export picks the date, layers and frame from ``options``.
    fmt
        One of :data:`geomap.export.formats.FORMATS`.
    out
        Target file; written through a temporary file and renamed at the end.
    options
        Date, size, frame, layers, title, animation range, comparison date.
    resources
        Basemap and bibliography, when already loaded (the app keeps them).
    progress
        Called with ``(done, total)`` after each animation frame.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ExportError
        A bad request or an unwritable target (nothing is left at ``out``).
    """
    options = options or ExportOptions()
    out = Path(out)
    resources = resources or load_resources(options.root)
    family, options = check_request(features, fmt, options, resources)
    check_writable(out)
    with atomic_output(out) as tmp:
        _write(features, fmt, family, tmp, options, resources, progress)
    return out


def export_bytes(
    features: Sequence[Feature],
    fmt: str,
    options: ExportOptions | None = None,
    *,
    resources: Resources | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Like :func:`export`, but return the file's bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="geomap-export-") as folder:
        path = export(
            features,
            fmt,
            Path(folder) / f"export.{fmt}",
            options,
            resources=resources,
            progress=progress,
        )
        return path.read_bytes()


def file_name(fmt: str, options: ExportOptions) -> str:
    """A download name such as ``geomap-2016-07-04.png`` or ``geomap-2014-01-01-2019-05-31.gif``."""
    if options.story is not None:
        return f"geomap-story-{options.story}.{fmt}"
    if check_format(fmt) == "animation":
        start, end = animation_range(options)
        return f"geomap-{start.isoformat()}-{end.isoformat()}.{fmt}"
    return f"geomap-{options.date.isoformat()}.{fmt}"


def _write(
    features: Sequence[Feature],
    fmt: str,
    family: str,
    path: Path,
    options: ExportOptions,
    resources: Resources,
    progress: Progress | None,
) -> None:
    """Write ``fmt`` to ``path`` with the format's writer (``family`` is checked already)."""
    FORMATS[fmt].write(Job(features, fmt, path, options, resources, progress))
