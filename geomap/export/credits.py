"""The credits paragraph a printed map carries: data licences and numbered feature sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from geomap.core.citations import credits_line, numbered_sources
from geomap.core.feature import Feature
from geomap.core.model import Source


def credit_entries(
    features: Iterable[Feature],
    sources: Mapping[str, Source],
    datapackage: Mapping[str, Any] | None,
) -> list[str]:
    """Paragraphs of a map's credits: data and licences, then the numbered sources."""
    notes = [note.line() for note in numbered_sources(features, sources)]
    return [credits_line(datapackage), "Sources for the features shown:", *notes]
