"""The map payload of a dataset, prepared once and found again by the data's stamp.

Building the payload (every record, the land pieces, the stories and their fact
checks) takes seconds; the page cannot paint before it has it. So the payload is
written once per state of the data files to the served cache folder
(:mod:`geomap.web.payload_file`), and a small index maps the data's stamp (the
size and modification time of every input file) to that file. The app's first
visit then only looks the stamp up. ``geomap serve`` prepares it before the
server starts (:func:`prepare`), so the first visit after ``make run`` on a fresh
clone is as fast as every later one; an edit of any data file changes the
stamp, and the payload is built again on the next visit.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geomap.core.errors import DataError
from geomap.data.dataset import Dataset
from geomap.web.payload import build_payload, payload_json
from geomap.web.payload_file import CACHE_URL, cache_dir, payload_reference, referenced_src
from geomap.web.story_payload import stories_payload

INDEX = "payload-index.json"
#: Held while a payload is built, so that two processes never build the same one.
LOCK = ".payload.lock"
#: How many data stamps the index remembers.
KEEP = 4


def data_stamp(dataset: Dataset) -> str:
    """A digest of the size and modification time of every file the dataset reads."""
    digest = hashlib.sha256()
    for path in dataset.input_files():
        try:
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0-\n".encode())
    return digest.hexdigest()[:24]


def payload_text(dataset: Dataset) -> str:
    """The whole payload of a dataset as JSON text (stories included when they read)."""
    features, basemap = dataset.features, dataset.basemap
    try:
        stories = list(dataset.stories.values())
    except DataError:
        stories = []  # the app reports why; the map still works
    story_data = stories_payload(
        stories, features, basemap["places"], dataset.sources, dataset.claim_results
    )
    payload = build_payload(
        features,
        basemap,
        pieces=dataset.pieces,
        stories=story_data,
        arabic=dataset.arabic_names,
    )
    return payload_json(payload)


def _read_index(folder: Path) -> dict[str, str]:
    try:
        doc = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in doc.items()} if isinstance(doc, dict) else {}


def _write_index(folder: Path, index: dict[str, str]) -> None:
    """Replace the index atomically; an unwritable folder only costs a rebuild next time."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".payload-index-", suffix=".part", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(dict(list(index.items())[-KEEP:]), fh)
        os.replace(tmp, folder / INDEX)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def payload_for(dataset: Dataset, folder: Path | None = None) -> str:
    """What the map's HTML carries for ``dataset``: the cached payload's address, or the payload.

    The payload is built only when no file is recorded for the data's current stamp,
    and by one process at a time: a process that finds another building it (``geomap
    serve`` prepares it while the server starts) waits for that one and uses its file.
    ``folder`` is the served cache folder (default :func:`~geomap.web.payload_file.cache_dir`).
    """
    folder = folder or cache_dir()
    stamp = data_stamp(dataset)
    found = _recorded(folder, stamp)
    if found is not None:
        return found
    with _building(folder):
        found = _recorded(folder, stamp)
        if found is not None:
            return found
        reference = payload_reference(payload_text(dataset), folder)
        src = referenced_src(reference)
        if src is not None:
            index = _read_index(folder)
            index.pop(stamp, None)
            index[stamp] = src.rsplit("/", 1)[-1]
            _write_index(folder, index)
        return reference


def _recorded(folder: Path, stamp: str) -> str | None:
    """The reference of the payload recorded for ``stamp``, if its file is still there."""
    name = _read_index(folder).get(stamp)
    if name and (folder / name).is_file():
        return json.dumps({"src": f"{CACHE_URL}/{name}"})
    return None


@contextmanager
def _building(folder: Path) -> Iterator[None]:
    """Hold the cache folder's build lock (none when the folder cannot be written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(dataset: Dataset, folder: Path | None = None) -> bool:
    """Make sure the payload of ``dataset`` is cached; return whether it had to be built."""
    folder = folder or cache_dir()
    if _recorded(folder, data_stamp(dataset)) is not None:
        return False
    payload_for(dataset, folder)
    return True
