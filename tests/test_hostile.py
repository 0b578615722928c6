"""Hostile input: every reader refuses it with one clear line, and nothing escapes.

The small inputs live in ``tests/fixtures/hostile/`` with the exit code and rules
``geomap validate`` must give (``expected.json``, written with them by
``generate.py``); the large and special ones (over the size cap, a FIFO, a
symlink loop) are made here.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.cli import main
from geomap.core.errors import DataError
from geomap.data.io import load_features
from geomap.data.safejson import MAX_BYTES, nesting_depth, parse_json
from geomap.validate import validate_paths
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXPECTED: dict[str, dict[str, object]] = json.loads((HOSTILE / "expected.json").read_text())


def run_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line]
    return code, lines, captured.err


def test_there_are_at_least_40_hostile_inputs() -> None:
    assert len(EXPECTED) >= 40
    assert all((HOSTILE / name).is_file() for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_refuses_hostile_input(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run_validate(HOSTILE / name, capsys)
    want = EXPECTED[name]
    assert code == want["exit"], lines or err
    assert sorted({line.split(": ")[2] for line in lines}) == sorted(want["rules"])  # type: ignore[call-overload]
    for line in lines:
        assert line.startswith(str(HOSTILE / name) + ": ") and line.count(": ") >= 3
        assert line.isprintable()
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, e in EXPECTED.items()
        if n.endswith(".geojson")
        and set(e["rules"]) & {"read", "json", "geometry", "schema", "text"}  # type: ignore[arg-type]
    ),
)
def test_loading_hostile_layer_raises_data_error_only(name: str) -> None:
    with pytest.raises(DataError) as info:
        load_features([HOSTILE / name])
    assert str(info.value).startswith(str(HOSTILE / name))
    assert "\n" not in str(info.value)


def test_fifo_is_refused_without_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    code, lines, _ = run_validate(fifo, capsys)
    assert code == 2 and "not a regular file" in lines[0] and ": read: " in lines[0]


def test_symlink_loop_and_folder_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "loop.geojson"
    loop.symlink_to(loop)
    code, lines, _ = run_validate(loop, capsys)
    assert code == 2 and ": read: " in lines[0]
    with pytest.raises(DataError, match="folder"):
        load_features([tmp_path])


def test_file_over_the_size_cap_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.geojson"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_BYTES + 1)
    code, lines, _ = run_validate(big, capsys)
    assert code == 2 and "cap" in lines[0]


def test_missing_required_layer_files_are_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "layers"
    folder.mkdir()
    (folder / "hajin.geojson").write_bytes((ROOT / "layers" / "hajin.geojson").read_bytes())
    code, lines, _ = run_validate(folder, capsys)
    missing = [line for line in lines if "required layer file missing" in line]
    assert code == 2 and any("territory.geojson" in line for line in missing)


# ------------------------------------------------------------------ fuzzing

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)
COORD = st.one_of(st.floats(-200, 200), st.integers(-200, 200), st.text(max_size=3), st.none())
GEOMETRY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", "Blob", 3]),
        "coordinates": st.recursive(
            st.lists(COORD, max_size=4), lambda inner: st.lists(inner, max_size=5), max_leaves=40
        ),
    }
)
PROPS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["a", "town", "B", ""]) | st.text(max_size=5),
        "name": st.text(max_size=10),
        "layer": st.sampled_from(["captured_cities", "territory", "nope"]),
        "kind": st.sampled_from(["city", "territory", "village", "x"]),
        "ground": st.sampled_from(["held", "open", "x", 1]),
        "valid_from": st.sampled_from(["2015-01-01", "2016-02-30", "x"]) | st.integers(),
        "confidence": st.sampled_from(["high", "low", 1]),
        "sources": JSON_VALUES,
    },
)
FEATURE = st.fixed_dictionaries(
    {
        "type": st.just("Feature"),
        "properties": PROPS | JSON_VALUES,
        "geometry": GEOMETRY | JSON_VALUES,
    }
)
DOCUMENT = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "type": st.just("FeatureCollection"),
            "features": st.lists(FEATURE | JSON_VALUES, max_size=3),
        }
    ),
)


@pytest.mark.slow  # fuzzing; the fixed hostile files above take the same readers
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=DOCUMENT)
def test_no_exception_escapes_the_readers(doc: object, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = validate_paths([path], root=ROOT, spatial=False)
    assert all(p.line().count(": ") >= 3 for p in problems)
    with contextlib.suppress(DataError):
        load_features([path])


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=64))
def test_random_bytes_give_data_errors_only(data: bytes) -> None:
    with contextlib.suppress(DataError):
        parse_json(data, "bytes")


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


NESTED = st.recursive(
    st.text(alphabet='[]{}"\\/nu0a é', max_size=6) | st.integers(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(doc=NESTED)
def test_nesting_depth_skips_brackets_and_escapes_inside_strings(doc: object) -> None:
    for text in (json.dumps(doc), json.dumps(doc, ensure_ascii=False)):
        assert nesting_depth(text.encode()) == _depth(doc)


# ------------------------------------------------------------------ the CLI contract


def test_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import geomap.cli as cli

    def broken(_args: object) -> int:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(cli, "_cmd_events", broken)
    assert cli.main(["events"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("geomap: internal error: RuntimeError: boom\n")
    assert "report" in err and "Traceback" not in err and "second line" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "99999"],
        ["serve", "--port", "http"],
        ["export", "--format", "png", "--date", "2016-01-01", "--width", "10000", "--out", "x.png"],
        [
            "export",
            "--format",
            "png",
            "--date",
            "2016-01-01",
            "--width",
            "4000",
            "--height",
            "500",
            "--out",
            "x.png",
        ],
        ["export", "--format", "gif", "--width", "2400", "--out", "x.gif"],
        [
            "export",
            "--format",
            "png",
            "--date",
            "2016-01-01",
            "--bbox",
            "40,35,40.000001,35.000001",
            "--out",
            "x.png",
        ],
        ["export", "--format", "png", "--date", "2016-01-01", "--out", "somewhere/"],
        ["export", "--format", "png", "--date", "2016-01-01", "--out", "/dev/null"],
        [
            "export",
            "--format",
            "png",
            "--date",
            "2016-01-01",
            "--title",
            "a\u0000b",
            "--out",
            "x.png",
        ],
    ],
    ids=[
        "port-range",
        "port-text",
        "width",
        "aspect",
        "gif-size",
        "tiny-bbox",
        "out-folder",
        "out-device",
        "title-nul",
    ],
)
def test_bad_arguments_are_exit_2_in_one_line(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("geomap")
    assert time.monotonic() - started < 60  # refused before any drawing
    assert list(tmp_path.iterdir()) == []


def test_state_prints_strict_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["state", "--date", "2017-01-01", "--layer", "captured_cities"]) == 0

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the output")

    doc = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert doc["type"] == "FeatureCollection" and doc["features"]


# ------------------------------------------------------------------ killed exports


@pytest.mark.slow  # SIGKILL loop; the parts' clean-up alone: test_next_export_removes_parts_*
def test_killed_exports_never_corrupt_out_and_leave_nothing_visible(tmp_path: Path) -> None:
    """SIGKILL ``geomap export`` at random moments: ``--out`` is absent or whole, and the
    hidden parts of killed runs are removed by the next export."""
    out = tmp_path / "places.csv"
    env = dict(os.environ, GEOMAP_ROOT=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "geomap.cli",
        "export",
        "--format",
        "csv",
        "--date",
        "2016-01-01",
        "--out",
        str(out),
        "--quiet",
    ]
    delays = [0.3, 1.0, 1.8, 2.5, 3.2, 4.0]
    corrupt = 0
    for delay in delays:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            lines = out.read_text(encoding="utf-8").splitlines()
            corrupt += not (lines and lines[0].startswith("lon,lat,") and len(lines) > 10)
        visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
        assert set(visible) <= {out.name}
    assert corrupt == 0
    assert subprocess.run(cmd, env=env, check=False).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # killed runs' parts are gone


def test_csv_cells_that_would_run_as_formulas_are_neutralised(tmp_path: Path) -> None:
    from geomap.export.data import neutralise_cell, write_csv
    from tests.conftest import make_feature

    evil = make_feature(
        {"type": "Point", "coordinates": [43.1, 36.3]},
        name='=HYPERLINK("http://198.51.100.7/","open")',
        notes="@SUM(1+1)",
    )
    out = tmp_path / "x.csv"
    write_csv([evil], out)
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text and ",@SUM" not in text
    assert neutralise_cell(-42.5) == -42.5 and neutralise_cell("+1") == "'+1"
    assert neutralise_cell("Mosul") == "Mosul"


def test_next_export_removes_parts_of_dead_runs_only(tmp_path: Path) -> None:
    from geomap.export.atomic import atomic_output

    out = tmp_path / "map.csv"
    dead = tmp_path / ".map.csv.999999999-abc.part.csv"  # no such process
    alive = tmp_path / f".map.csv.{os.getpid()}-def.part.csv"
    other = tmp_path / ".other.csv.999999999-abc.part.csv"
    for part in (dead, alive, other):
        part.write_text("half", encoding="utf-8")
    with atomic_output(out) as tmp:
        tmp.write_text("lon,lat\n", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "lon,lat\n"
    assert not dead.exists() and alive.exists() and other.exists()


# ------------------------------------------------------------------ corrupted copies of the data

#: How a copied file is spoiled: cut in half, bytes replaced, made a list, made empty.
CORRUPTIONS = {
    "truncated": lambda data: data[: len(data) // 2],
    "bytes-flipped": lambda data: data[:200] + b"\xff\xfe\x00" * 8 + data[224:],
    "a-list": lambda _data: b"[1, 2, 3]",
    "empty": lambda _data: b"",
}
#: Files of the shipped data to spoil (the small ones; the big layers take the same path).
TARGETS = (
    "layers/hajin.geojson",
    "data/sources.json",
    "data/claims.json",
    "layers/land_pieces.json",
)


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shipped layers and data, restored file by file by the test."""
    import shutil

    root = tmp_path_factory.mktemp("copy")
    shutil.copytree(ROOT / "layers", root / "layers")
    shutil.copytree(ROOT / "data", root / "data")
    return root


