"""Serving the browser payload as a cached static file instead of inside the map's HTML.

The app's map HTML travels through Streamlit's websocket and streamlit-folium
parses it before any script runs, so a payload of a megabyte inlined there
costs seconds of first paint. Instead the payload is written once per dataset
to ``geomap/app/static/cache/payload-<sha>.json`` (a copy, as Streamlit's static
serving refuses symlinks), and the map's HTML carries only its address; the
browser script fetches it from the same origin. When the static folder cannot
be written (a read-only install), the payload is inlined as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from geomap.data.paths import STATIC_DIR

#: Where cached payloads go, and the URL Streamlit serves them under.
CACHE_DIR = STATIC_DIR / "cache"
CACHE_URL = "/app/static/cache"
#: How many payload files to keep (older datasets are removed).
KEEP = 4


def payload_reference(payload_text: str, folder: Path = CACHE_DIR) -> str:
    """The JSON the map's HTML carries: ``{"src": url}``, or the payload itself as a fallback.

    Parameters
    ----------
    payload_text
        The payload as :func:`geomap.web.payload.payload_json` made it.
    folder
        The cache folder inside the served static folder.
    """
    digest = hashlib.sha256(payload_text.encode("utf-8")).hexdigest()[:16]
    name = f"payload-{digest}.json"
    target = folder / name
    try:
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".payload-", suffix=".part", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload_text)
            os.replace(tmp, target)
        _prune(folder, keep=target)
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
