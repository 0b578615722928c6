"""Independent dated evidence and how the shipped map agrees with it.

``tests/evidence/*.toml`` hold points of battles, sieges, ambushes and front
lines, each with a date, a coordinate, a source and who held the spot then
(``expect``: a side of geomap.core.sides, or ``not_is``). They were gathered apart
from the settlement records the map is built from and never enter the build.

Run ``python -m tests.evidence_support`` for the agreement table.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely import STRtree
from shapely.geometry import Point
from shapely.prepared import prep

from geomap.core.areas import area_key
from geomap.core.feature import Feature
from geomap.core.geodesy import distance_km
from geomap.core.model import PLACE_KINDS, Kind
from geomap.core.timeline import state_at
from geomap.data.io import load_layers

EVIDENCE = Path(__file__).resolve().parent / "evidence"
#: A point this close (km) to a curated place tests that record, not the model.
RECORD_KM = 2.0


@dataclass(frozen=True)
class Verdict:
    """How the map's state on a point's date compares with the point."""

    id: str
    date: dt.date
    expect: str
    found: str  # "is" (held), "is-desert", "other" or a side slug
    agrees: bool
    region: str
    at_record: bool  # within RECORD_KM of a curated place: not independent, not scored
    country: str = ""  # ISO code of the country the point lies in (IQ, SY, LB...)
    #: Its source is one a sourced pocket or front was drawn from: not independent.
    drawn_from: bool = False


def geometry_sources() -> set[str]:
    """Source keys the map's sourced pockets and fronts are drawn from
    (``tools/layers_src/desert_pockets.toml``): evidence from them cannot check them."""
    path = EVIDENCE.parent.parent / "tools" / "layers_src" / "desert_pockets.toml"
    with path.open("rb") as fh:
        records = tomllib.load(fh).get("pocket", [])
    keys = set()
    for record in records:
        for ref in record.get("sources", []):
            keys.add(ref["key"])
        for stage in record.get("stage", []):
            keys.update(ref["key"] for ref in stage.get("sources", []))
    return keys


def evidence_points() -> list[dict[str, Any]]:
    """Every evidence point, with the region file it came from."""
    out = []
    for path in sorted(EVIDENCE.glob("*.toml")):
        with path.open("rb") as fh:
            for point in tomllib.load(fh).get("evidence", []):
                out.append({**point, "region": path.stem})
    return out


def _countries() -> list[tuple[str, Any]]:
    import json

    from shapely.geometry import shape

    path = EVIDENCE.parent.parent / "data" / "basemap" / "countries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"]["iso_a2"], prep(shape(f["geometry"]))) for f in doc["features"]]


def country_of(point: Point, countries: list[tuple[str, Any]]) -> str:
    """ISO code of the country holding ``point`` ('' when none does)."""
    return next((iso for iso, geom in countries if geom.covers(point)), "")


def _found(features: list[Feature], day: dt.date, point: Point) -> str:
    now = state_at(features, day)
    for kind, label in ((Kind.territory, "is"), (Kind.desert, "is-desert")):
        for f in now:
            if f.props.kind is kind and prep(f.geometry).covers(point):
                return label
    for f in now:
        if f.props.kind is Kind.control and f.geometry.covers(point):
            return area_key(f)
    return "other"


def judge(features: list[Feature] | None = None) -> list[Verdict]:
    """A verdict for every evidence point.

    A point expecting IS agrees when it lies in IS-held ground or the IS desert
    zone; a point expecting ``not_is`` agrees when it lies in neither; a point
    expecting another side agrees when it lies outside IS ground and, where the
    control layer names a side there, that side is the one expected.
    """
    features = features if features is not None else load_layers()
    places = [f.geometry for f in features if f.props.kind in PLACE_KINDS]
    tree = STRtree(places)
    countries = _countries()
    drawn = geometry_sources()
    out = []
    for e in evidence_points():
        point = Point(e["lon"], e["lat"])
        near = tree.query(point.buffer(0.05))
        at_record = any(distance_km(point, places[i]) < RECORD_KM for i in near)
        found = _found(features, e["date"], point)
        expect = e["expect"]
        if expect == "is":
            agrees = found in ("is", "is-desert")
        elif expect == "not_is":
            agrees = found not in ("is", "is-desert")
        else:
            agrees = found not in ("is", "is-desert") and found in ("other", "open", expect)
        out.append(
            Verdict(
                e["id"],
                e["date"],
                expect,
                found,
                agrees,
                e["region"],
                at_record,
                country_of(point, countries),
                e["source"] in drawn,
            )
        )
    return out


def scored(verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts that count: points away from every curated place, on ground the map
    does not itself mark as contested, and not from a source a pocket or front is drawn
    from."""
    return [v for v in verdicts if not v.at_record and v.found != "contested" and not v.drawn_from]


def summary(verdicts: list[Verdict]) -> str:
    """Agreement by expected side and by region, as text (points at records left out)."""
    near = sum(v.at_record for v in verdicts)
    contested = sum(v.found == "contested" and not v.at_record for v in verdicts)
    drawn = sum(v.drawn_from and not v.at_record and v.found != "contested" for v in verdicts)
    verdicts = scored(verdicts)
    lines = [
        f"not scored: {near} points within {RECORD_KM:g} km of a curated place, "
        f"{contested} on ground the map marks as contested, {drawn} from a source a "
        "sourced pocket or front is drawn from"
    ]
    total = sum(v.agrees for v in verdicts)
    lines.append(f"{total}/{len(verdicts)} points agree ({100 * total / len(verdicts):.0f}%)")
    by_expect = Counter(("is" if v.expect == "is" else "other side", v.agrees) for v in verdicts)
    for group in ("is", "other side"):
        n = by_expect[(group, True)] + by_expect[(group, False)]
        if n:
            lines.append(f"  expected {group}: {by_expect[(group, True)]}/{n}")
    for name, key in (
        ("country", lambda v: v.country or "?"),
        ("year", lambda v: str(v.date.year)),
        ("region file", lambda v: v.region),
    ):
        lines.append(f" by {name}:")
        for group in sorted({key(v) for v in verdicts}):
            vs = [v for v in verdicts if key(v) == group]
            agree = sum(v.agrees for v in vs)
            lines.append(f"  {group}: {agree}/{len(vs)} ({100 * agree / len(vs):.0f}%)")
    for v in verdicts:
        if not v.agrees:
            lines.append(f"  miss {v.id} ({v.date}): expected {v.expect}, map shows {v.found}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(judge()))
