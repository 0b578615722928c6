"""Shared helpers: the shipped data root and small feature builders, and session guards.

Two guards run around every session: the app's writable folder
(``GEOMAP_APP_DIR``, its payload cache) is a temporary one, and the session
fails at its end if any file in the source tree was created, modified or
removed, or if a process it started is still running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape

from geomap.core.feature import Feature
from geomap.core.model import FeatureProperties
from geomap.data.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_feature(geometry: dict[str, Any], **props: Any) -> Feature:
    """Build a valid feature, overriding any property."""
    base: dict[str, Any] = {
        "id": "t",
        "name": "T",
        "layer": "captured_cities",
        "kind": "city",
        "valid_from": "2015-01-01",
        "confidence": "high",
        "sources": [{"key": "nyt-hajin-2018-09", "supports": "test"}],
    }
    base.update(props)
    raw = {"type": "Feature", "properties": base, "geometry": geometry}
    return Feature(
        props=FeatureProperties.model_validate(base),
        geometry=shape(geometry),
        path=Path("mem.geojson"),
        raw=raw,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The shipped data, read once for the whole session (from the compiled store)."""
    return Dataset(ROOT)


@pytest.fixture(scope="session")
def shipped(dataset: Dataset) -> list[Feature]:
    return dataset.features


#: Names the guard skips in the source tree: tool caches, the venv, git (a file in a worktree).
NOT_SOURCE = {
    ".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"
}  # fmt: skip


def source_files(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` but :data:`NOT_SOURCE` and ``*.egg-info``: (size, mtime)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCE and not d.endswith(".egg-info")]
        for name in set(files) - NOT_SOURCE:
            path = Path(folder, name)
            with contextlib.suppress(FileNotFoundError):
                stat = path.lstat()
                found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def running_children(pid: int) -> list[int]:
    """Live (not zombie) descendants of process ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(stat.parent.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found += kids
        todo += kids
    return found


@pytest.fixture(scope="session", autouse=True)
def source_tree_unchanged() -> Iterator[None]:
    """Fail the session if a test wrote in the source tree or left a process running."""
    before = source_files()
    yield
    left = running_children(os.getpid())
    after = source_files()
    changed = sorted(
        [f"created {p}" for p in after.keys() - before.keys()]
        + [f"removed {p}" for p in before.keys() - after.keys()]
        + [f"modified {p}" for p in before.keys() & after.keys() if before[p] != after[p]]
    )
    problems = []
    if changed:
        problems.append(f"the tests changed the source tree (write to tmp_path): {changed}")
    if left:
        problems.append(f"processes left running after the tests: {_commands(left)}")
    assert not problems, "; ".join(problems)


def _commands(pids: list[int]) -> list[str]:
    """Each process's id and command line, for the guard's message."""
    out = []
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            cmd = "?"
        out.append(f"{pid}: {cmd.strip()}")
    return out


@pytest.fixture(scope="session", autouse=True)
def temporary_app_dir(
    source_tree_unchanged: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The app's writable folder (payload cache) for the session: a temporary one."""
    folder = tmp_path_factory.mktemp("app")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOMAP_APP_DIR", str(folder))
        yield folder
