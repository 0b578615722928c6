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
    MARKER_EDGE,
    MARKER_RADIUS,
    SELECTED_EDGE,
    shape_style,
    status_colour,
)
from geomap.export.artists import add_lines, add_polygons
from geomap.export.furniture import add_inset, add_north_arrow, add_scalebar, plain_frame
from geomap.export.layout import (
    PX,
    SHORT_CREDIT_PT,
    credits_height,
    draw_credits,
    expand_to_ratio,
    layout_for,
)
from geomap.export.legend import draw_legend
from geomap.export.options import Size
from geomap.export.projection import project
from geomap.export.text import FONT, heading

#: Simplification tolerance, in output pixels, of everything drawn.
SIMPLIFY_PX = 0.4

#: Minimum distance in points between basemap place labels.
LABEL_SPACING_PT = 34.0

#: Minimum distance in points between a basemap label and a layer's place marker.
NEAR_PLACE_PT = 12.0

#: Population from which a basemap place is labelled.
LABEL_POPULATION = 150_000


#: Label positions around a marker: offset direction and text alignment.
LABEL_SIDES = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
)


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
    ) -> None:
        self.size = size
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
            needed = credits_height(entries, (width_in - 0.24) * 72, points)
        self.layout = layout_for(width_in, height_in, needed, 0.25 if short else 0.7)
        self.ax: Axes = self.figure.add_axes(self.layout.map_rect)
        self._cache: dict[str, BaseGeometry] = {}
        self._dynamic: list[Artist] = []
        # Place labels of the current frame, and what they were last drawn as (see
        # draw_frame): they rarely change from one frame to the next.
        self._labels: list[Artist] = []
        self._label_key: tuple[tuple[str, float, float, int, int], ...] = ()
        self._label_cache: tuple[tuple[object, ...], Layer] | None = None
        self._overlay_layer: Layer | None = None
        self._placed: (
            tuple[tuple[object, ...], tuple[tuple[str, float, float, int, int], ...]] | None
        ) = None
        # The collections drawn for each record, kept to be added back on later frames.
        self._shapes: dict[str, list[Collection]] = {}
        self._frame(bbox)
        self._basemap(basemap, [f for f in places if f.geometry.geom_type == "Point"])
        self._furniture(basemap)
        draw_legend(self.figure, self.layout, legend_features, change)
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

    def _shapes_of(self, name: str, raws: Sequence[dict[str, Any]]) -> list[BaseGeometry]:
        return [
            self._display(f"basemap:{name}:{i}", shape(r["geometry"])) for i, r in enumerate(raws)
        ]

    def _place_labels(self, places: Sequence[dict[str, Any]], avoid: Sequence[Feature]) -> None:
        """Label the larger basemap places, largest first, apart from each other.

        Places the layers draw themselves (same id) are left to the layers, and
        labels keep :data:`NEAR_PLACE_PT` from the layers' markers.
        """
        own = {f.id for f in avoid}
        ranked = sorted(
            (p for p in places if self._labelled(p) and p["properties"].get("id") not in own),
            key=lambda p: -(p["properties"].get("population") or 0),
        )
        points_per_metre = 1 / (self.size.dpi / 72 * self.metres_per_px)
        markers = [self._display(f.key, f.geometry) for f in avoid]
        taken: list[tuple[float, float]] = []
        xs, ys = [], []
        for raw in ranked:
            lon, lat = raw["geometry"]["coordinates"][:2]
            p = project(Point(lon, lat))
            if not self.extent.contains(p):
                continue
            if any(
                math.hypot(p.x - tx, p.y - ty) * points_per_metre < LABEL_SPACING_PT
                for tx, ty in taken
            ) or any(
                math.hypot(p.x - m.x, p.y - m.y) * points_per_metre < NEAR_PLACE_PT for m in markers
            ):
                continue
            taken.append((p.x, p.y))
            xs.append(p.x)
            ys.append(p.y)
            label = self.ax.annotate(
                str(raw["properties"].get("name", "")),
                (p.x, p.y),
                xytext=(2.5, 2.5),
                textcoords="offset points",
                fontsize=5.5,
                color=BASEMAP_STYLE["label"],
                family=FONT,
                zorder=6,
                annotation_clip=True,
                clip_on=True,
                parse_math=False,
            )
            self._overlay.append(label)
        self._overlay.append(
            self.ax.scatter(xs, ys, s=3, color="#555555", zorder=5.5, linewidths=0)
        )

    @staticmethod
    def _labelled(raw: Mapping[str, Any]) -> bool:
        props = raw.get("properties") or {}
        return bool(props.get("required")) or (props.get("population") or 0) >= LABEL_POPULATION

    # ------------------------------------------------------------ furniture

    def _furniture(self, basemap: Mapping[str, list[dict[str, Any]]]) -> None:
        """Add the scale bar, north arrow and locator inset (in front of the layers)."""
        self._overlay.extend([add_scalebar(self.ax), add_north_arrow(self.ax, self.centre)])
        fig_w, fig_h = self.figure.get_size_inches()
        map_size = (self.layout.map_rect[2] * fig_w, self.layout.map_rect[3] * fig_h)
        self._overlay.append(add_inset(self.ax, basemap, self.extent, map_size))

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
                facecolor=to_rgba(style.fill, style.fill_opacity),
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

    def _draw_points(self, points: Sequence[Feature]) -> None:
        if not points:
            return
        projected = [self._display(f.key, f.geometry) for f in points]
        xs = np.array([p.x for p in projected])
        ys = np.array([p.y for p in projected])
        sizes = [(2 * MARKER_RADIUS.get(f.props.kind, 7.5) * PX) ** 2 for f in points]
        dashes = [(0, (2.0, 2.0)) if shape_style(f.props).dash else "solid" for f in points]
        before = len(self.ax.collections)
        self.ax.scatter(
            xs,
            ys,
            s=sizes,
            c=[status_colour(f.props.status) for f in points],
            edgecolors=MARKER_EDGE[0],
            linewidths=MARKER_EDGE[1] * PX,
            linestyles=dashes,
            zorder=7,
        )
        self._track(before)
        self._label_points(points, xs, ys)

    def _label_points(self, points: Sequence[Feature], xs: np.ndarray, ys: np.ndarray) -> None:
        """Name each place beside its marker, trying four sides; skip it where all collide.

        Boxes are kept in one array, so each try is one vectorised test against the
        markers and the labels placed so far.
        """
        # Most frames show the same places where the last one did (a status changed):
        # their labels go where they went then.
        placement = (tuple(f.props.name for f in points), xs.tobytes(), ys.tobytes())
        if self._placed is not None and self._placed[0] == placement:
            self._label_key = self._placed[1]
            return
        scale = self.size.dpi / 72
        size = 6.5
        pixels = self.ax.transData.transform(np.column_stack([xs, ys]))
        radius = MARKER_RADIUS[Kind.city] * PX * scale
        boxes = np.empty((len(pixels) * 2 + 1, 4))
        count = len(pixels)
        boxes[:count] = np.column_stack(
            [
                pixels[:, 0] - radius,
                pixels[:, 1] - radius,
                pixels[:, 0] + radius,
                pixels[:, 1] + radius,
            ]
        )
        left, bottom, right, top = self.ax.get_window_extent().extents
        placed: list[tuple[str, float, float, int, int]] = []
        for f, (px, py), x, y in zip(points, pixels, xs, ys, strict=True):
            if not (left <= px <= right and bottom <= py <= top):
                continue
            w = 0.62 * size * len(f.props.name) * scale
            h = size * 1.15 * scale
            gap = 4.5 * scale
            kept = boxes[:count]
            for dx, dy, ha, va in LABEL_SIDES:
                x0 = px + dx * gap - (w if ha == "right" else w / 2 if ha == "center" else 0)
                y0 = py + dy * gap - (h if va == "top" else h / 2 if va == "center" else 0)
                inside = left <= x0 and x0 + w <= right and bottom <= y0 and y0 + h <= top
                if not inside or np.any(
                    (x0 < kept[:, 2])
                    & (kept[:, 0] < x0 + w)
                    & (y0 < kept[:, 3])
                    & (kept[:, 1] < y0 + h)
                ):
                    continue
                boxes[count] = (x0, y0, x0 + w, y0 + h)
                count += 1
                placed.append((f.props.name, float(x), float(y), dx, dy))
                break
        self._label_key = tuple(placed)
        self._placed = (placement, self._label_key)

    def _ensure_labels(self) -> None:
        """Create the label artists of the current frame (placed by :meth:`_label_points`)."""
        if self._labels or not self._label_key:
            return
        for name, x, y, dx, dy in self._label_key:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            self._labels.append(
                self.ax.annotate(
                    name,
                    (x, y),
                    xytext=(dx * 4.5, dy * 4.5),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=6.5,
                    fontweight="bold",
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
