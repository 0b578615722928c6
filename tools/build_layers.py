"""Compile the curated records in ``tools/layers_src/`` into ``layers/*.geojson``.

Run by hand after editing a ``.toml`` file or the base geography::

    python tools/build_layers.py [OUT_DIR]

Each layer of the registry :data:`geomap.layers.LAYERS` has one builder module
in ``tools/builders/`` (registered with ``@builder("name")``); this script runs
them all, checks every record against the feature model
(:class:`geomap.model.FeatureProperties`) and writes one file per layer. The
method of each layer is in its builder's docstring and in the README.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.layers import LAYERS  # noqa: E402
from geomap.model import FeatureProperties  # noqa: E402
from tools.builders import load_builders  # noqa: E402
from tools.builders.common import LAYERS as LAYERS_DIR  # noqa: E402
from tools.builders.common import BuildContext, load_base  # noqa: E402


def checked(layer: str, features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate every record through the feature model before it is written."""
    for feat in features:
        props = FeatureProperties.model_validate(feat["properties"])
        if props.layer != layer:
            raise SystemExit(f"{props.record_key}: built for {layer} but says layer {props.layer}")
    return features


def write_layer(path: Path, features: list[dict[str, Any]]) -> None:
    """Write one layer file (through a temporary file, so a failed build loses nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": features}
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}: {len(features)} features")


def main(out: Path = LAYERS_DIR) -> None:
    """Build every registered layer into ``out`` (default ``layers/``)."""
    builders = load_builders()
    names = [spec.name for spec in LAYERS]
    if set(builders) != set(names):
        raise SystemExit(
            f"builders {sorted(builders)} do not match the layer registry {sorted(names)}"
        )
    built: dict[str, list[dict[str, Any]]] = {}

    def run(name: str) -> list[dict[str, Any]]:
        if name not in built:
            built[name] = checked(name, builders[name](ctx))
        return built[name]

    ctx = BuildContext(load_base(), run)
    for spec in LAYERS:
        write_layer(out / spec.file, run(spec.name))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else LAYERS_DIR)
