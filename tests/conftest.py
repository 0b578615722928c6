"""Shared helpers: the shipped data root and small feature builders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape

from geomap.core.feature import Feature
from geomap.core.model import FeatureProperties
from geomap.data.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_feature(geometry: dict[str, Any], **props: Any) -> Feature:
    """Build a valid feature, overriding any property."""
    base: dict[str, Any] = {
        "id": "t",
        "name": "T",
        "layer": "captured_cities",
        "kind": "city",
        "valid_from": "2015-01-01",
        "confidence": "high",
        "sources": [{"key": "nyt-hajin-2018-09", "supports": "test"}],
    }
    base.update(props)
    raw = {"type": "Feature", "properties": base, "geometry": geometry}
    return Feature(
        props=FeatureProperties.model_validate(base),
        geometry=shape(geometry),
        path=Path("mem.geojson"),
        raw=raw,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The shipped data, read once for the whole session (from the compiled store)."""
    return Dataset(ROOT)


@pytest.fixture(scope="session")
def shipped(dataset: Dataset) -> list[Feature]:
    return dataset.features
