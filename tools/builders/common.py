"""What every layer builder shares: inputs, the equal-area base geography, output helpers.

Builders work in the regional equal-area CRS of :mod:`geomap.core.geodesy` (metres)
and go back to lon/lat once, through :func:`to_lonlat`. Every polygon is
snapped to a 1e-5 degree grid (5 decimals), made valid and oriented by the
right-hand rule (RFC 7946).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import substring

from geomap.core.dates import in_interval, parse_date
from geomap.core.geodesy import from_equal_area, to_equal_area
from geomap.core.geojson import round_coords

ROOT = Path(__file__).resolve().parent.parent.parent
SRC = ROOT / "tools" / "layers_src"
BASEMAP = ROOT / "data" / "basemap"
LAYERS = ROOT / "layers"
KM = 1000.0
GRID = 1e-5


# ---------------------------------------------------------------- inputs


def read_toml(name: str) -> dict[str, Any]:
    """Read one curated source file."""
    with (SRC / name).open("rb") as fh:
        return tomllib.load(fh)


def read_basemap(name: str) -> list[dict[str, Any]]:
    """Read the features of one base-geography file."""
    return json.loads((BASEMAP / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


@dataclass(frozen=True)
class Base:
    """Base geography in the equal-area CRS (metres), keyed by id."""

    places: dict[str, Point]
    countries: dict[str, BaseGeometry]
    admin1: dict[str, BaseGeometry]
    rivers: dict[str, LineString]

    @property
    def land(self) -> BaseGeometry:
        """Syria and Iraq together."""
        return shapely.union_all([self.countries["SY"], self.countries["IQ"]])


def load_base() -> Base:
    """Read the base geography and project it to the equal-area CRS."""

    def by(name: str, key: str) -> dict[str, Any]:
        return {
            f["properties"][key]: to_equal_area(shape(f["geometry"])) for f in read_basemap(name)
        }

    rivers = {
        k: shapely.line_merge(v) if v.geom_type != "LineString" else v
        for k, v in by("rivers", "id").items()
    }
    return Base(
        places=by("places", "id"),
        countries=by("countries", "iso_a2"),
        admin1=by("admin1", "id"),
        rivers=rivers,
    )


def place_lonlat(place_id: str) -> list[float]:
    """The lon/lat of a place as written in places.geojson."""
    for f in read_basemap("places"):
        if f["properties"]["id"] == place_id:
            return list(f["geometry"]["coordinates"])
    raise KeyError(f"place {place_id!r} not in data/basemap/places.geojson")


def as_date(value: Any) -> dt.date | None:
    """Accept TOML dates and ISO strings."""
    if value is None or value == "":
        return None
    return parse_date(value)


# ---------------------------------------------------------------- output


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """Back to lon/lat, snapped to the 5-decimal grid, valid and right-hand oriented."""
    projected = from_equal_area(geom)
    try:
        geom = shapely.set_precision(projected, GRID)
    except shapely.errors.GEOSException:
        # A union of touching pieces can project to a ring that crosses itself by less
        # than the grid; repair it first, then snap.
        geom = shapely.set_precision(shapely.make_valid(projected).buffer(0), GRID)
    geom = shapely.make_valid(geom)
    polys = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        polys = [geom]
    if polys:
        merged = shapely.union_all(polys)
        parts = getattr(merged, "geoms", [merged])
        oriented = [orient(p, 1.0) for p in parts]
        return oriented[0] if len(oriented) == 1 else shapely.MultiPolygon(oriented)
    return geom


def feature(props: dict[str, Any], geom: BaseGeometry | dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature with rounded coordinates and no empty values."""
    gj = geom if isinstance(geom, dict) else mapping(geom)
    clean = {k: v for k, v in props.items() if v not in (None, [], "")}
    for key in ("valid_from", "valid_to"):
        if isinstance(clean.get(key), dt.date):
            clean[key] = clean[key].isoformat()
    for variant in clean.get("date_variants", []):
        variant["date"] = as_date(variant["date"]).isoformat()  # type: ignore[union-attr]
    gj = {"type": gj["type"], "coordinates": round_coords(gj["coordinates"], 5)}
    return {"type": "Feature", "properties": clean, "geometry": gj}


