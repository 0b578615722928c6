"""The compiled store: the layers as Arrow tables, fast to read one layer or one date.

``tools/build_layers.py`` writes ``layers/store/`` beside the GeoJSON files,
which stay the canonical, interoperable data; the store is derived from them and
shipped with them so that a fresh clone reads fast from its first command.

Layout
------
``layers/store/manifest.json``
    ``{"format": "geomap-store", "version": 1, "layers": {name: {"file",
    "sha256", "rows"}}}``: the sha256 of each layer file the store was built from.
``layers/store/<layer>.arrow``
    One Arrow IPC file per layer (zstd-compressed buffers), one row per record
    in file order: ``key``, ``valid_from``, ``valid_to`` (date32, null when open),
    ``properties`` (the record's properties as JSON text), ``wkb`` (the
    geometry, read with shapely's vectorised :func:`shapely.from_wkb`) and
    ``area_km2`` (geodesic, computed once at build time).

Why Arrow IPC rather than GeoParquet: the reads here are whole columns of one
layer, which IPC memory-maps and decompresses without a query planner; pyarrow
reads both, and the GeoJSON stays the exchange format.

A layer is read only when asked for, after its GeoJSON file's sha256 is checked
against the manifest: a store built from other files raises
:class:`StaleStoreError` with the command that rebuilds it, and is never used.
A date (:meth:`Store.state`) is answered from the two date columns before any
record is built. Properties are validated in one pass by pydantic from the JSON
text (the records were validated when the store was written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.layers import LAYERS
from geomap.core.model import FeatureProperties
from geomap.data.paths import layers_dir, project_root

FORMAT = "geomap-store"
VERSION = 1
FOLDER = "store"
MANIFEST = "manifest.json"
#: The command that rebuilds the store from ``layers/`` (named in every error).
REBUILD = "python tools/build_layers.py --store"


class StaleStoreError(DataError):
    """The store was built from other layer files than those in ``layers/``."""


def store_dir(root: Path | None = None) -> Path:
    """The store's folder, ``layers/store``."""
    return layers_dir(root) / FOLDER


def manifest_path(root: Path | None = None) -> Path:
    """The store's manifest."""
    return store_dir(root) / MANIFEST


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@cache
def _props_adapter() -> TypeAdapter[list[FeatureProperties]]:
    return TypeAdapter(list[FeatureProperties])


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("key", pa.string()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
            ("properties", pa.string()),
            ("wkb", pa.binary()),
            ("area_km2", pa.float64()),
        ]
    )


@dataclass
class Store:
    """An opened store: its folder and manifest; layers are read on demand."""

    root: Path
    folder: Path
    manifest: dict[str, Any]

    def _entry(self, name: str) -> dict[str, Any]:
        entry = self.manifest["layers"].get(name)
        if not isinstance(entry, dict):
            raise StaleStoreError(
                f"{self.folder}: the store has no {name!r} layer; rebuild it with `{REBUILD}`"
            )
        return entry

    def check(self, name: str) -> None:
        """Refuse a layer whose GeoJSON file differs from the one the store was built from."""
        entry = self._entry(name)
        source = layers_dir(self.root) / str(entry.get("file"))
        try:
            found = file_sha256(source)
        except OSError as exc:
            raise DataError(f"{source}: cannot be read: {exc.strerror or exc}") from None
        if found != entry.get("sha256"):
            raise StaleStoreError(
                f"{self.folder}: stale: {source.name} changed since the store was built; "
                f"rebuild it with `{REBUILD}`"
            )

    def table(self, name: str, columns: Sequence[str] | None = None) -> Any:
        """The Arrow table of one layer (after the hash check)."""
        import pyarrow as pa
        import pyarrow.ipc

        self.check(name)
        path = self.folder / f"{name}.arrow"
        try:
            with pa.memory_map(str(path)) as source:
                table = pyarrow.ipc.open_file(source).read_all()
        except (OSError, pa.ArrowException) as exc:
            raise DataError(f"{path}: not a readable store file ({exc}); run `{REBUILD}`") from None
        if table.schema.names != _schema().names:
            raise StaleStoreError(f"{path}: unexpected columns; rebuild it with `{REBUILD}`")
        return table.select(list(columns)) if columns else table

    def layer(self, name: str) -> list[Feature]:
        """Every record of one layer, in file order."""
        return self._features(name, self.table(name), None)

    def state(self, name: str, day: dt.date) -> list[Feature]:
        """The records of one layer valid on ``day`` (only those are built)."""
        table = self.table(name)
        starts = table["valid_from"].to_pylist()
        ends = table["valid_to"].to_pylist()
        rows = [
            i
            for i, (a, b) in enumerate(zip(starts, ends, strict=True))
            if a <= day and (b is None or day < b)
        ]
        return self._features(name, table, rows)

    def areas(self, name: str) -> dict[str, float]:
        """Geodesic area (km²) of every record of a layer, by record key."""
        table = self.table(name, ["key", "area_km2"])
        return dict(zip(table["key"].to_pylist(), table["area_km2"].to_pylist(), strict=True))

    def _features(self, name: str, table: Any, rows: list[int] | None) -> list[Feature]:
        """Build the records of ``rows`` (all when ``None``).

        Plain lists, not pyarrow's compute module, which would import pandas for nothing.
        """
        import shapely

        def column(col: str) -> list[Any]:
            values = table[col].to_pylist()
            return values if rows is None else [values[i] for i in rows]

        path = layers_dir(self.root) / str(self._entry(name)["file"])
        try:
            props = _props_adapter().validate_json("[" + ",".join(column("properties")) + "]")
        except ValidationError as exc:
            raise StaleStoreError(
                f"{self.folder}/{name}.arrow: records no longer follow the schema "
                f"({exc.error_count()} problems); rebuild it with `{REBUILD}`"
            ) from None
        geoms = shapely.from_wkb(column("wkb"))
        areas = column("area_km2")
        return [
            Feature(props=p, geometry=g, path=path, raw={"type": "Feature"}, known_area_km2=a)
            for p, g, a in zip(props, geoms, areas, strict=True)
        ]


