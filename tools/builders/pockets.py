"""Sourced desert pockets: ground a side held without towns, bounded by the places round it.

The land model gives a side the ground within reach of the places it holds. A
pocket of open desert that IS held after the towns round it fell, such as the
Badia pocket between the Sukhnah - Deir ez-Zor road and the Mayadin - Abu Kamal
road from December 2017, holds no place at all, so the model left it white. The
sources describe such a pocket by the cordon round it: the roads and places the
besieging sides held. ``tools/layers_src/desert_pockets.toml`` records each
pocket as dated stages, each with the ring of those places (``boundary``, in
order round the pocket) and its sources. A boundary entry is the id of a curated
place, or a point a source describes but no place marks (a front reached "18 km
north of T-2"), written ``{ name, lon, lat, coord_note }``. A stage's ``ground``
is ``held`` (the default) or ``desert``, for the months when IS still moved in
the pocket but the sources no longer call it held, or ``front``: the ring is an
enclave's front as a report gives it ("35 km along the river and 8 to 10 km
deep"), and the side's places inside it hold nothing beyond it, while inside the
ground is what the places make it (:data:`POCKET_GROUNDS`).

Rules, checked here when the layers are built:

* every boundary place is a curated place, and on the stage's first day it is
  held by a side other than the pocket's (it is the cordon, not the pocket);
  every described point has coordinates in Syria's or Iraq's range and a note
  saying where they come from;
* the ring through them is a simple polygon;
* stages of one pocket do not overlap.

The land model (:class:`tools.builders.landmodel.Pocket`) then gives the pocket's
side every cell inside the ring that no other side holds, beyond a site's reach of
the ring's edge (the cordon: a road held is held like a chain of posts), in the
country most of the ring lies in (a pocket never spills over a border). The ring is never
drawn from an area figure: a published figure for the pocket is a check
(``tools/territory_report.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from geomap.core.geodesy import to_equal_area
from geomap.core.shapes import polygonal
from tools.builders.common import Place, as_date, read_toml
from tools.builders.landmodel import Pocket

FILE = "desert_pockets.toml"


#: What a stage's ring means: the side ``held`` the ground inside it, or moved in it as
#: its ``desert``; or the ring is the reported ``front`` of an enclave, which the side's
#: places inside it reach no farther than (nothing inside is filled).
POCKET_GROUNDS = ("held", "desert", "front")


class PocketError(ValueError):
    """A pocket record breaks one of the rules of this module."""


@dataclass(frozen=True)
class PocketStage:
    """One stage of a sourced pocket with its record's texts and sources."""

    pocket: Pocket
    name: str
    notes: str
    confidence: str
    sources: tuple[dict[str, str], ...]


def read_pockets() -> list[dict[str, Any]]:
    """The curated pocket records."""
    return list(read_toml(FILE).get("pocket", []))


def pocket_stages(records: list[dict[str, Any]], places: list[Place]) -> list[PocketStage]:
    """Every stage of every pocket record, checked against the curated places.

    Raises
    ------
    PocketError
        When a boundary place is unknown or held by the pocket's own side on the
        stage's first day, a ring is not a simple polygon, or stages overlap.
    """
    by_id = {p.id: p for p in places}
    out: list[PocketStage] = []
    for record in records:
        pid = record["id"]
        side = record["controller"]
        previous_end: dt.date | None = None
        for stage in record["stage"]:
            start, end = as_date(stage["valid_from"]), as_date(stage["valid_to"])
            if start is None or end is None or end <= start:
                raise PocketError(f"{pid}: stage dates {start} to {end} are not an interval")
            if previous_end is not None and start < previous_end:
                raise PocketError(f"{pid}: stage from {start} overlaps the one before")
            previous_end = end
            points = []
            for entry in stage["boundary"]:
                if isinstance(entry, dict):
                    points.append(_described_point(pid, start, entry))
                    continue
                place_id = entry
                place = by_id.get(place_id)
                if place is None:
                    raise PocketError(f"{pid} {start}: boundary place {place_id!r} is unknown")
                period = place.period_on(start)
                if period is None or period.controller == side:
                    holder = period.controller if period else "nobody on record"
                    raise PocketError(
                        f"{pid} {start}: boundary place {place_id!r} is held by {holder}, "
                        f"not by a side besieging the pocket"
                    )
                points.append((place.point.x, place.point.y))
            if len(points) < 3 or not (ring := Polygon(points)).is_valid:
                raise PocketError(f"{pid} {start}: the boundary is not a simple ring")
            refs = [*record.get("sources", []), *stage.get("sources", [])]
            ground = stage.get("ground", "held")
            if ground not in POCKET_GROUNDS:
                raise PocketError(
                    f"{pid} {start}: ground {ground!r} is not one of {', '.join(POCKET_GROUNDS)}"
                )
            if ground == "front":
                _check_front_edge(pid, start, side, ring, places)
            out.append(
                PocketStage(
                    Pocket(pid, side, start, end, ring, ground),
                    record["name"],
                    f"{record['notes']} {stage.get('notes', '')}".strip(),
                    stage.get("confidence", record["confidence"]),
                    tuple(refs),
                )
            )
    return out


#: A front's edge must clear the side's own places by this much (metres), inside or
#: out: the model's cells are 2 km, and a place whose cell straddles the edge would be
#: bounded by it or not by chance.
FRONT_CLEARANCE_M = 2500.0


def _check_front_edge(
    pid: str, start: dt.date, side: str, ring: Polygon, places: list[Place]
) -> None:
    """Refuse a front that runs within :data:`FRONT_CLEARANCE_M` of one of the side's places."""
    edge = ring.exterior
    for place in places:
        period = place.period_on(start)
        if period is None or period.controller != side:
            continue
        if edge.distance(place.point) < FRONT_CLEARANCE_M:
            where = "inside" if ring.contains(place.point) else "outside"
            raise PocketError(
                f"{pid} {start}: the front runs within {FRONT_CLEARANCE_M / 1000:g} km of "
                f"{place.id!r} ({where} it): move the edge clear of the place"
            )


def _described_point(pid: str, start: dt.date, entry: dict[str, Any]) -> tuple[float, float]:
    """The equal-area position of a boundary point a source describes."""
    name = entry.get("name", "?")
    lon, lat = entry.get("lon"), entry.get("lat")
    if not isinstance(lon, float) or not isinstance(lat, float):
        raise PocketError(f"{pid} {start}: boundary point {name!r} needs lon and lat")
    if not (35.0 <= lon <= 49.0 and 29.0 <= lat <= 38.0):
        raise PocketError(f"{pid} {start}: boundary point {name!r} lies outside Syria and Iraq")
    if not str(entry.get("coord_note", "")).strip():
        raise PocketError(f"{pid} {start}: boundary point {name!r} has no coord_note")
    point = to_equal_area(Point(lon, lat))
    return (point.x, point.y)


def outside_pockets(held: BaseGeometry, pockets: list[Pocket]) -> BaseGeometry:
    """``held`` without its parts that lie mostly (by area) inside one of ``pockets``' rings.

    Both in the same (equal-area) CRS. The Hajin pocket on the east bank and the
    Badia pocket across the river are separate parts of the held ground, so this
    tells them apart without cutting either along a ring's straight edge.
    """
    if not pockets:
        return held
    parts = [g for g in getattr(held, "geoms", [held]) if not g.is_empty]
    kept = [
        g for g in parts if not any(g.intersection(p.ring).area > 0.5 * g.area for p in pockets)
    ]
    return polygonal(shapely.union_all(kept)) if kept else Polygon()
