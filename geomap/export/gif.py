"""A GIF writer that streams: each frame is encoded and written as it arrives.

Pillow's ``save(save_all=True)`` keeps every frame until the end (to merge and
crop them), so memory grows with the frame count and size: 281 frames at
1600 px held about half a gigabyte. This writer keeps two frames at most. It
uses Pillow's documented frame helpers (``GifImagePlugin.getheader`` and
``getdata``) for the header, the palettes and the LZW data, and writes the
container itself, following the GIF89a specification:

* each frame is quantised to its own palette (a local colour table);
* only the rectangle that changed since the previous frame is written, drawn
  over it (disposal 1, "do not dispose");
* a frame identical to the one before adds its time to that frame instead of
  being written, which is why one frame is held back until the next arrives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

#: GIF delays are in hundredths of a second.
_TICK_MS = 10


def _changed_box(prev: np.ndarray | None, frame: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the pixels that differ from ``prev``; None if none do."""
    height, width = frame.shape[:2]
    if prev is None or prev.shape != frame.shape:
        return 0, 0, width, height
    diff = np.any(prev != frame, axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(diff.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _quantise(rgb: np.ndarray) -> Image.Image:
    return Image.fromarray(rgb).quantize(colors=255, method=Image.Quantize.FASTOCTREE)


class _Pending:
    """A frame waiting to be written (its duration may still grow)."""

    def __init__(self, rgb: np.ndarray, box: tuple[int, int, int, int], ms: int) -> None:
        self.rgb, self.box, self.ms = rgb, box, ms


def _write_frame(fh: BinaryIO, pending: _Pending) -> None:
    left, top, right, bottom = pending.box
    image = _quantise(np.ascontiguousarray(pending.rgb[top:bottom, left:right]))
    delay = max(2, round(pending.ms / _TICK_MS)) * _TICK_MS
    for chunk in GifImagePlugin.getdata(
        image, offset=(left, top), duration=delay, disposal=1, include_color_table=True
    ):
        fh.write(chunk)


def write_gif_stream(frames: Iterator[np.ndarray], path: Path, durations: Sequence[int]) -> int:
    """Write RGB ``frames`` to ``path`` as a looping GIF; return the frames drawn.

    ``durations`` gives the milliseconds of each frame in order (frames beyond it
    take its last value).
    """
    drawn = 0
    prev: np.ndarray | None = None
    pending: _Pending | None = None
    with path.open("wb") as fh:
        for index, frame in enumerate(frames):
            ms = durations[min(index, len(durations) - 1)] if durations else 100
            if drawn == 0:
                height, width = frame.shape[:2]
                header, _ = GifImagePlugin.getheader(
                    Image.new("P", (width, height)), info={"loop": 0, "duration": ms}
                )
                for chunk in header:
                    fh.write(chunk)
            drawn += 1
            box = _changed_box(prev, frame)
            prev = frame
            if box is None and pending is not None:
                pending.ms += ms
                continue
            if pending is not None:
                _write_frame(fh, pending)
            pending = _Pending(frame, box or (0, 0, frame.shape[1], frame.shape[0]), ms)
        if pending is not None:
            _write_frame(fh, pending)
        if drawn:
            fh.write(b";")
    return drawn