# ---------------------------------------------------------------- geometry helpers


def river_between(river: LineString, a: Point, b: Point) -> LineString:
    """The stretch of a river between the points nearest to ``a`` and ``b``."""
    da, db = sorted((river.project(a), river.project(b)))
    return substring(river, da, db)


#: Longest ``supports`` text the feature model allows.
SUPPORTS_MAX = 300


def merge_refs(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """One citation per source key, joining what each backs (shortened to fit the model)."""
    texts: dict[str, list[str]] = {}
    for ref in refs:
        backed = texts.setdefault(ref["key"], [])
        if ref["supports"] not in backed:
            backed.append(ref["supports"])
    out = []
    for key, backed in texts.items():
        text = "; ".join(backed)
        kept = len(backed)
        while len(text) > SUPPORTS_MAX and kept > 1:
            kept -= 1
            text = "; ".join(backed[:kept]) + f"; and {len(backed) - kept} more"
        out.append({"key": key, "supports": text[:SUPPORTS_MAX]})
    return out


_NAMES: dict[str, str] = {}


def base_name(place_id: str) -> str:
    """Display name of a place id."""
    if not _NAMES:
        _NAMES.update(
            {f["properties"]["id"]: f["properties"]["name"] for f in read_basemap("places")}
        )
    return _NAMES.get(place_id, place_id)


def line_lonlat(line: BaseGeometry) -> BaseGeometry:
    """An equal-area line back in lon/lat, on the 5-decimal grid, merged into one part."""
    geom = shapely.set_precision(from_equal_area(line), GRID)
    if isinstance(geom, MultiLineString):
        geom = shapely.line_merge(geom)
    return geom


def meta(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    """The feature properties a curated table gives, with ``kind`` and parsed dates."""
    keys = (
        "id",
        "name",
        "valid_from",
        "valid_to",
        "date_precision",
        "status",
        "controller",
        "ground",
        "confidence",
        "sources",
        "notes",
        "approximate",
    )
    props = {k: spec.get(k) for k in keys}
    props["kind"] = kind
    props["valid_from"] = as_date(props["valid_from"])
    props["valid_to"] = as_date(props["valid_to"])
    return props


@dataclass
class BuildContext:
    """What builders share within one build: the base geography and results of others.

    ``results`` holds what a builder computed for others (for example the Hajin
    pocket stages the territory ends with); builders that need another's result
    call :meth:`require`, which runs that builder first.
    """

    base: Base
    run: Callable[[str], list[dict[str, Any]]]
    results: dict[str, Any] = field(default_factory=dict)

    def require(self, layer: str, key: str) -> Any:
        """A result ``key`` published by the builder of ``layer`` (built on demand)."""
        if key not in self.results:
            self.run(layer)
        return self.results[key]

    @cached_property
    def cities(self) -> list[dict[str, Any]]:
        """The curated city records (``cities.toml``)."""
        return list(read_toml("cities.toml")["city"])


@dataclass(frozen=True)
class Period:
    """Who controlled a place over a half-open interval (a side of geomap.core.sides)."""

    start: dt.date
    end: dt.date | None
    controller: str
    contested_by: str | None = None

    def on(self, day: dt.date) -> bool:
        """Whether the interval holds ``day``."""
        return in_interval(day, self.start, self.end)


@dataclass(frozen=True)
class Place:
    """A place with its control history, in the equal-area CRS, for the land model."""

    id: str
    name: str
    kind: str
    point: Point
    population: int
    periods: tuple[Period, ...]
    #: The record's country (ISO code); its reach stays in it. Empty: the country
    #: the model's border puts its cell in.
    country: str = ""

    def period_on(self, day: dt.date) -> Period | None:
        """The control period holding ``day`` (``None`` outside the record)."""
        for period in self.periods:
            if period.on(day):
                return period
        return None
