"""The printed map: one matplotlib figure with basemap, layers, legend and credits.

Everything is drawn in the regional equal-area projection (see
:mod:`geomap.export.projection`). The figure's parts live in their own modules:
:mod:`~geomap.export.layout` (where parts go, the credits block),
:mod:`~geomap.export.legend` and :mod:`~geomap.export.furniture` (scale bar,
north arrow, locator inset); this module draws the basemap and the dated layers.

Speed
-----
:class:`MapFigure` draws the basemap, scale bar, north arrow, inset and legend
once. :meth:`MapFigure.show` removes the previous date's artists and adds the
new date's, so an animation reuses one figure; projected and simplified
geometries are cached per record.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.layers import display_index
from geomap.core.model import Kind
from geomap.core.style import (
    BASEMAP_STYLE,
    CHANGE_STYLE,
    LINE_WIDTH,
    MAJOR_LABEL_KINDS,
    MARKER_EDGE,
    MARKER_RADIUS,
    MINOR_BELOW_ZOOM,
    MINOR_LABEL_ZOOM,
    SELECTED_EDGE,
    area_fill_opacity,
    dash_for,
    equivalent_zoom,
    is_minor_marker,
    label_order,
    marker_scale,
    shape_style,
    status_colour,
)
from geomap.export.artists import add_lines, add_polygons
from geomap.export.furniture import (
    INSET_CORNERS,
    add_inset,
    add_north_arrow,
    add_scalebar,
    plain_frame,
)
from geomap.export.labelling import (
    COUNTRY_COLOUR,
    COUNTRY_PT,
    RIVER_COLOUR,
    RIVER_PT,
    Boxes,
    Name,
    country_names,
    inside,
    marker_boxes,
    river_names,
    text_size,
)
from geomap.export.layout import (
    PX,
    SHORT_CREDIT_PT,
    credits_height,
    draw_credits,
    expand_to_ratio,
    layout_for,
)
from geomap.export.legend import draw_legend
from geomap.export.options import BODY_MIN_PT, Size
from geomap.export.projection import project, unproject
from geomap.export.text import FONT, heading

#: Simplification tolerance, in output pixels, of everything drawn.
SIMPLIFY_PX = 0.4

#: Minimum distance in points between basemap place labels.
LABEL_SPACING_PT = 34.0

#: Minimum distance in points between a basemap label and a layer's place marker.
NEAR_PLACE_PT = 12.0

#: Population from which a basemap place is labelled.
LABEL_POPULATION = 150_000

#: Type size (points) of place names: the least size of the map's body text, readable
#: at print size (7 pt) and, on the screen presets (at least 144 dpi), at least 14 px.
LABEL_PT = BODY_MIN_PT


#: Label positions around a marker: offset direction and text alignment.
LABEL_SIDES = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (1, 1, "left", "bottom"),
    (-1, 1, "right", "bottom"),
    (1, -1, "left", "top"),
    (-1, -1, "right", "top"),
)
#: A thin white halo keeps names legible over the coloured ground. Drawn as a path
#: effect on raster output; a vector file keeps its names as text (editable and
#: searchable), which a path effect would turn into outlines, so there a pale box
#: behind each name does the halo's work.
HALO: dict[str, Any] = {"path_effects": [patheffects.withStroke(linewidth=2.0, foreground="white")]}
VECTOR_HALO: dict[str, Any] = {
    "bbox": {"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.6}
}
#: How far from its marker a name is tried, in steps of the marker's radius plus a gap:
#: beside it first, then a little away where neighbours crowd it.
LABEL_DISTANCES = (1.0, 2.0, 3.0)


@dataclass(frozen=True)
class Layer:
    """An RGBA layer ready to lay over frames: premultiplied, cut to where it is seen."""

    rows: slice
    cols: slice
    colour: np.ndarray  # float32 RGB times alpha, in the cut
    keep: np.ndarray  # float32 1 - alpha, in the cut

    @classmethod
    def of(cls, rgba: np.ndarray) -> Layer:
        """Prepare an ``(height, width, 4)`` uint8 RGBA image."""
        seen = rgba[:, :, 3] > 0
        if not seen.any():
            return cls(
                slice(0, 0), slice(0, 0), np.zeros((0, 0, 3), "f4"), np.ones((0, 0, 1), "f4")
            )
        rows, cols = np.flatnonzero(seen.any(axis=1)), np.flatnonzero(seen.any(axis=0))
        cut = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
        alpha = rgba[cut][:, :, 3:4].astype(np.float32) / 255.0
        colour = rgba[cut][:, :, :3].astype(np.float32) * alpha + 0.5
        return cls(cut[0], cut[1], colour, 1.0 - alpha)

    def lay_on(self, rgb: np.ndarray) -> None:
        """Lay the layer over ``rgb`` (uint8, changed in place)."""
        part = rgb[self.rows, self.cols]
        part[...] = np.clip(self.colour + part * self.keep, 0, 255).astype(np.uint8)


class QuietCanvas(FigureCanvasAgg):
    """An Agg canvas that does not redraw the whole figure on every plot call.

    Plotting helpers may ask for an idle redraw after each call; on a plain Agg
    canvas that is a full draw, so a figure with many layers would be drawn
    many times over. Figures here are drawn once, when saved or framed.
    """

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        """Do nothing: drawing happens when the figure is saved or framed."""


class MapFigure:
    """A map figure for one frame, redrawn per date by :meth:`show`.

    Parameters
    ----------
    bbox
        Frame (W, S, E, N) in degrees.
    size
        Output pixels and dpi.
    basemap
        Raw features of ``countries``, ``admin1``, ``rivers`` and ``places``.
    title
        Title line (plain text; never parsed as maths).
    legend_features
        The records whose kinds and statuses the legend explains.
    credits
        Paragraphs of the credits block (plain text), in order.
    date_stamp
        Stamp the date large on the map (animations).
    change
        Explain the gained and lost areas of a comparison in the legend.
    places
        The layers' place records; basemap labels keep clear of them.
    short_credits
        The credits are one line (or none), set at :data:`SHORT_CREDIT_PT` in a thin
        band (``--credits short`` and ``none``), not a block of numbered sources.
    selected
        The id of the place the map is framed on (``--place``): its marker is always
        drawn and its name claims room first.
    vector
        The figure is saved as SVG or PDF: names keep a pale box rather than a halo,
        so that they stay text.
    names
        The name to write for a place id instead of its record's (``--lang ar``: the
        gazetteer's Arabic names). matplotlib lays the text out with libraqm, which
        shapes Arabic and orders it right to left.

    Markers and names follow the app at the same scale: the map's scale gives the
    browser zoom it matches (:func:`geomap.core.style.equivalent_zoom`), markers take
    that zoom's size, minor markers (villages and sites IS never or not yet held) are
    left out below :data:`geomap.core.style.MINOR_BELOW_ZOOM`, and so are the names of
    villages and sites. Names claim room in the app's order (the article's places and
    the selected place first, then cities, towns, villages and sites by population),
    and none overprints another name or a marker.
    """

    def __init__(
        self,
        bbox: tuple[float, float, float, float],
        size: Size,
        basemap: Mapping[str, list[dict[str, Any]]],
        title: str,
        legend_features: Sequence[Feature],
        credits: Sequence[str],
        *,
        date_stamp: bool = False,
        change: bool = False,
        places: Sequence[Feature] = (),
        short_credits: bool = False,
        selected: str | None = None,
        names: Mapping[str, str] | None = None,
        vector: bool = False,
    ) -> None:
        self.size = size
        self._halo = VECTOR_HALO if vector else HALO
        # An animation's places on every date, to place their names once (see
        # _label_points), and that placement.
        self._period_points: list[Feature] | None = (
            [f for f in legend_features if f.geometry.geom_type == "Point"] if date_stamp else None
        )
        self._period_placed: list[tuple[str, tuple[str, float, float, int, int, float]]] | None = (
            None
        )
        self.selected = selected
        # Names to write instead of the records' (``--lang ar``: the Arabic names by id).
        self._names: Mapping[str, str] = names or {}
        # The article's places and populations, by id, for the order names claim room.
        self._place_rank: dict[str, tuple[bool, int]] = {
            str(p["properties"].get("id")): (
                bool(p["properties"].get("required")),
                int(p["properties"].get("population") or 0),
            )
            for p in basemap.get("places", [])
        }
        # Boxes (output pixels) of the names fixed on the map: base-map towns, countries
        # and rivers. The dated place labels keep clear of them.
        self._fixed = Boxes()
        self.figure = Figure(figsize=(size.width / size.dpi, size.height / size.dpi), dpi=size.dpi)
        # matplotlib's canvas methods carry no annotations, hence Any.
        self.canvas: Any = QuietCanvas(self.figure)
        self._rivers: list[Artist] = []
        self._overlay: list[Artist] = []
        self._background: Any = None
        self._overlay_rgba: np.ndarray | None = None
        width_in, height_in = (float(v) for v in self.figure.get_size_inches())
        entries = list(credits)
        # A short credit (one line, or none) is set large and takes a thin band.
        short = short_credits
        if not entries:
            needed = 0.0
        else:
            points = SHORT_CREDIT_PT if short else 4.2
            # (a little slack, so that rounding never drops the short line a size)
            needed = credits_height(entries, (width_in - 0.24) * 72, points, 1 if short else 4)
            needed += 0.04 if short else 0.0
        self.layout = layout_for(width_in, height_in, needed, 0.25 if short else 0.7)
        self.ax: Axes = self.figure.add_axes(self.layout.map_rect)
        self._cache: dict[str, BaseGeometry] = {}
        self._dynamic: list[Artist] = []
        # Place labels of the current frame, and what they were last drawn as (see
        # draw_frame): they rarely change from one frame to the next.
        self._labels: list[Artist] = []
        self._label_key: tuple[tuple[str, float, float, int, int, float], ...] = ()
        self._label_cache: tuple[tuple[object, ...], Layer] | None = None
        self._overlay_layer: Layer | None = None
        self._placed: (
            tuple[tuple[object, ...], tuple[tuple[str, float, float, int, int, float], ...]] | None
        ) = None
        # The collections drawn for each record, kept to be added back on later frames.
        self._shapes: dict[str, list[Collection]] = {}
        self._frame(bbox)
        self._furniture(basemap, self._quiet_corner(legend_features, date_stamp))
        self._basemap(basemap, [f for f in places if f.geometry.geom_type == "Point"])
        # The legend explains what the frame shows, not every record of the period.
        draw_legend(self.figure, self.layout, self._in_view(legend_features), change)
        if entries:
            draw_credits(
                self.figure, self.layout.credits_rect, entries, SHORT_CREDIT_PT if short else None
            )
        self.title = heading(self.figure, self.layout.map_rect[0], self.layout.title_y, title, 14)
        self.subtitle = self.figure.text(
            self.layout.map_rect[0],
            self.layout.title_y - 0.3 / height_in,
            "",
            ha="left",
            va="top",
            fontsize=9,
            family=FONT,
            color="#333333",
            parse_math=False,
        )
        self.stamp = (
            self.ax.text(
                0.98,
                0.97,
                "",
                transform=self.ax.transAxes,
                ha="right",
                va="top",
                fontsize=16,
                fontweight="bold",
                family=FONT,
                zorder=20,
                bbox={"facecolor": "white", "edgecolor": "#555555", "alpha": 0.9, "pad": 3},
            )
            if date_stamp
            else None
        )

    # ------------------------------------------------------------ frame

    def _frame(self, bbox: tuple[float, float, float, float]) -> None:
        """Set the projected extent, widened (never cropped) to the axes' shape."""
        west, south, east, north = bbox
        self.bbox = bbox
        minx, miny, maxx, maxy = project(box(west, south, east, north)).bounds
        ax = self.ax
        fig_w, fig_h = self.figure.get_size_inches()
        box_ratio = (self.layout.map_rect[2] * fig_w) / (self.layout.map_rect[3] * fig_h)
        extent_w, extent_h = expand_to_ratio(maxx - minx, maxy - miny, float(box_ratio))
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        x0, x1 = cx - extent_w / 2, cx + extent_w / 2
        y0, y1 = cy - extent_h / 2, cy + extent_h / 2
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_facecolor(BASEMAP_STYLE["sea"])
        plain_frame(ax, 0.8)
        self.metres_per_px = extent_w / (self.layout.map_rect[2] * self.size.width)
        self.extent = box(x0, y0, x1, y1)
        self.centre = ((west + east) / 2, (south + north) / 2)
        # One CSS pixel of the app's styles is PX points here.
        metres_per_css_px = self.metres_per_px * self.size.dpi / 72 * PX
        self.zoom = equivalent_zoom(metres_per_css_px, self.centre[1])

    def _display(self, key: str, geom: BaseGeometry) -> BaseGeometry:
        """Projected geometry simplified to the output resolution (cached by ``key``)."""
        cached = self._cache.get(key)
        if cached is None:
            projected = project(geom)
            cached = (
                projected
                if projected.geom_type == "Point"
                else shapely.simplify(projected, self.metres_per_px * SIMPLIFY_PX)
            )
            self._cache[key] = cached
        return cached

    def lonlat_to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel (column, row from the top) of a lon/lat point in the saved raster image."""
        p = project(Point(lon, lat))
        x, y = self.ax.transData.transform((p.x, p.y))
        return float(x), float(self.size.height - y)

    # ------------------------------------------------------------ basemap

    def _basemap(
        self, basemap: Mapping[str, list[dict[str, Any]]], avoid: Sequence[Feature]
    ) -> None:
        ax = self.ax
        countries = self._shapes_of("countries", basemap.get("countries", []))
        add_polygons(
            ax, countries, facecolor=BASEMAP_STYLE["land_fill"], edgecolor="none", zorder=1
        )
        admin = self._shapes_of("admin1", basemap.get("admin1", []))
        add_lines(
            ax,
            [g.boundary for g in admin],
            color=BASEMAP_STYLE["admin_edge"],
            linewidth=0.4,
            linestyle=(0, (3, 3)),
            zorder=2,
        )
        add_lines(
            ax,
            [g.boundary for g in countries],
            color=BASEMAP_STYLE["land_edge"],
            linewidth=0.9,
            zorder=2.1,
        )
        rivers = self._shapes_of("rivers", basemap.get("rivers", []))
        before = len(ax.collections)
        add_lines(ax, rivers, color=BASEMAP_STYLE["river"], linewidth=1.3, alpha=0.9, zorder=4)
        self._rivers = list(ax.collections[before:])
        self._place_labels(basemap.get("places", []), avoid)
        self._region_names(basemap, avoid)

    def _in_view(self, features: Sequence[Feature]) -> list[Feature]:
        """The records that touch the drawn extent (lon/lat tests, no reprojection each)."""
        if not features:
            return []
        view = unproject(self.extent)
        shapely.prepare(view)
        hits = shapely.intersects(np.array([f.geometry for f in features], dtype=object), view)
        return [f for f, hit in zip(features, hits, strict=True) if hit]

    def _pixels(self, x: float, y: float) -> tuple[float, float]:
        px, py = self.ax.transData.transform((x, y))
        return float(px), float(py)

    def _map_bounds(self) -> tuple[float, float, float, float]:
        left, bottom, right, top = self.ax.get_window_extent().extents
        return float(left), float(bottom), float(right), float(top)

    def _region_names(
        self, basemap: Mapping[str, list[dict[str, Any]]], avoid: Sequence[Feature]
    ) -> None:
        """Name the countries and rivers in view, clear of the markers and town names."""
        scale = self.size.dpi / 72
        taken = Boxes()
        taken.extend(self._fixed)
        taken.extend(self._marker_boxes(avoid))
        bounds = self._map_bounds()
        countries = [
            (
                str(r["properties"].get("name", "")),
                self._display(f"basemap:countries:{i}", shape(r["geometry"])),
            )
            for i, r in enumerate(basemap.get("countries", []))
        ]
        before = len(taken)
        names = country_names(countries, self.extent, self._pixels, scale, taken, bounds)
        self._draw_names(names, COUNTRY_PT, COUNTRY_COLOUR, spaced=True)
        rivers = [
            (
                str(r["properties"].get("name", "")),
                self._display(f"basemap:rivers:{i}", shape(r["geometry"])),
            )
            for i, r in enumerate(basemap.get("rivers", []))
        ]
        names = river_names(rivers, self.extent, self._pixels, scale, taken, bounds)
        self._draw_names(names, RIVER_PT, RIVER_COLOUR, italic=True)
        self._fixed.extend(Boxes(taken.rows[before:]))

    def _xy(self, f: Feature) -> tuple[float, float]:
        p = self._display(f.key, f.geometry)
        return float(p.x), float(p.y)

    def _draw_names(
        self,
        names: Sequence[Name],
        size: float,
        colour: str,
        *,
        spaced: bool = False,
        italic: bool = False,
    ) -> None:
        for name in names:
            self._overlay.append(
                self.figure.text(
                    name.x,
                    name.y,
                    " ".join(name.text) if spaced else name.text,
                    transform=None,
                    ha="center",
                    va="center",
                    rotation=name.angle,
                    rotation_mode="anchor",
                    fontsize=size,
                    fontstyle="italic" if italic else "normal",
                    family=FONT,
                    color=colour,
                    zorder=6,
                    parse_math=False,
                )
            )

    def _shapes_of(self, name: str, raws: Sequence[dict[str, Any]]) -> list[BaseGeometry]:
        return [
            self._display(f"basemap:{name}:{i}", shape(r["geometry"])) for i, r in enumerate(raws)
        ]

    def _place_labels(self, places: Sequence[dict[str, Any]], avoid: Sequence[Feature]) -> None:
        """Name the larger base-map towns, in the app's order, clear of markers and names.

        Places the layers draw themselves (same id) are left to the layers. A name
        keeps :data:`LABEL_SPACING_PT` from the names before it, and its box overlaps
        no marker the layers draw at this scale on any date.
        """
        own = {f.id for f in avoid}
        ranked = sorted(
            (p for p in places if self._labelled(p) and p["properties"].get("id") not in own),
            key=lambda p: label_order(
                bool(p["properties"].get("required")),
                int(p["properties"].get("population") or 0),
                str(p["properties"].get("name", "")),
            ),
        )
        points_per_metre = 1 / (self.size.dpi / 72 * self.metres_per_px)
        scale = self.size.dpi / 72
        bounds = self._map_bounds()
        taken = self._marker_boxes(avoid)
        named: list[tuple[float, float]] = []
        xs, ys = [], []
        for raw in ranked:
            lon, lat = raw["geometry"]["coordinates"][:2]
            p = project(Point(lon, lat))
            if not self.extent.contains(p):
                continue
            if any(
                math.hypot(p.x - tx, p.y - ty) * points_per_metre < LABEL_SPACING_PT
                for tx, ty in named
            ):
                continue
            latin = str(raw["properties"].get("name", ""))
            text = self._names.get(str(raw["properties"].get("id", "")), latin)
            px, py = self._pixels(p.x, p.y)
            w, h = text_size(text, LABEL_PT, scale)
            label_box = (px + 2.5 * scale, py, px + 2.5 * scale + w, py + h)
            if (
                not inside(label_box, bounds)
                or self._fixed.hits(label_box)
                or taken.hits(label_box)
            ):
                continue
            self._fixed.add(label_box)
            named.append((p.x, p.y))
            xs.append(p.x)
            ys.append(p.y)
            label = self.ax.annotate(
                text,
                (p.x, p.y),
                xytext=(2.5, 2.5),
                textcoords="offset points",
                fontsize=LABEL_PT,
                color=BASEMAP_STYLE["label"],
                family=FONT,
                **self._halo,
                zorder=6,
                annotation_clip=True,
                clip_on=True,
                parse_math=False,
            )
            self._overlay.append(label)
        self._overlay.append(
            self.ax.scatter(xs, ys, s=3, color="#555555", zorder=5.5, linewidths=0)
        )

    def _marker_boxes(self, places: Sequence[Feature]) -> Boxes:
        """Boxes of the markers of ``places`` drawn at this scale (any of their dates)."""
        if self.zoom < MINOR_BELOW_ZOOM:  # the minor markers are not drawn
            places = [f for f in places if not is_minor_marker(f.props.kind, f.props.status)]
        seen = {f.id: f for f in places}
        if not seen:
            return Boxes()
        pixels = np.array([self._pixels(*self._xy(f)) for f in seen.values()])
        factor = marker_scale(self.zoom) * PX * self.size.dpi / 72
        radii = np.array(
            [MARKER_RADIUS.get(f.props.kind, 7.5) * factor + 1.0 for f in seen.values()]
        )
        return marker_boxes(pixels, radii)

    @staticmethod
    def _labelled(raw: Mapping[str, Any]) -> bool:
        props = raw.get("properties") or {}
        return bool(props.get("required")) or (props.get("population") or 0) >= LABEL_POPULATION

    # ------------------------------------------------------------ furniture

    def _quiet_corner(self, features: Sequence[Feature], stamped: bool = False) -> str:
        """The corner of the map where the locator inset covers the least data.

        Each corner of :data:`INSET_CORNERS` is scored by the places inside it that are
        drawn at this scale and the share of it under the dated areas (other than the
        control layer, which covers the whole land); the first of the quietest wins.
        A ``stamped`` map (an animation or a story frame) keeps the inset in the
        lower right: the date stamp holds the upper right and a story's caption the
        foot of the map.
        """
        if stamped:
            return "lower right"
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        points = [
            f
            for f in features
            if f.geometry.geom_type == "Point"
            and (self.zoom >= MINOR_BELOW_ZOOM or not is_minor_marker(f.props.kind, f.props.status))
        ]
        areas = np.array(
            [
                f.geometry
                for f in features
                if f.geometry.geom_type != "Point" and f.props.layer != "control"
            ],
            dtype=object,
        )
        scores = {}
        for corner, (left, bottom, width, height) in INSET_CORNERS.items():
            rect = unproject(
                box(
                    x0 + left * (x1 - x0),
                    y0 + bottom * (y1 - y0),
                    x0 + (left + width) * (x1 - x0),
                    y0 + (bottom + height) * (y1 - y0),
                )
            )
            shapely.prepare(rect)
            inside = sum(bool(rect.contains(f.geometry)) for f in points)
            # The share of the corner under the areas (on its lon/lat bounds: a score).
            covered = float(shapely.area(shapely.clip_by_rect(areas, *rect.bounds)).sum())
            scores[corner] = inside + 50.0 * covered / shapely.box(*rect.bounds).area
        return min(scores, key=lambda c: scores[c])

    def _furniture(self, basemap: Mapping[str, list[dict[str, Any]]], corner: str) -> None:
        """Add the scale bar, north arrow and locator inset (in front of the layers).

        The inset takes ``corner``; the scale bar (lower left) and north arrow (upper
        left) move to the right when it is on their side.
        """
        self._overlay.extend(
            [
                add_scalebar(self.ax, "lower right" if corner == "lower left" else "lower left"),
                add_north_arrow(self.ax, self.centre, right=corner == "upper left"),
            ]
        )
        self.inset_corner = corner
        fig_w, fig_h = self.figure.get_size_inches()
        map_size = (self.layout.map_rect[2] * fig_w, self.layout.map_rect[3] * fig_h)
        self._overlay.append(add_inset(self.ax, basemap, self.extent, map_size, corner))
        # No name goes under them. The scale bar does not report its extent: its box
        # is the bar's share of the map's width and two lines of its type, with padding.
        renderer = self.canvas.get_renderer()
        left, bottom, right, _top = self._map_bounds()
        bar_w = 0.27 * (right - left)
        bar_h = 0.36 * self.size.dpi
        bar_x = right - bar_w if corner == "lower left" else left
        self._fixed.add((bar_x, bottom, bar_x + bar_w, bottom + bar_h))
        for artist in self._overlay[1:]:
            self._fixed.add(tuple(artist.get_window_extent(renderer).extents))

    # ------------------------------------------------------------ dynamic layers

    def show(
        self,
        features: Sequence[Feature],
        subtitle: str,
        stamp: str | None = None,
        changes: Mapping[str, BaseGeometry] | None = None,
    ) -> None:
        """Replace the dated layers with ``features`` (records valid on one date)."""
        for artist in [*self._dynamic, *self._labels]:
            artist.remove()
        self._dynamic = []
        self._labels = []
        self._label_key = ()
        self.subtitle.set_text(subtitle)
        if self.stamp is not None and stamp is not None:
            self.stamp.set_text(stamp)
        areas = [f for f in features if f.geometry.geom_type != "Point"]
        areas.sort(key=lambda f: (display_index(f.props.layer), f.props.kind is Kind.zone))
        for f in areas:
            self._draw_shape(f, 3 + display_index(f.props.layer) * 0.1)
        for name, geom in (changes or {}).items():
            self._draw_change(name, geom)
        self._draw_points([f for f in features if f.geometry.geom_type == "Point"])

    def mark(self, geom: BaseGeometry) -> None:
        """Outline a selected record (a ring round a point), drawn over the dated layers."""
        colour, width = SELECTED_EDGE
        projected = project(geom)
        before = len(self.ax.collections)
        if projected.geom_type == "Point":
            self.ax.scatter(
                [projected.x],
                [projected.y],
                s=(30 * PX) ** 2,
                facecolors="none",
                edgecolors=colour,
                linewidths=width * 0.6 * PX,
                zorder=7.5,
            )
        else:
            add_lines(
                self.ax, [projected.boundary], color=colour, linewidth=width * 0.6 * PX, zorder=7.5
            )
        self._track(before)

    def caption(self, text: str, width_chars: int) -> None:
        """A boxed caption across the foot of the map, wrapped to ``width_chars``."""
        wrapped = "\n".join(textwrap.wrap(text, width_chars))
        self._dynamic.append(
            self.ax.text(
                0.012,
                0.015,
                wrapped,
                transform=self.ax.transAxes,
                ha="left",
                va="bottom",
                fontsize=9,
                family=FONT,
                color="#111111",
                zorder=21,
                parse_math=False,
                linespacing=1.25,
                bbox={"facecolor": "white", "edgecolor": "#777777", "alpha": 0.93, "pad": 4},
            )
        )

    def _track(self, before: int) -> None:
        self._dynamic.extend(self.ax.collections[before:])

    def _draw_shape(self, f: Feature, zorder: float) -> None:
        cached = self._shapes.get(f.key)
        if cached is not None:  # drawn for an earlier frame: added back as it was
            for artist in cached:
                self.ax.add_collection(artist, autolim=False)
            self._dynamic.extend(cached)
            return
        style = shape_style(f.props)
        fill_opacity = area_fill_opacity(f.props)  # held ground strong, as in the app
        geom = self._display(f.key, f.geometry)
        if geom.is_empty:
            return
        before = len(self.ax.collections)
        if geom.geom_type in ("LineString", "MultiLineString"):
            add_lines(self.ax, [geom], color=style.edge, linewidth=LINE_WIDTH * PX, zorder=zorder)
        else:
            width = style.width * PX
            dash = (0, tuple(v * PX / width for v in style.dash)) if style.dash else "solid"
            add_polygons(
                self.ax,
                [geom],
                facecolor=to_rgba(style.fill, fill_opacity),
                edgecolor=style.edge,
                linewidth=width,
                linestyle=dash,
                zorder=zorder,
            )
        self._shapes[f.key] = list(self.ax.collections[before:])
        self._track(before)

    def _draw_change(self, name: str, geom: BaseGeometry) -> None:
        if geom.is_empty:
            return
        colour, hatch, _ = CHANGE_STYLE[name]
        before = len(self.ax.collections)
        add_polygons(
            self.ax,
            [self._display(f"change:{name}:{geom.wkb_hex[:64]}", geom)],
            facecolor=to_rgba(colour, 0.12),
            edgecolor=colour,
            hatch=hatch,
            linewidth=0.8,
            zorder=3.45,
        )
        self._track(before)

    def _shown_marker(self, f: Feature) -> bool:
        """Whether a place record's marker is drawn at this scale."""
        return (
            self.zoom >= MINOR_BELOW_ZOOM
            or f.id == self.selected
            or not is_minor_marker(f.props.kind, f.props.status)
        )

    def _marker_xy(self, points: Sequence[Feature]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Projected x and y of the markers, and their radii in points."""
        projected = [self._display(f.key, f.geometry) for f in points]
        xs = np.array([p.x for p in projected])
        ys = np.array([p.y for p in projected])
        factor = marker_scale(self.zoom)
        radii = np.array([MARKER_RADIUS.get(f.props.kind, 7.5) * factor * PX for f in points])
        return xs, ys, radii

    def _draw_points(self, points: Sequence[Feature]) -> None:
        """Draw the place markers the app would show at this scale, then their names."""
        points = [f for f in points if self._shown_marker(f)]
        if not points:
            return
        xs, ys, radii = self._marker_xy(points)
        dashed = np.array([dash_for(f.props) is not None for f in points])
        colours = np.array([status_colour(f.props.status) for f in points])
        before = len(self.ax.collections)
        # One collection per outline style: a list of styles, one per marker, costs
        # matplotlib far more than two collections.
        for group, style in ((~dashed, "solid"), (dashed, (0, (2.0, 2.0)))):
            if group.any():
                self.ax.scatter(
                    xs[group],
                    ys[group],
                    s=(2 * radii[group]) ** 2,
                    c=colours[group].tolist(),
                    edgecolors=MARKER_EDGE[0],
                    linewidths=MARKER_EDGE[1] * PX * marker_scale(self.zoom),
                    linestyles=style,
                    zorder=7,
                )
        self._track(before)
        self._label_points(points, xs, ys, radii)

    def _label_order(self, f: Feature) -> tuple[bool, tuple[bool, int, int, str]]:
        required, population = self._place_rank.get(f.id, (False, 0))
        return (
            f.id != self.selected,
            label_order(required, population, f.props.name, f.props.kind),
        )

    def _named(self, f: Feature) -> bool:
        """Whether a place is named at this scale.

        Towns and up, the article's places and the selected one always; villages and
        sites from :data:`geomap.core.style.MINOR_LABEL_ZOOM`.
        """
        return (
            f.props.kind in MAJOR_LABEL_KINDS
            or f.id == self.selected
            or self._place_rank.get(f.id, (False, 0))[0]
            or self.zoom >= MINOR_LABEL_ZOOM
        )

    def _label_points(
        self, points: Sequence[Feature], xs: np.ndarray, ys: np.ndarray, radii: np.ndarray
    ) -> None:
        """Name the places of the frame beside their markers (see :meth:`_place_names`).

        An animation places the names once, for every place it shows on any date and
        clear of every marker it draws on any date, so that a name never moves from
        frame to frame; each frame then shows the names of its own places.
        """
        if self._period_points is not None:
            if self._period_placed is None:
                union: dict[str, Feature] = {}
                for f in self._period_points:
                    if self._shown_marker(f):
                        union.setdefault(f.id, f)
                every = list(union.values())
                self._period_placed = self._place_names(every, *self._marker_xy(every))
            shown = {f.id for f in points}
            self._label_key = tuple(e for fid, e in self._period_placed if fid in shown)
            return
        # Most frames show the same places where the last one did (a status changed):
        # their labels go where they went then.
        placement = (tuple(f.props.name for f in points), xs.tobytes(), ys.tobytes())
        if self._placed is not None and self._placed[0] == placement:
            self._label_key = self._placed[1]
            return
        self._label_key = tuple(e for _, e in self._place_names(points, xs, ys, radii))
        self._placed = (placement, self._label_key)

    def _place_names(
        self, points: Sequence[Feature], xs: np.ndarray, ys: np.ndarray, radii: np.ndarray
    ) -> list[tuple[str, tuple[str, float, float, int, int, float]]]:
        """Place names beside their markers, trying eight sides and three distances.

        Names claim room in :meth:`_label_order`; a name's box may not overlap any
        marker, any name placed before it, or the fixed names and furniture of the
        map. Returns ``(place id, (name, x, y, dx, dy, offset in points))`` rows.
        """
        scale = self.size.dpi / 72
        pixels = self.ax.transData.transform(np.column_stack([xs, ys]))
        taken = marker_boxes(pixels, radii * scale + 1.0)
        taken.extend(self._fixed)
        bounds = self._map_bounds()
        gap = 2.0 * scale
        placed: list[tuple[str, tuple[str, float, float, int, int, float]]] = []
        order = sorted(
            (i for i, f in enumerate(points) if self._named(f)),
            key=lambda i: self._label_order(points[i]),
        )
        for i in order:
            f, (px, py) = points[i], pixels[i]
            if not (bounds[0] <= px <= bounds[2] and bounds[1] <= py <= bounds[3]):
                continue
            name = self._names.get(f.id, f.props.name)
            w, h = text_size(name, LABEL_PT, scale)
            tries = [(d, side) for d in LABEL_DISTANCES for side in LABEL_SIDES]
            for distance, (dx, dy, ha, va) in tries:
                off = (radii[i] * scale + gap) * distance
                x0 = px + dx * off - (w if ha == "right" else w / 2 if ha == "center" else 0)
                y0 = py + dy * off - (h if va == "top" else h / 2 if va == "center" else 0)
                box = (x0, y0, x0 + w, y0 + h)
                if not inside(box, bounds) or taken.hits(box):
                    continue
                if distance > 1 and not self._nearest_is(pixels, i, box):
                    continue  # set away from its marker, it would seem to name another
                taken.add(box)
                entry = (name, float(xs[i]), float(ys[i]), dx, dy, float(off / scale))
                placed.append((f.id, entry))
                break
        return placed

    def finish(self) -> None:
        """Create the place names of the frame shown, before the figure is saved whole.

        Animations draw frames with :meth:`draw_frame`, which creates them itself.
        """
        self._ensure_labels()

    @staticmethod
    def _nearest_is(pixels: np.ndarray, own: int, box: Sequence[float]) -> bool:
        """Whether marker ``own`` is the marker nearest to ``box`` (output pixels)."""
        x0, y0, x1, y1 = box
        dx = np.maximum(np.maximum(x0 - pixels[:, 0], pixels[:, 0] - x1), 0.0)
        dy = np.maximum(np.maximum(y0 - pixels[:, 1], pixels[:, 1] - y1), 0.0)
        return int(np.argmin(dx * dx + dy * dy)) == own

    def _ensure_labels(self) -> None:
        """Create the label artists of the current frame (placed by :meth:`_label_points`)."""
        if self._labels or not self._label_key:
            return
        for name, x, y, dx, dy, off in self._label_key:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            self._labels.append(
                self.ax.annotate(
                    name,
                    (x, y),
                    xytext=(dx * off, dy * off),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=LABEL_PT,
                    fontweight="bold",
                    **self._halo,
                    family=FONT,
                    color="#111111",
                    zorder=8,
                    parse_math=False,
                )
            )

    # ------------------------------------------------------------ output

    def draw_rgb(self) -> np.ndarray:
        """Render and return the frame as an ``(height, width, 3)`` uint8 array."""
        self._ensure_labels()
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def draw_frame(self) -> np.ndarray:
        """Like :meth:`draw_rgb`, but redraw only what changes since the first frame.

        The first call renders the unchanging background (land, borders, title,
        legend, credits) and the unchanging foreground (basemap labels, scale
        bar, north arrow, inset) once; later calls restore the background, draw
        the dated layers and the rivers over it, and lay the foreground on top.
        """
        renderer = self.canvas.get_renderer()
        if self._background is None or self._overlay_rgba is None:
            moving = [*self._dynamic, *self._labels, *self._rivers, *self._overlay, self.subtitle]
            if self.stamp is not None:
                moving.append(self.stamp)
            for artist in moving:
                artist.set_visible(False)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            renderer.clear()
            for artist in self._overlay:
                artist.set_visible(True)
                artist.draw(renderer)
            self._overlay_rgba = np.asarray(self.canvas.buffer_rgba()).copy()
            for artist in moving:
                artist.set_visible(True)
        labels = self._labels_rgba(renderer)
        self.canvas.restore_region(self._background)
        fixed = [self.subtitle] + ([self.stamp] if self.stamp is not None else [])
        for artist in sorted([*self._dynamic, *self._rivers], key=lambda a: a.get_zorder()):
            artist.draw(renderer)
        buffer = np.asarray(self.canvas.buffer_rgba())  # a writable view of the canvas
        labels.lay_on(buffer[:, :, :3])  # the labels, under the date stamp
        for artist in fixed:
            artist.draw(renderer)
        frame = np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
        if self._overlay_layer is None:
            self._overlay_layer = Layer.of(self._overlay_rgba)
        self._overlay_layer.lay_on(frame)
        return frame

    def _labels_rgba(self, renderer: Any) -> Layer:
        """The place labels alone on a clear layer, drawn again only when they change.

        The labels lie above every dated layer and below the fixed foreground, so
        they are laid over the frame as their own layer; most frames of an
        animation change a status, not which places are labelled where.
        """
        if self._label_cache is not None and self._label_cache[0] == self._label_key:
            return self._label_cache[1]
        self._ensure_labels()
        renderer.clear()
        for artist in self._labels:
            artist.draw(renderer)
        layer = Layer.of(np.asarray(self.canvas.buffer_rgba()))
        self._label_cache = (self._label_key, layer)
        return layer

    def close(self) -> None:
        """Release the figure's artists."""
        self.figure.clear()
