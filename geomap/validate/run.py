"""Running the checks: :func:`validate_paths` over files and folders, and the exit code."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path

from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.layers import LAYERS
from geomap.data import store
from geomap.data.io import read_feature_collection, read_json
from geomap.data.paths import data_dir, layers_dir
from geomap.validate import cross as _cross  # noqa: F401  (registers the cross-file checks)
from geomap.validate import rules as _rules  # noqa: F401  (defines the rules)
from geomap.validate.context import load_context
from geomap.validate.files import (
    check_basemap_file,
    check_claims_file,
    check_layer_file,
    check_pieces_file,
    check_sources_file,
    check_store_manifest,
    json_problem,
    manifest_resources,
)
from geomap.validate.registry import CROSS_CHECKS, ID_PLACEHOLDER, RULES, Problem, rule_names
from geomap.validate.rules import JSON, READ
from geomap.validate.stories import check_story_file, claim_ids

__all__ = ["RULES", "Problem", "exit_code", "problems_as_json", "rule_names", "validate_paths"]


def exit_code(problems: Sequence[Problem]) -> int:
    """The exit code of ``geomap validate``: 0 clean, 1 problems, 2 an input unreadable."""
    if any(p.rule == READ for p in problems):
        return 2
    return 1 if problems else 0


def _known_ids(features: Sequence[Feature], root: Path | None) -> tuple[set[str], set[str]]:
    """Feature ids (from the files checked, else the shipped layers) and place ids."""
    things = {f.id for f in features}
    if not things:
        for path in sorted(layers_dir(root).glob("*.geojson")):
            with contextlib.suppress(DataError):
                things |= {
                    str((f.get("properties") or {}).get("id"))
                    for f in read_feature_collection(path)
                }
    places_path = data_dir(root) / "basemap" / "places.geojson"
    places: set[str] = set()
    with contextlib.suppress(DataError):
        places = {
            str((f.get("properties") or {}).get("id")) for f in read_feature_collection(places_path)
        }
    return things, places


#: JSON files geomap knows by name; any other ``.json`` is "not a geomap file".
KNOWN_JSON = (
    "sources.json",
    "claims.json",
    "datapackage.json",
    "land_pieces.json",
    "gazetteer.json",
)
#: Files a data folder (one with a ``basemap/`` folder) must hold; a layers folder
#: that holds any registry layer must hold them all.
REQUIRED_DATA = ("sources.json", "claims.json", "datapackage.json")


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The files to check, and problems for required files that are missing."""
    files: list[Path] = []
    missing: list[Problem] = []
    layer_files = {spec.file for spec in LAYERS}
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".geojson", ".json", ".toml") and not p.is_dir()
            )
            files += found
            names = {p.name for p in found if p.parent == path}
            is_data = (path / "basemap").is_dir()  # the shape of geomap's data/ folder
            for group, what, needed in (
                (layer_files, "layer file", bool(names & layer_files)),
                (set(REQUIRED_DATA), "data file", is_data),
            ):
                if needed:
                    missing += [
                        Problem(str(path / name), ID_PLACEHOLDER, READ, f"required {what} missing")
                        for name in sorted(group - names)
                    ]
        else:
            files.append(path)
    return files, missing


def _check_gazetteer(path: Path) -> list[Problem]:
    """The gazetteer must read as one (``tools/build_gazetteer.py`` writes it)."""
    from geomap.data.gazetteer import read_gazetteer

    try:
        read_gazetteer(path)
    except DataError as exc:
        return [json_problem(path, exc)]
    return []


def _check_plain_json(path: Path) -> list[Problem]:
    """A known JSON file without rules of its own: it must at least read as JSON."""
    try:
        doc = read_json(path)
    except DataError as exc:
        return [json_problem(path, exc)]
    if not isinstance(doc, dict):
        return [Problem(str(path), ID_PLACEHOLDER, JSON, "expected a JSON object")]
    return []


def validate_paths(
    paths: Sequence[Path],
    *,
    root: Path | None = None,
    spatial: bool = True,
    today: dt.date | None = None,
) -> list[Problem]:
    """Validate files and folders; return every problem found, in a stable order.

    Parameters
    ----------
    paths
        GeoJSON files, ``sources.json``, ``claims.json``, story ``.toml`` files, or
        folders holding them.
    root
        Data root whose ``data/`` gives the base geography and bibliography for
        the cross-file rules (default: the shipped data).
    spatial
        Whether to run the spatial checks (``spatial`` and ``consistency``).
    today
        The latest date allowed (default: today).
    """
    features: list[Feature] = []
    claims_files: list[Path] = []
    story_files: list[Path] = []
    ctx = load_context(root)
    manifests = functools.lru_cache(maxsize=None)(manifest_resources)  # one read per folder
    files, problems = _expand(paths)
    for path in files:
        if not path.exists() and not path.is_symlink():
            problems.append(Problem(str(path), ID_PLACEHOLDER, READ, "no such file or folder"))
        elif path.suffix not in (".geojson", ".json", ".toml") or (
            path.suffix == ".json"
            and path.name not in KNOWN_JSON
            and not (path.name == store.MANIFEST and path.parent.name == store.FOLDER)
        ):
            problems.append(
                Problem(
                    str(path),
                    ID_PLACEHOLDER,
                    JSON,
                    "not a geomap file: expected a layer (.geojson), a story (.toml), "
                    + ", ".join([*KNOWN_JSON, f"{store.FOLDER}/{store.MANIFEST}"])
                    + "; not checked",
                )
            )
        elif path.name == store.MANIFEST and path.parent.name == store.FOLDER:
            problems += check_store_manifest(path)
        elif path.name == "sources.json":
            found, doc = check_sources_file(path)
            problems += found
            if doc is not None:
                ctx.sources = doc
        elif path.name == "claims.json":
            claims_files.append(path)
        elif path.name == "gazetteer.json":
            problems += _check_gazetteer(path)
        elif path.name == "land_pieces.json":
            problems += check_pieces_file(path)
        elif path.suffix == ".toml":
            story_files.append(path)
        elif path.suffix == ".json":
            problems += _check_plain_json(path)
        elif os.path.realpath(path) in (resources := manifests(path.parent)):
            problems += check_basemap_file(path, resources[os.path.realpath(path)])
        else:
            found, feats = check_layer_file(path, today)
            problems += found
            features += feats
    if features:
        for registered in CROSS_CHECKS:
            if spatial or not registered.spatial:
                problems += registered.check(features, ctx)
    if claims_files or story_files:
        things, places = _known_ids(features, root)
        for path in claims_files:
            problems += check_claims_file(path, ctx.sources, things, places)
        claims = claim_ids(root)
        for path in story_files:
            problems += check_story_file(
                path, sources=ctx.sources, things=things, places=places, claims=claims
            )
    return problems


def problems_as_json(problems: Sequence[Problem]) -> str:
    """Serialise problems for ``geomap validate --format json``."""
    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)
