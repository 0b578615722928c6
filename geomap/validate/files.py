"""Checks of one file on its own: layer files, base geography, bibliography and claims."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geomap.core.errors import DataError, UnreadableError
from geomap.core.feature import Feature
from geomap.core.model import KIND_GEOMETRIES, FeatureProperties, Source
from geomap.data.io import read_json
from geomap.validate.geometry import geometry_problems
from geomap.validate.registry import ID_PLACEHOLDER, Problem
from geomap.validate.rules import (
    CLAIMS,
    INTERVAL,
    JSON,
    MANIFEST,
    PIECES,
    READ,
    RFC7946,
    SCHEMA,
    SOURCES,
    STORE,
    TEXT,
)

EARLIEST = dt.date(2003, 1, 1)


def json_problem(path: Path, exc: DataError) -> Problem:
    """The problem of a file that could not be read (the one JSON-error helper).

    ``read`` when the bytes could not be had or are not text, ``json`` when the text
    is not acceptable JSON.
    """
    rule = READ if isinstance(exc, UnreadableError) else JSON
    return Problem(str(path), ID_PLACEHOLDER, rule, str(exc).split(": ", 1)[-1])


def label(raw: Any, index: int) -> str:
    """``id@valid_from`` of a raw feature, or ``#index`` when it has no id."""
    props = raw.get("properties") if isinstance(raw, dict) else None
    if isinstance(props, dict) and isinstance(props.get("id"), str):
        start = props.get("valid_from")
        text = f"{props['id']}@{start}" if isinstance(start, str) else props["id"]
        return text if text.isprintable() and len(text) <= 120 else f"#{index}"
    return f"#{index}"


def pydantic_problems(
    path: Path, where: str, exc: ValidationError, rule: str = SCHEMA
) -> list[Problem]:
    """One problem per pydantic error, naming the field."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "properties"
        out.append(Problem(str(path), where, _schema_rule(dict(err), rule), f"{loc}: {err['msg']}"))
    return out


def _schema_rule(error: dict[str, Any], default: str) -> str:
    loc = error.get("loc") or ()
    if error.get("type") == "interval":
        return INTERVAL
    if error.get("type") == "text":
        return TEXT
    if default == SCHEMA and loc and loc[0] == "sources" and error.get("type") == "too_short":
        return SOURCES
    return default


def read_collection(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read a FeatureCollection, or return why it is none."""
    try:
        doc = read_json(path)
    except DataError as exc:
        return None, [json_problem(path, exc)]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return None, [Problem(str(path), ID_PLACEHOLDER, JSON, "not a FeatureCollection")]
    if not isinstance(doc.get("features"), list):
        return None, [Problem(str(path), ID_PLACEHOLDER, JSON, "no 'features' list")]
    problems = []
    if "crs" in doc:
        problems.append(
            Problem(str(path), ID_PLACEHOLDER, RFC7946, "has a 'crs' member; remove it")
        )
    return doc, problems


def check_layer_file(
    path: Path, today: dt.date | None = None
) -> tuple[list[Problem], list[Feature]]:
    """Check one layer file on its own; return problems and the features that parsed."""
    today = today or dt.date.today()
    doc, problems = read_collection(path)
    if doc is None:
        return problems, []
    features: list[Feature] = []
    for index, raw in enumerate(doc["features"]):
        where = label(raw, index)
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.append(Problem(str(path), where, JSON, "not a GeoJSON Feature"))
            continue
        if "crs" in raw:
            problems.append(Problem(str(path), where, RFC7946, "feature has a 'crs' member"))
        geo_problems, geom = geometry_problems(raw.get("geometry"))
        problems += [Problem(str(path), where, rule, msg) for rule, msg in geo_problems]
        try:
            props = FeatureProperties.model_validate(raw.get("properties") or {})
        except ValidationError as exc:
            problems += pydantic_problems(path, where, exc)
            continue
        for day in (props.valid_from, props.valid_to):
            if day is not None and not (EARLIEST <= day <= today):
                problems.append(
                    Problem(str(path), where, INTERVAL, f"date {day} outside {EARLIEST}..today")
                )
        if geom is None:
            continue
        allowed = KIND_GEOMETRIES[props.kind]
        if geom.geom_type not in allowed:
            problems.append(
                Problem(
                    str(path),
                    where,
                    SCHEMA,
                    f"kind {props.kind.value} needs {' or '.join(allowed)}, got {geom.geom_type}",
                )
            )
            continue
        features.append(Feature(props=props, geometry=geom, path=path, raw=raw))
    return problems, features


def manifest_resources(start: Path) -> dict[str, dict[str, Any]]:
    """Map resolved resource paths to entries of the datapackage in ``start`` or above it."""
    for folder in (start, *start.parents):
        manifest = folder / "datapackage.json"
        if manifest.is_file():
            try:
                doc = read_json(manifest)
            except DataError:
                return {}
            if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
                return {}
            return {
                os.path.realpath(folder / r["path"]): r
                for r in doc.get("resources", [])
                if isinstance(r, dict) and isinstance(r.get("path"), str)
            }
    return {}


