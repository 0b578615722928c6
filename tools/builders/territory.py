"""The territory layer: IS-held ground and the IS desert zone, one snapshot per change.

Both come from the land model (:mod:`tools.builders.landmodel`) run on the
curated places of the settlements, captured-cities and Hajin layers: IS holds
the ground within the reach of the places it holds, and the IS desert zone is
the open desert beyond that reach where IS was the nearest side. A snapshot
starts on every date on which IS gains or loses a place (dates on which only
other sides trade places leave IS ground as it is), so a place held by IS on a
date lies inside that date's territory and a place held by another side lies
outside it.

Desert IS held without towns inside a cordon (the Badia pocket from December
2017) comes from the sourced pocket records of :mod:`tools.builders.pockets`;
the held ground's record then cites them and says so in its notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geomap.core.geodesy import area_km2
from geomap.core.model import Ground
from geomap.core.sides import side_name
from tools.builders import builder
from tools.builders.common import (
    BuildContext,
    Place,
    as_date,
    feature,
    merge_refs,
    read_toml,
    to_lonlat,
)
from tools.builders.labels import LABELS
from tools.builders.landmodel import LandState, Params, land_state
from tools.builders.pockets import PocketStage, pocket_stages, read_pockets

#: Label codes of IS-held ground and of the IS desert zone.
IS, IS_DESERT = LABELS.held("is"), LABELS.desert("is")


def model(ctx: BuildContext) -> LandState:
    """The land model of this build (run once, shared by the builders that need it)."""
    if "land" not in ctx.results:
        spec = read_toml("territory.toml")
        raw = dict(spec["params"])
        simplify_km = float(raw.pop("simplify_km"))
        places: list[Place] = ctx.require("settlements", "places")
        end = as_date(spec["model_end"])
        start = as_date(spec["start"])
        assert start is not None and end is not None
        stages = pocket_stages(read_pockets(), places)
        ctx.results["pocket_stages"] = stages
        ctx.results["land"] = land_state(
            ctx.base, places, Params(**raw), start, end, simplify_km, [s.pocket for s in stages]
        )
        ctx.results["territory_spec"] = spec
    state: LandState = ctx.results["land"]
    return state


def pocket_stages_on(ctx: BuildContext, day: dt.date) -> list[PocketStage]:
    """The sourced pocket stages of this build that hold ``day``."""
    model(ctx)
    stages: list[PocketStage] = ctx.results["pocket_stages"]
    return [s for s in stages if s.pocket.on(day)]


def is_places_on(places: list[Place], day: dt.date) -> list[Place]:
    """Places IS holds on ``day``."""
    return [p for p in places if (q := p.period_on(day)) is not None and q.controller == "is"]


def change_refs(
    places: list[Place],
    raw: dict[str, dict[dt.date, str]],
    day: dt.date | None,
    side: str | None = "is",
) -> list[dict[str, str]]:
    """The first source of every place period that starts on ``day`` and involves ``side``.

    ``side`` ``None`` cites every change on that day; ``day`` ``None`` (the first
    snapshot, a starting state rather than a change) cites none.
    """
    refs: list[dict[str, str]] = []
    if day is None:
        return refs
    for place in places:
        for i, period in enumerate(place.periods):
            if period.start != day:
                continue
            before = place.periods[i - 1].controller if i else None
            if side is not None and side not in (period.controller, before):
                continue
            source = raw.get(place.id, {}).get(period.start)
            if source:
                text = f"{place.name}: held by {side_name(period.controller)} from {day}"
                refs.append({"key": source, "supports": text})
    return refs


def first_sources(ctx: BuildContext) -> dict[str, dict[dt.date, str]]:
    """Place id -> period start -> key of the period's first source."""
    return ctx.require("settlements", "first_sources")


def register_pieces(ctx: BuildContext, layer: str, key: str, members: tuple[int, ...]) -> None:
    """Record that the record ``key`` of ``layer`` is the union of the pieces ``members``."""
    ctx.results.setdefault("piece_records", {}).setdefault(layer, []).append((key, members))


@builder("territory")
def build(ctx: BuildContext) -> list[dict[str, Any]]:
    """IS-held ground and the IS desert zone, one record per stretch of unchanged shape."""
    state = model(ctx)
    spec = ctx.results["territory_spec"]
    territory_end = as_date(spec["end"])
    assert territory_end is not None
    firsts = first_sources(ctx)
    features = []
    for fid, labels in (("isis-territory", {IS}), ("isis-desert-zone", {IS_DESERT})):
        for run in state.runs(labels):
            day = state.days[run.first]
            if day >= territory_end:
                continue
            until = min(state.until(run.last), territory_end)
            first_day = day if run.first else None
            ground = "held" if fid == "isis-territory" else "desert"
            # The stages this record's shape comes from: pockets of its ground, and for
            # held ground the reported fronts that bound an enclave's reach.
            pockets = [
                s
                for s in pocket_stages_on(ctx, day)
                if s.pocket.ground == ground or (ground == "held" and s.pocket.front)
            ]
            also = "".join(f" With it, the {stage.name}: {stage.notes}" for stage in pockets)
            pocket_refs = [ref for stage in pockets for ref in stage.sources]
            sources = merge_refs(
                [
                    *spec["sources"],
                    *pocket_refs,
                    *change_refs(state.places, firsts, first_day),
                ]
            )
            lonlat = to_lonlat(state.union_of(run.members))
            if fid == "isis-territory":
                held = is_places_on(state.places, day)
                names = ", ".join(sorted(p.name for p in held))
                props = {
                    "name": f"IS-held territory from {day.isoformat()}",
                    "kind": "territory",
                    "ground": Ground.held.value,
                    "status": "held",
                    "confidence": "medium",
                    "notes": (
                        f"Ground within reach of the {len(held)} places IS held on this date, "
                        f"from the land model ({area_km2(lonlat):,.0f} km²)"
                        + (f".{also} Places held: {names}." if also else f": {names}.")
                    )[:2000],
                }
            else:
                props = {
                    "name": f"IS desert zone from {day.isoformat()}",
                    "kind": "desert",
                    "ground": Ground.desert.value,
                    "status": "contested",
                    "confidence": "low",
                    "notes": (
                        "Open desert beyond the reach of any held town where IS was the nearest "
                        "side and moved freely (ISW's support zones); IS held no settlement "
                        f"here. About {area_km2(lonlat):,.0f} km², reported apart from held ground."
                        f"{also}"
                    )[:2000],
                }
            features.append(
                feature(
                    {
                        "id": fid,
                        "layer": "territory",
                        "valid_from": day,
                        "valid_to": until,
                        "controller": "is",
                        "approximate": True,
                        "sources": sources,
                        **props,
                    },
                    lonlat,
                )
            )
            register_pieces(ctx, "territory", f"{fid}@{day.isoformat()}", run.members)
    features.sort(key=lambda f: (f["properties"]["valid_from"], f["properties"]["id"]))
    return features
