"""The geomap command line, run as a user would run it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.cli import main
from tests.conftest import FIXTURES, ROOT, make_feature


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geomap.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_state_prints_geojson_with_all_properties() -> None:
    out = run("state", "--date", "2015-06-01")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["type"] == "FeatureCollection"
    ids = {f["properties"]["id"] for f in doc["features"]}
    assert {"isis-territory", "mosul", "raqqa", "palmyra"} <= ids
    mosul = next(f for f in doc["features"] if f["properties"]["id"] == "mosul")
    assert mosul["properties"]["status"] == "held"
    assert mosul["properties"]["sources"]
    assert mosul["geometry"]["type"] == "Point"


def test_state_layer_filter() -> None:
    out = run("state", "--date", "2018-10-01", "--layer", "hajin")
    doc = json.loads(out.stdout)
    assert {f["properties"]["layer"] for f in doc["features"]} == {"hajin"}
    assert {f["properties"]["id"] for f in doc["features"]} == {"hajin", "hajin-pocket"}


@pytest.mark.parametrize("bad", ["2015-13-01", "June 2015", "2015-02-29"])
def test_state_bad_date_is_one_line_exit_2(bad: str) -> None:
    out = run("state", "--date", bad)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("geomap state: error: argument --date: invalid date")
    assert "expected YYYY-MM-DD" in lines[0]
    assert "Traceback" not in out.stderr


@pytest.mark.slow  # the whole shipped data; a small clean file: test_validate_clean_file_*
def test_validate_shipped_data_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ""


def test_validate_clean_file_exits_0_and_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    town = make_feature({"type": "Point", "coordinates": [43.13, 36.34]}, id="a-town")
    path = tmp_path / "captured_cities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [town.raw]}))
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("0 problems in ")


def test_validate_reports_problems_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "invalid" / "sources__unknown-key.geojson"
    assert main(["validate", str(path)]) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{path}: fixture-town@2015-01-01: sources: ")


def test_validate_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "invalid" / "rfc7946__clockwise-ring.geojson"
    assert main(["validate", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found[0]["rule"] == "rfc7946"
    assert set(found[0]) == {"path", "feature", "rule", "message"}


def test_events_lists_captures_and_losses() -> None:
    out = run("events")
    assert out.returncode == 0
    assert "Mosul taken by IS" in out.stdout
    assert "IS driven out of Mosul" in out.stdout


@pytest.mark.browser  # starts Streamlit
def test_serve_becomes_streamlit_and_stops_on_sigterm(tmp_path: Path) -> None:
    """`geomap serve` execs Streamlit: SIGTERM to its pid stops the server, no child stays."""
    from tests.browser_support import free_port, wait_healthy

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        proc.send_signal(signal.SIGTERM)  # to the pid, not the group
        assert proc.wait(timeout=20) is not None
        left = [pid for pid in _group_members(proc.pid) if pid != proc.pid]
        assert left == [], f"left running: {left}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _group_members(pgid: int) -> list[int]:
    """Live processes in a process group, read from /proc."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(stat.parent.name))
    return out
