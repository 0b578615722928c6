"""All data checks of geomap, in one place.

Each problem is reported as ``path: feature-id: rule: message``. The rules:

``json``
    the file is not readable JSON or not a FeatureCollection.
``schema``
    properties do not follow :class:`geomap.model.FeatureProperties`, or the
    geometry type does not fit the ``kind``.
``geometry``
    shapely finds the geometry invalid (its reason is given) or empty.
``rfc7946``
    coordinates out of lon/lat range, rings not following the right-hand rule
    (exterior counter-clockwise, holes clockwise), or a ``crs`` member.
``interval``
    ``valid_from`` not before ``valid_to``, overlapping periods of one id,
    or dates outside 2003-01-01 .. today.
``sources``
    a feature without sources, a source key missing from ``data/sources.json``,
    or a bibliography entry that does not follow :class:`geomap.model.Source`.
``id``
    one id used in two layers.
``spatial``
    a fact of geography fails: a city outside its country, Hajin more than 3 km
    from the Euphrates, territory outside the land of Syria and Iraq, a Hajin
    pocket stage outside the stage before it, the Idlib front outside its
    governorates.
``consistency``
    a city shown as held lies outside the territory of the same period, or a
    city not held by the Islamic State lies inside it.
``manifest``
    a base-geography file does not match ``data/datapackage.json``.
``claims``
    an entry of ``data/claims.json`` does not follow :class:`geomap.claims.Claim`,
    uses an unknown unit or one that measures something else than its method, or
    names a place or feature that does not exist (its source keys fall under
    ``sources``).

A GeoJSON file listed as a resource in a ``datapackage.json`` beside it is base
geography and gets the ``json``, ``geometry``, ``rfc7946`` and ``manifest``
checks; every other ``.geojson`` file is layer data and gets them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import shapely
from pydantic import ValidationError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geomap.dates import overlaps
from geomap.geodesy import area_km2, distance_km
from geomap.io import DataError, Feature, read_feature_collection, read_json
from geomap.model import KIND_GEOMETRIES, FeatureProperties, Kind, Source, Status
from geomap.paths import data_dir, layers_dir
from geomap.timeline import periods_by_id

EARLIEST = dt.date(2003, 1, 1)

#: Towns that must lie near a river: id -> (river id, km).
RIVER_TOWNS: dict[str, tuple[str, float]] = {"hajin": ("euphrates", 3.0)}
#: Governorates the Idlib front may occupy (Idlib and its neighbours).
IDLIB_GOVERNORATES = ("SY.ID", "SY.HM", "SY.HL", "SY.LA")
#: Tolerances for facts checked on rounded (5-decimal) coordinates.
COUNTRY_TOLERANCE_KM = 1.0
OUTSIDE_TOLERANCE_KM2 = 1.0
ID_PLACEHOLDER = "-"


@dataclass(frozen=True)
class Problem:
    """One finding of the validator."""

    path: str
    feature: str
    rule: str
    message: str

    def line(self) -> str:
        """The ``path: feature-id: rule: message`` form."""
        return f"{self.path}: {self.feature}: {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """The problem as a JSON-ready mapping."""
        return asdict(self)


@dataclass
class _Context:
    """Base geography and bibliography needed by the cross-file rules."""

    sources: dict[str, Any] | None
    countries: dict[str, BaseGeometry]
    admin1: dict[str, BaseGeometry]
    rivers: dict[str, BaseGeometry]


def _label(raw: dict[str, Any], index: int) -> str:
    props = raw.get("properties") if isinstance(raw, dict) else None
    if isinstance(props, dict) and isinstance(props.get("id"), str):
        start = props.get("valid_from")
        return f"{props['id']}@{start}" if isinstance(start, str) else props["id"]
    return f"#{index}"


# ---------------------------------------------------------------- geometry


def _rings(geom: BaseGeometry) -> Iterable[tuple[Any, bool]]:
    """Yield (ring, is_exterior) for every polygon ring."""
    polys = getattr(geom, "geoms", [geom]) if geom.geom_type == "MultiPolygon" else [geom]
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return
    for poly in polys:
        yield poly.exterior, True
        for hole in poly.interiors:
            yield hole, False


def _coords(obj: Any) -> Iterable[Sequence[float]]:
    if isinstance(obj, list | tuple) and obj and isinstance(obj[0], int | float):
        yield obj
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from _coords(item)


def geometry_problems(raw_geometry: Any) -> tuple[list[tuple[str, str]], BaseGeometry | None]:
    """Check one raw GeoJSON geometry; return ``(rule, message)`` pairs and the shape."""
    if not isinstance(raw_geometry, dict) or "coordinates" not in raw_geometry:
        return [("geometry", "missing or malformed geometry")], None
    out: list[tuple[str, str]] = []
    if "crs" in raw_geometry:
        out.append(("rfc7946", "geometry has a 'crs' member; RFC 7946 GeoJSON is always WGS84"))
    for pos in _coords(raw_geometry["coordinates"]):
        if len(pos) < 2 or not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            out.append(("rfc7946", f"position {list(pos)} is not lon/lat in range"))
            break
    try:
        geom = shape(raw_geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        return [*out, ("geometry", f"cannot build geometry: {exc}")], None
    if geom.is_empty:
        out.append(("geometry", "empty geometry"))
    elif not geom.is_valid:
        out.append(("geometry", f"invalid geometry: {explain_validity(geom)}"))
    for ring, exterior in _rings(geom):
        ccw = ring.is_ccw
        if exterior and not ccw:
            out.append(("rfc7946", "exterior ring is clockwise; the right-hand rule wants CCW"))
            break
        if not exterior and ccw:
            out.append(("rfc7946", "hole is counter-clockwise; the right-hand rule wants CW"))
            break
    return out, geom


# ---------------------------------------------------------------- files


def _schema_rule(error: dict[str, Any]) -> str:
    loc = error.get("loc") or ()
    if error.get("type") == "interval":
        return "interval"
    if loc and loc[0] == "sources" and error.get("type") == "too_short":
        return "sources"
    return "schema"


def _read_collection(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        doc = read_json(path)
    except DataError as exc:
        return None, [Problem(str(path), ID_PLACEHOLDER, "json", str(exc).split(": ", 1)[-1])]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return None, [Problem(str(path), ID_PLACEHOLDER, "json", "not a FeatureCollection")]
    if not isinstance(doc.get("features"), list):
        return None, [Problem(str(path), ID_PLACEHOLDER, "json", "no 'features' list")]
    problems = []
    if "crs" in doc:
        problems.append(
            Problem(str(path), ID_PLACEHOLDER, "rfc7946", "has a 'crs' member; remove it")
        )
    return doc, problems


def check_layer_file(
    path: Path, today: dt.date | None = None
) -> tuple[list[Problem], list[Feature]]:
    """Check one layer file on its own; return problems and the features that parsed."""
    today = today or dt.date.today()
    doc, problems = _read_collection(path)
    if doc is None:
        return problems, []
    features: list[Feature] = []
    for index, raw in enumerate(doc["features"]):
        label = _label(raw, index)
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.append(Problem(str(path), label, "json", "not a GeoJSON Feature"))
            continue
        if "crs" in raw:
            problems.append(Problem(str(path), label, "rfc7946", "feature has a 'crs' member"))
        geo_problems, geom = geometry_problems(raw.get("geometry"))
        problems += [Problem(str(path), label, rule, msg) for rule, msg in geo_problems]
        try:
            props = FeatureProperties.model_validate(raw.get("properties") or {})
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "properties"
                problems.append(
                    Problem(str(path), label, _schema_rule(dict(err)), f"{where}: {err['msg']}")
                )
            continue
        for day in (props.valid_from, props.valid_to):
            if day is not None and not (EARLIEST <= day <= today):
                problems.append(
                    Problem(str(path), label, "interval", f"date {day} outside {EARLIEST}..today")
                )
        if geom is None:
            continue
        allowed = KIND_GEOMETRIES[props.kind]
        if geom.geom_type not in allowed:
            problems.append(
                Problem(
                    str(path),
                    label,
                    "schema",
                    f"kind {props.kind.value} needs {' or '.join(allowed)}, got {geom.geom_type}",
                )
            )
            continue
        features.append(Feature(props=props, geometry=geom, path=path, raw=raw))
    return problems, features


def _manifest_resources(start: Path) -> dict[str, dict[str, Any]]:
    """Map resolved resource paths to entries of the datapackage in ``start`` or above it."""
    for folder in (start, *start.parents):
        manifest = folder / "datapackage.json"
        if manifest.is_file():
            try:
                doc = read_json(manifest)
            except DataError:
                return {}
            return {
                str((folder / r["path"]).resolve()): r
                for r in doc.get("resources", [])
                if isinstance(r, dict) and "path" in r
            }
    return {}


def check_basemap_file(path: Path, entry: dict[str, Any]) -> list[Problem]:
    """Check a base-geography file against geometry rules and its manifest entry."""
    doc, problems = _read_collection(path)
    if doc is None:
        return problems
    types: set[str] = set()
    for index, raw in enumerate(doc["features"]):
        geo_problems, geom = geometry_problems((raw or {}).get("geometry"))
        label = _label(raw, index)
        problems += [Problem(str(path), label, rule, msg) for rule, msg in geo_problems]
        if geom is not None:
            types.add(geom.geom_type)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if entry.get("sha256") != digest:
        problems.append(
            Problem(str(path), ID_PLACEHOLDER, "manifest", "sha256 differs from datapackage.json")
        )
    if entry.get("feature_count") != len(doc["features"]):
        problems.append(
            Problem(
                str(path),
                ID_PLACEHOLDER,
                "manifest",
                f"{len(doc['features'])} features, manifest says {entry.get('feature_count')}",
            )
        )
    declared = entry.get("geometry_type")
    declared_set = {str(t) for t in declared} if isinstance(declared, list) else {str(declared)}
    if types - declared_set:
        problems.append(
            Problem(
                str(path),
                ID_PLACEHOLDER,
                "manifest",
                f"geometry types {sorted(types)} not all in manifest's {sorted(declared_set)}",
            )
        )
    return problems


def check_sources_file(path: Path) -> tuple[list[Problem], dict[str, Any] | None]:
    """Check the bibliography; return problems and the raw entries."""
    try:
        doc = read_json(path)
    except DataError as exc:
        return [Problem(str(path), ID_PLACEHOLDER, "json", str(exc).split(": ", 1)[-1])], None
    if not isinstance(doc, dict):
        return [Problem(str(path), ID_PLACEHOLDER, "sources", "expected an object")], None
    problems = []
    for key, entry in doc.items():
        try:
            Source.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(str(path), key, "sources", f"{where}: {err['msg']}"))
    return problems, doc


# ---------------------------------------------------------------- cross-file rules


def _load_context(root: Path | None) -> _Context:
    folder = data_dir(root)

    def by(name: str, key: str) -> dict[str, BaseGeometry]:
        path = folder / "basemap" / f"{name}.geojson"
        if not path.is_file():
            return {}
        out: dict[str, BaseGeometry] = {}
        for f in read_json(path).get("features", []):
            try:
                out[f["properties"][key]] = shape(f["geometry"])
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # reported by the geometry and manifest rules of that file
        return out

    sources_path = folder / "sources.json"
    sources = read_json(sources_path) if sources_path.is_file() else None
    return _Context(
        sources=sources if isinstance(sources, dict) else None,
        countries=by("countries", "iso_a2"),
        admin1=by("admin1", "id"),
        rivers=by("rivers", "id"),
    )


def _outside_km2(geom: BaseGeometry, container: BaseGeometry) -> float:
    return area_km2(geom.difference(container))


def source_problems(features: Sequence[Feature], sources: dict[str, Any] | None) -> list[Problem]:
    """Every source key resolves in the bibliography."""
    if sources is None:
        return [Problem("data/sources.json", ID_PLACEHOLDER, "sources", "bibliography missing")]
    out = []
    for f in features:
        keys = [s.key for s in f.props.sources] + [v.key for v in f.props.date_variants]
        for key in keys:
            if key not in sources:
                out.append(
                    Problem(
                        str(f.path), f.key, "sources", f"source key {key!r} not in sources.json"
                    )
                )
    return out


def interval_problems(features: Sequence[Feature]) -> list[Problem]:
    """No two periods of one id overlap."""
    out = []
    for records in periods_by_id(features).values():
        for a, b in itertools.pairwise(records):
            if overlaps(a.props.valid_from, a.props.valid_to, b.props.valid_from, b.props.valid_to):
                out.append(
                    Problem(
                        str(b.path),
                        b.key,
                        "interval",
                        f"overlaps the period starting {a.props.valid_from} of the same id",
                    )
                )
    return out


def id_problems(features: Sequence[Feature]) -> list[Problem]:
    """An id belongs to one layer only."""
    layers: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Feature] = {}
    for f in features:
        layers[f.id].add(f.props.layer)
        first.setdefault(f.id, f)
    return [
        Problem(str(first[i].path), i, "id", f"id used in several layers: {sorted(ls)}")
        for i, ls in layers.items()
        if len(ls) > 1
    ]


def spatial_problems(features: Sequence[Feature], ctx: _Context) -> list[Problem]:
    """The facts of geography listed in the module docstring."""
    out: list[Problem] = []
    features = [f for f in features if f.geometry.is_valid]  # invalid ones fail `geometry`

    def report(f: Feature, message: str) -> None:
        out.append(Problem(str(f.path), f.key, "spatial", message))

    # Containers built once, not per feature (the territory has one record per snapshot).
    land = shapely.union_all([ctx.countries[c] for c in ("SY", "IQ") if c in ctx.countries])
    idlib_area = shapely.union_all([ctx.admin1[c] for c in IDLIB_GOVERNORATES if c in ctx.admin1])
    for f in features:
        kind = f.props.kind
        if kind in (Kind.city, Kind.town) and f.props.country and ctx.countries:
            country = ctx.countries.get(f.props.country)
            assert isinstance(f.geometry, Point)
            if country is None:
                report(f, f"country {f.props.country} not in data/basemap/countries.geojson")
            elif not country.covers(f.geometry):
                gap = distance_km(f.geometry, country.boundary)
                if gap > COUNTRY_TOLERANCE_KM:
                    report(f, f"lies {gap:.1f} km outside its country {f.props.country}")
        if f.id in RIVER_TOWNS and ctx.rivers:
            river_id, limit = RIVER_TOWNS[f.id]
            river = ctx.rivers.get(river_id)
            if river is not None and isinstance(f.geometry, Point):
                gap = distance_km(f.geometry, river)
                if gap > limit:
                    report(f, f"lies {gap:.1f} km from the {river_id}, more than {limit:g} km")
        if kind is Kind.territory and ctx.countries:
            outside = _outside_km2(f.geometry, land)
            if outside > OUTSIDE_TOLERANCE_KM2:
                report(f, f"{outside:.1f} km² lies outside the land of Syria and Iraq")
        if f.props.layer == "idlib_front" and kind in (Kind.front, Kind.zone) and ctx.admin1:
            outside = _outside_km2(f.geometry, idlib_area)
            if outside > OUTSIDE_TOLERANCE_KM2:
                report(f, f"{outside:.1f} km² lies outside Idlib and its neighbouring governorates")
    pockets = [f for f in features if f.props.kind is Kind.pocket]
    for records in periods_by_id(pockets).values():
        for before, after in itertools.pairwise(records):
            outside = _outside_km2(after.geometry, before.geometry)
            if outside > OUTSIDE_TOLERANCE_KM2:
                report(
                    after, f"{outside:.1f} km² lies outside the stage of {before.props.valid_from}"
                )
    return out


def consistency_problems(features: Sequence[Feature]) -> list[Problem]:
    """Held cities lie inside the territory of the same period; other cities outside it."""
    snaps = [f for f in features if f.props.kind is Kind.territory and f.geometry.is_valid]
    out = []
    for f in features:
        if f.props.kind not in (Kind.city, Kind.town) or f.props.status in (None, Status.contested):
            continue
        for snap in snaps:
            if not overlaps(
                f.props.valid_from, f.props.valid_to, snap.props.valid_from, snap.props.valid_to
            ):
                continue
            inside = snap.geometry.covers(f.geometry)
            if f.props.status is Status.held and not inside:
                msg = f"held by IS but outside the territory snapshot {snap.key}"
                out.append(Problem(str(f.path), f.key, "consistency", msg))
            elif f.props.status is not Status.held and inside:
                msg = f"status {f.props.status.value} but inside the territory snapshot {snap.key}"
                out.append(Problem(str(f.path), f.key, "consistency", msg))
    return out


def check_claims_file(
    path: Path, sources: dict[str, Any] | None, thing_ids: set[str], place_ids: set[str]
) -> list[Problem]:
    """Check the claims registry against its model, units, sources, places and features."""
    from geomap.claims import METHOD_DIMENSION, Claim
    from geomap.units import UnitError, dimension

    try:
        doc = read_json(path)
    except DataError as exc:
        return [Problem(str(path), ID_PLACEHOLDER, "json", str(exc).split(": ", 1)[-1])]
    entries = doc.get("claims") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return [Problem(str(path), ID_PLACEHOLDER, "claims", "expected an object with 'claims'")]
    out: list[Problem] = []
    for index, raw in enumerate(entries):
        label = str(raw.get("id", f"#{index}")) if isinstance(raw, dict) else f"#{index}"

        def report(rule: str, message: str, label: str = label) -> None:
            out.append(Problem(str(path), label, rule, message))

        try:
            claim = Claim.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                report("claims", f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
            continue
        try:
            got = dimension(claim.unit)
            want = METHOD_DIMENSION.get(claim.check.method)
            if want is not None and got != want:
                report(
                    "claims", f"unit {claim.unit} measures {got}; {claim.check.method} gives {want}"
                )
        except UnitError as exc:
            report("claims", str(exc))
        for key in filter(None, (claim.source, claim.check.reference_source)):
            if sources is not None and key not in sources:
                report("sources", f"source key {key!r} not in sources.json")
        for ref in claim.refers_to:
            if ref not in thing_ids:
                report("claims", f"refers_to {ref!r} is no feature id in the layers")
        for place in filter(None, (claim.check.place, *claim.check.places)):
            if place not in thing_ids and place not in place_ids:
                report("claims", f"place {place!r} is in neither the layers nor the places data")
    return out


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


# ---------------------------------------------------------------- entry point


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".geojson", ".json"))
        else:
            files.append(path)
    return files


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
        GeoJSON files, ``sources.json``, or folders holding them.
    root
        Data root whose ``data/`` gives the base geography and bibliography for
        the cross-file rules (default: the shipped data).
    spatial
        Whether to run the ``spatial`` and ``consistency`` rules.
    today
        The latest date allowed (default: today).
    """
    problems: list[Problem] = []
    features: list[Feature] = []
    claims_files: list[Path] = []
    ctx = _load_context(root)
    manifests = functools.lru_cache(maxsize=None)(_manifest_resources)  # one read per folder
    for path in _expand(paths):
        if not path.exists():
            problems.append(Problem(str(path), ID_PLACEHOLDER, "json", "no such file or folder"))
        elif path.name == "sources.json":
            found, doc = check_sources_file(path)
            problems += found
            if doc is not None:
                ctx.sources = doc
        elif path.name == "claims.json":
            claims_files.append(path)
        elif path.name == "datapackage.json" or path.suffix == ".json":
            continue
        elif str(path.resolve()) in (resources := manifests(path.parent)):
            problems += check_basemap_file(path, resources[str(path.resolve())])
        else:
            found, feats = check_layer_file(path, today)
            problems += found
            features += feats
    if features:
        problems += source_problems(features, ctx.sources)
        problems += interval_problems(features)
        problems += id_problems(features)
        if spatial:
            problems += spatial_problems(features, ctx)
            problems += consistency_problems(features)
    if claims_files:
        things, places = _known_ids(features, root)
        for path in claims_files:
            problems += check_claims_file(path, ctx.sources, things, places)
    return problems


def problems_as_json(problems: Sequence[Problem]) -> str:
    """Serialise problems for ``geomap validate --format json``."""
    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)
