"""The Hajin layer: the town and the IS pocket around it, September 2018 to March 2019.

The town's records come from ``cities.toml``. Each pocket stage is the IS-held
ground of the land model (see :mod:`tools.builders.territory`) within
``radius_km`` of Hajin on one snapshot date, so it agrees with the territory
layer on every date and is fitted to no published figure. The desert pocket
west of the river (a sourced pocket of :mod:`tools.builders.pockets`, inside its
ring) is not part of it, though it lies within the radius: a part of the held
ground that lies mostly inside a pocket's ring belongs to that pocket
(:func:`tools.builders.pockets.outside_pockets`).
"""

from __future__ import annotations

from typing import Any

from geomap.core.geodesy import area_km2
from geomap.core.model import Ground
from tools.builders import builder
from tools.builders.captured_cities import city_records
from tools.builders.common import (
    KM,
    BuildContext,
    as_date,
    feature,
    merge_refs,
    read_toml,
    to_lonlat,
)
from tools.builders.pockets import outside_pockets
from tools.builders.territory import IS, change_refs, first_sources, model, pocket_stages_on


@builder("hajin")
def build_hajin(ctx: BuildContext) -> list[dict[str, Any]]:
    """Hajin town's records, then one pocket stage per snapshot from ``start``."""
    spec = read_toml("hajin.toml")
    territory = read_toml("territory.toml")
    start, end = as_date(spec["start"]), as_date(territory["end"])
    assert start is not None and end is not None
    state = model(ctx)
    around = ctx.base.places[spec["around"]].buffer(spec["radius_km"] * KM)
    firsts = first_sources(ctx)
    stages = []
    for run in state.runs({IS}):
        day, until = state.days[run.first], state.until(run.last)
        if not start <= day < end and not (day < start < until):
            continue
        pocket = outside_pockets(
            state.union_of(run.members).intersection(around), state.pockets_on(day)
        )
        if pocket.is_empty:
            continue
        since = max(day, start)
        lonlat = to_lonlat(pocket)
        fronts = [s for s in pocket_stages_on(ctx, day) if s.pocket.front]
        stages.append(
            feature(
                {
                    "id": "hajin-pocket",
                    "name": f"Hajin pocket from {since.isoformat()}",
                    "layer": "hajin",
                    "kind": "pocket",
                    "ground": Ground.held.value,
                    "valid_from": since,
                    "valid_to": min(until, end),
                    "status": "held",
                    "controller": "is",
                    "approximate": True,
                    "confidence": spec["confidence"],
                    "sources": merge_refs(
                        [
                            *spec["sources"],
                            *[ref for s in fronts for ref in s.sources],
                            *change_refs(
                                state.places, firsts, day if day > state.days[0] else None
                            ),
                        ]
                    ),
                    "notes": f"{spec['notes']}"
                    + "".join(f" Its inland edge: {s.notes}" for s in fronts)
                    + f" Area on the map: {area_km2(lonlat):,.0f} km².",
                },
                lonlat,
            )
        )
    return city_records(ctx.cities)["hajin"] + stages
