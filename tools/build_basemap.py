"""Build the offline basemap layers in ``data/basemap`` and the manifest ``data/datapackage.json``.

Run by hand from the repository root (it needs npm and the network)::

    python tools/build_basemap.py [--data-dir DATA]

The code lives in the package :mod:`tools.basemap` (inputs, one builder per
output file, the manifest, the command); this file is its entry point.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.basemap.cli import main

if __name__ == "__main__":
    sys.exit(main())
