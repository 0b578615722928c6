"""Sourced desert pockets: their rules (tools/builders/pockets.py) on records made in code,
and the shipped records against the curated places.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from shapely.geometry import Point, box

from tools.builders.common import Period, Place
from tools.builders.landmodel import Pocket
from tools.builders.pockets import PocketError, outside_pockets, pocket_stages

START = dt.date(2017, 12, 7)


def post(pid: str, x_km: float, y_km: float, side: str = "government") -> Place:
    period = Period(dt.date(2017, 1, 1), None, side)
    return Place(pid, pid, "site", Point(x_km * 1000, y_km * 1000), 0, (period,))


PLACES = [post("a", 0, 0), post("b", 50, 0), post("c", 50, 50), post("d", 0, 50)]


def record(boundary: list[str], stages: int = 1, **over: Any) -> dict[str, Any]:
    stage = {
        "valid_from": START,
        "valid_to": START + dt.timedelta(days=100),
        "boundary": boundary,
    }
    later = {**stage, "valid_from": START + dt.timedelta(days=50)}
    return {
        "id": "pocket",
        "name": "Test pocket",
        "controller": "is",
        "confidence": "low",
        "notes": "A pocket.",
        "sources": [{"key": "k", "supports": "s"}],
        "stage": [stage, later][:stages],
        **over,
    }


def test_a_ring_of_held_posts_makes_one_stage_with_its_sources() -> None:
    (stage,) = pocket_stages([record(["a", "b", "c", "d"])], PLACES)
    assert stage.pocket.ring.area == pytest.approx(2500e6)
    assert stage.pocket.on(START) and not stage.pocket.on(START + dt.timedelta(days=100))
    assert stage.sources == ({"key": "k", "supports": "s"},)


@pytest.mark.parametrize(
    ("rec", "places", "message"),
    [
        (record(["a", "b", "x"]), PLACES, "'x' is unknown"),
        (record(["a", "b", "c", "d"]), [*PLACES[:3], post("d", 0, 50, "is")], "'d' is held by is"),
        (record(["a", "c", "b", "d"]), PLACES, "not a simple ring"),
        (record(["a", "b"]), PLACES, "not a simple ring"),
        (record(["a", "b", "c", "d"], stages=2), PLACES, "overlaps"),
    ],
    ids=["unknown place", "held by the pocket's side", "bow tie", "two places", "overlap"],
)
def test_a_broken_record_is_refused_with_its_reason(
    rec: dict[str, Any], places: list[Place], message: str
) -> None:
    with pytest.raises(PocketError, match=message):
        pocket_stages([rec], places)


def test_parts_mostly_inside_a_ring_belong_to_that_pocket() -> None:
    ring = box(0, 0, 100, 100)
    pocket = Pocket("p", "is", START, START + dt.timedelta(days=1), ring)
    inside, straddling, outside = box(10, 10, 20, 20), box(90, 10, 130, 20), box(200, 0, 210, 10)
    got = outside_pockets(inside.union(straddling).union(outside), [pocket])
    assert got.area == pytest.approx(straddling.area + outside.area)
    assert outside_pockets(inside, []).equals(inside)


@pytest.mark.build
def test_the_shipped_pockets_stand_on_curated_places_held_by_other_sides() -> None:
    from tools.builders import settlements
    from tools.builders.common import BuildContext, load_base
    from tools.builders.pockets import read_pockets

    ctx = BuildContext(load_base(), lambda name: [])
    settlements.build(ctx)
    stages = pocket_stages(read_pockets(), ctx.results["places"])
    assert stages, "no pocket records"
    for stage in stages:
        assert stage.sources and stage.pocket.ring.is_valid


def test_a_described_point_needs_coordinates_and_their_source() -> None:
    point = {"name": "18 km north of T-2", "lon": 40.147, "lat": 34.541, "coord_note": "x"}
    ok = record(["a", "b", "c"])
    ok["stage"][0]["boundary"].append(point)
    # the point lies far from the made-up posts, but the ring stays simple: accepted
    assert pocket_stages([ok], PLACES)
    for broken, message in (
        ({**point, "coord_note": " "}, "no coord_note"),
        ({**point, "lon": 100.0}, "outside Syria and Iraq"),
        ({"name": "n", "coord_note": "x"}, "needs lon and lat"),
    ):
        rec = record(["a", "b", "c"])
        rec["stage"][0]["boundary"].append(broken)
        with pytest.raises(PocketError, match=message):
            pocket_stages([rec], PLACES)


def test_every_pocket_and_area_figure_cites_a_source_of_the_bibliography() -> None:
    import json
    import tomllib

    from tools.builders.common import ROOT

    bibliography = json.loads((ROOT / "data" / "sources.json").read_text(encoding="utf-8"))
    src = ROOT / "tools" / "layers_src"
    pockets = tomllib.loads((src / "desert_pockets.toml").read_text(encoding="utf-8"))["pocket"]
    keys = [ref["key"] for p in pockets for ref in p["sources"]]
    keys += [ref["key"] for p in pockets for s in p["stage"] for ref in s.get("sources", [])]
    figures = tomllib.loads((src / "area_figures.toml").read_text(encoding="utf-8"))["figure"]
    keys += [f["source_key"] for f in figures]
    ids = {p["id"] for p in pockets}
    assert [k for k in keys if k not in bibliography] == []
    assert all(f["pocket"] in ids for f in figures if "pocket" in f)


def test_a_front_must_clear_its_sides_places() -> None:
    """A front's edge 1 km from one of the side's own villages is refused: on 2 km cells
    whether the village is bounded by it would be chance (al-Kishmah, on a first ring)."""
    village = post("v", 25, 49, "is")  # 1 km inside the top edge of the a-b-c-d ring
    front = record(["a", "b", "c", "d"])
    front["stage"][0]["ground"] = "front"
    with pytest.raises(PocketError, match=r"within 2\.5 km of 'v' \(inside it\)"):
        pocket_stages([front], [*PLACES, village])
    clear = post("v", 25, 40, "is")
    (stage,) = pocket_stages([front], [*PLACES, clear])
    assert stage.pocket.front and stage.pocket.ground == "front"
    broken = record(["a", "b", "c", "d"])
    broken["stage"][0]["ground"] = "ring"
    with pytest.raises(PocketError, match="is not one of held, desert, front"):
        pocket_stages([broken], PLACES)
