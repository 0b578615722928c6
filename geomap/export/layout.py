"""Layout of the printed map: where title, map, legend and credits go, and their sizes.

:func:`layout_for` splits the figure into its parts; :func:`credits_height`
and :func:`fit_columns` size the credits block, which :func:`draw_credits`
writes.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from geomap.export.text import FONT

#: Points per CSS pixel of the app's styles (the printed map is denser than a screen).
PX = 0.6


@dataclass(frozen=True)
class Layout:
    """Where the parts go, as figure fractions ``(left, bottom, width, height)``."""

    title_y: float
    map_rect: tuple[float, float, float, float]
    legend_rect: tuple[float, float, float, float]
    credits_rect: tuple[float, float, float, float]
    legend_columns: int


def layout_for(
    width_in: float, height_in: float, credits_in: float, floor_in: float = 0.7
) -> Layout:
    """Landscape: legend beside the map; portrait: legend under it. Credits at the foot.

    ``credits_in`` is the height in inches the credits need (see :func:`credits_height`);
    the credits band is at least ``floor_in`` high (a full list starts at 0.7 in; a
    short line needs less).
    """
    pad_x, pad_y = 0.12 / width_in, 0.08 / height_in
    title_h = 0.62 / height_in
    top = 1 - title_h
    portrait = width_in / height_in < 1.15
    credits_h = min(max(credits_in + 0.16, floor_in) / height_in, 0.3 if portrait else 0.36)
    if not portrait:
        legend_w = 0.27
        map_rect = (pad_x, credits_h, 1 - legend_w - 2 * pad_x, top - credits_h)
        legend_rect = (1 - legend_w, credits_h, legend_w - pad_x, top - credits_h)
        columns = 1
    else:
        legend_h = max(0.08, 1.0 / height_in)
        map_rect = (pad_x, credits_h + legend_h, 1 - 2 * pad_x, top - credits_h - legend_h)
        legend_rect = (pad_x, credits_h, 1 - 2 * pad_x, legend_h - pad_y)
        columns = 3
    credits_rect = (pad_x, pad_y, 1 - 2 * pad_x, credits_h - 2 * pad_y)
    return Layout(1 - pad_y, map_rect, legend_rect, credits_rect, columns)


def expand_to_ratio(width: float, height: float, ratio: float) -> tuple[float, float]:
    """Grow ``width`` or ``height`` so that ``width / height == ratio``."""
    if width / height < ratio:
        return height * ratio, height
    return width, width / ratio


#: Font sizes (points) tried for the credits, largest first, and the most columns.
CREDIT_SIZES = (6.0, 5.5, 5.0, 4.5, 4.2, 3.8, 3.5)
#: A short credit line is set at this size (points): readable at print size.
SHORT_CREDIT_PT = 7.0
CREDIT_COLUMNS = 4
CREDIT_GAP_PT = 8.0
LINE_SPACING = 1.22


def _wrap(entries: Sequence[str], col_w: float, size: float) -> list[list[str]]:
    chars = max(20, int(col_w / (0.56 * size)))
    return [list(_wrap_one(e, chars)) for e in entries]


@functools.lru_cache(maxsize=4096)
def _wrap_one(entry: str, chars: int) -> tuple[str, ...]:
    """One paragraph wrapped to ``chars`` (the fitting loop asks for the same widths often)."""
    return tuple(textwrap.wrap(entry, chars, subsequent_indent="   ") or [""])


def _pack(blocks: list[list[str]], ncols: int, per_col: int) -> list[list[str]] | None:
    columns: list[list[str]] = [[]]
    for block in blocks:
        if len(block) > per_col:
            return None
        if len(columns[-1]) + len(block) > per_col:
            if len(columns) == ncols:
                return None
            columns.append([])
        columns[-1].extend(block)
    return columns


def credits_height(
    entries: Sequence[str], width_pt: float, size: float = 4.2, ncols: int = CREDIT_COLUMNS
) -> float:
    """Inches the credits take at ``size`` points in ``ncols`` columns.

    A short credit line runs the whole width (one column).
    """
    col_w = (width_pt - CREDIT_GAP_PT * (ncols - 1)) / ncols
    blocks = _wrap(entries, col_w, size)
    per_col = max(len(b) for b in blocks)
    while _pack(blocks, ncols, per_col) is None:
        per_col += 1
    return per_col * size * LINE_SPACING / 72


def fit_columns(
    entries: Sequence[str], width_pt: float, height_pt: float, largest: float | None = None
) -> tuple[float, list[str]]:
    """Wrap ``entries`` into as few columns of the largest font that fit the box.

    Returns the font size and one text block per column. When nothing fits,
    the smallest font is used and the lines that do not fit are summarised in a
    last line.
    """
    sizes = ((largest,) if largest else ()) + CREDIT_SIZES
    for size in sizes:
        per_col = math.floor(height_pt / (size * LINE_SPACING))
        for ncols in range(1, CREDIT_COLUMNS + 1):
            col_w = (width_pt - CREDIT_GAP_PT * (ncols - 1)) / ncols
            chars = max(20, int(col_w / (0.56 * size)))
            # A line holds at most ``chars`` characters: when even that many lines cannot
            # fit, skip the wrapping (the same answer, far fewer calls to textwrap).
            if sum(-(-len(e) // chars) for e in entries) > per_col * ncols:
                continue
            columns = _pack(_wrap(entries, col_w, size), ncols, per_col)
            if columns is not None:
                return size, ["\n".join(c) for c in columns]
    size, ncols = CREDIT_SIZES[-1], CREDIT_COLUMNS
    col_w = (width_pt - CREDIT_GAP_PT * (ncols - 1)) / ncols
    per_col = max(1, math.floor(height_pt / (size * LINE_SPACING)))
    lines = [line for block in _wrap(entries, col_w, size) for line in block]
    room = per_col * ncols - 1
    kept = [*lines[:room], f"… {len(lines) - room} more lines: see the sources in a data export"]
    return size, ["\n".join(kept[i * per_col : (i + 1) * per_col]) for i in range(ncols)]


def draw_credits(
    figure: Figure,
    rect: tuple[float, float, float, float],
    entries: Sequence[str],
    largest: float | None = None,
) -> None:
    """Write ``entries`` into ``rect`` (figure fractions) in columns (see :func:`fit_columns`).

    Parameters
    ----------
    figure
        The figure to write on.
    rect
        The credits box ``(left, bottom, width, height)`` in figure fractions.
    entries
        Paragraphs of the credits (plain text), in order.
    largest
        A larger size to try first (points): a short credit line, or a page of sources.
    """
    left, bottom, width, height = rect
    fig_w, fig_h = figure.get_size_inches() * 72
    size, columns = fit_columns(entries, width * fig_w, height * fig_h, largest)
    col_w = width / len(columns)
    for i, text in enumerate(columns):
        figure.text(
            left + i * col_w,
            bottom + height,
            text,
            ha="left",
            va="top",
            fontsize=size,
            family=FONT,
            color="#222222",
            linespacing=1.05,
            parse_math=False,
        )
