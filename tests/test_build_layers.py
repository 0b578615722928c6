"""The shipped layers are exactly what tools/build_layers.py makes from tools/layers_src/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geomap.core.layers import layer_files
from tests.conftest import ROOT

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("layers")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_layers.py"), str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out


#: The compiled store is built too, from the same records, and must be as reproducible.
STORE_FILES = [f"store/{name}.arrow" for name in sorted(layer_files())] + ["store/manifest.json"]


@pytest.mark.parametrize(
    "name", [*sorted(layer_files().values()), "land_pieces.json", *STORE_FILES]
)
def test_layer_is_reproducible(rebuilt: Path, name: str) -> None:
    shipped = (ROOT / "layers" / name).read_bytes()
    assert (rebuilt / name).read_bytes() == shipped, (
        f"layers/{name} differs from a fresh build: run `python tools/build_layers.py`"
    )


def test_gazetteer_is_reproducible() -> None:
    """``data/gazetteer.json`` is what tools/build_gazetteer.py makes of the shipped layers."""
    import json

    from tools.build_gazetteer import FILE, build

    fresh = json.dumps(build(ROOT), indent=2, ensure_ascii=False) + "\n"
    shipped = (ROOT / "data" / FILE).read_text(encoding="utf-8")
    assert fresh == shipped, "data/gazetteer.json is stale: run `python tools/build_gazetteer.py`"
