"""Reading the npm inputs: TopoJSON topologies and plain GeoJSON FeatureCollections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tools.basemap.geometry import LonLat


def decode_arcs(topology: dict[str, Any]) -> list[list[LonLat]]:
    """Turn a topology's arcs into absolute coordinates.

    Parameters
    ----------
    topology : dict
        Parsed TopoJSON ``Topology``.  With a ``transform`` the arcs are quantized and
        delta-encoded; without one they are absolute positions.

    Returns
    -------
    list of list of (float, float)
        One coordinate list per arc.
    """
    transform = topology.get("transform")
    arcs: list[list[LonLat]] = []
    for arc in topology["arcs"]:
        positions = np.asarray(arc, dtype=float)[:, :2]
        if transform is not None:
            positions = np.cumsum(positions, axis=0)
            positions = positions * np.asarray(transform["scale"]) + transform["translate"]
        arcs.append([(float(x), float(y)) for x, y in positions])
    return arcs


def stitch_ring(indexes: Sequence[int], arcs: Sequence[list[LonLat]]) -> list[LonLat]:
    """Join arcs into one ring; ``~i`` (a negative index) means arc ``i`` reversed.

    Parameters
    ----------
    indexes : sequence of int
        Arc indexes of the ring, in order.
    arcs : sequence of list of (float, float)
        Decoded arcs.

    Returns
    -------
    list of (float, float)
        The ring's coordinates; each arc after the first drops its repeated start point.
    """
    ring: list[LonLat] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def topo_geometry(geometry: dict[str, Any], arcs: Sequence[list[LonLat]]) -> dict[str, Any] | None:
    """Convert one TopoJSON polygonal geometry object to a GeoJSON geometry mapping.

    Parameters
    ----------
    geometry : dict
        TopoJSON geometry object (``Polygon`` or ``MultiPolygon``; others give None).
    arcs : sequence of list of (float, float)
        Decoded arcs.

    Returns
    -------
    dict or None
        GeoJSON geometry mapping, or None for empty or non-polygonal objects.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [stitch_ring(ring, arcs) for ring in geometry["arcs"]]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[stitch_ring(ring, arcs) for ring in poly] for poly in geometry["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polygons}
    return None


def load_features(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Return GeoJSON-like features from a TopoJSON topology or a GeoJSON FeatureCollection.

    Parameters
    ----------
    doc : dict
        Parsed JSON document.  For a topology every object's geometries are decoded.

    Returns
    -------
    list of dict
        Features with ``id`` (may be None), ``properties`` and ``geometry``.
    """
    if doc.get("type") == "FeatureCollection":
        return [
            {"id": f.get("id"), "properties": f.get("properties") or {}, "geometry": f["geometry"]}
            for f in doc["features"]
            if f.get("geometry")
        ]
    if doc.get("type") != "Topology":
        raise SystemExit(f"unsupported document type {doc.get('type')!r}")
    arcs = decode_arcs(doc)
    features = []
    for obj in doc["objects"].values():
        for geom in obj.get("geometries", [obj]):
            geometry = topo_geometry(geom, arcs)
            if geometry is not None:
                props = geom.get("properties") or {}
                features.append({"id": geom.get("id"), "properties": props, "geometry": geometry})
    return features
