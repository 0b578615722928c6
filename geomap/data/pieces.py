"""The land model's pieces: the shared outlines the territory and control records are made of.

``tools/build_layers.py`` writes ``layers/land_pieces.json`` beside the layers:
every piece of land the model distinguishes, and for each layer the keys of the
records (``id@valid_from``) it is part of. Every record of those layers is the
union of its pieces, so the browser receives each piece once and draws a record as
one path made of its pieces' outlines (``geomap/app/static/js/records.js``), instead
of receiving every record's outline. The file records the
sha256 of the layer files it was built with; a piece file that no longer matches
them is ignored (and reported by ``geomap validate``), and the records are then
sent whole.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.core.errors import DataError
from geomap.data.io import read_json
from geomap.data.paths import layers_dir

FILE_NAME = "land_pieces.json"
FORMAT = "geomap-land-pieces"


@dataclass(frozen=True)
class Piece:
    """One piece of land and the records it belongs to, by layer."""

    geometry: BaseGeometry
    records: dict[str, tuple[str, ...]]


def pieces_path(root: Path | None = None) -> Path:
    """Where the piece file of a data root lives."""
    return layers_dir(root) / FILE_NAME


def stale_layers(doc: dict[str, Any], folder: Path) -> list[str]:
    """Layers whose file no longer has the sha256 the piece file was built with."""
    out = []
    for layer, digest in (doc.get("layers") or {}).items():
        path = folder / f"{layer}.geojson"
        try:
            found = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            found = None
        if found != digest:
            out.append(str(layer))
    return out


def load_pieces(root: Path | None = None) -> list[Piece] | None:
    """The pieces, or ``None`` when the file is missing, malformed or stale."""
    path = pieces_path(root)
    if not path.is_file():
        return None
    try:
        doc = read_json(path)
    except DataError:
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    if stale_layers(doc, path.parent):
        return None
    out = []
    try:
        for raw in doc["pieces"]:
            records = {str(k): tuple(str(x) for x in v) for k, v in raw["records"].items()}
            out.append(Piece(shape(raw["g"]), records))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return out
