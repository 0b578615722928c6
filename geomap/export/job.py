"""One export being written: the data, the resolved plan, the target file and a progress hook.

Writers take a :class:`Job` and nothing else; they read the plan and recompute none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.data.dataset import Dataset
from geomap.export.options import Progress

if TYPE_CHECKING:
    from geomap.export.plan import Plan


@dataclass(frozen=True)
class Job:
    """One export to write."""

    dataset: Dataset
    plan: Plan
    path: Path
    progress: Progress | None
    #: The full credits the writer cited (data, then the numbered sources), which
    #: :func:`geomap.export.api.export` writes beside the file (``NAME.sources.txt``)
    #: for the formats whose row says so.
    sources: list[str] = field(default_factory=list)
