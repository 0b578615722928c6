"""The credits paragraph a printed map carries: data licences and numbered feature sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from geomap.citations import credits_line, numbered_sources
from geomap.io import Feature
from geomap.model import Source


def credit_entries(
    features: Iterable[Feature], sources: Mapping[str, Source], root: Path | None = None
) -> list[str]:
    """Paragraphs of a map's credits: data and licences, then the numbered sources."""
    notes = [note.line() for note in numbered_sources(features, sources)]
    return [credits_line(root), "Sources for the features shown:", *notes]
