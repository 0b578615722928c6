"""Every preset opens in a real reader, and the names read back by OCR (issue 20).

PNG with Pillow, PDF with poppler's ``pdftoppm``; OCR with tesseract. The SVGs are
opened in Debian's Chromium by ``tests/test_browser.py`` (which holds the session's
browser). The exports are written as a user's would be, to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geomap.data.dataset import Dataset
from geomap.export import ExportOptions, export
from geomap.export.options import PRESETS

DAY = dt.date(2016, 7, 4)


def pdftoppm(pdf: Path, out: Path, dpi: int) -> Path:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    subprocess.run(
        [exe, "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(pdf), str(out)], check=True
    )
    return next(out.parent.glob(f"{out.name}*.png"))


def ocr(png: Path) -> str:
    args = ["tesseract", str(png), "-", "--psm", "11"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_opens_as_png_and_pdf(dataset: Dataset, name: str, tmp_path: Path) -> None:
    preset = PRESETS[name]
    png = export(dataset, "png", tmp_path / "m.png", ExportOptions(date=DAY, preset=name))
    with Image.open(png) as image:
        assert image.size == (preset.size.width, preset.size.height)
        pixels = np.asarray(image.convert("RGB"))
    assert pixels.std() > 20  # a map, not a blank page
    pdf = export(dataset, "pdf", tmp_path / "m.pdf", ExportOptions(date=DAY, preset=name))
    page = pdftoppm(pdf, tmp_path / "page", 30)
    with Image.open(page) as rendered:
        width, height = rendered.size
    # The page has the preset's shape (at 30 dpi, to within a pixel of rounding).
    assert width / height == pytest.approx(preset.size.width / preset.size.height, abs=0.02)


def test_ocr_reads_the_names_on_a_png_framed_on_hajin(dataset: Dataset, tmp_path: Path) -> None:
    png = export(
        dataset, "png", tmp_path / "h.png", ExportOptions(date=dt.date(2018, 12, 20), place="hajin")
    )
    text = ocr(png)
    names = ("Hajin", "Al-Susah", "Baghuz", "Al-Qaim", "Mayadin", "Deir ez-Zor", "Rawa")
    found = [n for n in names if n in text]
    assert "Hajin" in found and len(found) >= 4, text


def test_ocr_reads_the_names_on_an_a4_pdf_of_the_region(dataset: Dataset, tmp_path: Path) -> None:
    pdf = export(dataset, "pdf", tmp_path / "r.pdf", ExportOptions(date=DAY, preset="a4"))
    text = ocr(pdftoppm(pdf, tmp_path / "page", 150))
    names = ("Baghdad", "Kirkuk", "Palmyra", "Hajin", "Tikrit", "Samarra", "Erbil", "Latakia")
    found = [n for n in names if n in text]
    assert len(found) >= 5, text


def test_a_pdf_keeps_its_names_as_text(dataset: Dataset, tmp_path: Path) -> None:
    """The names of a vector map are text (searchable, editable), not outlines."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils")
    pdf = export(dataset, "pdf", tmp_path / "r.pdf", ExportOptions(date=DAY, place="mosul"))
    text = subprocess.run(
        [exe, "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for name in ("Mosul", "Erbil", "Tal Afar", "Sinjar", "IS-held territory"):
        assert name in text, text
