"""The basemap files in data/ match data/datapackage.json and hold what the app relies on.

Needs only the standard library, shapely and pyproj (not the geomap package).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

DATA = Path(__file__).resolve().parent.parent / "data"
MANIFEST = DATA / "datapackage.json"
GEOD = Geod(ellps="WGS84")

# Required places the build finds (Baghuz is hand-entered). Not in GeoNames cities500, so not
# checked: rabia (IQ), husaybah (IQ, folded into Al-Qaim), dabiq, shuhayl, gharanij, al-shafa,
# abu-hamam (SY).
IQ_PLACES = (
    "mosul",
    "tal-afar",
    "sinjar",
    "falluja",
    "ramadi",
    "tikrit",
    "baghdad",
    "al-qaim",
    "baiji",
    "samarra",
    "kirkuk",
    "erbil",
    "haditha",
    "hit",
    "rawa",
    "anah",
    "rutba",
    "sharqat",
    "qayyarah",
    "hawija",
    "baaj",
)
SY_PLACES = (
    "raqqa",
    "palmyra",
    "kobani",
    "manbij",
    "deir-ez-zor",
    "mayadin",
    "abu-kamal",
    "hajin",
    "al-bab",
    "jarabulus",
    "tabqa",
    "sukhnah",
    "shaddadi",
    "hasakah",
    "qamishli",
    "aleppo",
    "idlib",
    "hama",
    "homs",
    "latakia",
    "damascus",
    "markadah",
    "busayrah",
    "dhiban",
    "susah",
    "qaryatayn",
    "tell-abyad",
    "ain-issa",
    "maarat-al-numan",
    "jisr-al-shughur",
    "khan-shaykhun",
    "saraqib",
    "baghuz",
)
REQUIRED_PLACES = {**dict.fromkeys(IQ_PLACES, "IQ"), **dict.fromkeys(SY_PLACES, "SY")}


@cache
def manifest() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return doc


@cache
def layer(path: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((DATA / path).read_text(encoding="utf-8"))
    return doc


@cache
def layer_exact(path: str) -> dict[str, Any]:
    """The layer with every number parsed as a Decimal, to count written decimals."""
    doc: dict[str, Any] = json.loads((DATA / path).read_text(encoding="utf-8"), parse_float=Decimal)
    return doc


def resources() -> list[dict[str, Any]]:
    return list(manifest()["resources"])


def vector_resources() -> list[dict[str, Any]]:
    return [r for r in resources() if r["format"] == "geojson"]


def resource_path(name: str) -> str:
    return str(next(r["path"] for r in resources() if r["name"] == name))


def features_by_id(name: str) -> dict[str, dict[str, Any]]:
    return {f["properties"]["id"]: f for f in layer(resource_path(name))["features"]}


def numbers(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value]


def rings(geom: Any) -> list[tuple[Any, bool]]:
    """(ring, is_exterior) for every ring of a Polygon or MultiPolygon."""
    polygons = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for polygon in polygons:
        out.append((polygon.exterior, True))
        out.extend((hole, False) for hole in polygon.interiors)
    return out


def geodesic_km(line: Any, lon: float, lat: float) -> float:
    near = nearest_points(line, Point(lon, lat))[0]
    return float(GEOD.inv(lon, lat, near.x, near.y)[2]) / 1000.0


def test_manifest_lists_the_basemap_layers() -> None:
    assert manifest()["name"] == "geomap-basemap"
    names = [r["name"] for r in resources()]
    assert sorted(names) == ["admin1", "countries", "gazetteer", "landcover", "places", "rivers"]
    assert len({r["path"] for r in resources()}) == len(names)


@pytest.mark.parametrize("res", resources(), ids=lambda r: r["name"])
def test_file_matches_hash_and_records_its_provenance(res: dict[str, Any]) -> None:
    path = DATA / res["path"]
    assert path.is_file(), path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == res["sha256"]
    assert path.stat().st_size == res["bytes"]
    assert res["format"] in ("geojson", "geotiff", "json")
    for key in ("licence", "attribution", "version"):
        assert isinstance(res[key], str) and res[key].strip(), key
    assert res["source"]["package"] and res["source"]["files"]


def test_landcover_is_the_region_at_0_05_degrees() -> None:
    res = next(r for r in resources() if r["name"] == "landcover")
    assert res["resolution_deg"] == 0.05
    west, south, east, north = res["bounds"]
    assert west <= 35.7 and east >= 48.6 and south <= 29.1 and north >= 37.4
    height, width = res["shape"]
    assert (width, height) == (round((east - west) / 0.05), round((north - south) / 0.05))
    assert {0, 12, 16} <= {int(c) for c in res["classes"]}  # water, cropland, barren


@pytest.mark.parametrize("res", vector_resources(), ids=lambda r: r["name"])
class TestVectorResource:
    def test_counts_and_geometry_types(self, res: dict[str, Any]) -> None:
        doc = layer(res["path"])
        assert doc["type"] == "FeatureCollection"
        assert "crs" not in doc
        assert len(doc["features"]) == res["feature_count"] > 0
        kinds = sorted({f["geometry"]["type"] for f in doc["features"]})
        expected = res["geometry_type"]
        assert kinds == (sorted(expected) if isinstance(expected, list) else [expected])

    def test_geometries_valid_and_ids_unique(self, res: dict[str, Any]) -> None:
        features = layer(res["path"])["features"]
        for f in features:
            geom = shape(f["geometry"])
            assert not geom.is_empty and geom.is_valid, f["properties"]["id"]
            for ring, exterior in rings(geom) if "Polygon" in geom.geom_type else []:
                assert ring.is_ccw == exterior, f["properties"]["id"]
        ids = [f["properties"]["id"] for f in features]
        assert len(set(ids)) == len(ids)

    def test_coordinates_lon_lat_with_at_most_5_decimals(self, res: dict[str, Any]) -> None:
        for f in layer_exact(res["path"])["features"]:
            values = numbers(f["geometry"]["coordinates"])
            decimals_ok = (isinstance(v, int) or v.as_tuple().exponent >= -5 for v in values)
            assert all(decimals_ok), f["properties"]["id"]
            lons, lats = values[0::2], values[1::2]
            assert all(-180 <= x <= 180 for x in lons) and all(-90 <= y <= 90 for y in lats)


def test_rivers_are_the_euphrates_and_the_tigris() -> None:
    rivers = features_by_id("rivers")
    assert sorted(rivers) == ["euphrates", "tigris"]
    lengths = {k: GEOD.geometry_length(shape(f["geometry"])) / 1000 for k, f in rivers.items()}
    assert 1000 <= lengths["euphrates"] <= 1200
    assert 500 <= lengths["tigris"] <= 700


def test_hajin_is_the_syrian_town_on_the_euphrates() -> None:
    hajin = features_by_id("places")["hajin"]
    assert hajin["properties"]["country"] == "SY"
    lon, lat = hajin["geometry"]["coordinates"]
    assert abs(lon - 40.83) < 0.05 and abs(lat - 34.69) < 0.05
    syria = shape(features_by_id("countries")["syria"]["geometry"])
    assert syria.contains(Point(lon, lat))
    euphrates = shape(features_by_id("rivers")["euphrates"]["geometry"])
    assert geodesic_km(euphrates, lon, lat) <= 3.0


def test_required_places_present_in_the_right_country() -> None:
    places = features_by_id("places")
    missing = sorted(set(REQUIRED_PLACES) - set(places))
    assert not missing
    wrong = {k: places[k]["properties"]["country"] for k, c in REQUIRED_PLACES.items()}
    assert wrong == REQUIRED_PLACES
    assert all(places[k]["properties"]["required"] is True for k in REQUIRED_PLACES)
    assert all(f["properties"]["country"] in {"SY", "IQ"} for f in places.values())


def test_places_lie_in_their_country() -> None:
    countries = {
        f["properties"]["iso_a2"]: shape(f["geometry"]).buffer(0.05)
        for f in features_by_id("countries").values()
    }
    for place_id, f in features_by_id("places").items():
        point = shape(f["geometry"])
        assert countries[f["properties"]["country"]].contains(point), place_id


def test_admin1_covers_the_governorates() -> None:
    admin1 = features_by_id("admin1")
    assert sum(f["properties"]["country"] == "SY" for f in admin1.values()) == 14
    assert sum(f["properties"]["country"] == "IQ" for f in admin1.values()) == 18
    for code in ("SY.ID", "SY.DY", "SY.RA", "IQ.NI", "IQ.AN"):
        assert code in admin1
    assert shape(admin1["SY.ID"]["geometry"]).contains(Point(36.63, 35.93))  # Idlib city
    assert shape(admin1["IQ.NI"]["geometry"]).contains(Point(43.12, 36.34))  # Mosul


def test_countries() -> None:
    countries = features_by_id("countries")
    iso = {k: f["properties"]["iso_a2"] for k, f in countries.items()}
    assert iso == {
        "syria": "SY",
        "iraq": "IQ",
        "turkey": "TR",
        "jordan": "JO",
        "lebanon": "LB",
        "saudi-arabia": "SA",
        "iran": "IR",
    }
    assert shape(countries["syria"]["geometry"]).contains(Point(38.99, 35.95))  # Raqqa
    assert shape(countries["iraq"]["geometry"]).contains(Point(43.12, 36.34))  # Mosul
