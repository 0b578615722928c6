"""Map furniture: the plain frame, scale bar, north arrow and locator inset.

These are drawn once per figure; :class:`~geomap.export.mapfigure.MapFigure`
keeps them in front of the dated layers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geomap.core.style import BASEMAP_STYLE, OKABE_ITO
from geomap.export.artists import add_polygons
from geomap.export.layout import expand_to_ratio
from geomap.export.projection import project
from geomap.export.text import FONT

#: Where the locator inset may sit, as map-axes fractions ``(left, bottom, width,
#: height)``, in the order tried when two cover as little data (see
#: :meth:`geomap.export.mapfigure.MapFigure`).
INSET_CORNERS: dict[str, tuple[float, float, float, float]] = {
    "lower right": (0.755, 0.015, 0.23, 0.26),
    "upper right": (0.755, 0.725, 0.23, 0.26),
    "lower left": (0.015, 0.015, 0.23, 0.26),
    "upper left": (0.015, 0.725, 0.23, 0.26),
}
INSET_RECT = INSET_CORNERS["lower right"]


def plain_frame(ax: Axes, width: float) -> None:
    """No ticks or axis labels, a thin grey frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.xaxis.label.set_visible(False)
    ax.yaxis.label.set_visible(False)
    for spine in ax.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(width)


def add_scalebar(ax: Axes, location: str = "lower left") -> Artist:
    """Add a metric scale bar in a corner of ``ax`` (data units are metres)."""
    bar = ScaleBar(
        1.0,
        units="m",
        dimension="si-length",
        location=location,
        length_fraction=0.22,
        box_alpha=0.75,
        font_properties={"size": 7.0, "family": FONT},
    )
    bar.set_zorder(20)  # over the markers, like the north arrow
    return ax.add_artist(bar)


def add_north_arrow(ax: Axes, centre: tuple[float, float], right: bool = False) -> Artist:
    """Add a north arrow in the upper left (or right) of ``ax``, to true north at ``centre``.

    Parameters
    ----------
    ax
        The map axes (projected coordinates).
    centre
        Frame centre ``(lon, lat)`` in degrees, where the direction of north is taken.
    right
        Put it in the upper right (the locator inset holds the upper left).
    """
    lon, lat = centre
    a, b = project(Point(lon, lat)), project(Point(lon, lat + 0.5))
    angle = math.atan2(b.x - a.x, b.y - a.y)
    length = 22.0
    return ax.annotate(
        "N",
        xy=(0.95 if right else 0.05, 0.93),
        xycoords="axes fraction",
        xytext=(-length * math.sin(angle), -length * math.cos(angle)),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=8,
        fontweight="bold",
        family=FONT,
        zorder=20,
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2},
        bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "none"},
    )


def add_inset(
    ax: Axes,
    basemap: Mapping[str, list[dict[str, Any]]],
    extent: BaseGeometry,
    map_size: tuple[float, float],
    corner: str = "lower right",
) -> Axes:
    """Add a locator inset: the basemap's countries with the map's frame outlined.

    Parameters
    ----------
    ax
        The map axes, already framed.
    basemap
        Raw basemap features; only ``countries`` is drawn.
    extent
        The map's projected extent, which the inset keeps in view.
    map_size
        Width and height of the map axes in inches.
    corner
        A key of :data:`INSET_CORNERS`.

    Returns
    -------
    Axes
        The inset axes.
    """
    rect = INSET_CORNERS[corner]
    inset = ax.inset_axes(rect, zorder=25)
    countries = [project(shape(r["geometry"])) for r in basemap.get("countries", [])]
    add_polygons(
        inset,
        [shapely.simplify(g, 8000) for g in countries],
        facecolor=BASEMAP_STYLE["land_fill"],
        edgecolor="#777777",
        linewidth=0.3,
    )
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    inset.add_patch(
        Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OKABE_ITO["vermillion"], lw=1.2)
    )
    minx, miny, maxx, maxy = shapely.union_all([*countries, extent]).bounds
    map_w, map_h = map_size
    ratio = float(rect[2] * map_w / (rect[3] * map_h))
    w, h = expand_to_ratio(maxx - minx, maxy - miny, ratio)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    inset.set_xlim(cx - w / 2, cx + w / 2)
    inset.set_ylim(cy - h / 2, cy + h / 2)
    inset.set_aspect("equal", adjustable="box")
    inset.set_facecolor(BASEMAP_STYLE["sea"])
    plain_frame(inset, 0.6)
    return inset
