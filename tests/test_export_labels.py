"""Names, markers, legend and type on the printed maps (issue 20), on the shipped data.

Boxes are measured from the drawn figure (each text's window extent), colours sampled
from the rendered pixels and names read back by OCR, never taken from the code's own
estimates.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely
from matplotlib.text import Text
from PIL import Image
from shapely.affinity import rotate
from shapely.geometry import Polygon, box

from geomap.core.model import Ground, Kind
from geomap.data.dataset import Dataset
from geomap.export import ExportError, ExportOptions
from geomap.export.api import export_bytes
from geomap.export.furniture import INSET_CORNERS
from geomap.export.mapfigure import MapFigure
from geomap.export.options import BODY_MIN_PT, PRESETS, SCREEN_MIN_PX
from geomap.export.plan import check_request
from geomap.export.static import build_static

MOSUL_DAY = dt.date(2016, 10, 20)


def figure(dataset: Dataset, **options: object) -> MapFigure:
    plan = check_request(dataset, "png", ExportOptions(**options))  # type: ignore[arg-type]
    return build_static(dataset, plan)


def texts(fig: MapFigure) -> list[Text]:
    """Every visible, non-empty text of the figure."""
    return [
        t
        for t in fig.figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]


def boxes_of(fig: MapFigure, artists: list[Text]) -> np.ndarray:
    renderer = fig.canvas.get_renderer()
    return np.array([a.get_window_extent(renderer).extents for a in artists]).reshape(-1, 4)


def outline(fig: MapFigure, text: Text) -> Polygon:
    """The text's own rectangle in output pixels, turned with it (a river's name)."""
    renderer = fig.canvas.get_renderer()
    angle = text.get_rotation()
    if not angle:
        return box(*text.get_window_extent(renderer).extents)
    text.set_rotation(0)
    x0, y0, x1, y1 = text.get_window_extent(renderer).extents
    text.set_rotation(angle)
    # The names are anchored at their centre and turned about it.
    return rotate(box(x0, y0, x1, y1), angle, origin="center")


def map_names(fig: MapFigure) -> list[Text]:
    """The names drawn inside the map: places, towns, countries and rivers."""
    left, bottom, right, top = fig.ax.get_window_extent().extents
    boxes = boxes_of(fig, texts(fig))
    out = []
    for text, extent in zip(texts(fig), boxes, strict=True):
        if text in (fig.title, fig.subtitle) or text.get_text() in ("N",):
            continue
        if left <= extent[0] and extent[2] <= right and bottom <= extent[1] and extent[3] <= top:
            out.append(text)
    return out


def marker_centres(fig: MapFigure) -> np.ndarray:
    """Pixel centres of every place marker drawn (the scatter collections at zorder 7)."""
    centres = [
        fig.ax.transData.transform(c.get_offsets())
        for c in fig.ax.collections
        if c.get_zorder() == 7 and len(c.get_offsets())
    ]
    return np.vstack(centres) if centres else np.zeros((0, 2))


@pytest.mark.parametrize(
    ("options", "must"),
    [
        ({"date": MOSUL_DAY, "place": "mosul"}, {"Mosul", "Tal Afar", "Erbil", "Tigris"}),
        ({"date": dt.date(2018, 12, 20), "place": "hajin", "preset": "square"}, {"Hajin"}),
        ({"date": dt.date(2016, 7, 1)}, {"Baghdad", "Damascus", "IRAQ"}),
    ],
    ids=["mosul", "hajin-square", "region"],
)
def test_names_are_drawn_apart_and_off_the_markers(
    dataset: Dataset, options: dict[str, object], must: set[str]
) -> None:
    fig = figure(dataset, **options)
    try:
        fig.canvas.draw()
        names = map_names(fig)
        shown = {n.get_text().replace(" ", "") for n in names}
        for name in must:
            assert name.replace(" ", "") in shown, sorted(shown)
        shapes = [outline(fig, n) for n in names]
        for i in range(len(shapes)):
            for j in range(i + 1, len(shapes)):
                assert shapes[i].intersection(shapes[j]).area < 2.0, (
                    names[i].get_text(),
                    names[j].get_text(),
                )
        centres = shapely.points(marker_centres(fig))
        inset = box(*fig.ax.child_axes[0].get_window_extent(fig.canvas.get_renderer()).extents)
        for name, shape in zip(names, shapes, strict=True):
            assert not shapely.contains(shape, centres).any(), (
                f"{name.get_text()!r} covers a marker"
            )
            assert shape.intersection(inset).area < 1.0, f"{name.get_text()!r} is under the inset"
    finally:
        fig.close()


def test_the_region_map_leaves_out_minor_markers_and_shrinks_the_rest(dataset: Dataset) -> None:
    """At the whole region the app hides villages IS never held; so does the print."""
    region = figure(dataset, date=dt.date(2016, 7, 1))
    mosul = figure(dataset, date=MOSUL_DAY, place="mosul")
    try:
        assert region.zoom < 7 < mosul.zoom + 0.5
        region_sizes = np.concatenate(
            [c.get_sizes() for c in region.ax.collections if c.get_zorder() == 7]
        )
        mosul_sizes = np.concatenate(
            [c.get_sizes() for c in mosul.ax.collections if c.get_zorder() == 7]
        )
        assert region_sizes.max() < mosul_sizes.max()
        shown = dataset.state(dt.date(2016, 7, 1))
        points = [f for f in shown if f.geometry.geom_type == "Point"]
        assert len(marker_centres(region)) < len(points)
    finally:
        region.close()
        mosul.close()


def legend_texts(fig: MapFigure) -> list[str]:
    legends = [a.get_legend() for a in fig.figure.axes if a.get_legend() is not None]
    return [t.get_text().replace("\n", " ") for lg in legends for t in lg.get_texts()]


def test_the_legend_lists_only_what_the_frame_shows(dataset: Dataset) -> None:
    day = dt.date(2018, 10, 1)
    hajin = figure(dataset, date=day, place="hajin")
    idlib = figure(dataset, date=day, bbox=(35.8, 35.3, 37.2, 36.4))
    try:
        near_hajin, near_idlib = legend_texts(hajin), legend_texts(idlib)
        assert "Hajin pocket" in near_hajin
        assert not any("Idlib" in t or "Sochi" in t for t in near_hajin), near_hajin
        assert any("Idlib" in t for t in near_idlib), near_idlib
        assert "Hajin pocket" not in near_idlib
    finally:
        hajin.close()
        idlib.close()


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_keeps_its_body_text_legible(dataset: Dataset, name: str) -> None:
    """No text under 7 pt at print size, nor under 14 px on a screen preset."""
    preset = PRESETS[name]
    fig = figure(dataset, date=dt.date(2017, 3, 1), preset=name)
    try:
        assert (fig.size.width, fig.size.height) == (preset.size.width, preset.size.height)
        sizes = {t.get_text()[:30]: t.get_fontsize() for t in texts(fig)}
        assert len(sizes) > 10
        smallest = min(sizes.values())
        assert smallest >= BODY_MIN_PT, sorted(sizes.items(), key=lambda kv: kv[1])[:5]
        if preset.medium == "screen":
            assert smallest * fig.size.dpi / 72 >= SCREEN_MIN_PX
    finally:
        fig.close()


def test_a_paper_preset_is_the_paper(dataset: Dataset) -> None:
    for name, (w_in, h_in) in {"a4": (8.27, 11.69), "letter-landscape": (11.0, 8.5)}.items():
        size = PRESETS[name].size
        assert size.width / size.dpi == pytest.approx(w_in, abs=0.01)
        assert size.height / size.dpi == pytest.approx(h_in, abs=0.01)


def test_held_ground_stands_apart_from_the_desert_zone(dataset: Dataset) -> None:
    """Sampled pixels: IS-held ground is clearly darker than the IS desert zone beside it."""
    day = dt.date(2016, 7, 1)
    plan = check_request(dataset, "png", ExportOptions(date=day))
    fig = build_static(dataset, plan)
    try:
        rgb = fig.draw_rgb()
        shown = dataset.state(day, ["territory"])
        samples: dict[Ground, list[float]] = {Ground.held: [], Ground.desert: []}
        rng = np.random.default_rng(7)
        for f in shown:
            if f.props.kind not in (Kind.territory, Kind.desert) or f.props.ground is None:
                continue
            inner = f.geometry.buffer(-0.03)
            if inner.is_empty:
                continue
            west, south, east, north = inner.bounds
            lons, lats = rng.uniform(west, east, 400), rng.uniform(south, north, 400)
            hits = shapely.contains_xy(inner, lons, lats)
            for lon, lat in list(zip(lons[hits], lats[hits], strict=True))[:60]:
                col, row = fig.lonlat_to_pixel(float(lon), float(lat))
                samples[f.props.ground].append(float(rgb[int(row), int(col)].mean()))
        held, desert = np.median(samples[Ground.held]), np.median(samples[Ground.desert])
        assert len(samples[Ground.held]) >= 20 and len(samples[Ground.desert]) >= 20
        assert held < desert - 25, (held, desert)
    finally:
        fig.close()


def test_names_read_back_by_ocr(dataset: Dataset, tmp_path: Path) -> None:
    """At the social preset, tesseract reads the names of the framed city and its neighbours."""
    data = export_bytes(
        dataset, "png", ExportOptions(date=MOSUL_DAY, place="mosul", preset="social")
    )
    png = tmp_path / "map.png"
    image = Image.open(io.BytesIO(data)).convert("L")
    image.resize((image.width * 2, image.height * 2)).save(png)
    args = ["tesseract", str(png), "-", "--psm", "11"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    found = {name for name in ("Mosul", "Erbil", "Tal Afar", "Dohuk", "Sinjar") if name in text}
    assert len(found) >= 3, text


def test_subtitle_is_stated_with_the_date_and_area(dataset: Dataset) -> None:
    svg = export_bytes(
        dataset, "svg", ExportOptions(date=MOSUL_DAY, subtitle="Three days into the battle")
    ).decode()
    assert "Three days into the battle" in svg
    assert "IS-held area on 20 October 2016" in svg
    with pytest.raises(ExportError, match="--subtitle works with the map formats"):
        check_request(dataset, "gif", ExportOptions(subtitle="x"))
    with pytest.raises(ExportError, match="--subtitle holds the control character"):
        check_request(dataset, "png", ExportOptions(subtitle="ring\x07ring"))


def test_the_locator_inset_takes_the_quietest_corner(dataset: Dataset) -> None:
    """Framed on Mosul in October 2016 the lower right holds Kirkuk's front: the inset goes
    to a corner with fewer markers under it, measured on the drawn figure."""
    fig = figure(dataset, date=MOSUL_DAY, place="mosul")
    try:
        fig.canvas.draw()
        centres = marker_centres(fig)
        renderer = fig.canvas.get_renderer()
        inset = fig.ax.child_axes[0].get_window_extent(renderer)
        ax = fig.ax.get_window_extent(renderer)

        def under(rect: tuple[float, float, float, float]) -> int:
            x0, y0, x1, y1 = rect
            return int(
                (
                    (x0 < centres[:, 0])
                    & (centres[:, 0] < x1)
                    & (y0 < centres[:, 1])
                    & (centres[:, 1] < y1)
                ).sum()
            )

        mine = under(tuple(inset.extents))
        corners = {}
        for corner, (left, bottom, width, height) in INSET_CORNERS.items():
            corners[corner] = under(
                (
                    ax.x0 + left * ax.width,
                    ax.y0 + bottom * ax.height,
                    ax.x0 + (left + width) * ax.width,
                    ax.y0 + (bottom + height) * ax.height,
                )
            )
        assert fig.inset_corner != "lower right"
        assert mine == min(corners.values()) < corners["lower right"], corners
    finally:
        fig.close()


def test_arabic_names_are_shaped_and_read_right_to_left(dataset: Dataset, tmp_path: Path) -> None:
    """``--lang ar``: tesseract's Arabic model reads the names back, which it cannot do
    from unjoined letters or letters in the wrong order."""
    data = export_bytes(
        dataset, "png", ExportOptions(date=MOSUL_DAY, place="mosul", preset="social", lang="ar")
    )
    png = tmp_path / "map.png"
    image = Image.open(io.BytesIO(data)).convert("L")
    image.resize((image.width * 3, image.height * 3)).save(png)
    args = ["tesseract", str(png), "-", "-l", "ara", "--psm", "11"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    names = ("الموصل", "أربيل", "دهوك", "زاخو", "سنجار", "مخمور", "القيارة")
    found = [name for name in names if name in text]
    assert len(found) >= 3, text
    with pytest.raises(ExportError, match="--lang works with the map and animation formats"):
        check_request(dataset, "geojson", ExportOptions(lang="ar"))
    with pytest.raises(ExportError, match="--lang 'fr'"):
        check_request(dataset, "png", ExportOptions(lang="fr"))
