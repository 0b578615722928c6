"""The Euphrates bend layer: the river from Abu Kamal to Mayadin and the bend at Hajin."""

from __future__ import annotations

from typing import Any

from shapely.ops import substring

from tools.builders import builder
from tools.builders.common import (
    KM,
    BuildContext,
    feature,
    line_lonlat,
    meta,
    read_toml,
    river_between,
    to_lonlat,
)


@builder("euphrates_bend")
def build_bend(ctx: BuildContext) -> list[dict[str, Any]]:
    """The Abu Kamal to Mayadin stretch of the Euphrates and the Hajin bend."""
    base = ctx.base
    spec = read_toml("euphrates_bend.toml")
    river = base.rivers["euphrates"]
    out = []
    seg = spec["segment"]
    line = river_between(river, base.places[seg["from"]], base.places[seg["to"]])
    out.append(feature({**meta(seg, "river"), "layer": "euphrates_bend"}, line_lonlat(line)))
    bend = spec["bend"]
    hajin = base.places[bend["around"]]
    centre = river.project(hajin)
    half = bend["half_length_km"] * KM
    stretch = substring(river, centre - half, centre + half)
    area = stretch.buffer(bend["width_km"] * KM).intersection(base.countries["SY"])
    out.append(feature({**meta(bend, "bend"), "layer": "euphrates_bend"}, to_lonlat(area)))
    return out
