"""``python tools/build_basemap.py``: build every basemap file and the manifest."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import tools.basemap
from tools.atomic import write_geojson
from tools.basemap.datapackage import resource, write_manifest
from tools.basemap.outputs import build_order, registered
from tools.basemap.sources import fetch_inputs

ROOT = Path(__file__).resolve().parent.parent.parent


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    doc = tools.basemap.__doc__
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data", help="output root")
    return parser.parse_args(argv)


def iter_summary(data_dir: Path, entries: Sequence[dict[str, Any]]) -> Iterator[str]:
    """Yield one summary line per written resource."""
    for e in entries:
        size = (data_dir / e["path"]).stat().st_size
        yield f"  {e['path']}: {e['feature_count']} {e['geometry_type']}, {size / 1024:.0f} KiB"


def main(argv: Sequence[str] | None = None) -> int:
    """Build every basemap file and the manifest.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Process exit status.
    """
    args = parse_args(argv)
    data_dir: Path = args.data_dir.resolve()
    out_dir = data_dir / "basemap"
    outputs = registered()
    inputs = fetch_inputs()
    for output in build_order(outputs):
        print(output.name)
        inputs.built[output.name] = output.build(inputs)
        write_geojson(out_dir / output.file, inputs.built[output.name])
    entries = [resource(data_dir, out_dir / o.file, o.record(inputs)) for o in outputs]
    manifest = write_manifest(data_dir, entries)
    print(f"wrote {manifest}")
    for line in iter_summary(data_dir, entries):
        print(line)
    if inputs.missing:
        print(f"WARNING: required places not found: {', '.join(inputs.missing)}")
    return 0
