"""Reading layers, base geography and the bibliography from disk.

Nothing here validates beyond what it needs to build objects; ``geomap.validate``
reports problems, and :func:`load_layers` raises :class:`DataError` with the
validator's lines when the shipped data is broken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geomap.layers import LAYERS
from geomap.model import FeatureProperties, Source
from geomap.paths import data_dir, layers_dir


class DataError(ValueError):
    """Raised when a data file cannot be read or does not follow the schema."""


@dataclass(frozen=True)
class Feature:
    """One dated record of a layer: its properties, its geometry and where it came from."""

    props: FeatureProperties
    geometry: BaseGeometry
    path: Path
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        """The thing's id (shared by all its periods)."""
        return self.props.id

    @property
    def key(self) -> str:
        """The record key, ``id@valid_from``."""
        return self.props.record_key


def read_json(path: Path) -> Any:
    """Read a JSON file, raising :class:`DataError` with the path on failure."""
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON: {exc}") from exc


def read_feature_collection(path: Path) -> list[dict[str, Any]]:
    """Return the raw features of a GeoJSON FeatureCollection file."""
    doc = read_json(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise DataError(f"{path}: FeatureCollection without a features list")
    return features


def feature_from_raw(raw: dict[str, Any], path: Path) -> Feature:
    """Build a :class:`Feature` from a raw GeoJSON feature (raises on bad input)."""
    props = FeatureProperties.model_validate(raw.get("properties") or {})
    geometry = shape(raw["geometry"])
    return Feature(props=props, geometry=geometry, path=path, raw=raw)


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
            try:
                features.append(feature_from_raw(raw, path))
            except (ValidationError, KeyError, TypeError, ValueError) as exc:
                fid = (raw.get("properties") or {}).get("id", f"#{index}")
                first = str(exc).splitlines()[0]
                raise DataError(
                    f"{path}: {fid}: schema: {first} (run `geomap validate` for details)"
                ) from exc
    return features


def load_layers(root: Path | None = None) -> list[Feature]:
    """Load all shipped layers (validated against the schema)."""
    return load_features(layer_paths(root))


def load_sources(root: Path | None = None) -> dict[str, Source]:
    """Load the bibliography ``data/sources.json`` keyed by source key."""
    path = data_dir(root) / "sources.json"
    doc = read_json(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected an object of source entries")
    return {key: Source.model_validate(entry) for key, entry in doc.items()}


#: The base-geography files in ``data/basemap/``.
BASEMAP_NAMES = ("countries", "admin1", "rivers", "places")


def load_basemap(name: str, root: Path | None = None) -> list[dict[str, Any]]:
    """Return the raw features of ``data/basemap/<name>.geojson``."""
    return read_feature_collection(data_dir(root) / "basemap" / f"{name}.geojson")
