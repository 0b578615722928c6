"""Serving the browser payload as a cached static file instead of inside the map's HTML.

The app's map HTML travels through Streamlit's websocket and streamlit-folium
parses it before any script runs, so a payload of a megabyte inlined there
costs seconds of first paint. Instead the payload is written once per dataset
to ``static/cache/payload-<sha>.json`` in the folder the app is served from
(a copy, as Streamlit's static serving refuses symlinks), and the map's HTML
carries only its address; the browser script fetches it from the same origin.
When that folder cannot be written (a read-only install), the payload is
inlined as before.

Where the cache lives is decided in one place, :func:`geomap.data.paths.app_dir`:
by default the package's own ``geomap/app/`` (so ``geomap/app/static/cache/``);
with ``GEOMAP_APP_DIR`` set, ``geomap serve`` serves a copy of the app's main
script and ``static/`` from that folder (:func:`geomap.data.paths.served_app`)
and the cache goes to its ``static/cache/``. The tests and benchmarks set it
to a temporary folder, so they write nothing inside the source tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from geomap.data.paths import app_dir

#: The URL Streamlit serves cached payloads under.
CACHE_URL = "/app/static/cache"
#: How many payload files to keep (older datasets are removed).
KEEP = 4


def cache_dir() -> Path:
    """Where cached payloads go: ``static/cache`` in the folder the app is served from."""
    return app_dir() / "static" / "cache"


def write_once(folder: Path, name: str, text: str) -> Path:
    """``folder/name`` holding ``text``, written atomically unless it is there already.

    Names carry a hash of what they hold, so a file that exists is the right one.
    Raises :class:`OSError` when the folder cannot be written.
    """
    target = folder / name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return target


def payload_reference(payload_text: str, folder: Path | None = None) -> str:
    """The JSON the map's HTML carries: ``{"src": url}``, or the payload itself as a fallback.

    Parameters
    ----------
    payload_text
        The payload as :func:`geomap.web.payload.payload_json` made it.
    folder
        The cache folder inside the served static folder (default :func:`cache_dir`).
    """
    folder = folder or cache_dir()
    digest = hashlib.sha256(payload_text.encode("utf-8")).hexdigest()[:16]
    name = f"payload-{digest}.json"
    try:
        _prune(folder, keep=write_once(folder, name, payload_text))
    except OSError:
        return payload_text
    return json.dumps({"src": f"{CACHE_URL}/{name}"})


def referenced_src(reference: str) -> str | None:
    """The cached payload's address in a :func:`payload_reference`, or None for an inline one."""
    if not reference.startswith('{"src"'):
        return None
    src = json.loads(reference).get("src")
    return src if isinstance(src, str) and src.startswith("/") else None


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest :data:`KEEP` payload files (never ``keep``)."""
    files = sorted(folder.glob("payload-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        if old != keep:
            old.unlink(missing_ok=True)
