"""The printed map's legend: which entries it shows and the panel that holds them."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geomap.core.feature import Feature
from geomap.core.layers import LAYERS, LayerSpec
from geomap.core.model import PLACE_KINDS, Kind
from geomap.core.style import (
    APPROXIMATE_DASH,
    APPROXIMATE_NOTE,
    BLACK_OUTLINE_KINDS,
    CHANGE_STYLE,
    KIND_COLOUR,
    KIND_STYLE,
    LINE_WIDTH,
    LOW_CONFIDENCE_DASH,
    LOW_CONFIDENCE_NOTE,
    MARKER_EDGE,
    MARKER_RADIUS,
    STATUS_STYLE,
    legend_fill_opacity,
    legend_rows,
)
from geomap.export.labelling import CHAR_WIDTH
from geomap.export.layout import PX, Layout
from geomap.export.options import BODY_MIN_PT
from geomap.export.text import FONT

#: Type size of the legend's entries (points): the map's least body size.
LEGEND_PT = BODY_MIN_PT


def legend_handles(features: Iterable[Feature], change: bool = False) -> list[Artist]:
    """Legend entries for the kinds and statuses among ``features``, in display order."""
    feats = list(features)
    kinds = {(f.props.layer, f.props.kind) for f in feats}
    statuses = {f.props.status for f in feats if f.props.status and f.geometry.geom_type == "Point"}
    handles: list[Artist] = []
    for spec in LAYERS:
        if spec.style_by == "controller":
            if any(f.props.layer == spec.name for f in feats):
                handles += _controller_handles(spec)
            continue
        for lk, kind in sorted(kinds):
            if lk != spec.name:
                continue
            if kind in PLACE_KINDS:
                continue
            text = spec.kind_label(kind.value)
            if kind is Kind.river:
                handles.append(Line2D([], [], color=spec.colour, lw=LINE_WIDTH * PX, label=text))
                continue
            fill = KIND_COLOUR.get(kind, spec.colour)
            width, opacity = KIND_STYLE[kind][0], legend_fill_opacity(kind)
            edge = "#000000" if kind in BLACK_OUTLINE_KINDS else fill
            handles.append(
                Patch(facecolor=to_rgba(fill, opacity), edgecolor=edge, lw=width * PX, label=text)
            )
    if change:
        for colour, hatch, text in CHANGE_STYLE.values():
            handles.append(
                Patch(facecolor=to_rgba(colour, 0.12), edgecolor=colour, hatch=hatch, label=text)
            )
    status_layers = {spec.name for spec in LAYERS if spec.style_by == "status"}
    if status_layers & {lk for lk, _ in kinds} or statuses:
        for status, (colour, text) in STATUS_STYLE.items():
            if status in statuses:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        linestyle="none",
                        markersize=2 * MARKER_RADIUS[Kind.city] * PX,
                        markerfacecolor=colour,
                        markeredgecolor=MARKER_EDGE[0],
                        markeredgewidth=MARKER_EDGE[1] * PX,
                        label=f"Place {text}",
                    )
                )
    for (on, off), note in (
        (APPROXIMATE_DASH, APPROXIMATE_NOTE),
        (LOW_CONFIDENCE_DASH, LOW_CONFIDENCE_NOTE),
    ):
        handles.append(
            Line2D([], [], color="#333333", lw=1.2, linestyle=(0, (on * PX, off * PX)), label=note)
        )
    return handles


def _controller_handles(spec: LayerSpec) -> list[Artist]:
    """One swatch per side of the control layer (the registry's legend rows)."""
    width = KIND_STYLE[Kind.control][0]
    return [
        Patch(
            facecolor=to_rgba(row["colour"], row["opacity"] * 0.7),
            edgecolor=row["colour"],
            lw=width * PX,
            label=row["label"],
        )
        for row in legend_rows(spec)
    ]


def draw_legend(figure: Figure, layout: Layout, features: Sequence[Feature], change: bool) -> None:
    """Draw the legend panel in ``layout.legend_rect``.

    Parameters
    ----------
    figure
        The figure to draw on.
    layout
        Where the legend goes and in how many columns.
    features
        The records whose kinds and statuses the legend explains.
    change
        Also explain the gained and lost areas of a comparison.
    """
    handles = legend_handles(features, change)
    left, bottom, width, height = layout.legend_rect
    # Each entry wraps to its column, beside its swatch (about 3 type sizes wide).
    column_pt = width * figure.get_size_inches()[0] * 72 / layout.legend_columns
    chars = max(12, int((column_pt - 3.6 * LEGEND_PT) / (CHAR_WIDTH * LEGEND_PT)))
    for handle in handles:
        handle.set_label("\n".join(textwrap.wrap(str(handle.get_label()), chars)))
    panel = figure.add_axes((left, bottom, width, height))
    panel.set_axis_off()
    panel.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=LEGEND_PT,
        title="Legend",
        title_fontproperties={"size": LEGEND_PT + 1, "weight": "bold", "family": FONT},
        prop={"family": FONT, "size": LEGEND_PT},
        ncols=layout.legend_columns,
        handlelength=2.2,
        borderaxespad=0.0,
        alignment="left",
    )