def open_store(root: Path | None = None) -> Store | None:
    """The store of a data root, or ``None`` when there is none.

    Raises
    ------
    StaleStoreError
        A manifest of another format or version.
    """
    folder = store_dir(root)
    path = folder / MANIFEST
    if not path.is_file():
        return None
    from geomap.data.safejson import read_json_file

    manifest = read_json_file(path)
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
        or not isinstance(manifest.get("layers"), dict)
    ):
        raise StaleStoreError(f"{path}: not a geomap store of version {VERSION}; run `{REBUILD}`")
    return Store(root=root or project_root(), folder=folder, manifest=manifest)


# ------------------------------------------------------------------ writing


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's file is private; a store is for every reader
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def layer_table(features: Iterable[dict[str, Any]]) -> Any:
    """The Arrow table of one layer's raw GeoJSON features (checked to round-trip)."""
    import pyarrow as pa
    import shapely
    from shapely.geometry import mapping, shape

    from geomap.core.geodesy import area_km2

    rows: dict[str, list[Any]] = {name: [] for name in _schema().names}
    for raw in features:
        props = FeatureProperties.model_validate(raw["properties"])
        geom = shape(raw["geometry"])
        back = mapping(shapely.from_wkb(shapely.to_wkb(geom)))
        if json.dumps(back) != json.dumps(raw["geometry"]):
            raise DataError(f"{props.record_key}: the geometry does not survive WKB unchanged")
        rows["key"].append(props.record_key)
        rows["valid_from"].append(props.valid_from)
        rows["valid_to"].append(props.valid_to)
        rows["properties"].append(json.dumps(raw["properties"], ensure_ascii=False))
        rows["wkb"].append(shapely.to_wkb(geom))
        rows["area_km2"].append(area_km2(geom))
    return pa.table(rows, schema=_schema())


def write_store(layers_folder: Path, features_by_layer: dict[str, list[dict[str, Any]]]) -> Path:
    """Write ``<layers_folder>/store/`` from the raw features of every layer.

    Each layer's GeoJSON file must already be written: its sha256 goes in the
    manifest. Files are replaced atomically, the manifest last.
    """
    import pyarrow as pa
    import pyarrow.ipc

    folder = layers_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    entries: dict[str, Any] = {}
    for spec in LAYERS:
        table = layer_table(features_by_layer[spec.name])
        sink = pa.BufferOutputStream()
        options = pyarrow.ipc.IpcWriteOptions(compression="zstd")
        with pyarrow.ipc.new_file(sink, table.schema, options=options) as writer:
            writer.write_table(table)
        _atomic_write(folder / f"{spec.name}.arrow", sink.getvalue().to_pybytes())
        entries[spec.name] = {
            "file": spec.file,
            "sha256": file_sha256(layers_folder / spec.file),
            "rows": table.num_rows,
        }
    manifest = {"format": FORMAT, "version": VERSION, "layers": entries}
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    _atomic_write(folder / MANIFEST, text.encode("utf-8"))
    return folder
