"""Timeline animations: GIF (Pillow) and MP4 (imageio-ffmpeg, when installed).

One frame per date on which anything shown changes (a territory snapshot or a
change of control) between the first and last date, each stamped with its
date. The figure, basemap, legend and credits are drawn once; each frame only
swaps the dated layers (see :class:`geomap.export.mapfigure.MapFigure`).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from geomap.citations import credits_line, numbered_sources
from geomap.dates import overlaps
from geomap.export.framing import map_bbox
from geomap.export.gif import write_gif_stream
from geomap.export.mapfigure import MapFigure
from geomap.export.options import (
    ANIMATION_SIZE,
    MAX_FRAMES,
    ExportError,
    ExportOptions,
    Progress,
    output_size,
)
from geomap.export.text import format_date, format_km2
from geomap.geodesy import held_area_on
from geomap.io import Feature
from geomap.model import Source
from geomap.timeline import state_at

#: How long each frame shows (ms); the first and last frames hold longer.
FRAME_MS = 250
FIRST_MS = 1000
LAST_MS = 2500

#: MP4 frame rate; a frame is repeated to hold it as long as in the GIF.
MP4_FPS = 4


def frame_dates(
    features: Sequence[Feature], start: dt.date, end: dt.date, layers: Sequence[str] = ()
) -> list[dt.date]:
    """``start`` and every later date up to ``end`` on which a shown record begins or ends."""
    wanted = set(layers) or None
    days = {start}
    for f in features:
        if wanted is not None and f.props.layer not in wanted:
            continue
        for day in (f.props.valid_from, f.props.valid_to):
            if day is not None and start < day <= end:
                days.add(day)
    return sorted(days)


def mp4_available() -> bool:
    """Whether imageio-ffmpeg (and so its bundled ffmpeg) is installed."""
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def require_mp4() -> None:
    """Raise :class:`ExportError` when MP4 cannot be written here."""
    if not mp4_available():
        raise ExportError(
            "mp4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); "
            "use --format gif instead"
        )


def _frames(
    features: Sequence[Feature],
    options: ExportOptions,
    start: dt.date,
    end: dt.date,
    basemap: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, Source],
    progress: Progress | None,
) -> Iterator[np.ndarray]:
    layers = options.layers
    days = frame_dates(features, start, end, layers)
    if len(days) > MAX_FRAMES:
        raise ExportError(
            f"{len(days)} frames is more than the limit of {MAX_FRAMES}; choose a shorter "
            "--from/--to range"
        )
    wanted = set(layers) or None
    in_range = [
        f
        for f in features
        if overlaps(f.props.valid_from, f.props.valid_to, start, end + dt.timedelta(days=1))
        and (wanted is None or f.props.layer in wanted)
    ]
    publishers = sorted(
        {n.source.publisher for n in numbered_sources(in_range, sources) if n.source}
    )
    credits = [
        credits_line(options.root),
        "Feature sources (publishers; the full list is in any static map or data export): "
        + "; ".join(publishers)
        + ".",
    ]
    title = options.title or f"IS-held territory, {format_date(start)} to {format_date(end)}"
    fig = MapFigure(
        map_bbox(options, features, basemap.get("places", [])),
        output_size(options, ANIMATION_SIZE),
        basemap,
        title,
        in_range,
        credits,
        date_stamp=True,
        places=features,
    )
    try:
        for i, day in enumerate(days, start=1):
            shown = state_at(in_range, day)
            area = format_km2(held_area_on(features, day))
            fig.show(shown, f"IS-held area: {area}", stamp=day.isoformat())
            yield fig.draw_frame()
            if progress is not None:
                progress(i, len(days))
    finally:
        fig.close()


def durations(count: int) -> list[int]:
    """Milliseconds each of ``count`` frames shows."""
    out = [FRAME_MS] * count
    if count:
        out[0] = FIRST_MS
        out[-1] = LAST_MS
    return out


def write_gif(frames: Iterator[np.ndarray], path: Path, times: Sequence[int]) -> int:
    """Write frames as a looping GIF, one at a time (:mod:`.gif`); return the frame count.

    ``times`` gives each frame's duration in milliseconds.
    """
    written = write_gif_stream(frames, path, list(times))
    if not written:
        raise ExportError("nothing to animate between those dates")
    return written


def write_mp4(frames: Iterator[np.ndarray], path: Path, times: Sequence[int]) -> int:
    """Write frames as an H.264 MP4 (yuv420p, plays in browsers); return the frame count.

    Each frame is repeated to last its ``times`` entry (ms) at :data:`MP4_FPS`.
    """
    require_mp4()
    import imageio_ffmpeg

    writer: Any = None
    repeats = [max(1, round(ms * MP4_FPS / 1000)) for ms in times]
    written = 0
    try:
        for frame, count in zip(frames, repeats, strict=False):
            height, width = (frame.shape[0] // 2) * 2, (frame.shape[1] // 2) * 2
            even = np.ascontiguousarray(frame[:height, :width])
            if writer is None:
                writer = imageio_ffmpeg.write_frames(
                    str(path),
                    (width, height),
                    fps=MP4_FPS,
                    codec="libx264",
                    macro_block_size=2,
                    ffmpeg_log_level="error",
                )
                writer.send(None)
            for _ in range(count):
                writer.send(even)
            written += 1
    finally:
        if writer is not None:
            writer.close()
    return written


def write_animation(
    features: Sequence[Feature],
    fmt: str,
    path: Path,
    options: ExportOptions,
    start: dt.date,
    end: dt.date,
    basemap: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, Source],
    progress: Progress | None = None,
) -> int:
    """Write a GIF or MP4 of ``start`` to ``end``; return the number of frames."""
    frames = _frames(features, options, start, end, basemap, sources, progress)
    count = len(frame_dates(features, start, end, options.layers))
    return write_frames(fmt, frames, path, durations(count))


def write_frames(fmt: str, frames: Iterator[np.ndarray], path: Path, times: Sequence[int]) -> int:
    """Write ``frames`` as ``gif`` or ``mp4``, each lasting its ``times`` entry (ms)."""
    if fmt == "mp4":
        return write_mp4(frames, path, times)
    return write_gif(frames, path, times)
