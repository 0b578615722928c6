"""The territory layer: IS-held ground, one snapshot per change of control.

A new snapshot starts on every date a place changes hands, so a city held on a
date always lies inside that date's territory and a city not held lies outside
it (see the README's method section).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geomap.geodesy import area_km2
from tools.builders import builder
from tools.builders.common import (
    KM,
    Base,
    BuildContext,
    Holding,
    as_date,
    base_name,
    bisect,
    feature,
    km2,
    merge_refs,
    read_toml,
    stage_band,
    to_lonlat,
)


def city_holdings(cities: list[dict[str, Any]]) -> list[Holding]:
    """Status intervals of the cities layer (Hajin included)."""
    return [
        Holding(
            city.get("place", city["id"]),
            period["status"],
            as_date(period["valid_from"]),  # type: ignore[arg-type]
            as_date(period.get("valid_to")),
        )
        for city in cities
        for period in city["period"]
    ]


# ---------------------------------------------------------------- territory


@dataclass
class TerritoryModel:
    """Everything the corridor model needs, prepared once."""

    base: Base
    holdings: list[Holding]
    links: list[tuple[str, str]]
    spec: dict[str, Any]

    def held_places(self, day: dt.date) -> list[str]:
        """Places held by the Islamic State on ``day``."""
        return sorted({h.place for h in self.holdings if h.status == "held" and h.on(day)})

    def not_held_places(self, day: dt.date) -> list[str]:
        """Places another party holds on ``day`` (never contested ones)."""
        names = {
            h.place
            for h in self.holdings
            if h.status in ("not_held", "retaken", "never_held") and h.on(day)
        }
        return sorted(names | set(self.spec["always_excluded"]))

    def skeleton(self, day: dt.date) -> BaseGeometry:
        """Held points plus the river and road corridors joining them."""
        held = self.held_places(day)
        blocked = self.not_held_places(day)
        pts = {p: self.base.places[p] for p in held}
        parts: list[BaseGeometry] = list(pts.values())
        snap = self.spec["river_snap_km"] * KM
        max_gap = self.spec["river_max_gap_km"] * KM
        for river in self.base.rivers.values():
            along = sorted(
                (river.project(p), name) for name, p in pts.items() if river.distance(p) <= snap
            )
            stops = sorted(
                river.project(self.base.places[b])
                for b in blocked
                if river.distance(self.base.places[b]) <= snap
            )
            for (da, _), (db, _) in itertools.pairwise(along):
                if db - da <= max_gap and not any(da < s < db for s in stops):
                    parts.append(substring(river, da, db))
        for a, b in self.links:
            if a in pts and b in pts:
                parts.append(LineString([pts[a], pts[b]]))
        return shapely.union_all(parts)

    def shape(self, day: dt.date, half_width: float) -> BaseGeometry:
        """The territory on ``day`` for a given corridor half-width (metres)."""
        held = [self.base.places[p] for p in self.held_places(day)]
        if not held:
            return shapely.Polygon()
        area = self.skeleton(day).buffer(half_width, quad_segs=8).intersection(self.base.land)
        cuts = []
        for name in self.not_held_places(day):
            p = self.base.places[name]
            nearest = min(p.distance(h) for h in held)
            radius = min(self.spec["exclusion_km"] * KM, 0.5 * nearest)
            cuts.append(p.buffer(radius))
        if cuts:
            area = area.difference(shapely.union_all(cuts))
        return area


def snapshot_dates(
    model: TerritoryModel, start: dt.date, end: dt.date, extra: Iterable[dt.date]
) -> list[dt.date]:
    """Every date in [start, end) on which a place changes status, plus ``extra``."""
    days = {start, *extra}
    for h in model.holdings:
        days.add(h.start)
        if h.end:
            days.add(h.end)
    return sorted(d for d in days if start <= d < end)


def interpolate(day: dt.date, knots: list[tuple[dt.date, float]]) -> float:
    """Piecewise-linear interpolation in time, flat beyond the ends."""
    if day <= knots[0][0]:
        return knots[0][1]
    for (d0, v0), (d1, v1) in itertools.pairwise(knots):
        if d0 <= day <= d1:
            t = (day - d0).days / (d1 - d0).days
            return v0 + t * (v1 - v0)
    return knots[-1][1]


def build_territory(
    base: Base,
    cities: list[dict[str, Any]],
    pocket_stages: list[tuple[dt.date, dt.date, BaseGeometry]],
) -> list[dict[str, Any]]:
    """All territory snapshots, as features."""
    spec = read_toml("territory.toml")
    holdings = city_holdings(cities) + [
        Holding(a["place"], "held", as_date(a["held_from"]), as_date(a.get("held_to")))  # type: ignore[arg-type]
        for a in spec["anchor"]
    ]
    model = TerritoryModel(base, holdings, [tuple(x) for x in spec["links"]], spec)  # type: ignore[misc]
    calibration = sorted((as_date(c["date"]), c) for c in spec["calibration"])  # type: ignore[type-var]
    widths: list[tuple[dt.date, float]] = []
    for day, cal in calibration:
        w = bisect(lambda x, d=day: km2(model.shape(d, x)), cal["km2"], 1 * KM, 200 * KM)
        widths.append((day, w))  # type: ignore[arg-type]
        print(f"  calibrated {day}: half-width {w / KM:.1f} km for {cal['km2']:,} km²")
    corridor_end = as_date(spec["corridor_end"])
    assert corridor_end is not None
    days = snapshot_dates(model, as_date(spec["start"]), corridor_end, [d for d, _ in calibration])  # type: ignore[arg-type]
    cal_by_day = {d: c for d, c in calibration}
    shapes: list[tuple[dt.date, BaseGeometry, dict[str, Any] | None]] = []
    for day in days:
        geom = model.shape(day, interpolate(day, widths))
        if not geom.is_empty:
            shapes.append((day, geom, cal_by_day.get(day)))
    for stage in spec["late_pocket"]:
        start = as_date(stage["valid_from"])
        geom = stage_band(base, stage, stage["width_km"] * KM)
        shapes.append((start, geom, None))  # type: ignore[arg-type]
    for start, _end, geom in pocket_stages:
        shapes.append((start, geom, None))
    shapes.sort(key=lambda s: s[0])
    end = as_date(spec["end"])
    names = {city.get("place", city["id"]): city["name"] for city in cities}
    features = []
    for i, (day, geom, cal) in enumerate(shapes):
        until = shapes[i + 1][0] if i + 1 < len(shapes) else end
        lonlat = to_lonlat(geom)
        held = ", ".join(sorted(names.get(p, base_name(p)) for p in model.held_places(day)))
        held = held or "the Hajin pocket"
        sources = merge_refs(
            [*spec["sources"], *changes_on(cities, day), *anchor_changes_on(spec, day)]
        )
        if cal:
            sources.append(
                {"key": cal["source"], "supports": f"about {cal['km2']:,} km² held on {day}"}
            )
            confidence, note = (
                "medium",
                f"Calibrated to the published figure of about {cal['km2']:,} km². ",
            )
        else:
            confidence, note = (
                "low",
                "Area follows from the corridor model between calibration dates. ",
            )
        features.append(
            feature(
                {
                    "id": "isis-territory",
                    "name": f"IS-held territory from {day.isoformat()}",
                    "layer": "territory",
                    "kind": "territory",
                    "valid_from": day,
                    "valid_to": until,
                    "date_precision": "day",
                    "status": "held",
                    "controller": "is",
                    "approximate": True,
                    "confidence": confidence,
                    "sources": sources,
                    "notes": (
                        f"Approximate extent ({area_km2(lonlat):,.0f} km²). {note}"
                        f"Held places on this date: {held}."
                    )[:2000],
                },
                lonlat,
            )
        )
    return features


def changes_on(cities: list[dict[str, Any]], day: dt.date) -> list[dict[str, str]]:
    """The first source of every city period that starts on ``day``, as a citation."""
    out: dict[str, dict[str, str]] = {}
    for city in cities:
        for period in city["period"]:
            if as_date(period["valid_from"]) == day and period["sources"]:
                key = period["sources"][0]["key"]
                text = f"{city['name']}: {period['status'].replace('_', ' ')} from {day}"
                if key in out:
                    out[key]["supports"] += f"; {text}"
                else:
                    out[key] = {"key": key, "supports": text}
    return list(out.values())


def anchor_changes_on(spec: dict[str, Any], day: dt.date) -> list[dict[str, str]]:
    """The sources of every anchor town taken or lost on ``day``."""
    out = []
    for anchor in spec["anchor"]:
        start, end = as_date(anchor["held_from"]), as_date(anchor.get("held_to"))
        if day in (start, end):
            span = f"{base_name(anchor['place'])} held by IS from {start} to {end or 'the end'}"
            out += [{"key": ref["key"], "supports": span} for ref in anchor.get("sources", [])]
    return out


@builder("territory")
def build(ctx: BuildContext) -> list[dict[str, Any]]:
    """The territory snapshots, ending with the Hajin pocket stages."""
    return build_territory(ctx.base, ctx.cities, ctx.require("hajin", "pocket_stages"))
