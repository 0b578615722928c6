"""The style tables are keyed by the model's enums and have a row for every value."""

from __future__ import annotations

import json
from enum import StrEnum

import pytest

from geomap.core import style
from geomap.core.layers import LAYERS
from geomap.core.model import AREA_KINDS, PLACE_KINDS, Confidence, Ground, Kind, Status
from geomap.core.sides import SIDES


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (style.KIND_STYLE, Kind),
        (style.GROUND_STYLE, Ground),
        (style.STATUS_STYLE, Status),
        (style.CONFIDENCE_DASH, Confidence),
        (style.CONFIDENCE_FILL, Confidence),
    ],
    ids=["kind", "ground", "status", "confidence-dash", "confidence-fill"],
)
def test_every_enum_value_has_a_row(table: dict[StrEnum, object], enum: type[StrEnum]) -> None:
    assert all(type(key) is enum for key in table), "keys must be enum members, not strings"
    assert set(table) == set(enum)


def test_every_area_kind_has_a_fill_and_every_place_a_radius() -> None:
    assert all(style.KIND_STYLE[k][1] > 0 for k in AREA_KINDS)
    assert set(style.MARKER_RADIUS) == PLACE_KINDS
    assert all(type(k) is Kind for k in (*style.KIND_COLOUR, *style.BLACK_OUTLINE_KINDS))


def test_ground_without_a_side_has_its_own_colour_and_legend_row() -> None:
    control = next(spec for spec in LAYERS if spec.style_by == "controller")
    rows = style.legend_rows(control)
    assert [r["label"] for r in rows[: len(SIDES)]] == [s.name for s in SIDES]
    own = [g for g in Ground if style.GROUND_STYLE[g].colour is not None]
    assert own == [Ground.contested, Ground.open]
    assert [r["colour"] for r in rows[len(SIDES) :]] == [style.GROUND_STYLE[g].colour for g in own]


def test_browser_output_keeps_plain_string_keys() -> None:
    """The payload sends these tables to the browser: enum keys must serialise as before."""
    status = {k: {"colour": c, "label": lbl} for k, (c, lbl) in style.STATUS_STYLE.items()}
    assert list(json.loads(json.dumps(status))) == [s.value for s in Status]
    assert json.loads(json.dumps(style.browser_style())) == style.browser_style()
    for spec in LAYERS:
        assert json.loads(json.dumps(style.legend_rows(spec))) == style.legend_rows(spec)
