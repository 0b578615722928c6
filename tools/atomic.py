"""Writing a build output all at once, the one way every tool in ``tools/`` writes files.

A writer fills a temporary file in the target's own folder (so the final rename
stays on one file system and is atomic); :func:`os.replace` moves it onto the
target only when the writer returned without error, and on any error the
temporary file is removed. A failed or interrupted build therefore leaves the
previous output as it was and no ``.part`` file behind. The temporary name is
``.<name>.<random>.part<suffix>``: hidden, and ending with the target's
suffix for writers that choose a format by extension (GDAL, browsers).

GeoJSON layers are written one compact feature per line (:func:`geojson_text`),
which keeps the files small and their diffs readable.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


def _mode(path: Path) -> int:
    """Permissions for the written file: the target's own, or what the umask allows."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds.

    The folder is created when missing. The temporary file exists (empty) when
    the block starts; on any exception it is removed and the exception goes on.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=path.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (line ends as given)."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, doc: Any, indent: int = 2) -> None:
    """Write a JSON document, indented, non-ASCII kept, with a final newline."""
    write_text(path, json.dumps(doc, indent=indent, ensure_ascii=False) + "\n")


def geojson_text(features: Iterable[dict[str, Any]]) -> str:
    """A FeatureCollection as text: one compact feature per line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_geojson(path: Path, features: Iterable[dict[str, Any]]) -> None:
    """Write a FeatureCollection atomically, one compact feature per line."""
    write_text(path, geojson_text(features))
