"""Where geomap finds its data.

The shipped data lives beside the package in a source checkout (``layers/`` and
``data/``). ``GEOMAP_ROOT`` points elsewhere, for example at a copy under test.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The app's vendored scripts, style sheets and images (served by Streamlit, inlined by exports).
STATIC_DIR = Path(__file__).resolve().parents[1] / "app" / "static"


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
