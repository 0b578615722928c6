"""The Hajin layer: the town and the shrinking pocket around it.

Each stage is a band on the east (left) bank of the Euphrates between two river
points, its width fitted to a target area, intersected with the stage before it
so the stages nest. The stages are published as ``pocket_stages`` for the
territory builder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shapely.geometry.base import BaseGeometry

from geomap.geodesy import area_km2
from tools.builders import builder
from tools.builders.captured_cities import city_records
from tools.builders.common import (
    KM,
    Base,
    BuildContext,
    as_date,
    bisect,
    feature,
    km2,
    read_toml,
    stage_band,
    to_lonlat,
)


def build_pocket(
    base: Base,
) -> tuple[list[dict[str, Any]], list[tuple[dt.date, dt.date, BaseGeometry]]]:
    """The shrinking Hajin pocket, each stage nested in the one before."""
    spec = read_toml("hajin.toml")
    previous: BaseGeometry | None = None
    features, stages = [], []
    for stage in spec["stage"]:
        start, end = as_date(stage["valid_from"]), as_date(stage["valid_to"])

        def build(
            width: float, stage: dict[str, Any] = stage, prev: BaseGeometry | None = previous
        ) -> BaseGeometry:
            band = stage_band(base, stage, width)
            return band if prev is None else band.intersection(prev)

        width = bisect(lambda w: km2(build(w)), stage["target_km2"], 0.2 * KM, 25 * KM)
        geom = build(width)
        print(f"  pocket {start}: width {width / KM:.2f} km, {km2(geom):,.0f} km²")
        stages.append((start, end, geom))  # type: ignore[arg-type]
        previous = geom
        lonlat = to_lonlat(geom)
        features.append(
            feature(
                {
                    "id": "hajin-pocket",
                    "name": stage["name"],
                    "layer": "hajin",
                    "kind": "pocket",
                    "valid_from": start,
                    "valid_to": end,
                    "date_precision": stage.get("date_precision", "day"),
                    "status": "held",
                    "controller": "is",
                    "approximate": True,
                    "confidence": stage["confidence"],
                    "sources": stage["sources"],
                    "notes": f"{stage['notes']} Drawn area about {area_km2(lonlat):,.0f} km².",
                },
                lonlat,
            )
        )
    return features, stages


@builder("hajin")
def build_hajin(ctx: BuildContext) -> list[dict[str, Any]]:
    """Hajin town's records, then the pocket stages."""
    pocket, stages = build_pocket(ctx.base)
    ctx.results["pocket_stages"] = stages
    return city_records(ctx.cities)["hajin"] + pocket
