"""Compile the curated records in ``tools/layers_src/`` into ``layers/*.geojson``.

Run by hand after editing a ``.toml`` file or the base geography::

    python tools/build_layers.py [OUT_DIR]
    python tools/build_layers.py --store     # only the compiled store, from layers/*.geojson

Each layer of the registry :data:`geomap.core.layers.LAYERS` has one builder module
in ``tools/builders/`` (registered with ``@builder("name")``); this script runs
them all, checks every record against the feature model
(:class:`geomap.core.model.FeatureProperties`) and writes one file per layer. The
method of each layer is in its builder's docstring and in the README.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.core.layers import LAYERS  # noqa: E402
from geomap.core.model import FeatureProperties  # noqa: E402
from geomap.data.store import write_store  # noqa: E402
from tools.atomic import write_geojson, write_text  # noqa: E402
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
    """Write one layer file, one compact feature per line (:func:`tools.atomic.write_geojson`).

    The file is written through a temporary file, so a failed build loses nothing.
    """
    write_geojson(path, features)
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
    if "piece_records" in ctx.results:
        write_pieces(out, ctx)
    print(f"wrote {write_store(out, {spec.name: run(spec.name) for spec in LAYERS})}")


def store_only(out: Path = LAYERS_DIR) -> None:
    """Rebuild ``layers/store/`` from the layer files already in ``out``."""
    from geomap.data.io import read_feature_collection

    raw = {spec.name: read_feature_collection(out / spec.file) for spec in LAYERS}
    print(f"wrote {write_store(out, raw)}")


def write_pieces(out: Path, ctx: BuildContext) -> None:
    """Write ``land_pieces.json``: the land model's pieces and the records each one makes up.

    Every record of the territory and control layers is a union of these pieces,
    so the app draws the pieces once and restyles them as the date moves,
    instead of sending every record's outline (see :mod:`geomap.data.pieces`).
    """
    from shapely.geometry import shape

    from geomap.core.geojson import geometry_json
    from geomap.data.pieces import (
        DISPLAY_DECIMALS,
        DISPLAY_SIMPLIFY_DEG,
        FORMAT,
        VERSION,
        display_settings,
        key_runs,
    )
    from geomap.web.payload import simplify_coverage
    from tools.builders.common import to_lonlat

    state = ctx.results["land"]
    owners: list[dict[str, list[str]]] = [{} for _ in state.pieces]
    for layer, records in sorted(ctx.results["piece_records"].items()):
        for key, members in records:
            for j in members:
                owners[j].setdefault(layer, []).append(key)
    # Outlines at 5 decimals (about 1 m), as the layers hold them, before simplifying.
    kept = [
        (shape(geometry_json(to_lonlat(geom), 5)), owner)
        for (geom, _labels), owner in zip(state.pieces, owners, strict=True)
        if owner
    ]
    # Ready for display: simplified together (shared edges stay shared), then rounded.
    shown = simplify_coverage([geom for geom, _ in kept], DISPLAY_SIMPLIFY_DEG)
    layers = sorted(ctx.results["piece_records"])
    keys = {
        layer: sorted({k for _, owner in kept for k in owner.get(layer, [])}) for layer in layers
    }
    tables = {layer: {k: i for i, k in enumerate(table)} for layer, table in keys.items()}
    pieces = [
        {"g": geometry_json(geom, DISPLAY_DECIMALS), "r": key_runs(owner, tables)}
        for geom, (_, owner) in zip(shown, kept, strict=True)
    ]
    digests = {name: _sha256(out / f"{name}.geojson") for name in layers}
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in pieces]
    head = json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "display": display_settings(),
            "layers": digests,
            "keys": keys,
        },
        ensure_ascii=False,
    )
    text = head[:-1] + ',"pieces":[\n' + ",\n".join(lines) + "\n]}\n"
    path = out / "land_pieces.json"
    write_text(path, text)
    print(f"wrote {path}: {len(pieces)} pieces")


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(argv: list[str]) -> None:
    """``build_layers.py [--store] [OUT_DIR]``: everything, or only the compiled store."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=LAYERS_DIR)
    parser.add_argument(
        "--store", action="store_true", help="only rebuild layers/store/ from the GeoJSON files"
    )
    args = parser.parse_args(argv)
    (store_only if args.store else main)(args.out)


if __name__ == "__main__":
    cli(sys.argv[1:])
