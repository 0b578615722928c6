"""The campaign records (tools/layers_src/campaigns/) and the villages dated from them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from geomap.core.sides import side_slugs
from tests.conftest import ROOT

SRC = ROOT / "tools" / "layers_src"
CAMPAIGNS = sorted((SRC / "campaigns").glob("*.toml"))
VILLAGES = sorted((SRC / "villages").glob("*.toml"))
PLACE_LISTS = ("taken", "held_by_is", "held_by_other")


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def bibliography() -> set[str]:
    return set(json.loads((ROOT / "data" / "sources.json").read_text(encoding="utf-8")))


def test_there_is_a_record_for_each_major_campaign() -> None:
    countries = [_load(p)["campaign"]["country"] for p in CAMPAIGNS]
    assert len(CAMPAIGNS) >= 30
    assert countries.count("IQ") >= 8 and countries.count("SY") >= 20


@pytest.mark.parametrize("path", CAMPAIGNS, ids=lambda p: p.stem)
def test_campaign_record_is_well_formed(path: Path, bibliography: set[str]) -> None:
    doc = _load(path)
    head = doc["campaign"]
    sides = set(side_slugs())
    assert head["id"] == path.stem
    assert set(head["attackers"]) <= sides and set(head["defenders"]) <= sides
    assert head["valid_from"] <= head["valid_to"]
    cited = {s["key"] for s in head["sources"]}
    stages = doc["stage"]
    assert stages, "a campaign needs dated stages"
    days = [s["date"] for s in stages]
    assert days == sorted(days), "stages are in date order"
    for stage in stages:
        assert stage["controller"] in sides
        assert stage["confidence"] in ("high", "medium", "low")
        assert stage["sources"] and stage["ground"]
        cited |= {s["key"] for s in stage["sources"]}
        for name in PLACE_LISTS:
            for place in stage.get(name, []):
                # A located place names where its coordinate comes from; an unlocated
                # one says in its note why it has none.
                assert "geonameid" in place or place.get("coord_note"), place["name"]
                if "lon" in place:
                    assert 35 <= place["lon"] <= 49 and 29 <= place["lat"] <= 38, place["name"]
    for figure in doc.get("figure", []):
        cited.add(figure["source"])
    assert cited <= bibliography, sorted(cited - bibliography)


def test_villages_dated_from_a_campaign_name_one() -> None:
    """Every period taken from a campaign record names a record that exists."""
    names = {p.stem for p in CAMPAIGNS}
    checked = 0
    for path in VILLAGES:
        for place in _load(path)["place"]:
            for period in place["period"]:
                campaign = period.get("from_campaign")
                if campaign:
                    assert campaign in names, f"{place['id']}: no campaign record {campaign!r}"
                    checked += 1
    assert checked > 0
