"""Where geomap finds its data, and where the app is served from.

The shipped data lives beside the package in a source checkout (``layers/`` and
``data/``). ``GEOMAP_ROOT`` points elsewhere, for example at a copy under test.
``GEOMAP_APP_DIR`` names a writable folder to serve the app from (see
:func:`app_dir`), so that a running app writes nothing inside the package.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: The app's own folder: its main script, with the ``static/`` folder Streamlit serves beside it.
APP_DIR = Path(__file__).resolve().parents[1] / "app"
#: The app's vendored scripts, style sheets and images (served by Streamlit, inlined by exports).
STATIC_DIR = APP_DIR / "static"


def project_root() -> Path:
    """Return the data root: ``$GEOMAP_ROOT`` or the checkout holding the package."""
    env = os.environ.get("GEOMAP_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def layers_dir(root: Path | None = None) -> Path:
    """Return the folder of layer files."""
    return (root or project_root()) / "layers"


def data_dir(root: Path | None = None) -> Path:
    """Return the folder of base geography and bibliography."""
    return (root or project_root()) / "data"


def app_dir() -> Path:
    """Return the folder the app is served from: ``$GEOMAP_APP_DIR`` or :data:`APP_DIR`.

    Streamlit serves the ``static/`` folder beside the app's main script, and the
    app writes its payload cache there (:mod:`geomap.web.payload_file`).
    """
    env = os.environ.get("GEOMAP_APP_DIR")
    return Path(env).resolve() if env else APP_DIR


def served_app() -> Path:
    """Return the main script to serve, copied with ``static/`` into :func:`app_dir` if elsewhere.

    Copies, not symlinks: Streamlit's static serving refuses symlinks. The
    copies are refreshed on every call; the payload cache in ``static/cache``
    is kept.
    """
    folder = app_dir()
    if folder == APP_DIR:
        return APP_DIR / "main.py"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(APP_DIR / "main.py", folder / "main.py")
    shutil.copytree(
        STATIC_DIR, folder / "static", ignore=shutil.ignore_patterns("cache"), dirs_exist_ok=True
    )
    return folder / "main.py"
