"""Measure the shipped territory: contiguity, the Hajin pocket and the pocket figures.

Run by hand after a build (the README's territory section quotes its output)::

    python tools/territory_report.py

* **Contiguity.** On the first day of each quarter, the share of the IS-held
  ground in its largest connected part, counting parts within 2 km of each
  other as one.
* **The Hajin pocket.** On every date the pocket changes, from September 2018
  to March 2019: its area, the share of it inside Syria and the share on the
  east (left) bank of the Euphrates, against the coalition's figures.
* **Pocket figures.** Each published figure of ``area_figures.toml`` with
  ``covers = "pocket"`` names either a sourced desert pocket (``pocket``, an id
  of ``desert_pockets.toml``: the model's figure is the IS-held ground inside
  that pocket's ring on the date) or a ``near`` place and a ``radius_km``: the
  IS-held ground within that radius, without the parts that lie mostly inside
  a sourced pocket's ring (:func:`tools.builders.pockets.outside_pockets`; the
  Badia pocket lies within 60 km of Hajin, across the river). The error is
  reported. None of these figures is used to fit anything.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from pathlib import Path

import shapely
from shapely.geometry import Point, box, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.core.geodesy import area_km2, feature_area_km2, to_equal_area  # noqa: E402
from geomap.core.model import Kind  # noqa: E402
from geomap.data.dataset import Dataset  # noqa: E402
from tools.builders.pockets import (  # noqa: E402
    PocketStage,
    outside_pockets,
    pocket_stages,
    read_pockets,
)

SQ_MI_KM2 = 2.589988
#: Parts of IS ground this close (km) count as one.
JOIN_KM = 2.0


def held_on(ds: Dataset, day: dt.date) -> shapely.Geometry:
    """The IS-held ground (territory records) on ``day``, lon/lat."""
    parts = [f.geometry for f in ds.state(day, ["territory"]) if f.props.kind is Kind.territory]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def largest_share(geom: shapely.Geometry) -> tuple[float, int]:
    """Share of ``geom``'s area in its largest group of parts within JOIN_KM, and the count."""
    if geom.is_empty:
        return 0.0, 0
    ea = to_equal_area(geom)
    grown = ea.buffer(JOIN_KM * 500.0)
    groups = list(getattr(grown, "geoms", [grown]))
    areas = [ea.intersection(g).area for g in groups]
    return max(areas) / sum(areas), len(groups)


def quarters(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every quarter in [start, end)."""
    out, day = [], dt.date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    while day < end:
        if day >= start:
            out.append(day)
        month = day.month + 3
        day = dt.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
    return out


def east_bank(ds: Dataset) -> shapely.Geometry:
    """The land on the east (left) bank of the Euphrates between Deir ez-Zor and Al-Qaim."""
    river = next(f for f in ds.basemap["rivers"] if f["properties"]["id"] == "euphrates")
    line = shape(river["geometry"])
    frame = box(39.9, 34.2, 41.4, 35.5)
    cut = shapely.difference(frame, line.intersection(frame).buffer(0.0005))
    hajin = Point(40.83138, 34.69508)  # Hajin, on the east bank (GeoNames 174506)
    parts = list(getattr(cut, "geoms", [cut]))
    return next(p for p in parts if p.buffer(0.01).contains(hajin))


def sourced_pockets() -> list[PocketStage]:
    """The stages of the sourced desert pockets, on the curated places."""
    from tools.builders import settlements
    from tools.builders.common import BuildContext, load_base

    ctx = BuildContext(load_base(), lambda name: [])
    settlements.build(ctx)
    return pocket_stages(read_pockets(), ctx.results["places"])


def main() -> int:
    """Print the three measurements as Markdown tables."""
    ds = Dataset(ROOT)
    print("## Contiguity: share of IS-held ground in its largest part (parts within 2 km joined)")
    print("| quarter | IS-held km² | parts | largest part |")
    print("|---|---:|---:|---:|")
    for day in quarters(dt.date(2014, 7, 1), dt.date(2019, 4, 1)):
        geom = held_on(ds, day)
        share, n = largest_share(geom)
        print(f"| {day} | {area_km2(geom):,.0f} | {n} | {100 * share:.0f}% |")
    print()
    print("## The Hajin pocket (hajin layer)")
    syria = shape(
        next(f for f in ds.basemap["countries"] if f["properties"]["iso_a2"] == "SY")["geometry"]
    )
    bank = east_bank(ds)
    print("| from | km² | in Syria | on the east bank |")
    print("|---|---:|---:|---:|")
    for f in sorted(ds.layer("hajin"), key=lambda f: f.props.valid_from):
        if f.props.kind is not Kind.pocket:
            continue
        a = feature_area_km2(f)
        in_sy = area_km2(f.geometry.intersection(syria)) / a if a else 0.0
        on_bank = area_km2(f.geometry.intersection(bank)) / a if a else 0.0
        print(f"| {f.props.valid_from} | {a:,.0f} | {100 * in_sy:.0f}% | {100 * on_bank:.0f}% |")
    print()
    print("## Pocket figures (checks, never fitted)")
    figures = tomllib.loads((ROOT / "tools/layers_src/area_figures.toml").read_text())["figure"]
    places = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in ds.basemap["places"]}
    stages = sourced_pockets()
    print("| date | what | published km² | model km² | error | source |")
    print("|---|---|---:|---:|---:|---|")
    errors = []
    for fig in figures:
        if fig["covers"] != "pocket" or not ("near" in fig or "pocket" in fig):
            continue
        value = fig["value"] * (SQ_MI_KM2 if fig["unit"] == "sq_mi" else 1.0)
        day = fig["describes"]
        on_day = [s for s in stages if s.pocket.on(day)]
        active = [s.pocket for s in on_day if not s.pocket.front]
        held = to_equal_area(held_on(ds, day))
        # A figure from a report the measured shape is drawn from is no check of it:
        # the named pocket's own stage, or a front that bounds the ground measured.
        if "pocket" in fig:
            rings = [p.ring for p in active if p.id == fig["pocket"] and p.ground == "held"]
            got = held.intersection(shapely.union_all(rings)).area / 1e6 if rings else 0.0
            shaping = [s for s in on_day if s.pocket.id == fig["pocket"]]
        else:
            lon, lat = places[fig["near"]]
            near = to_equal_area(Point(lon, lat)).buffer(fig["radius_km"] * 1000.0)
            got = outside_pockets(held.intersection(near), active).area / 1e6
            shaping = [s for s in on_day if s.pocket.front and s.pocket.ring.intersects(near)]
        drawn = {ref["key"] for s in shaping for ref in s.sources}
        err = (got - value) / value
        same = fig["source_key"] in drawn
        if not same:
            errors.append(abs(err))
        print(
            f"| {fig['describes']} | {fig['id']} | {value:,.1f} | {got:,.1f} | {100 * err:+.0f}% "
            f"| {fig['source_key']}{' (the ring is drawn from it: not a check)' if same else ''} |"
        )
    if errors:
        print(
            f"\nmedian absolute error on the {len(errors)} pocket figures that are checks: "
            f"{100 * sorted(errors)[len(errors) // 2]:.0f}%"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