def check_basemap_file(path: Path, entry: dict[str, Any]) -> list[Problem]:
    """Check a base-geography file against geometry rules and its manifest entry."""
    doc, problems = read_collection(path)
    if doc is None:
        return problems
    types: set[str] = set()
    for index, raw in enumerate(doc["features"]):
        geo_problems, geom = geometry_problems(
            raw.get("geometry") if isinstance(raw, dict) else None
        )
        where = label(raw, index)
        problems += [Problem(str(path), where, rule, msg) for rule, msg in geo_problems]
        if geom is not None:
            types.add(geom.geom_type)

    def report(message: str) -> None:
        problems.append(Problem(str(path), ID_PLACEHOLDER, MANIFEST, message))

    if entry.get("sha256") != hashlib.sha256(path.read_bytes()).hexdigest():
        report("sha256 differs from datapackage.json")
    if entry.get("feature_count") != len(doc["features"]):
        report(f"{len(doc['features'])} features, manifest says {entry.get('feature_count')}")
    declared = entry.get("geometry_type")
    declared_set = {str(t) for t in declared} if isinstance(declared, list) else {str(declared)}
    if types - declared_set:
        report(f"geometry types {sorted(types)} not all in manifest's {sorted(declared_set)}")
    return problems


def check_sources_file(path: Path) -> tuple[list[Problem], dict[str, Any] | None]:
    """Check the bibliography; return problems and the raw entries."""
    try:
        doc = read_json(path)
    except DataError as exc:
        return [json_problem(path, exc)], None
    if not isinstance(doc, dict):
        return [Problem(str(path), ID_PLACEHOLDER, SOURCES, "expected an object")], None
    problems = []
    for key, entry in doc.items():
        try:
            Source.model_validate(entry)
        except ValidationError as exc:
            problems += pydantic_problems(path, key, exc, SOURCES)
    return problems, doc


def check_claims_file(
    path: Path, sources: dict[str, Any] | None, thing_ids: set[str], place_ids: set[str]
) -> list[Problem]:
    """Check the claims registry against its model, units, sources, places and features."""
    from geomap.core.claims import Claim, unit_problem

    try:
        doc = read_json(path)
    except DataError as exc:
        return [json_problem(path, exc)]
    entries = doc.get("claims") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return [Problem(str(path), ID_PLACEHOLDER, CLAIMS, "expected an object with 'claims'")]
    out: list[Problem] = []
    for index, raw in enumerate(entries):
        where = str(raw.get("id", f"#{index}")) if isinstance(raw, dict) else f"#{index}"

        def report(rule: str, message: str, where: str = where) -> None:
            out.append(Problem(str(path), where, rule, message))

        try:
            claim = Claim.model_validate(raw)
        except ValidationError as exc:
            out.extend(pydantic_problems(path, where, exc, CLAIMS))
            continue
        if (mismatch := unit_problem(claim)) is not None:
            report(CLAIMS, mismatch)
        for key in filter(None, (claim.source, claim.check.reference_source)):
            if sources is not None and key not in sources:
                report(SOURCES, f"source key {key!r} not in sources.json")
        for ref in claim.refers_to:
            if ref not in thing_ids:
                report(CLAIMS, f"refers_to {ref!r} is no feature id in the layers")
        for place in filter(None, (claim.check.place, *claim.check.places)):
            if place not in thing_ids and place not in place_ids:
                report(CLAIMS, f"place {place!r} is in neither the layers nor the places data")
    return out


def check_pieces_file(path: Path) -> list[Problem]:
    """The land model's pieces: this version, built from the layer files beside it, polygons."""
    from geomap.data import pieces

    try:
        doc = read_json(path)
    except DataError as exc:
        return [json_problem(path, exc)]
    try:
        pieces.pieces_from_doc(doc, path.parent)
    except ValueError as exc:
        message = f"{exc}; rebuild it with `python tools/build_layers.py`"
        return [Problem(str(path), ID_PLACEHOLDER, PIECES, message)]
    return []


def check_store_manifest(path: Path) -> list[Problem]:
    """The compiled store's manifest: each layer table present and built from the file beside it."""
    from geomap.data import store

    def problem(message: str, where: str = ID_PLACEHOLDER) -> Problem:
        return Problem(str(path), where, STORE, message)

    try:
        doc = read_json(path)
    except DataError as exc:
        return [json_problem(path, exc)]
    if (
        not isinstance(doc, dict)
        or doc.get("format") != store.FORMAT
        or doc.get("version") != store.VERSION
        or not isinstance(doc.get("layers"), dict)
    ):
        return [problem(f"not a geomap store of version {store.VERSION}; run `{store.REBUILD}`")]
    out = []
    for name, entry in sorted(doc["layers"].items()):
        where = str(name) if str(name).isidentifier() else ID_PLACEHOLDER
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            out.append(problem("the entry names no layer file", where))
            continue
        source = path.parent.parent / Path(entry["file"]).name
        if not (path.parent / f"{name}.arrow").is_file():
            out.append(problem(f"the table {name}.arrow is missing; run `{store.REBUILD}`", where))
        if not source.is_file():
            out.append(problem(f"built from {source.name}, which is not in {source.parent}", where))
        elif store.file_sha256(source) != entry.get("sha256"):
            out.append(
                problem(
                    f"stale: {source.name} changed since the store was built; "
                    f"rebuild it with `{store.REBUILD}`",
                    where,
                )
            )
    return out
