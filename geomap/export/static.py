"""Static maps of one date: PNG, SVG and PDF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geomap.compare import compare
from geomap.export.credits import credit_entries
from geomap.export.framing import map_bbox
from geomap.export.mapfigure import MapFigure
from geomap.export.options import STATIC_SIZE, ExportOptions, output_size
from geomap.export.text import format_date, format_km2
from geomap.geodesy import held_area_on
from geomap.io import Feature
from geomap.model import Source
from geomap.timeline import state_at


def default_title(options: ExportOptions) -> str:
    """``IS-held territory, 4 July 2016`` (or gained and lost between two dates)."""
    if options.compare_from is not None:
        return (
            f"IS-held territory gained and lost, {format_date(options.compare_from)} "
            f"to {format_date(options.date)}"
        )
    return f"IS-held territory, {format_date(options.date)}"


def in_frame(features: Sequence[Feature], bbox: tuple[float, float, float, float]) -> list[Feature]:
    """The features in or near the frame, so the credits cite what can be seen.

    The drawn extent grows beyond ``bbox`` to fit the figure's aspect, so the
    frame is widened by half its larger side: a source may be cited for a shape
    just outside the picture, but nothing drawn goes uncited.
    """
    west, south, east, north = bbox
    pad = max(east - west, north - south) / 2
    frame = box(west - pad, south - pad, east + pad, north + pad)
    return [f for f in features if f.geometry.intersects(frame)]


def build_static(
    features: Sequence[Feature],
    options: ExportOptions,
    basemap: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, Source],
) -> MapFigure:
    """Draw the map of ``options.date`` (not yet saved); tests sample its pixels."""
    shown = state_at(features, options.date, options.layers or None)
    bbox = map_bbox(options, features, basemap.get("places", []))
    size = output_size(options, STATIC_SIZE)
    changes: dict[str, BaseGeometry] = {}
    area = held_area_on(features, options.date)
    subtitle = f"IS-held area on {format_date(options.date)}: {format_km2(area)}"
    if options.compare_from is not None:
        result = compare(features, options.compare_from, options.date)
        changes = {"gained": result.gained, "lost": result.lost}
        subtitle += (
            f"  ·  since {format_date(options.compare_from)}: "
            f"gained {format_km2(result.gained_km2)}, lost {format_km2(result.lost_km2)}"
        )
    fig = MapFigure(
        bbox,
        size,
        basemap,
        options.title or default_title(options),
        shown,
        credit_entries(in_frame(shown, bbox), sources, options.root),
        change=bool(changes),
        places=features,
    )
    fig.show(shown, subtitle, changes=changes)
    return fig


def write_static(
    features: Sequence[Feature],
    fmt: str,
    path: Path,
    options: ExportOptions,
    basemap: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, Source],
) -> None:
    """Write a PNG, SVG or PDF map of ``options.date`` to ``path``."""
    # Text stays text in SVG and PDF (editable, searchable); matplotlib escapes it.
    with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "geomap"}):
        fig = build_static(features, options, basemap, sources)
        try:
            metadata = {"Title": fig.title.get_text()} if fmt in ("svg", "pdf") else None
            fig.figure.savefig(path, format=fmt, dpi=fig.size.dpi, metadata=metadata)
        finally:
            fig.close()
