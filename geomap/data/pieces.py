"""The land model's pieces: the shared outlines the territory and control records are made of.

``tools/build_layers.py`` writes ``layers/land_pieces.json`` beside the layers:
every piece of land the model distinguishes, and for each layer the keys of the
records (``id@valid_from``) it is part of. Every record of those layers is the
union of its pieces, so the browser receives each piece once and draws a record as
one path made of its pieces' outlines (``geomap/app/static/js/records.js``), instead
of receiving every record's outline.

The pieces are stored ready for display (version 2): simplified together as a
coverage at :data:`DISPLAY_SIMPLIFY_DEG` and rounded to :data:`DISPLAY_DECIMALS`,
as the browser receives them, and each piece's records are ``[first, count]`` runs
into one sorted table of record keys per layer (``keys``), so that the first visit
of a fresh clone neither simplifies the pieces again nor reads fifty megabytes of
repeated keys (the two took about two seconds). The file records the sha256 of the
layer files it was built with; a piece file that no longer matches them, of
another version or display setting, or with a piece that is not a polygon of
finite coordinates, is ignored (and reported by ``geomap validate``), and the
records are then sent whole.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.core.errors import DataError
from geomap.data.io import read_json
from geomap.data.paths import layers_dir

FILE_NAME = "land_pieces.json"
FORMAT = "geomap-land-pieces"
VERSION = 2
#: Tolerance (degrees) the pieces are simplified with, together, for display.
DISPLAY_SIMPLIFY_DEG = 0.01
#: Decimals of the pieces' coordinates (about 100 m).
DISPLAY_DECIMALS = 3


@dataclass(frozen=True)
class Piece:
    """One piece of land (a GeoJSON polygon, ready for display) and its records by layer.

    ``runs`` gives, for each layer, ``(first, count)`` runs into that layer's sorted
    table of record keys (``tables``, shared by every piece of a file).
    """

    geojson: dict[str, Any]
    runs: dict[str, tuple[tuple[int, int], ...]]
    tables: dict[str, tuple[str, ...]]

    @cached_property
    def records(self) -> dict[str, tuple[str, ...]]:
        """The keys of the records the piece belongs to, by layer."""
        return {
            layer: tuple(
                k for first, count in pairs for k in self.tables[layer][first : first + count]
            )
            for layer, pairs in self.runs.items()
        }

    @cached_property
    def geometry(self) -> BaseGeometry:
        """The piece as a shapely geometry (made on first use)."""
        return shape(self.geojson)


def piece_keys(pieces: Iterable[Piece]) -> set[str]:
    """The keys of every record some piece belongs to (read from the key tables' runs)."""
    out: set[str] = set()
    for piece in pieces:
        for layer, pairs in piece.runs.items():
            table = piece.tables[layer]
            for first, count in pairs:
                out.update(table[first : first + count])
    return out


def display_settings() -> dict[str, float | int]:
    """How the stored pieces are prepared for display (recorded in the file)."""
    return {"simplify_deg": DISPLAY_SIMPLIFY_DEG, "decimals": DISPLAY_DECIMALS}


def is_polygonal(g: Any) -> bool:
    """Whether ``g`` is a GeoJSON Polygon or MultiPolygon of finite number pairs."""
    if not isinstance(g, dict):
        return False
    kind, coords = g.get("type"), g.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon" and isinstance(coords, list):
        polys = coords
    else:
        return False
    for poly in polys:
        if not isinstance(poly, list) or not poly:
            return False
        for ring in poly:
            if not isinstance(ring, list) or len(ring) < 4:
                return False
            for pt in ring:
                if (
                    not isinstance(pt, list)
                    or len(pt) != 2
                    or not all(type(v) in (int, float) and math.isfinite(v) for v in pt)
                ):
                    return False
    return True


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
        return pieces_from_doc(read_json(path), path.parent)
    except (DataError, ValueError):
        return None


def pieces_from_doc(doc: Any, folder: Path) -> list[Piece]:
    """The pieces of a piece file's document, checked whole (``folder`` holds the layers).

    Raises
    ------
    ValueError
        Naming why the file cannot be used: another format, version or display
        setting, layer files changed since it was built, or the first piece that is
        not a polygon of finite coordinates or whose records are not runs into its
        layer's key table.
    """
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FORMAT
        or doc.get("version") != VERSION
        or doc.get("display") != display_settings()
    ):
        raise ValueError(f"not geomap land pieces of version {VERSION}")
    stale = stale_layers(doc, folder)
    if stale:
        raise ValueError(f"stale: built from other files than {', '.join(stale)}")
    try:
        keys = {str(layer): tuple(str(k) for k in table) for layer, table in doc["keys"].items()}
        raw_pieces = list(doc["pieces"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError("no key tables or no list of pieces") from exc
    out = []
    for i, raw in enumerate(raw_pieces):
        try:
            if not is_polygonal(raw["g"]):
                raise ValueError("not a polygon of finite coordinates")
            out.append(Piece(raw["g"], _runs(keys, raw["r"]), keys))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ValueError(f"piece {i}: {exc}") from exc
    return out


def _runs(keys: dict[str, tuple[str, ...]], runs: Any) -> dict[str, tuple[tuple[int, int], ...]]:
    """A piece's ``[first, count]`` runs by layer, each checked against its key table."""
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for layer, pairs in runs.items():
        size = len(keys[layer])
        checked = []
        for first, count in pairs:
            if not (type(first) is int and type(count) is int and count > 0):
                raise ValueError("a run is two positive integers")
            if first < 0 or first + count > size:
                raise IndexError("a run runs off its key table")
            checked.append((first, count))
        out[str(layer)] = tuple(checked)
    return out


def key_runs(
    records: dict[str, list[str]], tables: dict[str, dict[str, int]]
) -> dict[str, list[list[int]]]:
    """A piece's record keys as ``[first, count]`` runs into each layer's key table.

    ``tables`` gives each key's position in its layer's sorted table; the records of a
    thing follow each other there, so a piece's runs are few.
    """
    out: dict[str, list[list[int]]] = {}
    for layer, found in sorted(records.items()):
        runs: list[list[int]] = []
        for i in sorted(tables[layer][k] for k in found):
            if runs and runs[-1][0] + runs[-1][1] == i:
                runs[-1][1] += 1
            else:
                runs.append([i, 1])
        out[layer] = runs
    return out