#: Spoilt claims files whose commands read the whole data (3 to 5 s each); the truncated
#: one takes the same path in the fast tier.
SLOW_CASES = {(how, "data/claims.json") for how in ("a-list", "bytes-flipped", "empty")}


@pytest.mark.parametrize(
    ("how", "target"),
    [
        pytest.param(
            how,
            target,
            id=f"{how}-{target}",
            marks=[pytest.mark.slow] if (how, target) in SLOW_CASES else [],
        )
        for target in TARGETS
        for how in sorted(CORRUPTIONS)
    ],
)
def test_commands_on_corrupted_data_give_an_error_line_not_a_traceback(
    data_copy: Path,
    target: str,
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = data_copy / target
    original = path.read_bytes()
    path.write_bytes(CORRUPTIONS[how](original))
    monkeypatch.setenv("GEOMAP_ROOT", str(data_copy))
    try:
        for argv in (
            ["validate", str(path)],
            ["events"],
            ["claims", "--format", "json"],
        ):
            code = main(argv)
            err = capsys.readouterr().err
            assert code in (0, 1, 2), (argv, err)
            assert "Traceback" not in err and "internal error" not in err, (argv, err)
            if code == 2 and argv[0] != "validate":  # validate lists problems instead
                assert err.strip().splitlines()[-1].startswith("geomap: error: ")
    finally:
        path.write_bytes(original)


def test_validate_escapes_terminal_controls_in_its_lines() -> None:
    """A problem line never carries a raw ESC or bidi override to the terminal."""
    from geomap.validate.registry import Problem

    problem = Problem("a\x1b[2Jb.geojson", "id\u202eevil", "text", "holds \x07 and \x9b")
    line = problem.line()
    assert "\x1b" not in line and "\u202e" not in line and "\x07" not in line
    assert "\\x1b[2J" in line and "\\u202e" in line and "\\x07" in line and "\\x9b" in line
