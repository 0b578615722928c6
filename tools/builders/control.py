"""The control layer: who held every piece of the land of Syria and Iraq, on every date.

From the same land model as the territory (:mod:`tools.builders.territory`),
so the Islamic State's part of it is exactly the territory layer. On every
date each side has one area (``control-<side>``) of ground within the reach of
the places it held, and one area of thinly held desert beyond that reach
(``control-<side>-desert``, low confidence: for IS this is the IS desert zone).
Ground near a place another side contested is ``control-contested`` (low
confidence), and desert beyond every side's reach is ``control-open``. An area
keeps one record while its shape stays the same, so the record valid on a date
is that date's snapshot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geomap.core.geodesy import area_km2
from geomap.core.sides import SIDES, side_name
from tools.builders import builder
from tools.builders.common import BuildContext, feature, merge_refs, read_toml, to_lonlat
from tools.builders.landmodel import CONTESTED, DESERT, OPEN, SIDE_INDEX, LandState
from tools.builders.territory import change_refs, first_sources, model, register_pieces


def areas() -> list[tuple[str, str | None, set[int], str, str]]:
    """Every area of the layer: id, controller, labels, confidence and name."""
    out: list[tuple[str, str | None, set[int], str, str]] = []
    for side in SIDES:
        index = SIDE_INDEX[side.slug]
        out.append((f"control-{side.slug}", side.slug, {index}, "medium", side.name))
        desert = "IS desert zone" if side.slug == "is" else f"{side.short} desert, thinly held"
        out.append((f"control-{side.slug}-desert", side.slug, {index + DESERT}, "low", desert))
    out.append(("control-contested", None, {CONTESTED}, "low", "Contested ground"))
    out.append(("control-open", None, {OPEN}, "low", "Open desert, held by no side"))
    return out


def _places_held(state: LandState, slug: str | None, day: dt.date) -> list[str]:
    if slug is None:
        return []
    return sorted(
        p.name for p in state.places if (q := p.period_on(day)) is not None and q.controller == slug
    )


@builder("control")
def build(ctx: BuildContext) -> list[dict[str, Any]]:
    """One record per area per stretch of dates over which its shape stays the same."""
    state = model(ctx)
    spec = read_toml("territory.toml")
    firsts = first_sources(ctx)
    features = []
    for fid, slug, wanted, confidence, name in areas():
        for run in state.runs(wanted):
            first, last = run.first, run.last
            geom = state.union_of(run.members)
            if geom.is_empty:
                continue
            day, until = state.days[first], state.until(last)
            lonlat = to_lonlat(geom)
            held = _places_held(state, slug, day)
            who = side_name(slug) if slug else name
            what = (
                f"{name}: ground within reach of the {len(held)} places it held"
                if confidence == "medium"
                else f"{name}: beyond the reach of any held place"
            )
            sources = merge_refs(
                [
                    *spec["sources"],
                    *change_refs(state.places, firsts, day if day > state.days[0] else None, slug),
                ]
            )
            features.append(
                feature(
                    {
                        "id": fid,
                        "name": f"{name} from {day.isoformat()}",
                        "layer": "control",
                        "kind": "control",
                        "valid_from": day,
                        "valid_to": until,
                        "controller": slug,
                        "approximate": True,
                        "confidence": confidence,
                        "sources": sources,
                        "notes": (
                            f"{what}, from the land model ({area_km2(lonlat):,.0f} km²). "
                            + (f"Places held by {who}: {', '.join(held)}." if held else "")
                        )[:2000],
                    },
                    lonlat,
                )
            )
            register_pieces(ctx, "control", f"{fid}@{day.isoformat()}", run.members)
    return features
