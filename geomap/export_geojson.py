"""GeoJSON output of features, shared by ``geomap state`` and the exports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geomap.io import Feature


def feature_collection(features: Iterable[Feature]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection with every property of each feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": f.props.model_dump(mode="json", exclude_none=True),
                "geometry": f.raw["geometry"],
            }
            for f in features
        ],
    }
