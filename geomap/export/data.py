"""The data behind a map of one date: GeoJSON, GeoPackage and CSV.

GeoPackage layout
-----------------
One table per geomap layer (``territory``, ``hajin``, ``euphrates_bend``,
``captured_cities``, ``idlib_front``), each with one geometry type, as GIS tools
expect. A layer that mixes geometry types on a date (the Euphrates bend is an
area and a river line) is split into ``<layer>_areas``, ``<layer>_lines`` and
``<layer>_points``. Every table has the same columns: all feature properties,
with the ``sources`` and ``date_variants`` lists stored as JSON text, plus
``record_key``. Layers without features on the date are left out.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geomap.core.feature import Feature
from geomap.core.geojson import feature_collection
from geomap.core.layers import LAYERS, layer_names
from geomap.export.job import Job
from geomap.export.options import ExportError
from geomap.export.shown import description, shown_on_date

#: Column order of tables and the CSV (after ``lon`` and ``lat`` in the CSV).
COLUMNS = (
    "id",
    "name",
    "layer",
    "kind",
    "valid_from",
    "valid_to",
    "date_precision",
    "status",
    "controller",
    "country",
    "approximate",
    "confidence",
    "sources",
    "date_variants",
    "notes",
    "record_key",
)

FAMILIES = {
    "Polygon": "areas",
    "MultiPolygon": "areas",
    "LineString": "lines",
    "MultiLineString": "lines",
    "Point": "points",
    "MultiPoint": "points",
}


#: Readable identifiers of GeoPackage tables (shown by QGIS).
LAYER_TITLE = {spec.name: spec.label for spec in LAYERS}


def flat_properties(f: Feature) -> dict[str, Any]:
    """All properties of a record as flat values (lists and objects as JSON text)."""
    props = f.props.model_dump(mode="json")
    row: dict[str, Any] = {}
    for name in COLUMNS:
        value = f.key if name == "record_key" else props.get(name)
        if isinstance(value, list | dict):
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        row[name] = value
    return row


def write_geojson(features: Sequence[Feature], path: Path) -> None:
    """RFC 7946 FeatureCollection with every property (what ``geomap state`` prints)."""
    with path.open("w", encoding="utf-8") as fh:
        json.dump(feature_collection(features), fh, ensure_ascii=False)
        fh.write("\n")


def table_names(features: Sequence[Feature]) -> dict[str, list[Feature]]:
    """GeoPackage table name -> records, following the module's layout rules."""
    by_layer: dict[str, dict[str, list[Feature]]] = {}
    for f in features:
        family = FAMILIES[f.geometry.geom_type]
        by_layer.setdefault(f.props.layer, {}).setdefault(family, []).append(f)
    tables: dict[str, list[Feature]] = {}
    for layer in layer_names():
        families = by_layer.get(layer, {})
        for family, records in families.items():
            name = layer if len(families) == 1 else f"{layer}_{family}"
            tables[name] = records
    return tables


def write_gpkg(features: Sequence[Feature], path: Path, description: str) -> None:
    """Write a GeoPackage (EPSG:4326), one table per layer; see the module docstring."""
    import geopandas as gpd
    import pyogrio

    tables = table_names(features)
    if not tables:
        raise ExportError("no features of the chosen layers on that date: nothing to write")
    path.unlink(missing_ok=True)
    for name, records in tables.items():
        frame = gpd.GeoDataFrame(
            [flat_properties(f) for f in records],
            columns=list(COLUMNS),
            geometry=[f.geometry for f in records],
            crs="EPSG:4326",
        )
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            promote_to_multi=FAMILIES[records[0].geometry.geom_type] != "points",
            layer_options={"DESCRIPTION": description, "IDENTIFIER": LAYER_TITLE.get(name, name)},
        )


#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``.

    Numbers stay numbers (a negative longitude is no formula); text such as
    ``=HYPERLINK(...)`` or ``@SUM(...)`` is written as ``'=HYPERLINK(...)``, the
    escape spreadsheets themselves use, so it shows as typed and never runs.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(features: Sequence[Feature], path: Path) -> int:
    """Places (point records) with lon/lat and their properties; return the row count.

    Text cells go through :func:`neutralise_cell` (CSV formula injection).
    """
    points = [f for f in features if f.geometry.geom_type == "Point"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["lon", "lat", *COLUMNS])
        writer.writeheader()
        for f in points:
            point = f.geometry
            row = {"lon": round(point.x, 6), "lat": round(point.y, 6), **flat_properties(f)}
            writer.writerow({key: neutralise_cell(value) for key, value in row.items()})
    return len(points)


def write_geojson_job(job: Job) -> None:
    """The GeoJSON of what the job's plan shows."""
    write_geojson(shown_on_date(job), job.path)


def write_csv_job(job: Job) -> None:
    """The CSV of the places the job's plan shows."""
    write_csv(shown_on_date(job), job.path)


def write_gpkg_job(job: Job) -> None:
    """The GeoPackage of what the job's plan shows, with the credits as its description."""
    write_gpkg(shown_on_date(job), job.path, description(job))
