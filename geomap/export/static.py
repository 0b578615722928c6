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
from geomap.export.credits import SOURCES_WHERE, credit_entries, on_map
from geomap.export.job import Job
from geomap.export.layout import draw_credits
from geomap.export.mapfigure import MapFigure
from geomap.export.options import BBox
from geomap.export.plan import Plan, default_title
from geomap.export.shown import label_names
from geomap.export.text import format_date, format_km2, heading

#: Type size tried first for a PDF's page of sources (points).
SOURCES_PAGE_PT = 8.0


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


def build_static(dataset: Dataset, plan: Plan, cited: list[str] | None = None) -> MapFigure:
    """Draw the map of ``plan.date`` (not yet saved); tests sample its pixels.

    The map carries the credits its ``--credits`` mode asks for; the full credits
    (data, then the numbered sources) are appended to ``cited`` when given.
    """
    features = dataset.features
    shown = dataset.state(plan.date, plan.layers)
    assert plan.size is not None  # a static row always has a size
    changes: dict[str, BaseGeometry] = {}
    area = held_area_on(features, plan.date)
    subtitle = f"IS-held area on {format_date(plan.date)}: {format_km2(area)}"
    if plan.options.subtitle:
        subtitle = f"{plan.options.subtitle}  ·  {subtitle}"
    if plan.compare_from is not None:
        result = compare(features, plan.compare_from, plan.date)
        changes = {"gained": result.gained, "lost": result.lost}
        subtitle += (
            f"  ·  since {format_date(plan.compare_from)}: "
            f"gained {format_km2(result.gained_km2)}, lost {format_km2(result.lost_km2)}"
        )
    entries = credit_entries(in_frame(shown, plan.bbox), dataset.sources, dataset.datapackage)
    if cited is not None:
        cited.extend(entries)
    where = SOURCES_WHERE[plan.row.sources or "file"]
    fig = MapFigure(
        plan.bbox,
        plan.size,
        dataset.basemap,
        plan.title or default_title(plan),
        shown,
        on_map(plan.options.credits, entries, dataset.datapackage, where),
        change=bool(changes),
        places=features,
        short_credits=plan.options.credits != "full",
        selected=plan.options.place,
        names=label_names(dataset, plan.options.lang),
        vector=plan.fmt in ("svg", "pdf"),
    )
    fig.show(shown, subtitle, changes=changes)
    fig.finish()
    return fig


def write_static(job: Job) -> None:
    """Write a PNG, SVG or PDF map of the plan's date to the job's path."""
    # Text stays text in SVG and PDF (editable, searchable); matplotlib escapes it.
    with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "geomap"}):
        fig = build_static(job.dataset, job.plan, job.sources)
        try:
            fmt = job.plan.fmt
            metadata = {"Title": fig.title.get_text()} if fmt in ("svg", "pdf") else None
            if job.plan.row.sources == "page" and job.plan.options.credits != "full":
                _write_with_sources_page(job, fig, metadata or {})
            else:
                fig.figure.savefig(job.path, format=fmt, dpi=fig.size.dpi, metadata=metadata)
        finally:
            fig.close()


def _write_with_sources_page(job: Job, fig: MapFigure, metadata: dict[str, str]) -> None:
    """A PDF of two pages: the map, then its full credits in columns of readable type."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    width_in, height_in = (float(v) for v in fig.figure.get_size_inches())
    page = Figure(figsize=(width_in, height_in), dpi=fig.size.dpi)
    heading(page, 0.5 / width_in, 1 - 0.5 / height_in, f"Sources: {fig.title.get_text()}", 12)
    rect = (0.5 / width_in, 0.5 / height_in, 1 - 1.0 / width_in, 1 - 1.3 / height_in)
    draw_credits(page, rect, job.sources, SOURCES_PAGE_PT)
    with PdfPages(job.path, metadata=metadata) as pdf:
        pdf.savefig(fig.figure, dpi=fig.size.dpi)
        pdf.savefig(page, dpi=fig.size.dpi)
