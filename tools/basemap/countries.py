"""``countries.geojson``: Syria, Iraq and their neighbours from Natural Earth (world-atlas)."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import box, shape

from tools.basemap.geometry import clean_polygonal, feature, to_geojson_geometry
from tools.basemap.outputs import Output
from tools.basemap.sources import Inputs
from tools.basemap.topojson import load_features

# ISO 3166-1 numeric id (the TopoJSON feature id) -> (slug, English name, ISO alpha-2).
COUNTRIES = {
    "760": ("syria", "Syria", "SY"),
    "368": ("iraq", "Iraq", "IQ"),
    "792": ("turkey", "Turkey", "TR"),
    "400": ("jordan", "Jordan", "JO"),
    "422": ("lebanon", "Lebanon", "LB"),
    "682": ("saudi-arabia", "Saudi Arabia", "SA"),
    "364": ("iran", "Iran", "IR"),
}
KEEP_WHOLE = {"SY", "IQ"}
# Neighbours are clipped to this (lon_min, lat_min, lon_max, lat_max) box to keep the file small.
REGION_BBOX = (30.0, 26.0, 52.0, 42.0)
#: Natural Earth's licence, shared by the countries and the governorates.
NATURAL_EARTH = "Natural Earth 1:10m is public domain; the npm packaging is"


def build_countries(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """Select, repair and clip the countries of the region.

    Parameters
    ----------
    topology : dict
        world-atlas ``countries-10m.json``.

    Returns
    -------
    list of dict
        GeoJSON features in ``COUNTRIES`` order.
    """
    by_id = {str(f["id"]): f for f in load_features(topology) if f["id"] is not None}
    region = box(*REGION_BBOX)
    out = []
    for numeric, (slug, name, iso) in COUNTRIES.items():
        if numeric not in by_id:
            raise SystemExit(f"country {name} ({numeric}) not in world-atlas")
        source = by_id[numeric]
        raw = shape(source["geometry"])
        if not raw.is_valid:
            print(
                f"  countries: {name} invalid in source ({shapely.is_valid_reason(raw)}), repaired"
            )
        geom = clean_polygonal(raw, None if iso in KEEP_WHOLE else region)
        props = {"id": slug, "name": name, "iso_a2": iso, "source": "world-atlas"}
        out.append(feature(props, to_geojson_geometry(geom)))
    return out


def record(inputs: Inputs) -> dict[str, Any]:
    """The manifest's provenance and licence of the countries."""
    return {
        **inputs.npm["world_meta"],
        "licence": "public domain",
        "licence_note": f"{NATURAL_EARTH} ISC (world-atlas).",
        "attribution": "Countries: Natural Earth via world-atlas",
    }


OUTPUT = Output("countries", lambda inputs: build_countries(inputs.npm["world"]), record)
