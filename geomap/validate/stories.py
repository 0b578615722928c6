"""Checks of the story files in ``data/stories/`` (the ``story`` rule).

The model (:class:`geomap.story.Story`) checks each file's shape and text; this
module adds what needs the rest of the data: that every place, layer, source
key and claim a step names exists, and that its date lies in the timeline.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geomap.core.errors import DataError, UnreadableError
from geomap.core.layers import layer_names
from geomap.core.story import story_from_raw, story_problems
from geomap.data.io import read_json
from geomap.data.paths import data_dir
from geomap.data.stories import read_story_raw
from geomap.validate.files import pydantic_problems
from geomap.validate.registry import ID_PLACEHOLDER, Problem
from geomap.validate.rules import READ, STORY


def claim_ids(root: Path | None) -> set[str] | None:
    """Ids in the data root's ``claims.json`` (None when it cannot be read)."""
    try:
        doc = read_json(data_dir(root) / "claims.json")
    except DataError:
        return None  # reported by the claims rule of that file
    entries = doc.get("claims") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return None
    return {str(c.get("id")) for c in entries if isinstance(c, dict)}


def check_story_file(
    path: Path,
    *,
    sources: dict[str, Any] | None,
    things: Collection[str],
    places: Collection[str],
    claims: Collection[str] | None,
) -> list[Problem]:
    """Every problem of one story file, as ``path: story-id#step: rule: message``."""
    try:
        raw = read_story_raw(path)
    except UnreadableError as exc:
        return [Problem(str(path), ID_PLACEHOLDER, READ, str(exc).split(": ", 1)[-1])]
    except DataError as exc:
        return [Problem(str(path), ID_PLACEHOLDER, STORY, str(exc).split(": ", 1)[-1])]
    try:
        story = story_from_raw(raw, path)
    except ValidationError as exc:
        given = raw.get("id")
        where = given if isinstance(given, str) and given.isprintable() else path.stem
        return pydantic_problems(path, where, exc, STORY)
    return [
        Problem(str(path), where, STORY, message)
        for where, message in story_problems(
            story,
            things=things,
            places=places,
            layers=layer_names(),
            sources=None if sources is None else set(sources),
            claims=claims,
        )
    ]
