"""Everything the page needs from disk, loaded once per change of the data files."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from geomap.app.charts import area_rows, side_rows
from geomap.core.claims import Result
from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_lookup
from geomap.core.model import Source
from geomap.core.story import Story
from geomap.data.dataset import Dataset
from geomap.data.paths import project_root
from geomap.web.payload import Thing, build_payload, payload_json, things
from geomap.web.payload_file import payload_reference
from geomap.web.story_payload import stories_payload


@dataclass(frozen=True)
class Bundle:
    """Loaded data plus the map payload derived from it."""

    dataset: Dataset
    features: list[Feature]
    sources: dict[str, Source]
    datapackage: dict[str, Any] | None
    periods: dict[str, list[Feature]]
    things: list[Thing]
    payload: str  # what the map's HTML carries: the payload's address, or the payload
    claims: list[Result]
    countries: list[dict[str, Any]]
    area_rows: list[dict[str, Any]]  # the area chart's rows, computed once
    held_area: Callable[[dt.date], float]  # IS-held km² on a date, computed once per snapshot
    side_rows: list[dict[str, Any]]  # the stacked chart's rows (km² per side per date)
    stories: dict[str, Story]
    story_error: str | None  # why the stories could not be read (the map still works)

    def story_steps(self) -> dict[str, int]:
        """The number of steps of each story, by id."""
        return {sid: len(story.steps) for sid, story in self.stories.items()}


def data_stamp(root: Path) -> tuple[tuple[str, float], ...]:
    """Modification times of every input file, so edits invalidate the cache."""
    files = Dataset(root).input_files()
    return tuple((str(p), p.stat().st_mtime if p.exists() else 0.0) for p in files)


def _load(root: Path) -> Bundle:
    dataset = Dataset(root)
    features = dataset.features
    basemap = dataset.basemap
    try:
        stories, story_error = dataset.stories, None
    except DataError as exc:
        stories, story_error = {}, str(exc)
    claims = dataset.claim_results
    story_data = stories_payload(
        list(stories.values()), features, basemap["places"], dataset.sources, claims
    )
    return Bundle(
        dataset=dataset,
        features=features,
        sources=dataset.sources,
        datapackage=dataset.datapackage,
        periods=dataset.periods,
        things=things(features),
        payload=payload_reference(
            payload_json(
                build_payload(features, basemap, pieces=dataset.pieces, stories=story_data)
            )
        ),
        claims=claims,
        countries=basemap["countries"],
        area_rows=area_rows(features),
        held_area=held_area_lookup(features),
        side_rows=side_rows(features),
        stories=stories,
        story_error=story_error,
    )


@st.cache_resource(show_spinner="Loading the map data…", max_entries=2)
def _cached(root: str, stamp: tuple[tuple[str, float], ...]) -> Bundle:
    bundle = _load(Path(root))
    # The bundle lives as long as the server: move its millions of objects out of the
    # garbage collector's reach, so that no collection has to walk them again (a full
    # collection of them took a few hundred milliseconds, with the GIL held).
    gc.collect()
    gc.freeze()
    return bundle


#: How long a data stamp is trusted before the files are looked at again (seconds).
STAMP_TTL = 2.0
_stamps: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {}


def _stamp(root: Path) -> tuple[tuple[str, float], ...]:
    """:func:`data_stamp`, looked up at most every :data:`STAMP_TTL` seconds per root."""
    now = time.monotonic()
    seen = _stamps.get(str(root))
    if seen is None or now - seen[0] > STAMP_TTL:
        seen = (now, data_stamp(root))
        _stamps[str(root)] = seen
    return seen[1]


def load_bundle() -> Bundle:
    """The data of ``project_root()``, cached until a data file changes."""
    root = project_root()
    return _cached(str(root), _stamp(root))
