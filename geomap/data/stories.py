"""Reading story files, ``data/stories/*.toml`` (the model is :mod:`geomap.core.story`).

TOML is read with the standard library's :mod:`tomllib` through geomap's safe
reader: regular files only, a size cap, UTF-8.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from geomap.core.errors import DataError, UnreadableError
from geomap.core.story import MAX_STORY_BYTES, Story, parse_story
from geomap.data.paths import data_dir
from geomap.data.safejson import read_bytes


def stories_dir(root: Path | None = None) -> Path:
    """The folder of story files, ``data/stories``."""
    return data_dir(root) / "stories"


def read_story_raw(path: Path) -> dict[str, Any]:
    """Parse a story file's TOML, raising :class:`DataError` with the path on failure."""
    data = read_bytes(path, MAX_STORY_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML: {exc}") from exc


def read_story(path: Path) -> Story:
    """Read and check one story file (its shape and text, not its references)."""
    return parse_story(read_story_raw(path), path)


def story_paths(root: Path | None = None) -> list[Path]:
    """The story files of a data root, in name order."""
    folder = stories_dir(root)
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_stories(root: Path | None = None) -> dict[str, Story]:
    """Every story of a data root, by id (``{}`` when there is no stories folder)."""
    out: dict[str, Story] = {}
    for path in story_paths(root):
        story = read_story(path)
        if story.id in out:
            raise DataError(f"{path}: story id {story.id!r} is used by another file")
        out[story.id] = story
    return out
