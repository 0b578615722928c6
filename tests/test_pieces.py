"""The land pieces file (geomap/data/pieces.py): read ready for display, refused whole when
it is of another version or holds a piece that is not a polygon of finite coordinates."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.data.pieces import (
    VERSION,
    display_settings,
    is_polygonal,
    key_runs,
    load_pieces,
    piece_keys,
    pieces_path,
)

SQUARE = {"type": "Polygon", "coordinates": [[[40, 34], [41, 34], [41, 35], [40, 34]]]}


KEYS = {"territory": ["a@2014-01-01", "a@2015-01-01", "b@2014-01-01"]}


def write(root: Path, pieces: list[dict[str, Any]], **head: Any) -> None:
    doc = {"format": "geomap-land-pieces", "version": VERSION, "display": display_settings()}
    doc.update({"layers": {}, "keys": KEYS, "pieces": pieces})
    doc.update(head)
    path = pieces_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_pieces_are_read_as_stored_and_made_shapes_only_when_asked(tmp_path: Path) -> None:
    write(tmp_path, [{"g": SQUARE, "r": {"territory": [[0, 2]]}}])
    (piece,) = load_pieces(tmp_path) or []
    assert piece.geojson is not None and piece.geojson["coordinates"] == SQUARE["coordinates"]
    assert piece.records == {"territory": ("a@2014-01-01", "a@2015-01-01")}
    assert "geometry" not in piece.__dict__
    assert piece.geometry.area == pytest.approx(0.5)


def test_record_keys_are_written_as_runs_into_the_sorted_key_table() -> None:
    tables = {"territory": {k: i for i, k in enumerate(KEYS["territory"])}}
    owner = {"territory": ["b@2014-01-01", "a@2014-01-01", "a@2015-01-01"]}
    assert key_runs(owner, tables) == {"territory": [[0, 3]]}
    assert key_runs({"territory": ["a@2014-01-01", "b@2014-01-01"]}, tables) == {
        "territory": [[0, 1], [2, 1]]
    }


@pytest.mark.parametrize(
    ("head", "g"),
    [
        ({"version": 1}, SQUARE),
        ({"display": {"simplify_deg": 0.001, "decimals": 5}}, SQUARE),
        ({}, {"type": "Point", "coordinates": [40, 34]}),
        ({}, {"type": "Polygon", "coordinates": [[[40, 34], [41, "34"], [41, 35], [40, 34]]]}),
        ({}, {"type": "Polygon", "coordinates": [[[40, 34], [41, math.inf], [41, 35], [40, 34]]]}),
        ({}, {"type": "Polygon", "coordinates": [[[40, 34], [41, True], [41, 35], [40, 34]]]}),
        ({}, {"type": "MultiPolygon", "coordinates": [[]]}),
        ({}, {"type": "Polygon", "coordinates": [[[40, 34], [40, 34]]]}),
    ],
    ids=["old version", "other display", "point", "text", "infinite", "bool", "empty", "short"],
)
def test_a_file_with_a_piece_the_browser_cannot_draw_is_refused_whole(
    tmp_path: Path, head: dict[str, Any], g: dict[str, Any]
) -> None:
    good = {"g": SQUARE, "r": {"territory": [[0, 1]]}}
    write(tmp_path, [good, {"g": g, "r": {"territory": [[2, 1]]}}], **head)
    assert load_pieces(tmp_path) is None


@pytest.mark.parametrize(
    "runs",
    [
        {"territory": [[2, 2]]},
        {"territory": [[-1, 1]]},
        {"territory": [[0, 0]]},
        {"territory": [[0, True]]},
        {"control": [[0, 1]]},
        {"territory": [0, 1]},
    ],
    ids=["past the end", "negative", "empty", "bool", "unknown layer", "not pairs"],
)
def test_a_piece_whose_runs_leave_its_key_table_is_refused(
    tmp_path: Path, runs: dict[str, Any]
) -> None:
    write(tmp_path, [{"g": SQUARE, "r": runs}])
    assert load_pieces(tmp_path) is None


def test_polygons_and_multipolygons_of_numbers_are_drawable() -> None:
    assert is_polygonal(SQUARE)
    assert is_polygonal({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]] * 2})
    assert not is_polygonal([SQUARE])


def test_the_keys_of_all_pieces_are_read_from_their_runs(tmp_path: Path) -> None:
    write(
        tmp_path,
        [{"g": SQUARE, "r": {"territory": [[0, 1]]}}, {"g": SQUARE, "r": {"territory": [[1, 2]]}}],
    )
    loaded = load_pieces(tmp_path) or []
    assert piece_keys(loaded) == set(KEYS["territory"])
    assert loaded[1].records == {"territory": ("a@2015-01-01", "b@2014-01-01")}


@given(st.sets(st.integers(min_value=0, max_value=400), max_size=60))
def test_payload_runs_cover_exactly_the_indexes(indexes: set[int]) -> None:
    """The payload's ``(first, count)`` runs of a piece's record indexes."""
    import numpy as np

    from geomap.web.payload import _runs

    runs = _runs(np.array(sorted(indexes), dtype=int))
    expanded = [i for first, count in runs for i in range(first, first + count)]
    assert expanded == sorted(indexes)
    # runs are maximal: two never touch
    assert all(a + n < b for (a, n), (b, _) in itertools.pairwise(runs))
