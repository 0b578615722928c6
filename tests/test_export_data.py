"""Data and HTML exports, escaping, argument errors and atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pyogrio
import pytest

from geomap.cli import main
from geomap.core.feature import Feature
from geomap.core.model import Source
from geomap.core.timeline import state_at
from geomap.data.dataset import Dataset
from geomap.export import FORMATS, STORY_FORMATS, ExportError, ExportOptions, export
from geomap.export.job import Job
from geomap.validate import validate_paths
from tests.conftest import day

DATE = day("2015-07-01")
CDN_TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


def hostile_dataset(dataset: Dataset) -> Dataset:
    """The shipped data with one source made hostile: markup and a javascript: link."""
    sources = dict(dataset.sources)
    key = "wiki-fall-of-mosul"
    sources[key] = Source.model_construct(
        title='<script>alert("t")</script> & more',
        publisher="<b>Evil</b>",
        date="2014-06",
        url="javascript:alert(1)",
        supports="test",
    )
    return dataset.replaced(sources=sources)


def test_geojson_passes_validate(shipped: list[Feature], dataset: Dataset, tmp_path: Path) -> None:
    out = export(dataset, "geojson", tmp_path / "s.geojson", ExportOptions(date=DATE))
    assert validate_paths([out]) == []
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["features"]) == len(state_at(shipped, DATE))
    mosul = next(f for f in doc["features"] if f["properties"]["id"] == "mosul")
    assert mosul["properties"]["sources"] and mosul["properties"]["status"] == "held"


def test_gpkg_reads_back_one_table_per_layer(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    out = export(dataset, "gpkg", tmp_path / "s.gpkg", ExportOptions(date=DATE))
    layers = [name for name, _ in pyogrio.list_layers(out)]
    assert {"territory", "captured_cities"} <= set(layers)
    total = sum(pyogrio.read_info(out, layer=name)["features"] for name in layers)
    assert total == len(state_at(shipped, DATE))
    cities = pyogrio.read_dataframe(out, layer="captured_cities")
    assert cities.crs.to_epsg() == 4326
    mosul = cities[cities["id"] == "mosul"].iloc[0]
    assert json.loads(mosul["sources"])[0]["key"]
    assert mosul["status"] == "held"


def test_kml_reads_back_and_escapes(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    out = export(hostile_dataset(dataset), "kml", tmp_path / "s.kml", ExportOptions(date=DATE))
    total = sum(
        pyogrio.read_info(out, layer=name)["features"] for name, _ in pyogrio.list_layers(out)
    )
    assert total == len(state_at(shipped, DATE))
    root = ET.parse(out).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == total
    mosul = next(m for m in marks if m.findtext("k:name", namespaces=ns) == "Mosul")
    balloon = mosul.findtext("k:description", namespaces=ns) or ""
    assert "&lt;script&gt;" in balloon and "<script" not in balloon
    assert "javascript:" not in balloon
    assert mosul.findtext("k:TimeSpan/k:begin", namespaces=ns) == "2014-06-10"


def test_csv_lists_places_with_lon_lat(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    out = export(dataset, "csv", tmp_path / "p.csv", ExportOptions(date=DATE))
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    points = [f for f in state_at(shipped, DATE) if f.geometry.geom_type == "Point"]
    assert len(rows) == len(points)
    mosul = next(r for r in rows if r["id"] == "mosul")
    assert abs(float(mosul["lon"]) - 43.11889) < 1e-4 and abs(float(mosul["lat"]) - 36.335) < 1e-4
    assert mosul["status"] == "held" and json.loads(mosul["sources"])


def test_bbox_limits_data_to_the_view(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    options = ExportOptions(date=DATE, place="mosul")
    out = export(dataset, "csv", tmp_path / "p.csv", options)
    ids = {row["id"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert "mosul" in ids and "raqqa" not in ids


def test_html_is_offline_and_escaped(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    out = export(
        hostile_dataset(dataset),
        "html",
        tmp_path / "m.html",
        ExportOptions(date=DATE, title="<i>Mosul</i> & Raqqa"),
    )
    page = out.read_text(encoding="utf-8")
    assert not CDN_TAG.search(page), CDN_TAG.search(page)
    assert "L.map(" in page and "geomapInit" in page
    assert "<title>&lt;i&gt;Mosul&lt;/i&gt; &amp; Raqqa</title>" in page
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    links = re.findall(r'<a href="([^"#][^"]*)"', page)
    assert links and all(h.startswith(("https://", "http://")) for h in links)
    payload = re.search(r"geomapInit\(map, (\{.*\})\);", page)
    assert payload and json.loads(payload.group(1))["initial"] is not None


# ---------------------------------------------------------------- CLI errors


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "bmp"], "unknown format"),
        (["--format", "png", "--date", "2013-12-31"], "before the data starts"),
        (["--format", "png", "--date", "2016-07-04", "--place", "atlantis"], "unknown place"),
        (["--format", "png", "--date", "2016-07-04", "--place", "x" * 100_000], "100,000 char"),
        (["--format", "png", "--date", "2015-W01-1"], "expected YYYY-MM-DD"),
        (["--format", "png", "--date", "2016-07-04", "--lang", "fr"], "invalid choice: 'fr'"),
        (["--format", "png", "--date", "2016-07-04", "--bbox", "44,30,38,37"], "bad bbox"),
        (["--format", "png", "--date", "2016-07-04", "--bbox", "a,b"], "bad bbox"),
        (["--format", "png", "--date", "2016-07-04", "--layers", "roads"], "unknown layer"),
        (["--format", "png", "--date", "2016-07-04", "--preset", "tiny"], "unknown preset"),
        (["--format", "gif", "--from", "2018-01-01", "--to", "2017-01-01"], "must be after"),
        (["--format", "csv", "--date", "2016-07-04", "--compare-from", "2015-01-01"], "compare"),
        (["--format", "png"], "--date is required"),
        (["--format", "png", "--date", "2016-07-04", "--width", "0"], "out of range"),
        (["--format", "png", "--date", "2016-07-04", "--height", "0"], "out of range"),
    ],
)
def test_bad_arguments_one_line_exit_2(
    extra: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.out"
    code = main(["export", "--out", str(out), "--quiet", *extra])
    err = capsys.readouterr().err
    assert code == 2 or code is None
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert len(err) < 400  # an echoed value is cut
    assert list(tmp_path.iterdir()) == []


def test_invalid_date_goes_through_argparse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", "--format", "png", "--date", "2016-02-30", "--out", str(tmp_path / "x")])
    assert code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_read_only_file_system_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root passes os.access everywhere; a file system that refuses the write must
    # still end in one line and exit 2, not a traceback.
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("geomap.export.atomic.tempfile.mkstemp", refuse)
    code = main(["export", "--format", "csv", "--date", "2016-07-04", "--out", str(tmp_path / "a")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "Read-only file system" in err[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/sub/x.png", "afile/x.png"])
def test_unwritable_path(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    code = main(
        ["export", "--format", "png", "--date", "2016-07-04", "--out", str(tmp_path / where)]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "cannot write" in err[0]


def test_read_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root here, who may write anywhere, so the permission check is
    # made to see a read-only folder instead of relying on chmod.
    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        return False if Path(str(path)) == folder else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr("geomap.export.atomic.os.access", access)
    code = main(["export", "--format", "csv", "--date", "2016-07-04", "--out", str(folder / "x")])
    assert code == 2 and "not writable" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_mp4_without_imageio_ffmpeg_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geomap.export import encoders

    monkeypatch.setattr(encoders, "mp4_available", lambda: False)
    code = main(["export", "--format", "mp4", "--out", str(tmp_path / "a.mp4")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "imageio-ffmpeg" in err[0]
    assert not (tmp_path / "a.mp4").exists()


def test_cli_writes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.geojson"
    assert main(["export", "--format", "geojson", "--date", "2016-07-04", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert "wrote" in capsys.readouterr().err


def test_help_lists_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert all(fmt in text for fmt in FORMATS)


# ---------------------------------------------------------------- atomic writes


def half_then_fail(job: Job) -> None:
    """A writer that writes half a file, then fails."""
    job.path.write_text('{"type": "Feature', encoding="utf-8")
    raise RuntimeError("disk on fire")


def test_failed_export_leaves_no_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = replace(FORMATS["geojson"], writer=f"{__name__}:half_then_fail")
    monkeypatch.setitem(FORMATS, "geojson", failing)
    target = tmp_path / "s.geojson"
    with pytest.raises(RuntimeError):
        export(dataset, "geojson", target, ExportOptions(date=DATE))
    assert list(tmp_path.iterdir()) == []

    target.write_text("previous export", encoding="utf-8")
    with pytest.raises(RuntimeError):
        export(dataset, "geojson", target, ExportOptions(date=DATE))
    assert target.read_text(encoding="utf-8") == "previous export"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_request_raises_before_writing(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        export(dataset, "tiff", tmp_path / "x.tiff", ExportOptions())
    assert list(tmp_path.iterdir()) == []


def test_every_format_has_a_writer(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    for fmt in ("geojson", "csv", "kml", "gpkg", "html"):
        out = export(dataset, fmt, tmp_path / f"x.{fmt}", ExportOptions(date=DATE))
        assert out.stat().st_size > 100
    assert {"png", "svg", "pdf", "gif", "mp4", "geojson", "gpkg", "kml", "csv", "html"} <= set(
        FORMATS
    )
    # Every row, story rows too, names a writer that exists (a row and its writer are all a
    # new format needs; nothing else lists the formats).
    for row in [*FORMATS.values(), *STORY_FORMATS.values()]:
        module, _, name = row.writer.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), row.name


def test_dates_after_the_data_show_the_final_state_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "after.csv"
    assert main(["export", "--format", "csv", "--date", "2019-06-01", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "nothing changes in the data after 2019-05-31" in err
    last = tmp_path / "f.csv"
    assert main(["export", "--format", "csv", "--date", "2019-05-31", "--out", str(last)]) == 0
    assert out.read_text(encoding="utf-8") == last.read_text(encoding="utf-8")
    assert main(["state", "--date", "2021-01-01", "--layer", "captured_cities"]) == 0
    captured = capsys.readouterr()
    assert "nothing changes" in captured.err and '"FeatureCollection"' in captured.out
    assert main(["compare", "--from", "2019-01-01", "--to", "2020-01-01"]) == 0
    assert main(["state", "--date", "2013-06-01"]) == 2
    assert "before the data starts" in capsys.readouterr().err


def test_an_animation_to_the_end_of_time_stops_where_the_data_does(dataset: Dataset) -> None:
    """``--to 9999-12-31`` is a valid date: the animation ends at the timeline's end."""
    from geomap.core.timeline import TIMELINE_END
    from geomap.export import check_request

    plan = check_request(
        dataset, "gif", ExportOptions(date_from=dt.date(2019, 1, 1), date_to=dt.date(9999, 12, 31))
    )
    assert plan.end == TIMELINE_END and plan.frames and max(plan.frames) <= TIMELINE_END
