"""Static maps of one date: PNG, SVG and PDF."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geomap.core.compare import compare
from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_on
from geomap.data.dataset import Dataset
from geomap.export.credits import credit_entries
from geomap.export.job import Job
from geomap.export.mapfigure import MapFigure
from geomap.export.options import BBox
from geomap.export.plan import Plan, default_title
from geomap.export.text import format_date, format_km2


def in_frame(features: Sequence[Feature], bbox: BBox) -> list[Feature]:
    """The features in or near the frame, so the credits cite what can be seen.

    The drawn extent grows beyond ``bbox`` to fit the figure's aspect, so the
    frame is widened by half its larger side: a source may be cited for a shape
    just outside the picture, but nothing drawn goes uncited.
    """
    west, south, east, north = bbox
    pad = max(east - west, north - south) / 2
    frame = box(west - pad, south - pad, east + pad, north + pad)
    return [f for f in features if f.geometry.intersects(frame)]


def build_static(dataset: Dataset, plan: Plan) -> MapFigure:
    """Draw the map of ``plan.date`` (not yet saved); tests sample its pixels."""
    features = dataset.features
    shown = dataset.state(plan.date, plan.layers)
    assert plan.size is not None  # a static row always has a size
    changes: dict[str, BaseGeometry] = {}
    area = held_area_on(features, plan.date)
    subtitle = f"IS-held area on {format_date(plan.date)}: {format_km2(area)}"
    if plan.compare_from is not None:
        result = compare(features, plan.compare_from, plan.date)
        changes = {"gained": result.gained, "lost": result.lost}
        subtitle += (
            f"  ·  since {format_date(plan.compare_from)}: "
            f"gained {format_km2(result.gained_km2)}, lost {format_km2(result.lost_km2)}"
        )
    fig = MapFigure(
        plan.bbox,
        plan.size,
        dataset.basemap,
        plan.title or default_title(plan),
        shown,
        credit_entries(in_frame(shown, plan.bbox), dataset.sources, dataset.datapackage),
        change=bool(changes),
        places=features,
    )
    fig.show(shown, subtitle, changes=changes)
    return fig


def write_static(job: Job) -> None:
    """Write a PNG, SVG or PDF map of the plan's date to the job's path."""
    # Text stays text in SVG and PDF (editable, searchable); matplotlib escapes it.
    with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "geomap"}):
        fig = build_static(job.dataset, job.plan)
        try:
            fmt = job.plan.fmt
            metadata = {"Title": fig.title.get_text()} if fmt in ("svg", "pdf") else None
            fig.figure.savefig(job.path, format=fmt, dpi=fig.size.dpi, metadata=metadata)
        finally:
            fig.close()
