"""Timeline animations: GIF (Pillow) and MP4 (imageio-ffmpeg, when installed).

One frame per date on which anything shown changes (a territory snapshot or a
change of control) between the first and last date, each stamped with its
date. The figure, basemap, legend and credits are drawn once; each frame only
swaps the dated layers (see :class:`geomap.export.mapfigure.MapFigure`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from geomap.core.citations import credits_line, numbered_sources
from geomap.core.dates import overlaps
from geomap.core.geodesy import held_area_on
from geomap.core.timeline import state_at
from geomap.data.dataset import Dataset
from geomap.export.credits import SOURCES_WHERE, credit_entries, on_map
from geomap.export.encoders import require_mp4
from geomap.export.gif import write_gif_stream
from geomap.export.job import Job
from geomap.export.mapfigure import MapFigure
from geomap.export.options import ExportError, Progress
from geomap.export.plan import Plan
from geomap.export.shown import label_names
from geomap.export.text import format_date, format_km2

#: How long each frame shows (ms); the first and last frames hold longer.
FRAME_MS = 250
FIRST_MS = 1000
LAST_MS = 2500

#: MP4 frame rate; a frame is repeated to hold it as long as in the GIF.
MP4_FPS = 4


def _frames(
    dataset: Dataset, plan: Plan, progress: Progress | None, cited: list[str] | None = None
) -> Iterator[np.ndarray]:
    """The frames of the plan's range; the full credits are appended to ``cited``."""
    features = dataset.features
    assert plan.start is not None and plan.end is not None and plan.size is not None
    start, end, days = plan.start, plan.end, plan.frames
    wanted = set(plan.layers)
    in_range = [
        f
        for f in features
        if overlaps(f.props.valid_from, f.props.valid_to, start, end + dt.timedelta(days=1))
        and f.props.layer in wanted
    ]
    full = credit_entries(in_range, dataset.sources, dataset.datapackage)
    if cited is not None:
        cited.extend(full)
    if plan.options.credits == "full":
        publishers = sorted(
            {n.source.publisher for n in numbered_sources(in_range, dataset.sources) if n.source}
        )
        credits = [
            credits_line(dataset.datapackage),
            "Feature sources (publishers; the numbered list is in the .sources.txt file "
            "beside this animation): " + "; ".join(publishers) + ".",
        ]
    else:
        credits = on_map(plan.options.credits, full, dataset.datapackage, SOURCES_WHERE["file"])
    title = plan.title or f"IS-held territory, {format_date(start)} to {format_date(end)}"
    fig = MapFigure(
        plan.bbox,
        plan.size,
        dataset.basemap,
        title,
        in_range,
        credits,
        date_stamp=True,
        places=features,
        short_credits=plan.options.credits != "full",
        names=label_names(dataset, plan.options.lang),
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
    _check_mp4(path, sum(repeats[:written]))
    return written


def _check_mp4(path: Path, frames: int) -> None:
    """Refuse an MP4 that does not read back whole, before it replaces anything.

    ffmpeg killed while it writes, or a full disk, can leave a file without its index
    ("moov atom not found") while the writer reports nothing: the file is read back and
    its frames counted.
    """
    import imageio_ffmpeg

    try:
        counted, _seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    except (OSError, RuntimeError, ValueError):
        counted = -1
    if counted != frames:
        raise ExportError(
            "the MP4 did not come out whole (ffmpeg stopped early or the disk is full); "
            "nothing was written"
        )


def write_animation(job: Job) -> int:
    """Write the plan's GIF or MP4, a frame per date of ``plan.frames``; return the frame count."""
    frames = _frames(job.dataset, job.plan, job.progress, job.sources)
    return write_frames(job.plan.fmt, frames, job.path, durations(len(job.plan.frames)))


def write_frames(fmt: str, frames: Iterator[np.ndarray], path: Path, times: Sequence[int]) -> int:
    """Write ``frames`` as ``gif`` or ``mp4``, each lasting its ``times`` entry (ms)."""
    if fmt == "mp4":
        return write_mp4(frames, path, times)
    return write_gif(frames, path, times)
