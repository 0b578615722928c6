"""Compile the curated records in ``tools/layers_src/`` into ``layers/*.geojson``.

Run by hand after editing a ``.toml`` file or the base geography::

    python tools/build_layers.py

Method (also in the README)
---------------------------
* **Cities** (``cities.toml``): one record per period of control; the point
  comes from ``data/basemap/places.geojson``. Hajin's record goes to the
  ``hajin`` layer, the rest to ``captured_cities``.
* **Territory** (``territory.toml``): a new snapshot starts on every date a
  place changes hands, so a city held on a date always lies inside that date's
  territory and a city not held lies outside it. Each snapshot, in the regional
  equal-area CRS, is the union of discs around held places and corridors along
  the rivers and roads between them, all buffered by one half-width ``w``,
  clipped to the land of Syria and Iraq, less a disc around every place not held
  by the Islamic State. ``w`` is fitted by bisection so the geodesic area meets
  the published figure at each calibration date; between calibration dates it is
  interpolated linearly in time. From the fall of Abu Kamal the territory is the
  east-bank pocket on the Euphrates, and from 10 September 2018 it is the Hajin
  pocket itself.
* **Hajin pocket** (``hajin.toml``): each stage is a band on the east (left)
  bank of the Euphrates between two river points, its width fitted to a target
  area, intersected with the stage before it so the stages nest.
* **Euphrates bend** and **Idlib front**: see their ``.toml`` files.

Every polygon is snapped to a 1e-5 degree grid (5 decimals), made valid and
oriented by the right-hand rule (RFC 7946).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import substring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.dates import in_interval, parse_date  # noqa: E402
from geomap.geodesy import area_km2, from_equal_area, to_equal_area  # noqa: E402
from geomap.geojson import round_coords  # noqa: E402

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
    geom = shapely.set_precision(from_equal_area(geom), GRID)
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


def write_layer(name: str, features: list[dict[str, Any]], out: Path = LAYERS) -> None:
    """Write one layer file."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.geojson"
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}: {len(features)} features")


# ---------------------------------------------------------------- cities


