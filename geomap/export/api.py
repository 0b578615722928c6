"""One entry point for every export format, shared by the CLI and the app.

:func:`export` writes a file (atomically); :func:`export_bytes` returns the
bytes, for a download button. Both take a :class:`~geomap.data.dataset.Dataset`
and check the request first with :func:`~geomap.export.plan.check_request`, so a
bad request fails before any drawing and leaves no file behind; the writer then
reads the resolved :class:`~geomap.export.plan.Plan`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from geomap.data.dataset import Dataset
from geomap.export.atomic import atomic_output, check_writable
from geomap.export.credits import sources_path, sources_text
from geomap.export.job import Job
from geomap.export.options import ExportOptions, Progress
from geomap.export.plan import Plan, check_request


def export(
    dataset: Dataset,
    fmt: str,
    out: Path | str,
    options: ExportOptions | None = None,
    *,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> Path:
    """Export the data of ``dataset`` to ``out`` as ``fmt``.

    Parameters
    ----------
    dataset
        The data to draw (its layers, base geography, bibliography and stories).
    fmt
        One of :data:`geomap.export.formats.FORMATS`.
    out
        Target file; written through a temporary file and renamed at the end. Maps and
        animations (PNG, SVG, GIF, MP4) get their numbered sources beside them in
        ``NAME.sources.txt`` (:mod:`geomap.export.credits`), written the same way.
    options
        Date, size, frame, layers, title, animation range, comparison date, story.
    plan
        The request already checked by :func:`check_request` (the app checks it to
        name the download); ``options`` is then ignored.
    progress
        Called with ``(done, total)`` after each animation frame or story step.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ExportError
        A bad request or an unwritable target (nothing is left at ``out``).
    """
    plan = plan or check_request(dataset, fmt, options or ExportOptions())
    out = Path(out)
    check_writable(out)
    if plan.row.sources == "file":
        check_writable(sources_path(out))
    with atomic_output(out) as tmp:
        job = Job(dataset, plan, tmp, progress)
        plan.row.write(job)
        if plan.row.sources == "file" and job.sources:
            # Beside the picture, before the picture itself is moved into place.
            with atomic_output(sources_path(out)) as side:
                heading = f"Credits and sources of {out.name}"
                side.write_text(sources_text(job.sources, heading), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Download:
    """An export ready to download: the file's bytes and name, and its sources file's."""

    data: bytes
    name: str
    #: ``NAME.sources.txt`` of a map or animation (its numbered sources), if written.
    sources: bytes | None
    sources_name: str | None


def export_download(
    dataset: Dataset, fmt: str, plan: Plan, *, progress: Progress | None = None
) -> Download:
    """Export for a download button: the file and the sources file written beside it.

    The file is named as :meth:`Plan.file_name`; the app offers both files, as the CLI
    writes both.
    """
    with tempfile.TemporaryDirectory(prefix="geomap-export-") as folder:
        path = export(dataset, fmt, Path(folder) / plan.file_name(), plan=plan, progress=progress)
        side = sources_path(path)
        return Download(
            path.read_bytes(),
            path.name,
            side.read_bytes() if side.exists() else None,
            side.name if side.exists() else None,
        )


def export_bytes(
    dataset: Dataset,
    fmt: str,
    options: ExportOptions | None = None,
    *,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Like :func:`export`, but return the file's bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="geomap-export-") as folder:
        path = export(
            dataset, fmt, Path(folder) / f"export.{fmt}", options, plan=plan, progress=progress
        )
        return path.read_bytes()
