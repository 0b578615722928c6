"""Static maps and animations: pixels, SVG, PDF, GIF frames, styles shared with the app."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image

from geomap.core.feature import Feature
from geomap.core.geodesy import held_area_on
from geomap.core.model import Kind
from geomap.core.style import (
    BASEMAP_STYLE,
    OKABE_ITO,
    STATUS_STYLE,
    area_fill_opacity,
    shape_style,
)
from geomap.core.timeline import change_dates, state_at
from geomap.data.dataset import Dataset
from geomap.export import ExportError, ExportOptions, check_request, export, export_bytes
from geomap.export.mapfigure import MapFigure
from geomap.export.options import Size
from geomap.export.static import build_static
from tests.conftest import day

MOSUL = (43.11889, 36.335)


def rendered(dataset: Dataset, options: ExportOptions) -> tuple[np.ndarray, MapFigure]:
    fig = build_static(dataset, check_request(dataset, "png", options))
    buf = io.BytesIO()
    fig.figure.savefig(buf, format="png", dpi=fig.size.dpi)
    image = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).astype(int)
    return image, fig


def window(image: np.ndarray, fig: MapFigure, lon: float, lat: float, half: int) -> np.ndarray:
    col, row = fig.lonlat_to_pixel(lon, lat)
    c, r = round(col), round(row)
    return image[r - half : r + half + 1, c - half : c + half + 1].reshape(-1, 3)


def near(pixels: np.ndarray, colour: tuple[float, float, float], tol: int = 14) -> np.ndarray:
    target = np.array(colour) * 255
    return np.all(np.abs(pixels - target) <= tol, axis=1)


def territory_fill(features: list[Feature], on: dt.date) -> tuple[float, float, float]:
    """Territory fill of that date blended over the land colour, as drawn."""
    record = next(f for f in state_at(features, on) if f.props.kind is Kind.territory)
    style = shape_style(record.props)
    fill, land = np.array(to_rgb(style.fill)), np.array(to_rgb(BASEMAP_STYLE["land_fill"]))
    a = area_fill_opacity(record.props)  # held ground filled as in the app
    return tuple(fill * a + land * (1 - a))


def test_png_default_size_and_territory_at_mosul(shipped: list[Feature], dataset: Dataset) -> None:
    options = ExportOptions(date=day("2015-07-01"), layers=("territory",))
    image, fig = rendered(dataset, options)
    assert image.shape[1] >= 1200
    expected = territory_fill(shipped, day("2015-07-01"))
    hits = near(window(image, fig, *MOSUL, half=7), expected)
    assert hits.mean() > 0.4, "territory colour missing at Mosul in mid-2015"

    later, fig2 = rendered(dataset, options.with_changes(date=day("2019-01-01")))
    assert not near(window(later, fig2, *MOSUL, half=7), expected).any()
    land = near(window(later, fig2, *MOSUL, half=7), to_rgb(BASEMAP_STYLE["land_fill"]))
    assert land.mean() > 0.4


def test_city_marker_colour_follows_status(shipped: list[Feature], dataset: Dataset) -> None:
    options = ExportOptions(date=day("2015-07-01"), layers=("captured_cities",))
    image, fig = rendered(dataset, options)
    assert near(window(image, fig, *MOSUL, half=1), to_rgb(STATUS_STYLE["held"][0])).all()
    image, fig = rendered(dataset, options.with_changes(date=day("2019-01-01")))
    assert near(window(image, fig, *MOSUL, half=1), to_rgb(STATUS_STYLE["retaken"][0])).all()
    assert OKABE_ITO["vermillion"] == STATUS_STYLE["held"][0]


def test_map_carries_title_area_legend_and_credits(
    shipped: list[Feature], dataset: Dataset
) -> None:
    _, fig = rendered(dataset, ExportOptions(credits="full"))
    texts = [t.get_text() for t in fig.figure.findobj(mpl.text.Text)]
    joined = "\n".join(texts)
    assert fig.title.get_text() == "IS-held territory, 4 July 2016"
    held = held_area_on(shipped, dt.date(2016, 7, 4))
    assert fig.subtitle.get_text().endswith(f"{round(held, -2):,.0f} km²")
    assert "Dashed outline: approximate shape" in joined.replace("\n", " ")  # wrapped
    assert "Natural Earth" in joined and "CC BY 4.0" in joined
    assert re.search(r"^1\. ", joined, re.MULTILINE)
    assert any(isinstance(a, ScaleBar) for a in fig.ax.artists)
    assert len(fig.ax.child_axes) == 1  # the locator inset
    assert "N" in texts  # the north arrow


def test_compare_from_shows_gained_and_lost(shipped: list[Feature], dataset: Dataset) -> None:
    options = ExportOptions(date=day("2016-07-04"), compare_from=day("2015-01-01"))
    _, fig = rendered(dataset, options)
    subtitle = fig.subtitle.get_text()
    assert "gained" in subtitle and "lost" in subtitle
    labels = [t.get_text() for t in fig.figure.findobj(mpl.text.Text)]
    assert "gained by IS" in labels and "lost by IS" in labels


def test_svg_parses_and_escapes_title(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    title = 'Raqqa & "Mosul" <script>alert(1)</script> $x^2$'
    out = export(dataset, "svg", tmp_path / "m.svg", ExportOptions(title=title))
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert title in ["".join(el.itertext()) for el in root.iter()]
    assert "<script" not in out.read_text(encoding="utf-8")


def test_pdf_renders_with_pdftoppm(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    out = export(dataset, "pdf", tmp_path / "m.pdf", ExportOptions(preset="social"))
    subprocess.run([exe, "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 2  # the map, then its numbered sources (--credits short)
    image = np.asarray(Image.open(pages[0]).convert("RGB"))
    assert image.shape[1] > 300 and image.std() > 10
    sources = np.asarray(Image.open(pages[1]).convert("RGB"))
    assert sources.shape == image.shape and (sources < 128).any()  # text on a white page


def test_presets_and_sizes(dataset: Dataset) -> None:
    data = export_bytes(dataset, "png", ExportOptions(preset="social"))
    assert Image.open(io.BytesIO(data)).size == (1200, 675)
    data = export_bytes(dataset, "png", ExportOptions(width=900, place="mosul"))
    assert Image.open(io.BytesIO(data)).size[0] == 900


def expected_frames(features: list[Feature], start: dt.date, end: dt.date) -> int:
    """Independent count: the first day plus every day whose records differ from the day before."""
    count, previous = 1, {f.key for f in state_at(features, start)}
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        keys = {f.key for f in state_at(features, current)}
        count += keys != previous
        previous = keys
    return count


@pytest.mark.slow  # half a year; four months: test_short_gif_has_one_frame_per_change
def test_gif_has_one_frame_per_change(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    check_gif_frames(shipped, dataset, tmp_path, day("2017-06-01"), day("2017-12-31"))


def test_short_gif_has_one_frame_per_change(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    check_gif_frames(shipped, dataset, tmp_path, day("2019-01-01"), day("2019-04-30"))


def check_gif_frames(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path, start: dt.date, end: dt.date
) -> None:
    """A GIF from ``start`` to ``end`` has one frame per change, and reports its progress.

    Every frame differs from the one before, if only by its date stamp (which the
    locator inset never covers), so none is merged into the one before.
    """
    options = ExportOptions(date_from=start, date_to=end)
    calls: list[tuple[int, int]] = []
    out = export(dataset, "gif", tmp_path / "a.gif", options, progress=lambda *a: calls.append(a))
    expected = expected_frames(shipped, start, end)
    assert len(change_dates(shipped, start, end)) == expected
    with Image.open(out) as gif:
        assert gif.n_frames == expected
        assert gif.size == (800, 560)
    assert calls[-1] == (expected, expected)


def test_animation_frame_matches_a_full_redraw(shipped: list[Feature], dataset: Dataset) -> None:
    """The fast per-frame path draws the same picture as drawing the whole figure."""
    shown = state_at(shipped, day("2015-07-01"))
    fig = MapFigure(
        (35.5, 31.0, 46.5, 37.6),
        Size(800, 560, 100.0),
        dataset.basemap,
        "t",
        shown,
        ["credits"],
        date_stamp=True,
        places=shipped,
    )
    fig.show(state_at(shipped, day("2014-07-01")), "a", stamp="x")
    fig.draw_frame()
    # Shapes are added back and labels laid from a cache on later frames: each date, the
    # one before again included, must still match a full redraw.
    cities = [f for f in shipped if f.props.layer == "captured_cities"]
    for when, records in (
        ("2015-07-01", shipped),
        ("2017-10-20", cities),  # fewer places: other labels
        ("2015-07-01", shipped),
        ("2019-03-23", shipped),
    ):
        fig.show(state_at(records, day(when)), when, stamp=when)
        fast = fig.draw_frame().astype(int)
        full = fig.draw_rgb().astype(int)
        assert np.mean(np.abs(fast - full) > 40) < 0.001, when


def test_mp4_when_imageio_ffmpeg_is_installed(
    shipped: list[Feature], dataset: Dataset, tmp_path: Path
) -> None:
    import imageio_ffmpeg  # noqa: F401  (pinned in requirements.txt; mp4 needs it)

    options = ExportOptions(date_from=day("2019-01-01"), date_to=day("2019-04-30"))
    out = export(dataset, "mp4", tmp_path / "a.mp4", options)
    assert out.read_bytes()[4:8] == b"ftyp"


def test_credits_cite_only_what_is_near_the_frame(shipped: list[Feature]) -> None:
    from geomap.export.static import in_frame

    day = dt.date(2018, 10, 1)
    now = [f for f in shipped if f.props.valid_on(day)]
    idlib = {f.id for f in in_frame(now, (35.6, 35.0, 37.6, 36.7))}
    assert "idlib-rebel-area" in idlib
    assert "hajin-pocket" not in idlib and "baghdad" not in idlib
    whole = {f.id for f in in_frame(now, (35.0, 29.0, 48.5, 38.0))}
    assert {"idlib-rebel-area", "hajin-pocket", "baghdad"} <= whole


def test_streamed_gif_holds_the_frames_it_was_given(tmp_path: Path) -> None:
    """Pixels of each decoded frame equal the frame written; a repeated frame adds its time."""
    from geomap.export.gif import write_gif_stream

    base = np.full((40, 60, 3), 240, dtype=np.uint8)
    first = base.copy()
    second = base.copy()
    second[5:15, 10:30] = (213, 94, 0)  # a changed rectangle only
    third = second.copy()
    third[20:35, 40:55] = (0, 114, 178)
    frames = [first, second, second.copy(), third]
    out = tmp_path / "s.gif"
    assert write_gif_stream(iter(frames), out, [500, 100, 100, 900]) == 4
    with Image.open(out) as gif:
        assert gif.n_frames == 3 and gif.info.get("loop") == 0
        decoded, times = [], []
        for index in range(gif.n_frames):
            gif.seek(index)
            decoded.append(np.asarray(gif.convert("RGB")))
            times.append(gif.info["duration"])
    for got, want in zip(decoded, (first, second, third), strict=True):
        assert np.array_equal(got, want)
    assert times == [500, 200, 900]


def test_an_mp4_that_does_not_read_back_is_refused_and_leaves_the_old_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ffmpeg killed while writing the end of the file exits without a word: the file has
    no index. The export reads it back, fails with one line, and the previous file stays."""
    import imageio_ffmpeg

    def broken_writer(path: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        # An ffmpeg that dies after its header: a few bytes, no index, no error raised.
        Path(path).write_bytes(b"\x00\x00\x00\x20ftypisom")
        while True:
            frame = yield
            if frame is None:
                continue

    out = tmp_path / "a.mp4"
    out.write_bytes(b"the previous good file")
    monkeypatch.setattr(imageio_ffmpeg, "write_frames", broken_writer)
    options = ExportOptions(date_from=day("2019-01-01"), date_to=day("2019-02-10"))
    with pytest.raises(ExportError, match="did not come out whole"):
        export(dataset, "mp4", out, options)
    assert out.read_bytes() == b"the previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]  # no part file left
