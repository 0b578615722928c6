"""Render one example map for each export preset, for the README.

Run by hand after a change to the maps (the README's Exports section shows them)::

    python tools/export_examples.py

Each preset exports the same scene, the Hajin pocket on 20 December 2018, as
``geomap export --place hajin --preset NAME`` would (a PNG at the preset's full
size), and the picture is scaled down to :data:`THUMB_WIDTH` pixels wide into
``docs/examples/preset-NAME.png``, so that the README stays light. The paper
presets' vector PDFs are the same drawing; they are not committed.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.atomic import write_bytes  # noqa: E402

#: Width in pixels of the committed pictures.
THUMB_WIDTH = 640
OUT = ROOT / "docs" / "examples"
DAY = dt.date(2018, 12, 20)


def main() -> int:
    """Write ``docs/examples/preset-NAME.png`` for every preset."""
    import io

    from PIL import Image

    from geomap.data.dataset import Dataset
    from geomap.export import ExportOptions, export
    from geomap.export.options import PRESETS

    dataset = Dataset()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name in PRESETS:
            options = ExportOptions(date=DAY, place="hajin", preset=name)
            png = export(dataset, "png", Path(folder) / f"{name}.png", options)
            with Image.open(png) as image:
                height = round(image.height * THUMB_WIDTH / image.width)
                small = image.convert("RGB").resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            small.save(buffer, format="PNG", optimize=True)
            target = OUT / f"preset-{name}.png"
            write_bytes(target, buffer.getvalue())
            print(f"wrote {target.relative_to(ROOT)} ({len(buffer.getvalue()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
