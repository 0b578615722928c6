"""The Idlib layer: rebel-held Idlib and the Sochi demilitarised zone."""

from __future__ import annotations

from typing import Any

import shapely

from geomap.core.geodesy import to_equal_area
from tools.builders import builder
from tools.builders.common import KM, BuildContext, feature, meta, read_toml, to_lonlat


@builder("idlib_front")
def build_idlib(ctx: BuildContext) -> list[dict[str, Any]]:
    """Rebel-held Idlib in September 2018 and the Sochi demilitarised zone."""
    base = ctx.base
    spec = read_toml("idlib_front.toml")
    front = spec["front"]
    outline = to_equal_area(shapely.Polygon(front["outline"]))
    govs = shapely.union_all([base.admin1[c] for c in front["governorates"]])
    rebel = outline.intersection(govs).intersection(base.countries["SY"])
    out = [feature({**meta(front, "front"), "layer": "idlib_front"}, to_lonlat(rebel))]
    zone = spec["zone"]
    # The contact line is the rebel area's edge away from the Turkish border.
    border = base.countries["TR"].buffer(zone["border_clearance_km"] * KM)
    contact = rebel.boundary.difference(border)
    band = contact.buffer(zone["depth_km"] * KM).intersection(rebel)
    out.append(feature({**meta(zone, "zone"), "layer": "idlib_front"}, to_lonlat(band)))
    return out
