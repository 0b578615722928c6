"""Reading layers, base geography and the bibliography from disk.

Nothing here validates beyond what it needs to build objects; ``geomap.validate``
reports problems, and :func:`load_layers` raises :class:`DataError` with the
validator's lines when the shipped data is broken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geomap.core.errors import DataError, UnreadableError
from geomap.core.feature import Feature, feature_from_raw
from geomap.core.layers import LAYERS
from geomap.core.model import Source
from geomap.data.paths import data_dir, layers_dir
from geomap.data.safejson import read_json_file

__all__ = ["DataError", "UnreadableError", "read_json"]


def read_json(path: Path) -> Any:
    """Read a JSON file, raising :class:`DataError` with the path on failure.

    The caps and refusals are those of :func:`geomap.data.safejson.read_json_file`.
    """
    return read_json_file(path)


def read_feature_collection(path: Path) -> list[dict[str, Any]]:
    """Return the raw features of a GeoJSON FeatureCollection file."""
    doc = read_json(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise DataError(f"{path}: FeatureCollection without a features list")
    return features


def layer_paths(root: Path | None = None) -> list[Path]:
    """Return the paths of the shipped layers (the registry's), in display order."""
    folder = layers_dir(root)
    return [folder / spec.file for spec in LAYERS]


def load_features(paths: list[Path]) -> list[Feature]:
    """Load every feature of the given layer files.

    Raises
    ------
    DataError
        Naming the file and feature when one does not follow the schema. Run
        ``geomap validate`` for the full list of problems.
    """
    features: list[Feature] = []
    for path in paths:
        for index, raw in enumerate(read_feature_collection(path)):
            if not isinstance(raw, dict):
                raise DataError(f"{path}: #{index}: json: not a GeoJSON Feature")
            props = raw.get("properties")
            fid = props.get("id") if isinstance(props, dict) else None
            where = fid if isinstance(fid, str) and fid.isprintable() else f"#{index}"
            try:
                features.append(feature_from_raw(raw, path))
            except ValidationError as exc:
                raise DataError(
                    f"{path}: {where}: schema: {_first_error(exc)} "
                    "(run `geomap validate` for details)"
                ) from None
            except DataError:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise DataError(f"{path}: {where}: geometry: {exc}") from None
    return features


def _first_error(exc: ValidationError) -> str:
    """``field: message`` of the first error pydantic found."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "properties"
    return f"{loc}: {err['msg']}"


def load_layers(root: Path | None = None) -> list[Feature]:
    """Load all shipped layers (validated against the schema)."""
    return load_features(layer_paths(root))


def load_sources(root: Path | None = None) -> dict[str, Source]:
    """Load the bibliography ``data/sources.json`` keyed by source key."""
    path = data_dir(root) / "sources.json"
    doc = read_json(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected an object of source entries")
    out: dict[str, Source] = {}
    for key, entry in doc.items():
        try:
            out[key] = Source.model_validate(entry)
        except ValidationError as exc:
            shown = key if key.isprintable() else repr(key)
            raise DataError(f"{path}: {shown}: sources: {_first_error(exc)}") from None
    return out


#: The base-geography files in ``data/basemap/``.
BASEMAP_NAMES = ("countries", "admin1", "rivers", "places")


def load_basemap(name: str, root: Path | None = None) -> list[dict[str, Any]]:
    """Return the raw features of ``data/basemap/<name>.geojson``."""
    return read_feature_collection(data_dir(root) / "basemap" / f"{name}.geojson")


def load_datapackage(root: Path | None = None) -> dict[str, Any] | None:
    """``data/datapackage.json``, or ``None`` when it is missing or unreadable."""
    path = data_dir(root) / "datapackage.json"
    try:
        doc = read_json(path) if path.exists() else None
    except DataError:
        return None
    return doc if isinstance(doc, dict) else None
