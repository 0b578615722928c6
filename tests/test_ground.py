"""Ground is a field: areas, styles and rules read it, never an id suffix or the confidence."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError
from shapely.geometry import box, mapping

from geomap.core.areas import area_key, areas_by_controller
from geomap.core.feature import Feature
from geomap.core.model import GROUND_KINDS, KIND_GEOMETRIES, FeatureProperties, Ground, Kind
from geomap.core.sides import CONTESTED_COLOUR, side
from geomap.core.style import OPEN_COLOUR, controller_colour
from geomap.schema_gen import SCHEMA_PATH
from geomap.validate.context import Context
from geomap.validate.cross import ground_problems
from tests.conftest import make_feature

SQUARE = mapping(box(39.0, 34.0, 39.2, 34.2))
POINT = {"type": "Point", "coordinates": [39.1, 34.1]}
LINE = {"type": "LineString", "coordinates": [[39.0, 34.0], [39.2, 34.2]]}
#: The ground rule reads the records only.
CTX = Context(sources=None, countries={}, admin1={}, rivers={})


def _props(kind: Kind, **extra: Any) -> dict[str, Any]:
    return {
        "id": "a",
        "name": "A",
        "layer": "control",
        "kind": kind.value,
        "valid_from": "2016-01-01",
        "confidence": "medium",
        "sources": [{"key": "nyt-hajin-2018-09", "supports": "test"}],
        **extra,
    }


def _control(fid: str, ground: Ground, controller: str | None, **extra: Any) -> Feature:
    return make_feature(
        SQUARE,
        id=fid,
        layer="control",
        kind="control",
        ground=ground.value,
        controller=controller,
        valid_from="2016-01-01",
        **extra,
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_model_and_json_schema_agree_on_when_ground_is_required(kind: Kind) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    without, held = _props(kind), _props(kind, ground="held")
    if kind in GROUND_KINDS:
        assert FeatureProperties.model_validate(held).ground is Ground.held
        assert not list(validator.iter_errors(held))
        with pytest.raises(ValidationError, match="needs ground"):
            FeatureProperties.model_validate(without)
        assert list(validator.iter_errors(without))
    else:
        assert FeatureProperties.model_validate(without).ground is None
        assert not list(validator.iter_errors(without))
        with pytest.raises(ValidationError, match="has no ground"):
            FeatureProperties.model_validate(held)
        assert list(validator.iter_errors(held))


def test_ground_kinds_are_areas() -> None:
    assert all("Polygon" in KIND_GEOMETRIES[k] for k in GROUND_KINDS)


def test_shipped_ground_agrees_with_controller_and_kind(shipped: list[Feature]) -> None:
    seen = set()
    for f in shipped:
        ground = f.props.ground
        assert (ground is not None) == (f.props.kind in GROUND_KINDS), f.key
        if ground is None:
            continue
        seen.add(ground)
        assert (f.props.controller is not None) == (ground in (Ground.held, Ground.desert)), f.key
    assert seen == set(Ground)


def test_area_key_and_colour_read_ground_not_the_id() -> None:
    misleading = _control("control-contested", Ground.open, None)
    assert area_key(misleading) == "open"
    assert controller_colour(misleading.props) == OPEN_COLOUR
    contested = _control("control-open", Ground.contested, None)
    assert area_key(contested) == "contested"
    assert controller_colour(contested.props) == CONTESTED_COLOUR
    held = _control("control-sdf-desert", Ground.held, "sdf")
    assert area_key(held) == "sdf"
    assert controller_colour(held.props) == side("sdf").colour


def test_desert_is_counted_by_ground_not_by_confidence() -> None:
    features = [
        _control("sure-desert", Ground.desert, "is", confidence="high"),
        _control("unsure-held", Ground.held, "sdf", confidence="low"),
    ]
    rows = {r.side: r for r in areas_by_controller(features)}
    assert rows["is"].held_km2 == 0 and rows["is"].desert_km2 > 0
    assert rows["sdf"].desert_km2 == 0 and rows["sdf"].held_km2 > 0


@pytest.mark.parametrize(
    ("kind", "ground", "controller", "message"),
    [
        ("territory", Ground.desert, "is", "is held ground, not desert"),
        ("desert", Ground.held, "is", "is desert ground, not held"),
        ("control", Ground.held, None, "held ground names no controller"),
        ("control", Ground.open, "sdf", "open ground is held by no side"),
    ],
)
def test_ground_rule(kind: str, ground: Ground, controller: str | None, message: str) -> None:
    f = make_feature(SQUARE, layer="control", kind=kind, ground=ground.value, controller=controller)
    problems = list(ground_problems([f], CTX))
    assert [p.rule for p in problems] == ["ground"]
    assert message in problems[0].message


def test_ground_rule_passes_agreeing_records() -> None:
    good = [
        _control("a", Ground.held, "is"),
        _control("b", Ground.desert, "iraq"),
        _control("c", Ground.contested, None),
        _control("d", Ground.open, None),
        make_feature(POINT),
        make_feature(LINE, layer="euphrates_bend", kind="river"),
    ]
    assert list(ground_problems(good, CTX)) == []


def test_an_area_lists_the_places_inside_its_shape_whoever_holds_them() -> None:
    from geomap.core.areas import places_inside

    pocket = make_feature(
        mapping(box(39.0, 34.0, 39.2, 34.2).difference(box(39.05, 34.05, 39.1, 34.1))),
        id="pocket",
        layer="hajin",
        kind="pocket",
        controller="is",
        ground="held",
    )

    def place(pid: str, lon: float, lat: float, side: str) -> Feature:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        return make_feature(geometry, id=pid, kind="village", controller=side)

    places = [
        place("inside", 39.15, 34.15, "is"),
        place("enclave", 39.18, 34.02, "government"),
        place("on-edge", 39.2, 34.1, "is"),
        place("in-hole", 39.07, 34.07, "is"),
        place("far", 42.0, 36.0, "is"),
        make_feature(LINE, id="line", layer="euphrates_bend", kind="river"),
    ]
    assert [f.id for f in places_inside(pocket, places)] == ["inside", "enclave", "on-edge"]
    assert places_inside(places[0], places) == []  # a point has no inside
