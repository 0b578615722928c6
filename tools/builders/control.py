"""The control layer: who held every piece of the land of Syria and Iraq, on every date.

From the same land model as the territory (:mod:`tools.builders.territory`),
so the Islamic State's part of it is exactly the territory layer. On every
date each side has one area (``control-<side>``, ground ``held``) of ground
within the reach of the places it held, and one area of thinly held desert
beyond that reach (``control-<side>-desert``, ground ``desert``, low confidence:
for IS this is the IS desert zone). Ground near a place another side contested
is ``control-contested`` (ground ``contested``, low confidence), and desert
beyond every side's reach is ``control-open`` (ground ``open``). Every record
says its ground in the ``ground`` field; the ids are names, not a code to read.
An area keeps one record while its shape stays the same, so the record valid on
a date is that date's snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from geomap.core.geodesy import area_km2
from geomap.core.model import Confidence, Ground
from geomap.core.sides import SIDES, side_name
from tools.builders import builder
from tools.builders.common import BuildContext, feature, merge_refs, read_toml, to_lonlat
from tools.builders.labels import LABELS
from tools.builders.landmodel import LandState
from tools.builders.territory import change_refs, first_sources, model, register_pieces


@dataclass(frozen=True)
class Area:
    """One area of the control layer: a kind of ground of one side (or of none)."""

    id: str
    controller: str | None
    ground: Ground
    name: str

    @property
    def label(self) -> int:
        """Its code in the land model's label rasters."""
        return LABELS.code(self.ground, self.controller)

    @property
    def confidence(self) -> Confidence:
        """Held ground is pinned down by its places; the rest is low confidence."""
        return Confidence.medium if self.ground is Ground.held else Confidence.low


def areas() -> list[Area]:
    """Every area of the layer, in the order of the file."""
    out: list[Area] = []
    for side in SIDES:
        out.append(Area(f"control-{side.slug}", side.slug, Ground.held, side.name))
        desert = "IS desert zone" if side.slug == "is" else f"{side.short} desert, thinly held"
        out.append(Area(f"control-{side.slug}-desert", side.slug, Ground.desert, desert))
    out.append(Area("control-contested", None, Ground.contested, "Contested ground"))
    out.append(Area("control-open", None, Ground.open, "Open desert, held by no side"))
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
    for area in areas():
        fid, slug, name = area.id, area.controller, area.name
        for run in state.runs({area.label}):
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
                if area.ground is Ground.held
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
                        "ground": area.ground.value,
                        "approximate": True,
                        "confidence": area.confidence.value,
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
