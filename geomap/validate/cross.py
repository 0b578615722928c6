"""Checks over every record of the files validated together, each registered with its rule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.geodesy import area_km2, distance_km, feature_area_km2
from geomap.core.model import PLACE_KINDS, Ground, Kind, Status
from geomap.core.sides import side_slugs
from geomap.core.timeline import periods_by_id
from geomap.validate.context import Context
from geomap.validate.facts import COUNTRY_TOLERANCE_KM, FACTS, OUTSIDE_TOLERANCE_KM2, Fact
from geomap.validate.registry import ID_PLACEHOLDER, Problem, cross_check
from geomap.validate.rules import (
    CONSISTENCY,
    CONTROL,
    CONTROLLER,
    GROUND,
    ID,
    INTERVAL,
    SOURCES,
    SPATIAL,
)


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
            if a.props.overlaps(b.props):
                msg = f"overlaps the period starting {a.props.valid_from} of the same id"
                yield Problem(str(b.path), b.key, INTERVAL, msg)


@cross_check(CONTROLLER)
def controller_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Every controller and ``contested_by`` is a side of :mod:`geomap.core.sides`."""
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


#: The ground each kind of area may be (kinds not listed may be any ground).
KIND_GROUND: dict[Kind, frozenset[Ground]] = {
    Kind.territory: frozenset({Ground.held}),
    Kind.pocket: frozenset({Ground.held}),
    Kind.front: frozenset({Ground.held}),
    Kind.desert: frozenset({Ground.desert}),
}
#: Ground that a side held (it names its controller); the rest names none.
SIDED_GROUND = frozenset({Ground.held, Ground.desert})


@cross_check(GROUND)
def ground_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Ground agrees with the kind, and names a controller exactly when a side held it.

    Whether the field is there at all is the model's to check (rule ``schema``).
    """
    for f in features:
        ground = f.props.ground
        if ground is None:
            continue
        allowed = KIND_GROUND.get(f.props.kind)
        if allowed is not None and ground not in allowed:
            want = " or ".join(sorted(g.value for g in allowed))
            msg = f"a {f.props.kind.value} is {want} ground, not {ground.value}"
            yield Problem(str(f.path), f.key, GROUND, msg)
        if ground in SIDED_GROUND and f.props.controller is None:
            msg = f"{ground.value} ground names no controller"
            yield Problem(str(f.path), f.key, GROUND, msg)
        if ground not in SIDED_GROUND and f.props.controller is not None:
            msg = f"{ground.value} ground is held by no side, but names {f.props.controller!r}"
            yield Problem(str(f.path), f.key, GROUND, msg)


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
            if not f.props.overlaps(snap.props):
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


#: Land the control areas of a date may leave uncovered, in km² (rounding at coasts and borders).
CONTROL_GAP_KM2 = 50.0


def _check_days(records: Sequence[Feature]) -> list[dt.date]:
    """The days to check a set of areas on.

    Every day one of them starts, or for a snapshot of one date (an export, in
    which every record is valid on the last such day) that day only.
    """
    days = sorted({f.props.valid_from for f in records})
    if all(f.props.valid_on(days[-1]) for f in records):
        return days[-1:]
    return days


@cross_check(CONTROL)
def control_period_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Two overlapping periods of one place name different controllers."""
    places = [f for f in features if f.props.kind in PLACE_KINDS]
    for records in periods_by_id(places).values():
        for a, b in itertools.combinations(records, 2):
            if a.props.controller == b.props.controller:
                continue
            if a.props.overlaps(b.props):
                msg = (
                    f"held by {a.props.controller} from {a.props.valid_from} and by "
                    f"{b.props.controller} from {b.props.valid_from} over the same days"
                )
                yield Problem(str(b.path), b.key, CONTROL, msg)


@cross_check(CONTROL, spatial=True)
def desert_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """The IS desert zone never overlaps IS-held ground of the same days."""
    held = [f for f in features if f.props.kind is Kind.territory and f.geometry.is_valid]
    for d in (f for f in features if f.props.kind is Kind.desert and f.geometry.is_valid):
        for t in held:
            if not d.props.overlaps(t.props):
                continue
            if not d.geometry.intersects(t.geometry):
                continue
            shared = area_km2(d.geometry.intersection(t.geometry))
            if shared > OUTSIDE_TOLERANCE_KM2:
                msg = f"{shared:.1f} km² of the desert zone overlaps IS-held ground {t.key}"
                yield Problem(str(d.path), d.key, CONTROL, msg)


@cross_check(CONTROL, spatial=True)
def control_cover_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """On every date the control areas do not overlap and cover the land of Syria and Iraq."""
    areas = [f for f in features if f.props.kind is Kind.control and f.geometry.is_valid]
    if not areas or ctx.land is None:
        return
    land_km2 = area_km2(ctx.land)
    sizes = {f.key: feature_area_km2(f) for f in areas}
    for day in _check_days(areas):
        now = [f for f in areas if f.props.valid_on(day)]
        first = min(now, key=lambda f: f.key)
        if not shapely.coverage_is_valid(np.array([f.geometry for f in now], dtype=object)):
            union = shapely.union_all([f.geometry for f in now])
            overlap = sum(sizes[f.key] for f in now) - area_km2(union)
            if overlap > OUTSIDE_TOLERANCE_KM2:
                msg = f"control areas valid on {day} overlap by {overlap:.1f} km²"
                yield Problem(str(first.path), first.key, CONTROL, msg)
                continue
        gap = land_km2 - sum(sizes[f.key] for f in now)
        if gap > CONTROL_GAP_KM2:
            msg = f"control areas valid on {day} leave {gap:,.0f} km² of land uncovered"
            yield Problem(str(first.path), first.key, CONTROL, msg)


@cross_check(CONTROL, spatial=True)
def place_side_problems(features: Sequence[Feature], ctx: Context) -> Iterator[Problem]:
    """Every place lies inside the area of its controller (not when it is contested)."""
    areas = [f for f in features if f.props.kind is Kind.control and f.geometry.is_valid]
    if not areas:
        return
    places = [
        f
        for f in features
        if f.props.kind in PLACE_KINDS and f.props.controller and f.props.contested_by is None
    ]
    shapely.prepare([f.geometry for f in areas])  # many point tests per area
    reported: set[str] = set()
    for day in _check_days(areas):
        by_side: dict[str, list[Feature]] = defaultdict(list)
        for f in areas:
            if f.props.valid_on(day) and f.props.controller:
                by_side[f.props.controller].append(f)
        for p in places:
            if p.key in reported or not p.props.valid_on(day):
                continue
            assert isinstance(p.geometry, Point)
            own = by_side.get(p.props.controller or "", [])
            if any(a.geometry.covers(p.geometry) for a in own):
                continue
            if any(distance_km(p.geometry, a.geometry) <= COUNTRY_TOLERANCE_KM for a in own):
                continue  # border towns on the generalised land outline
            msg = f"held by {p.props.controller} but outside its control area on {day}"
            reported.add(p.key)
            yield Problem(str(p.path), p.key, CONTROL, msg)
