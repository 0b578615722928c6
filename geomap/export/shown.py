"""What an export of one date shows: its records in its frame, and its credits paragraph."""

from __future__ import annotations

from shapely.geometry import box

from geomap.core.citations import credits_line
from geomap.core.feature import Feature
from geomap.data.dataset import Dataset
from geomap.export.job import Job


def shown_on_date(job: Job) -> list[Feature]:
    """Records valid on the export's date, on its layers, touching its frame when one was asked."""
    plan = job.plan
    records = job.dataset.state(plan.date, plan.layers)
    if not plan.framed:
        return records
    frame = box(*plan.bbox)
    return [f for f in records if f.geometry.intersects(frame)]


def description(job: Job) -> str:
    """The credits of a data export, in one paragraph."""
    return (
        f"geomap export for {job.plan.date.isoformat()}. "
        f"{credits_line(job.dataset.datapackage)} "
        "Each feature's sources are in its sources field (keys into data/sources.json)."
    )


def label_names(dataset: Dataset, lang: str) -> dict[str, str]:
    """The names a map writes instead of its records' in ``lang`` (by thing id).

    Arabic (``ar``): the gazetteer's Arabic names; places without one keep their
    Latin name. The data's own language (``en``): none to replace.
    """
    return dataset.arabic_names if lang == "ar" else {}
