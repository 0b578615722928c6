"""Where the printed map's names go: boxes in output pixels, kept apart.

Every name on a printed map (place labels, the base map's towns, country and river
names) claims a box in the output's pixels. A name is drawn only where its box
overlaps no box claimed before it and no place marker, so that none overprints
another; names claim room in order of importance (see
:func:`geomap.core.style.label_order`). The boxes are estimated from the text's
length and size, a little generously, rather than measured by a renderer, so that
placing hundreds of names costs no drawing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

#: Mean advance of a character, as a share of the type size (DejaVu Sans, generous).
CHAR_WIDTH = 0.62
#: Line height, as a share of the type size.
LINE_HEIGHT = 1.15

#: Country names: type size (points), colour, and the least share of the map a country's
#: visible land must cover to be named.
COUNTRY_PT = 9.0
COUNTRY_COLOUR = "#8c8578"
COUNTRY_MIN_SHARE = 0.04
#: River names: type size (points), colour, and the least length of the river in view,
#: as a share of the map's width.
RIVER_PT = 7.5
RIVER_COLOUR = "#2d6a99"
RIVER_MIN_SHARE = 0.15
#: Where along a river's longest visible stretch its name is tried, in order.
RIVER_TRIES = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9)

#: A pixel transform: projected map coordinates to output pixels.
ToPixels = Callable[[float, float], tuple[float, float]]


def text_size(text: str, size_pt: float, px_per_pt: float) -> tuple[float, float]:
    """Estimated width and height in pixels of one line of ``text`` at ``size_pt``."""
    return CHAR_WIDTH * size_pt * len(text) * px_per_pt, LINE_HEIGHT * size_pt * px_per_pt


class Boxes:
    """Boxes claimed on the map so far, as ``(x0, y0, x1, y1)`` pixel rows."""

    def __init__(self, rows: Sequence[Sequence[float]] | np.ndarray = ()) -> None:
        self._rows = np.array(rows, dtype=float).reshape(-1, 4)

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> np.ndarray:
        """The boxes, one per row."""
        return self._rows

    def hits(self, box: Sequence[float]) -> bool:
        """Whether ``box`` overlaps any box claimed so far."""
        x0, y0, x1, y1 = box
        r = self._rows
        return bool(np.any((x0 < r[:, 2]) & (r[:, 0] < x1) & (y0 < r[:, 3]) & (r[:, 1] < y1)))

    def add(self, box: Sequence[float]) -> None:
        """Claim ``box``."""
        self._rows = np.vstack([self._rows, np.asarray(box, dtype=float).reshape(1, 4)])

    def extend(self, other: Boxes) -> None:
        """Claim every box of ``other``."""
        self._rows = np.vstack([self._rows, other.rows])


def marker_boxes(pixels: np.ndarray, radii: np.ndarray) -> Boxes:
    """The square box round each marker (centre pixels and radius in pixels)."""
    if len(pixels) == 0:
        return Boxes()
    r = np.asarray(radii, dtype=float)
    return Boxes(
        np.column_stack(
            [pixels[:, 0] - r, pixels[:, 1] - r, pixels[:, 0] + r, pixels[:, 1] + r]
        ).tolist()
    )


def centred_box(cx: float, cy: float, width: float, height: float) -> tuple[float, ...]:
    """The box of that size centred on ``(cx, cy)``."""
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def inside(box: Sequence[float], bounds: Sequence[float]) -> bool:
    """Whether ``box`` lies wholly within ``bounds`` (both ``x0, y0, x1, y1``)."""
    return (
        bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]
    )


def turned_boxes(
    cx: float, cy: float, width: float, height: float, angle: float
) -> list[tuple[float, ...]]:
    """Upright boxes that together cover a ``width`` by ``height`` text turned by ``angle``.

    One box round a turned name would claim a wide square of the map; the name is cut
    into pieces about as long as it is high, each boxed on its own.
    """
    rad = math.radians(angle)
    count = max(1, math.ceil(width / height))
    piece = width / count
    w = abs(piece * math.cos(rad)) + abs(height * math.sin(rad))
    h = abs(piece * math.sin(rad)) + abs(height * math.cos(rad))
    out = []
    for k in range(count):
        along = (k + 0.5) * piece - width / 2
        out.append(centred_box(cx + along * math.cos(rad), cy + along * math.sin(rad), w, h))
    return out


@dataclass(frozen=True)
class Name:
    """A name placed on the map: its text, its centre (output pixels) and its rotation."""

    text: str
    x: float
    y: float
    angle: float = 0.0


def country_names(
    countries: Sequence[tuple[str, BaseGeometry]],
    extent: Polygon,
    to_pixels: ToPixels,
    px_per_pt: float,
    taken: Boxes,
    bounds: Sequence[float],
) -> list[Name]:
    """Country names, each at the point of its visible land farthest from its edges.

    ``countries`` are ``(name, projected land)``; a country whose visible land covers
    less than :data:`COUNTRY_MIN_SHARE` of ``extent`` is not named, nor one whose name
    would overlap ``taken`` (markers and names before it) or leave the map. Placed
    names are added to ``taken``.
    """
    from shapely import maximum_inscribed_circle

    out = []
    for name, land in countries:
        seen = land.intersection(extent)
        if seen.is_empty or seen.area < COUNTRY_MIN_SHARE * extent.area:
            continue
        parts = sorted(getattr(seen, "geoms", [seen]), key=lambda g: -g.area)
        centre = maximum_inscribed_circle(parts[0], extent.length / 500).coords[0]
        text = name.upper()
        width, height = text_size(" ".join(text), COUNTRY_PT, px_per_pt)
        px, py = to_pixels(*centre)
        box = centred_box(px, py, width, height)
        if not inside(box, bounds) or taken.hits(box):
            continue
        taken.add(box)
        out.append(Name(text, px, py))
    return out


def river_names(
    rivers: Sequence[tuple[str, BaseGeometry]],
    extent: Polygon,
    to_pixels: ToPixels,
    px_per_pt: float,
    taken: Boxes,
    bounds: Sequence[float],
) -> list[Name]:
    """River names along the longest visible stretch of each river, turned to its course.

    A river with less than :data:`RIVER_MIN_SHARE` of the map's width in view is not
    named; each of :data:`RIVER_TRIES` along the stretch is tried until the name's box
    (the box round the turned text) overlaps nothing in ``taken``.
    """
    out = []
    width_m = extent.bounds[2] - extent.bounds[0]
    for name, line in rivers:
        seen = line.intersection(extent)
        if seen.is_empty:
            continue
        pieces = [g for g in getattr(seen, "geoms", [seen]) if isinstance(g, LineString)]
        if not pieces:
            continue
        stretch = max(pieces, key=lambda g: g.length)
        if stretch.length < RIVER_MIN_SHARE * width_m:
            continue
        text_w, text_h = text_size(name, RIVER_PT, px_per_pt)
        for share in RIVER_TRIES:
            at = stretch.interpolate(share, normalized=True)
            ahead = stretch.interpolate(min(1.0, share + 0.02), normalized=True)
            behind = stretch.interpolate(max(0.0, share - 0.02), normalized=True)
            (x0, y0), (x1, y1) = to_pixels(behind.x, behind.y), to_pixels(ahead.x, ahead.y)
            angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
            if angle > 90:
                angle -= 180
            elif angle < -90:
                angle += 180
            # The name sits beside the river, not on it: shifted off the line by its height.
            px, py = to_pixels(at.x, at.y)
            rad = math.radians(angle)
            px -= math.sin(rad) * text_h * 0.9
            py += math.cos(rad) * text_h * 0.9
            boxes = turned_boxes(px, py, text_w, text_h, angle)
            if not all(inside(b, bounds) for b in boxes) or any(taken.hits(b) for b in boxes):
                continue
            for b in boxes:
                taken.add(b)
            out.append(Name(name, px, py, angle))
            break
    return out
