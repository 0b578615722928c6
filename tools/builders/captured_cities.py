"""The captured-cities layer: one record per period of control of each city.

The point comes from ``data/basemap/places.geojson``. Hajin's record goes to
the ``hajin`` layer (see :mod:`tools.builders.hajin`), the rest here.
"""

from __future__ import annotations

from typing import Any

from tools.builders import builder
from tools.builders.common import BuildContext, as_date, feature, place_lonlat


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
                "contested_by": period.get("contested_by"),
                "country": city["country"],
                "confidence": period["confidence"],
                "sources": period["sources"],
                "date_variants": period.get("date_variants", []),
                "notes": period.get("notes", ""),
            }
            out[layer].append(feature(props, point))
    return out


@builder("captured_cities")
def build_cities(ctx: BuildContext) -> list[dict[str, Any]]:
    """Every city but Hajin."""
    return city_records(ctx.cities)["captured_cities"]
