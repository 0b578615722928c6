"""Everything the page needs from disk, loaded once per change of the data files."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import streamlit as st

from geomap.app.charts import area_rows, side_rows
from geomap.core.claims import Result, peak_km2
from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_lookup
from geomap.core.model import Source
from geomap.core.story import Story
from geomap.data.dataset import Dataset
from geomap.data.gazetteer import Gazetteer
from geomap.data.paths import project_root
from geomap.web.prepared import data_stamp, payload_for


class Bundle:
    """The page's data: a :class:`Dataset` and what the page derives from it.

    Only the payload's address is found at load (:func:`geomap.web.prepared.payload_for`,
    which reuses the payload prepared for the same data); every other part is
    computed the first time a panel asks for it, and kept.
    """

    def __init__(self, dataset: Dataset, payload: str) -> None:
        self.dataset = dataset
        #: What the map's HTML carries: the payload's address, or the payload itself.
        self.payload = payload

    @property
    def features(self) -> list[Feature]:
        """Every record of every layer."""
        return self.dataset.features

    @property
    def sources(self) -> dict[str, Source]:
        """The bibliography by key."""
        return self.dataset.sources

    @property
    def datapackage(self) -> dict[str, Any] | None:
        """``data/datapackage.json`` (None when unreadable)."""
        return self.dataset.datapackage

    @property
    def periods(self) -> dict[str, list[Feature]]:
        """Every thing's records by id, oldest first."""
        return self.dataset.periods

    @property
    def countries(self) -> list[dict[str, Any]]:
        """The country outlines of the base geography."""
        return self.dataset.basemap["countries"]

    @property
    def claims(self) -> list[Result]:
        """The fact check: every claim and disputed date with its verdict."""
        return self.dataset.claim_results

    @property
    def gazetteer(self) -> Gazetteer:
        """Every name of every place, with the ranked search (``data/gazetteer.json``)."""
        return self.dataset.gazetteer

    @cached_property
    def area_rows(self) -> list[dict[str, Any]]:
        """The area chart's rows."""
        return area_rows(self.features)

    @cached_property
    def held_area(self) -> Callable[[dt.date], float]:
        """IS-held km² on a date (areas computed once per snapshot)."""
        return held_area_lookup(self.features)

    @cached_property
    def peak(self) -> tuple[dt.date, float]:
        """The date and km² of the largest IS-held territory on the map."""
        return peak_km2(self.features)

    @cached_property
    def side_rows(self) -> list[dict[str, Any]]:
        """The stacked chart's rows (km² per side per date)."""
        return side_rows(self.features)

    @cached_property
    def _stories(self) -> tuple[dict[str, Story], str | None]:
        try:
            return self.dataset.stories, None
        except DataError as exc:
            return {}, str(exc)

    @property
    def stories(self) -> dict[str, Story]:
        """Every story by id (none when they cannot be read)."""
        return self._stories[0]

    @property
    def story_error(self) -> str | None:
        """Why the stories could not be read (the map still works)."""
        return self._stories[1]

    def story_steps(self) -> dict[str, int]:
        """The number of steps of each story, by id."""
        return {sid: len(story.steps) for sid, story in self.stories.items()}


def _load(root: Path) -> Bundle:
    dataset = Dataset(root)
    # What the first paint reads (every record, by thing), read before the payload is
    # asked for: on a fresh clone that waits for `geomap serve`'s build of it, which
    # runs in another process meanwhile.
    dataset.periods  # noqa: B018
    return Bundle(dataset, payload_for(dataset))


@st.cache_resource(show_spinner=False, max_entries=2)
def _cached(root: str, stamp: str) -> Bundle:
    bundle = _load(Path(root))
    # The bundle lives as long as the server: move its millions of objects out of the
    # garbage collector's reach, so that no collection has to walk them again (a full
    # collection of them took a few hundred milliseconds, with the GIL held).
    gc.collect()
    gc.freeze()
    return bundle


#: How long a data stamp is trusted before the files are looked at again (seconds).
STAMP_TTL = 2.0
_stamps: dict[str, tuple[float, str]] = {}


def _stamp(root: Path) -> str:
    """The data's stamp, looked up at most every :data:`STAMP_TTL` seconds per root.

    It is :func:`geomap.web.prepared.data_stamp`: the size and modification time of
    every input file, the same key the prepared payload is found by.
    """
    now = time.monotonic()
    seen = _stamps.get(str(root))
    if seen is None or now - seen[0] > STAMP_TTL:
        seen = (now, data_stamp(Dataset(root)))
        _stamps[str(root)] = seen
    return seen[1]


#: The (root, stamp) pairs whose bundle this process has loaded: no loading line for them.
_loaded: set[tuple[str, str]] = set()
#: What the page says while the data is read (a role=status line, announced).
LOADING = (
    "Loading the map: reading its data. After a change of the data files (or on a fresh "
    "clone) its map data are prepared first, which takes a few seconds."
)


def load_bundle() -> Bundle:
    """The data of ``project_root()``, cached until a data file changes.

    While a bundle not loaded before is read, the page shows a ``role=status`` line
    saying so, in a placeholder that every run has (so nothing below it moves).
    """
    root = project_root()
    key = (str(root), _stamp(root))
    slot = st.empty()
    if key in _loaded:
        return _cached(*key)
    slot.html(f'<div class="gm-alert gm-alert-info gm-loading-page" role="status">{LOADING}</div>')
    bundle = _cached(*key)
    _loaded.add(key)
    slot.empty()
    return bundle


def warm_up() -> None:
    """Read the bundle before the first visit asks for it (``geomap serve``'s warm-up thread)."""
    root = project_root()
    _cached(str(root), _stamp(root))
    _loaded.add((str(root), _stamp(root)))