def city_records(cities: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Expand every city's periods into records, by layer."""
    out: dict[str, list[dict[str, Any]]] = {"captured_cities": [], "hajin": []}
    for city in cities:
        layer = "hajin" if city["id"] == "hajin" else "captured_cities"
        point = {"type": "Point", "coordinates": place_lonlat(city.get("place", city["id"]))}
        for period in city["period"]:
            props = {
                "id": city["id"],
                "name": city["name"],
                "layer": layer,
                "kind": "town" if layer == "hajin" else "city",
                "valid_from": as_date(period["valid_from"]),
                "valid_to": as_date(period.get("valid_to")),
                "date_precision": period.get("date_precision", "day"),
                "status": period["status"],
                "controller": period.get("controller"),
                "country": city["country"],
                "confidence": period["confidence"],
                "sources": period["sources"],
                "date_variants": period.get("date_variants", []),
                "notes": period.get("notes", ""),
            }
            out[layer].append(feature(props, point))
    return out


@dataclass(frozen=True)
class Holding:
    """A place and a status over a half-open interval."""

    place: str
    status: str
    start: dt.date
    end: dt.date | None

    def on(self, day: dt.date) -> bool:
        """Whether the interval holds ``day``."""
        return in_interval(day, self.start, self.end)


def city_holdings(cities: list[dict[str, Any]]) -> list[Holding]:
    """Status intervals of the cities layer (Hajin included)."""
    return [
        Holding(
            city.get("place", city["id"]),
            period["status"],
            as_date(period["valid_from"]),  # type: ignore[arg-type]
            as_date(period.get("valid_to")),
        )
        for city in cities
        for period in city["period"]
    ]


# ---------------------------------------------------------------- geometry helpers


def bisect(fn: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """Find x in [lo, hi] with fn(x) close to target, fn increasing."""
    for _ in range(40):
        mid = (lo + hi) / 2
        if fn(mid) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 10:  # metres
            break
    return (lo + hi) / 2


def km2(geom_ea: BaseGeometry) -> float:
    """Geodesic area in km² of an equal-area geometry (via lon/lat)."""
    return area_km2(from_equal_area(geom_ea))


def river_between(river: LineString, a: Point, b: Point) -> LineString:
    """The stretch of a river between the points nearest to ``a`` and ``b``."""
    da, db = sorted((river.project(a), river.project(b)))
    return substring(river, da, db)


def east_bank_band(river: LineString, start: Point, end: Point, width: float) -> BaseGeometry:
    """A band of ``width`` metres on the left bank of the river between two points.

    The WDBII line runs downstream, so its left side on this stretch (flowing
    south-east) is the north-east, or Jazira, bank.
    """
    stretch = river_between(river, start, end)
    return stretch.buffer(width, single_sided=True)


def river_point(base: Base, place: str, offset_km: float = 0.0) -> Point:
    """The river point nearest a place, moved ``offset_km`` downstream (negative: upstream)."""
    river = base.rivers["euphrates"]
    return river.interpolate(river.project(base.places[place]) + offset_km * KM)


def stage_band(base: Base, stage: dict[str, Any], width: float) -> BaseGeometry:
    """The east-bank band a pocket stage describes, clipped to Syria."""
    up = river_point(base, stage["upstream"], stage.get("upstream_offset_km", 0.0))
    down = river_point(base, stage["downstream"], stage.get("downstream_offset_km", 0.0))
    band = east_bank_band(base.rivers["euphrates"], up, down, width)
    return band.intersection(base.countries["SY"])


# ---------------------------------------------------------------- territory


@dataclass
class TerritoryModel:
    """Everything the corridor model needs, prepared once."""

    base: Base
    holdings: list[Holding]
    links: list[tuple[str, str]]
    spec: dict[str, Any]

    def held_places(self, day: dt.date) -> list[str]:
        """Places held by the Islamic State on ``day``."""
        return sorted({h.place for h in self.holdings if h.status == "held" and h.on(day)})

    def not_held_places(self, day: dt.date) -> list[str]:
        """Places another party holds on ``day`` (never contested ones)."""
        names = {
            h.place
            for h in self.holdings
            if h.status in ("not_held", "retaken", "never_held") and h.on(day)
        }
        return sorted(names | set(self.spec["always_excluded"]))

    def skeleton(self, day: dt.date) -> BaseGeometry:
        """Held points plus the river and road corridors joining them."""
        held = self.held_places(day)
        blocked = self.not_held_places(day)
        pts = {p: self.base.places[p] for p in held}
        parts: list[BaseGeometry] = list(pts.values())
        snap = self.spec["river_snap_km"] * KM
        max_gap = self.spec["river_max_gap_km"] * KM
        for river in self.base.rivers.values():
            along = sorted(
                (river.project(p), name) for name, p in pts.items() if river.distance(p) <= snap
            )
            stops = sorted(
                river.project(self.base.places[b])
                for b in blocked
                if river.distance(self.base.places[b]) <= snap
            )
            for (da, _), (db, _) in itertools.pairwise(along):
                if db - da <= max_gap and not any(da < s < db for s in stops):
                    parts.append(substring(river, da, db))
        for a, b in self.links:
            if a in pts and b in pts:
                parts.append(LineString([pts[a], pts[b]]))
        return shapely.union_all(parts)

    def shape(self, day: dt.date, half_width: float) -> BaseGeometry:
        """The territory on ``day`` for a given corridor half-width (metres)."""
        held = [self.base.places[p] for p in self.held_places(day)]
        if not held:
            return shapely.Polygon()
        area = self.skeleton(day).buffer(half_width, quad_segs=8).intersection(self.base.land)
        cuts = []
        for name in self.not_held_places(day):
            p = self.base.places[name]
            nearest = min(p.distance(h) for h in held)
            radius = min(self.spec["exclusion_km"] * KM, 0.5 * nearest)
            cuts.append(p.buffer(radius))
        if cuts:
            area = area.difference(shapely.union_all(cuts))
        return area


def snapshot_dates(
    model: TerritoryModel, start: dt.date, end: dt.date, extra: Iterable[dt.date]
) -> list[dt.date]:
    """Every date in [start, end) on which a place changes status, plus ``extra``."""
    days = {start, *extra}
    for h in model.holdings:
        days.add(h.start)
        if h.end:
            days.add(h.end)
    return sorted(d for d in days if start <= d < end)


def interpolate(day: dt.date, knots: list[tuple[dt.date, float]]) -> float:
    """Piecewise-linear interpolation in time, flat beyond the ends."""
    if day <= knots[0][0]:
        return knots[0][1]
    for (d0, v0), (d1, v1) in itertools.pairwise(knots):
        if d0 <= day <= d1:
            t = (day - d0).days / (d1 - d0).days
            return v0 + t * (v1 - v0)
    return knots[-1][1]


def build_territory(
    base: Base,
    cities: list[dict[str, Any]],
    pocket_stages: list[tuple[dt.date, dt.date, BaseGeometry]],
) -> list[dict[str, Any]]:
    """All territory snapshots, as features."""
    spec = read_toml("territory.toml")
    holdings = city_holdings(cities) + [
        Holding(a["place"], "held", as_date(a["held_from"]), as_date(a.get("held_to")))  # type: ignore[arg-type]
        for a in spec["anchor"]
    ]
    model = TerritoryModel(base, holdings, [tuple(x) for x in spec["links"]], spec)  # type: ignore[misc]
    calibration = sorted((as_date(c["date"]), c) for c in spec["calibration"])  # type: ignore[type-var]
    widths: list[tuple[dt.date, float]] = []
    for day, cal in calibration:
        w = bisect(lambda x, d=day: km2(model.shape(d, x)), cal["km2"], 1 * KM, 200 * KM)
        widths.append((day, w))  # type: ignore[arg-type]
        print(f"  calibrated {day}: half-width {w / KM:.1f} km for {cal['km2']:,} km²")
    corridor_end = as_date(spec["corridor_end"])
    assert corridor_end is not None
    days = snapshot_dates(model, as_date(spec["start"]), corridor_end, [d for d, _ in calibration])  # type: ignore[arg-type]
    cal_by_day = {d: c for d, c in calibration}
    shapes: list[tuple[dt.date, BaseGeometry, dict[str, Any] | None]] = []
    for day in days:
        geom = model.shape(day, interpolate(day, widths))
        if not geom.is_empty:
            shapes.append((day, geom, cal_by_day.get(day)))
    for stage in spec["late_pocket"]:
        start = as_date(stage["valid_from"])
        geom = stage_band(base, stage, stage["width_km"] * KM)
        shapes.append((start, geom, None))  # type: ignore[arg-type]
    for start, _end, geom in pocket_stages:
        shapes.append((start, geom, None))
    shapes.sort(key=lambda s: s[0])
    end = as_date(spec["end"])
    names = {city.get("place", city["id"]): city["name"] for city in cities}
    features = []
    for i, (day, geom, cal) in enumerate(shapes):
        until = shapes[i + 1][0] if i + 1 < len(shapes) else end
        lonlat = to_lonlat(geom)
        held = ", ".join(sorted(names.get(p, base_name(p)) for p in model.held_places(day)))
        held = held or "the Hajin pocket"
        sources = merge_refs(
            [*spec["sources"], *changes_on(cities, day), *anchor_changes_on(spec, day)]
        )
        if cal:
            sources.append(
                {"key": cal["source"], "supports": f"about {cal['km2']:,} km² held on {day}"}
            )
            confidence, note = (
                "medium",
                f"Calibrated to the published figure of about {cal['km2']:,} km². ",
            )
        else:
            confidence, note = (
                "low",
                "Area follows from the corridor model between calibration dates. ",
            )
        features.append(
            feature(
                {
                    "id": "isis-territory",
                    "name": f"IS-held territory from {day.isoformat()}",
                    "layer": "territory",
                    "kind": "territory",
                    "valid_from": day,
                    "valid_to": until,
                    "date_precision": "day",
                    "status": "held",
                    "controller": "Islamic State",
                    "approximate": True,
                    "confidence": confidence,
                    "sources": sources,
                    "notes": (
                        f"Approximate extent ({area_km2(lonlat):,.0f} km²). {note}"
                        f"Held places on this date: {held}."
                    )[:2000],
                },
                lonlat,
            )
        )
    return features


def changes_on(cities: list[dict[str, Any]], day: dt.date) -> list[dict[str, str]]:
    """The first source of every city period that starts on ``day``, as a citation."""
    out: dict[str, dict[str, str]] = {}
    for city in cities:
        for period in city["period"]:
            if as_date(period["valid_from"]) == day and period["sources"]:
                key = period["sources"][0]["key"]
                text = f"{city['name']}: {period['status'].replace('_', ' ')} from {day}"
                if key in out:
                    out[key]["supports"] += f"; {text}"
                else:
                    out[key] = {"key": key, "supports": text}
    return list(out.values())


def merge_refs(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """One citation per source key, joining what each backs."""
    out: dict[str, dict[str, str]] = {}
    for ref in refs:
        if ref["key"] in out:
            out[ref["key"]]["supports"] += f"; {ref['supports']}"
        else:
            out[ref["key"]] = {"key": ref["key"], "supports": ref["supports"]}
    return list(out.values())


def anchor_changes_on(spec: dict[str, Any], day: dt.date) -> list[dict[str, str]]:
    """The sources of every anchor town taken or lost on ``day``."""
    out = []
    for anchor in spec["anchor"]:
        start, end = as_date(anchor["held_from"]), as_date(anchor.get("held_to"))
        if day in (start, end):
            span = f"{base_name(anchor['place'])} held by IS from {start} to {end or 'the end'}"
            out += [{"key": ref["key"], "supports": span} for ref in anchor.get("sources", [])]
    return out


_NAMES: dict[str, str] = {}


def base_name(place_id: str) -> str:
    """Display name of a place id."""
    if not _NAMES:
        _NAMES.update(
            {f["properties"]["id"]: f["properties"]["name"] for f in read_basemap("places")}
        )
    return _NAMES.get(place_id, place_id)


# ---------------------------------------------------------------- hajin pocket


def build_pocket(
    base: Base,
) -> tuple[list[dict[str, Any]], list[tuple[dt.date, dt.date, BaseGeometry]]]:
    """The shrinking Hajin pocket, each stage nested in the one before."""
    spec = read_toml("hajin.toml")
    previous: BaseGeometry | None = None
    features, stages = [], []
    for stage in spec["stage"]:
        start, end = as_date(stage["valid_from"]), as_date(stage["valid_to"])

        def build(
            width: float, stage: dict[str, Any] = stage, prev: BaseGeometry | None = previous
        ) -> BaseGeometry:
            band = stage_band(base, stage, width)
            return band if prev is None else band.intersection(prev)

        width = bisect(lambda w: km2(build(w)), stage["target_km2"], 0.2 * KM, 25 * KM)
        geom = build(width)
        print(f"  pocket {start}: width {width / KM:.2f} km, {km2(geom):,.0f} km²")
        stages.append((start, end, geom))  # type: ignore[arg-type]
        previous = geom
        lonlat = to_lonlat(geom)
        features.append(
            feature(
                {
                    "id": "hajin-pocket",
                    "name": stage["name"],
                    "layer": "hajin",
                    "kind": "pocket",
                    "valid_from": start,
                    "valid_to": end,
                    "date_precision": stage.get("date_precision", "day"),
                    "status": "held",
                    "controller": "Islamic State",
                    "approximate": True,
                    "confidence": stage["confidence"],
                    "sources": stage["sources"],
                    "notes": f"{stage['notes']} Drawn area about {area_km2(lonlat):,.0f} km².",
                },
                lonlat,
            )
        )
    return features, stages


# ---------------------------------------------------------------- euphrates bend


def build_bend(base: Base) -> list[dict[str, Any]]:
    """The Abu Kamal to Mayadin stretch of the Euphrates and the Hajin bend."""
    spec = read_toml("euphrates_bend.toml")
    river = base.rivers["euphrates"]
    out = []
    seg = spec["segment"]
    line = river_between(river, base.places[seg["from"]], base.places[seg["to"]])
    out.append(feature({**_meta(seg, "river"), "layer": "euphrates_bend"}, _line_lonlat(line)))
    bend = spec["bend"]
    hajin = base.places[bend["around"]]
    centre = river.project(hajin)
    half = bend["half_length_km"] * KM
    stretch = substring(river, centre - half, centre + half)
    area = stretch.buffer(bend["width_km"] * KM).intersection(base.countries["SY"])
    out.append(feature({**_meta(bend, "bend"), "layer": "euphrates_bend"}, to_lonlat(area)))
    return out


def _line_lonlat(line: BaseGeometry) -> BaseGeometry:
    geom = shapely.set_precision(from_equal_area(line), GRID)
    if isinstance(geom, MultiLineString):
        geom = shapely.line_merge(geom)
    return geom


def _meta(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    keys = (
        "id",
        "name",
        "valid_from",
        "valid_to",
        "date_precision",
        "status",
        "controller",
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


# ---------------------------------------------------------------- idlib


def build_idlib(base: Base) -> list[dict[str, Any]]:
    """Rebel-held Idlib in September 2018 and the Sochi demilitarised zone."""
    spec = read_toml("idlib_front.toml")
    front = spec["front"]
    outline = to_equal_area(shapely.Polygon(front["outline"]))
    govs = shapely.union_all([base.admin1[c] for c in front["governorates"]])
    rebel = outline.intersection(govs).intersection(base.countries["SY"])
    out = [feature({**_meta(front, "front"), "layer": "idlib_front"}, to_lonlat(rebel))]
    zone = spec["zone"]
    # The contact line is the rebel area's edge away from the Turkish border.
    border = base.countries["TR"].buffer(zone["border_clearance_km"] * KM)
    contact = rebel.boundary.difference(border)
    band = contact.buffer(zone["depth_km"] * KM).intersection(rebel)
    out.append(feature({**_meta(zone, "zone"), "layer": "idlib_front"}, to_lonlat(band)))
    return out


# ---------------------------------------------------------------- main


def main(out: Path = LAYERS) -> None:
    """Build all five layers into ``out`` (default ``layers/``)."""
    base = load_base()
    cities = read_toml("cities.toml")["city"]
    by_layer = city_records(cities)
    pocket, stages = build_pocket(base)
    write_layer("hajin", by_layer["hajin"] + pocket, out)
    write_layer("captured_cities", by_layer["captured_cities"], out)
    write_layer("euphrates_bend", build_bend(base), out)
    write_layer("idlib_front", build_idlib(base), out)
    write_layer("territory", build_territory(base, cities, stages), out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else LAYERS)
