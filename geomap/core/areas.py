"""Areas per side: who held how much ground on each date, and who took it from whom.

Both read the control layer (kind ``control``): each side's held ground and its
thinly held desert, contested ground and open desert, as each record's
``ground`` field says (:class:`geomap.core.model.Ground`). Areas are geodesic
(:func:`geomap.core.geodesy.area_km2`); the overlay in :func:`transfers` is done in
the regional equal-area CRS.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.geodesy import feature_area_km2, to_equal_area
from geomap.core.model import Ground, Kind
from geomap.core.sides import side_slugs

#: Keys of ground that no side held.
CONTESTED, OPEN = Ground.contested.value, Ground.open.value

#: Ground that belongs to no side: its key is the ground itself.
SIDELESS = frozenset({Ground.contested, Ground.open})
#: The keys of :data:`SIDELESS` ground.
SIDELESS_KEYS = (CONTESTED, OPEN)


def area_key(f: Feature) -> str:
    """The side a control record belongs to, or ``contested`` / ``open``.

    Raises
    ------
    DataError
        For a record of held or desert ground that names no controller.
    """
    ground = f.props.ground
    if ground in SIDELESS:
        return ground.value
    if f.props.controller is None:
        raise DataError(f"{f.key}: {ground} ground names no controller")
    return f.props.controller


def control_records(features: Iterable[Feature]) -> list[Feature]:
    """The control layer's records."""
    return [f for f in features if f.props.kind is Kind.control]


@dataclass(frozen=True)
class SideArea:
    """The ground of one side on one date, in km²."""

    date: dt.date
    side: str
    held_km2: float
    desert_km2: float

    @property
    def total_km2(self) -> float:
        """Held ground and thinly held desert together."""
        return self.held_km2 + self.desert_km2


def areas_by_controller(features: Iterable[Feature]) -> list[SideArea]:
    """km² per side at every date on which the control layer changes, oldest first."""
    records = control_records(features)
    sizes = {f.key: feature_area_km2(f) for f in records}
    order = [*side_slugs(), CONTESTED, OPEN]
    out = []
    for day in sorted({f.props.valid_from for f in records}):
        held: dict[str, float] = defaultdict(float)
        desert: dict[str, float] = defaultdict(float)
        for f in records:
            if f.props.valid_on(day):
                bucket = desert if f.props.ground is Ground.desert else held
                bucket[area_key(f)] += sizes[f.key]
        out += [SideArea(day, s, held[s], desert[s]) for s in order if held[s] or desert[s]]
    return out


def ground_on(features: Iterable[Feature], day: dt.date) -> dict[str, BaseGeometry]:
    """Each side's ground on ``day`` (held and desert together), in the equal-area CRS."""
    parts: dict[str, list[BaseGeometry]] = defaultdict(list)
    for f in control_records(features):
        if f.props.valid_on(day):
            parts[area_key(f)].append(f.geometry)
    return {k: shapely.make_valid(to_equal_area(shapely.union_all(v))) for k, v in parts.items()}


@dataclass(frozen=True)
class Transfer:
    """Ground one side held on the first date and another on the second."""

    from_side: str
    to_side: str
    km2: float


def transfers(features: Sequence[Feature], date_from: dt.date, date_to: dt.date) -> list[Transfer]:
    """Who gained what from whom between two dates, largest first (planar km², equal-area)."""
    before, after = ground_on(features, date_from), ground_on(features, date_to)
    out = []
    for a, ga in before.items():
        for b, gb in after.items():
            if a == b or not ga.intersects(gb):
                continue
            km2 = ga.intersection(gb).area / 1e6
            if km2 >= 1.0:
                out.append(Transfer(a, b, km2))
    return sorted(out, key=lambda t: -t.km2)


def places_inside(area: Feature, places: Iterable[Feature]) -> list[Feature]:
    """The place records (point geometries) of ``places`` that lie inside ``area``.

    ``area``'s own shape, not its side, decides: a pocket lists the places within
    it, whoever holds them (a besieged enclave inside IS ground is listed too).
    Points on the outline count as inside. Non-point records are skipped.
    """
    shape = area.geometry
    if shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
        return []
    shapely.prepare(shape)
    return [f for f in places if f.geometry.geom_type == "Point" and shape.intersects(f.geometry)]
