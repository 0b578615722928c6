"""Checks over every record of the files validated together, each registered with its rule."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geomap.dates import overlaps
from geomap.geodesy import area_km2, distance_km
from geomap.io import Feature
from geomap.model import PLACE_KINDS, Kind, Status
from geomap.sides import side_slugs
from geomap.timeline import periods_by_id
from geomap.validate.context import Context
from geomap.validate.facts import COUNTRY_TOLERANCE_KM, FACTS, OUTSIDE_TOLERANCE_KM2, Fact
from geomap.validate.registry import ID_PLACEHOLDER, Problem, cross_check
from geomap.validate.rules import CONSISTENCY, CONTROLLER, ID, INTERVAL, SOURCES, SPATIAL


@cross_check(SOURCES)
def source_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Every source key resolves in the bibliography."""
    if ctx.sources is None:
        yield Problem("data/sources.json", ID_PLACEHOLDER, SOURCES, "bibliography missing")
        return
    for f in features:
        keys = [s.key for s in f.props.sources] + [v.key for v in f.props.date_variants]
        for key in keys:
            if key not in ctx.sources:
                yield Problem(
                    str(f.path), f.key, SOURCES, f"source key {key!r} not in sources.json"
                )


@cross_check(INTERVAL)
def interval_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """No two periods of one id overlap."""
    for records in periods_by_id(features).values():
        for a, b in itertools.pairwise(records):
            if overlaps(a.props.valid_from, a.props.valid_to, b.props.valid_from, b.props.valid_to):
                msg = f"overlaps the period starting {a.props.valid_from} of the same id"
                yield Problem(str(b.path), b.key, INTERVAL, msg)


@cross_check(CONTROLLER)
def controller_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Every controller and ``contested_by`` is a side of :mod:`geomap.sides`."""
    known = set(side_slugs())
    for f in features:
        for field in ("controller", "contested_by"):
            value = getattr(f.props, field)
            if value is not None and value not in known:
                msg = f"{field} {value!r} is no side; sides are {', '.join(sorted(known))}"
                yield Problem(str(f.path), f.key, CONTROLLER, msg)
        if f.props.contested_by is not None and f.props.contested_by == f.props.controller:
            msg = f"contested_by {f.props.contested_by!r} is the controller itself"
            yield Problem(str(f.path), f.key, CONTROLLER, msg)


@cross_check(ID)
def id_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """An id belongs to one layer only."""
    layers: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Feature] = {}
    for f in features:
        layers[f.id].add(f.props.layer)
        first.setdefault(f.id, f)
    for i, names in layers.items():
        if len(names) > 1:
            yield Problem(str(first[i].path), i, ID, f"id used in several layers: {sorted(names)}")


def _fact_message(fact: Fact, f: Feature, container: BaseGeometry) -> str | None:
    name = fact.name.format(country=f.props.country)
    if fact.measure == "near_km":
        assert isinstance(f.geometry, Point)
        gap = distance_km(f.geometry, container)
        if gap > fact.tolerance:
            return f"lies {gap:.1f} km from {name}, more than {fact.tolerance:g} km"
        return None
    if fact.measure == "outside_km":
        assert isinstance(f.geometry, Point)
        if container.covers(f.geometry):
            return None
        gap = distance_km(f.geometry, container.boundary)
        if gap > fact.tolerance:
            return f"lies {gap:.1f} km outside {name}"
        return None
    outside = area_km2(f.geometry.difference(container))
    if outside > fact.tolerance:
        return f"{outside:.1f} km² lies outside {name}"
    return None


@cross_check(SPATIAL, spatial=True)
def fact_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """The facts of :data:`geomap.validate.facts.FACTS`."""
    for f in features:
        if not f.geometry.is_valid:
            continue  # reported by the geometry rule
        for fact in FACTS:
            if not fact.selects(f):
                continue
            container = fact.container(ctx, f)
            if container is None:
                if fact.measure == "outside_km" and f.props.country and ctx.countries:
                    yield Problem(
                        str(f.path),
                        f.key,
                        SPATIAL,
                        f"country {f.props.country} not in data/basemap/countries.geojson",
                    )
                continue
            message = _fact_message(fact, f, container)
            if message:
                yield Problem(str(f.path), f.key, SPATIAL, message)


@cross_check(SPATIAL, spatial=True)
def pocket_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Each stage of a pocket lies inside the IS-held territory of the day it starts."""
    snaps = [f for f in features if f.props.kind is Kind.territory and f.geometry.is_valid]
    for f in features:
        if f.props.kind is not Kind.pocket or not f.geometry.is_valid:
            continue
        held = [s.geometry for s in snaps if s.props.valid_on(f.props.valid_from)]
        if not held:
            continue  # no territory in the files checked
        outside = area_km2(f.geometry.difference(shapely.union_all(held)))
        if outside > OUTSIDE_TOLERANCE_KM2:
            msg = f"{outside:.1f} km² lies outside the IS-held territory of {f.props.valid_from}"
            yield Problem(str(f.path), f.key, SPATIAL, msg)


@cross_check(CONSISTENCY, spatial=True)
def consistency_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Held cities lie inside the territory of the same period; other cities outside it."""
    snaps = [f for f in features if f.props.kind is Kind.territory and f.geometry.is_valid]
    for f in features:
        if f.props.kind not in PLACE_KINDS or f.props.status in (None, Status.contested):
            continue
        for snap in snaps:
            if not overlaps(
                f.props.valid_from, f.props.valid_to, snap.props.valid_from, snap.props.valid_to
            ):
                continue
            inside = snap.geometry.covers(f.geometry)
            if f.props.status is Status.held and not inside:
                assert isinstance(f.geometry, Point)
                if distance_km(f.geometry, snap.geometry) <= COUNTRY_TOLERANCE_KM:
                    continue  # a border town: the land outline is generalised
                msg = f"held by IS but outside the territory snapshot {snap.key}"
                yield Problem(str(f.path), f.key, CONSISTENCY, msg)
            elif f.props.status is not Status.held and inside:
                msg = f"status {f.props.status.value} but inside the territory snapshot {snap.key}"
                yield Problem(str(f.path), f.key, CONSISTENCY, msg)
