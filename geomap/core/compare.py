"""What changed between two dates: territory gained and lost, cities that changed hands.

Overlay work happens in the regional equal-area CRS (see :mod:`geomap.core.geodesy`),
so the km² figures are planar areas in an equal-area projection; the polygons
are returned in lon/lat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geomap.core.areas import SIDELESS_KEYS, Transfer, transfers
from geomap.core.feature import Feature
from geomap.core.geodesy import from_equal_area, to_equal_area
from geomap.core.model import PLACE_KINDS, Kind, Status
from geomap.core.shapes import polygonal
from geomap.core.sides import side_name
from geomap.core.timeline import check_day, events, state_at


@dataclass(frozen=True)
class CityChange:
    """A place whose status differs between the two dates."""

    id: str
    name: str
    status_from: str | None
    status_to: str | None
    controller_to: str | None
    back_again: bool = False


@dataclass(frozen=True)
class Comparison:
    """The difference between the IS-held territory on two dates."""

    date_from: dt.date
    date_to: dt.date
    area_from_km2: float
    area_to_km2: float
    gained_km2: float
    lost_km2: float
    kept_km2: float
    gained: BaseGeometry
    lost: BaseGeometry
    kept: BaseGeometry
    cities: tuple[CityChange, ...]
    transfers: tuple[Transfer, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The figures, without geometry, JSON-ready."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "area_from_km2": round(self.area_from_km2, 1),
            "area_to_km2": round(self.area_to_km2, 1),
            "gained_km2": round(self.gained_km2, 1),
            "lost_km2": round(self.lost_km2, 1),
            "kept_km2": round(self.kept_km2, 1),
            "cities": [c.__dict__ for c in self.cities],
            "transfers": [
                {"from": t.from_side, "to": t.to_side, "km2": round(t.km2, 1)}
                for t in self.transfers
            ],
        }

    def text(self) -> str:
        """A readable report."""
        lines = [
            f"IS-held territory {self.date_from} -> {self.date_to}",
            f"  {self.area_from_km2:,.0f} km² -> {self.area_to_km2:,.0f} km²",
            f"  gained {self.gained_km2:,.0f} km², lost {self.lost_km2:,.0f} km², "
            f"kept {self.kept_km2:,.0f} km²",
        ]
        if self.cities:
            lines.append("  cities that changed hands:")
            for c in self.cities:
                by = f" ({side_name(c.controller_to)})" if c.controller_to else ""
                again = " (changed hands and back in between)" if c.back_again else ""
                lines.append(
                    f"    {c.name}: {c.status_from or '-'} -> {c.status_to or '-'}{by}{again}"
                )
        else:
            lines.append("  no city changed hands")
        if self.transfers:
            lines.append("  ground that changed hands (control of terrain):")
            for t in self.transfers:
                lines.append(
                    f"    {_side_words(t.from_side)} -> {_side_words(t.to_side)}: {t.km2:,.0f} km²"
                )
        return "\n".join(lines)

    def geojson(self) -> dict[str, Any]:
        """Gained and lost areas and changed cities as a FeatureCollection."""
        feats: list[dict[str, Any]] = []
        for change, geom, km2 in (
            ("gained", self.gained, self.gained_km2),
            ("lost", self.lost, self.lost_km2),
        ):
            if not geom.is_empty:
                props = {"change": change, "km2": round(km2, 1)}
                feats.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
        return {"type": "FeatureCollection", "features": feats, "comparison": self.summary()}


def _side_words(key: str) -> str:
    return side_name(key) if key not in SIDELESS_KEYS else f"{key} ground"


def _territory(features: Sequence[Feature], day: dt.date) -> BaseGeometry:
    shapes = [f.geometry for f in state_at(features, day) if f.props.kind is Kind.territory]
    return to_equal_area(shapely.union_all(shapes)) if shapes else shapely.Polygon()


def _statuses(features: Sequence[Feature], day: dt.date) -> dict[str, Feature]:
    return {f.id: f for f in state_at(features, day) if f.props.kind in PLACE_KINDS}


def _side(f: Feature) -> str:
    """Which side held a place: IS, contested, or someone else."""
    if f.props.status is Status.held:
        return "IS"
    return "contested" if f.props.status is Status.contested else "other"


def compare(features: Sequence[Feature], date_from: dt.date, date_to: dt.date) -> Comparison:
    """Compare the IS-held territory and the cities on two dates.

    A city is listed when the side holding it (IS, contested, others) differs
    between the dates, or when it changed hands and back in between
    (``back_again``). Cities with no record on either date are left out.

    Raises
    ------
    ValueError
        When a date lies before the data starts (later dates show the final state).
    """
    for day in (date_from, date_to):
        check_day(day)
    before, after = _territory(features, date_from), _territory(features, date_to)
    gained, lost, kept = (
        polygonal(after.difference(before)),
        polygonal(before.difference(after)),
        polygonal(after.intersection(before)),
    )
    old, new = _statuses(features, date_from), _statuses(features, date_to)
    between = {
        e.id
        for e in events(features)
        if min(date_from, date_to) < e.date <= max(date_from, date_to)
    }
    changes = []
    for pid in sorted(set(old) & set(new)):
        a, b = old[pid], new[pid]
        moved = _side(a) != _side(b)
        if moved or pid in between:
            changes.append(
                CityChange(
                    pid,
                    b.props.name,
                    a.props.status.value if a.props.status else None,
                    b.props.status.value if b.props.status else None,
                    b.props.controller,
                    back_again=not moved,
                )
            )
    return Comparison(
        date_from=date_from,
        date_to=date_to,
        area_from_km2=before.area / 1e6,
        area_to_km2=after.area / 1e6,
        gained_km2=gained.area / 1e6,
        lost_km2=lost.area / 1e6,
        kept_km2=kept.area / 1e6,
        gained=from_equal_area(gained),
        lost=from_equal_area(lost),
        kept=from_equal_area(kept),
        cities=tuple(changes),
        transfers=tuple(transfers(features, date_from, date_to)),
    )
