"""The layer registry is the one list of layers, and Python owns the whole style."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from geomap.core.feature import Feature
from geomap.core.layers import LAYERS, layer_files, layer_names
from geomap.core.model import FeatureProperties
from geomap.core.style import browser_style, leaflet_style
from geomap.data.paths import STATIC_DIR
from geomap.web.payload import build_payload
from tests.conftest import ROOT

GOOD = {
    "id": "a",
    "name": "A",
    "kind": "territory",
    "ground": "held",
    "valid_from": "2015-01-01",
    "confidence": "low",
    "sources": [{"key": "k", "supports": "abc"}],
}


@pytest.mark.parametrize("name", layer_names())
def test_model_layer_accepts_every_registered_layer(name: str) -> None:
    assert FeatureProperties.model_validate({**GOOD, "layer": name}).layer == name


@pytest.mark.parametrize("name", ["cities", "Territory", "territory2", ""])
def test_model_layer_rejects_a_name_outside_the_registry(name: str) -> None:
    with pytest.raises(ValidationError):
        FeatureProperties.model_validate({**GOOD, "layer": name})


def test_every_registered_layer_ships_and_nothing_else_does() -> None:
    shipped = {p.name for p in (ROOT / "layers").glob("*.geojson")}
    assert shipped == set(layer_files().values())
    assert len({spec.z for spec in LAYERS}) == len(LAYERS), "two layers share a pane"


def test_payload_layers_follow_the_registry(shipped: list[Feature]) -> None:
    payload = build_payload(shipped[:50], {})
    assert [entry["id"] for entry in payload["layers"]] == list(layer_names())
    assert [entry["z"] for entry in payload["layers"]] == [spec.z for spec in LAYERS]
    assert [entry["on"] for entry in payload["layers"]] == [spec.default_on for spec in LAYERS]
    by_key = {f.key: f for f in shipped[:50]}
    for record in payload["records"]:
        assert payload["styles"][record["si"]] == leaflet_style(by_key[record["k"]].props)


def test_browser_script_and_sheet_hold_no_map_style_of_their_own() -> None:
    scripts = sorted((STATIC_DIR / "js").glob("*.js"))
    assert len(scripts) > 5
    script = "\n".join(p.read_text(encoding="utf-8") for p in scripts)
    assert not re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", script)
    assert not re.findall(r"(weight|fillOpacity|radius|opacity)\s*:\s*[\d.]+", script)
    assert not re.findall(r'dashArray\s*:\s*"', script)
    for name in layer_names():
        assert name not in script, f"the script names the layer {name!r}"
    sheet = (STATIC_DIR / "geomap.css").read_text(encoding="utf-8")
    for prop in browser_style()["css"]:
        assert f"var({prop}" in sheet, f"{prop} is set from the payload but never read"
