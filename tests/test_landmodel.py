"""The land model's control rule on a small grid made in code (tools/builders/landmodel.py).

A strip of uniform land, 2 km cells, one country: places at its ends, and the cells
between them labelled on one day. No input file is read.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from shapely.geometry import Point

from tools.builders.common import Period, Place
from tools.builders.labels import LABELS
from tools.builders.landmodel import Grid, Params, labels_on, place_fields

DAY = dt.date(2016, 1, 1)
CELL_KM = 2.0


def strip(cols: int, rows: int = 1) -> Grid:
    """``rows`` rows of ``cols`` land cells of cost 1 per km, all in one country."""
    params = Params(reach_km=10.0, desert_cost=1.0, link_km=0.0, desert_reach_km=100.0)
    shape = (rows, cols)
    grid = Grid(params, (0.0, CELL_KM * 1000.0), shape, np.ones(shape, bool), np.ones(shape))
    grid.country = np.ones(shape, dtype="int8")
    return grid


def place(pid: str, kind: str, col: int, side: str, row: int = 0) -> Place:
    """A place at the centre of cell (``row``, ``col``), held by ``side`` since 2014."""
    x = (col + 0.5) * CELL_KM * 1000.0
    y = CELL_KM * 1000.0 - (row + 0.5) * CELL_KM * 1000.0
    return Place(pid, pid, kind, Point(x, y), 0, (Period(dt.date(2014, 1, 1), None, side),))


def labels(grid: Grid, places: list[Place], row: int = 0) -> np.ndarray:
    return labels_on(grid, place_fields(grid, places), DAY)[row]


def test_a_cell_beyond_a_near_place_reach_goes_to_a_farther_place_that_reaches_it() -> None:
    """A site reaches its desert for 50 km (half of 100); a city 80 km away reaches 100.

    Past the site's reach the cells are the city's desert, never open ground between
    them (the 2-5 km seam at the Syria-Iraq border came from this).
    """
    grid = strip(60)
    site = place("site", "site", 0, "sdf")
    city = place("city", "city", 59, "is")
    got = labels(grid, [site, city])
    # cells 26-29 cost 52-58 from the site (beyond its 50) and 60-66 from the city: the
    # site is nearer, but only the city reaches them
    beyond_site = got[26:35]
    assert (beyond_site == LABELS.desert("is")).all(), beyond_site
    assert not (got == LABELS.open).any()
    # within the site's desert reach and nearer to it, the cells stay the site's side
    assert got[15] == LABELS.desert("sdf") and got[2] == LABELS.held("sdf")


@pytest.mark.parametrize("kind", ["city", "town", "village", "site"])
def test_ground_beyond_every_reach_is_open(kind: str) -> None:
    grid = strip(120)
    got = labels(grid, [place("p", kind, 0, "is")])
    share = Params().kind_reach[kind]
    last_desert = int(100.0 * share // CELL_KM)  # cell centres at 2k km from the place
    assert got[0] == LABELS.held("is")
    assert got[last_desert - 1] == LABELS.desert("is")
    assert (got[last_desert + 2 :] == LABELS.open).all()


def test_the_belt_closes_over_ground_another_side_only_roams_but_not_its_approaches() -> None:
    """Two bands of IS-held towns 68 km apart, and a site of another side between them.

    The belt (link 60 km) closes the 46 km between the bands' held ground. The site
    holds 5 km and wins the ground for about 16 km each way: the belt closes over what
    it only roams farther than ``reach_km`` (10 km) from its held cells, and leaves its
    held cells and their approaches to it.
    """
    grid = strip(80, rows=41)
    grid.params = Params(reach_km=10.0, desert_cost=1.0, link_km=60.0, desert_reach_km=100.0)
    bands = [place(f"is-{c}-{r}", "city", c, "is", r) for c in (10, 44) for r in range(41)]
    row = 20
    got = labels(grid, [*bands, place("site", "site", 27, "sdf", row)], row)
    sdf_held = np.flatnonzero(got == LABELS.held("sdf"))
    assert sdf_held.size and set(sdf_held) <= set(range(24, 31)), got
    sdf_won = [c for c in range(16, 39) if got[c] in (LABELS.held("sdf"), LABELS.desert("sdf"))]
    km_from_held = np.array([min(abs(c - h) for h in sdf_held) * CELL_KM for c in range(80)])
    # between the bands, every cell is IS-held but the site's ground and its approaches
    for c in range(16, 39):
        if km_from_held[c] > 10.0:
            assert got[c] == LABELS.held("is"), (c, got)
        elif km_from_held[c] > 0:
            assert got[c] == LABELS.desert("sdf"), (c, got)
    # the site won ground beyond its approaches, which the belt took
    assert min(sdf_won) > 16 and any(km_from_held[c] > 10.0 for c in (18, 19, 35, 36))


def test_a_sourced_pocket_holds_the_desert_inside_its_ring_but_not_the_cordon() -> None:
    """A ring of government posts round 60 km of empty desert, IS in none of them.

    Without the pocket the middle is open ground; with it, on its dates, every cell
    inside the ring beyond the cordon (a site's reach, 5 km here, from the ring's
    edge: the roads held) that the government does not hold is IS-held, the posts'
    held ground stays theirs, and nothing outside the ring changes.
    """
    from shapely.geometry import Polygon

    from tools.builders.landmodel import Pocket, pocket_masks

    grid = strip(40, rows=40)
    cells = ((5, 5), (5, 34), (34, 34), (34, 5))
    posts = [place(f"gov-{r}-{c}", "site", c, "government", r) for r, c in cells]
    km = CELL_KM * 1000.0
    corners = [((c + 0.5) * km, km - (r + 0.5) * km) for r, c in cells]
    ring = Polygon(corners)
    pocket = Pocket("p", "is", DAY, DAY + dt.timedelta(days=30), ring)
    masks = pocket_masks(grid, [pocket])
    fields = place_fields(grid, posts)
    without = labels_on(grid, fields, DAY)
    with_pocket = labels_on(grid, fields, DAY, masks)
    after = labels_on(grid, fields, DAY + dt.timedelta(days=30), masks)
    inside = masks[0][1]
    gov = LABELS.held("government")
    assert (without[20, 20] != LABELS.held("is")) and not (without == LABELS.held("is")).any()
    assert with_pocket[20, 20] == LABELS.held("is")
    # the edge runs along column 5: 2 and 4 km inside it is the cordon, 8 km is the pocket
    assert inside[20, 20] and not inside[20, 6] and not inside[20, 7] and inside[20, 9]
    assert with_pocket[20, 6] != LABELS.held("is") and with_pocket[20, 9] == LABELS.held("is")
    # the posts and the ground they hold are the government's, inside the ring too
    assert (with_pocket[without == gov] == gov).all()
    assert ((with_pocket == LABELS.held("is")) == (inside & (without != gov))).all()
    # outside the ring, and after the stage, nothing changes
    assert (with_pocket[~inside] == without[~inside]).all()
    assert (after == without).all()


def test_a_pocket_stays_in_the_country_most_of_its_ring_lies_in() -> None:
    """A ring over a border (columns 30 and up are another country) keeps to its own side."""
    from shapely.geometry import box

    from tools.builders.landmodel import Pocket, pocket_masks

    grid = strip(40, rows=40)
    grid.country[:, 30:] = 2
    cell = CELL_KM * 1000.0
    ring = box(2 * cell, -36 * cell, 36 * cell, -2 * cell)  # about columns 2-35, rows 3-36
    ((_, mask),) = pocket_masks(grid, [Pocket("p", "is", DAY, DAY + dt.timedelta(days=1), ring)])
    assert mask[20, 20] and mask[20, :30].any()
    assert not mask[:, 30:].any()


def test_a_border_post_reaches_into_its_records_country_not_the_one_its_cell_is_in() -> None:
    """Columns 20 and up are Iraq; a Syrian post's cell (20) lies just across the border.

    The coarse border line put Sini el-Arus, a Syrian post, 0.3 km inside Iraq: its reach
    must stay in Syria, as its record says, not run down the Iraqi side.
    """
    grid = strip(40)
    grid.country[:, :20] = 2  # Syria (codes follow MODEL_COUNTRIES: IQ 1, SY 2)
    syrian = Place(
        "post",
        "post",
        "site",
        place("x", "site", 20, "sdf").point,
        0,
        (Period(dt.date(2014, 1, 1), None, "sdf"),),
        "SY",
    )
    got = labels(grid, [syrian])
    assert got[20] == LABELS.held("sdf")  # its own cell, either side of the line
    # beyond the 3x3 block every place keeps round its own cell, Iraq is not its
    assert (got[22:] == LABELS.open).all(), got[22:]
    assert got[19] == LABELS.held("sdf") and got[5] == LABELS.desert("sdf")
    # without a record's country, the cell's country bounds it (as before)
    unnamed = place("post", "site", 20, "sdf")
    got = labels(grid, [unnamed])
    assert (got[:19] == LABELS.open).all() and got[25] != LABELS.open


def test_an_enclaves_reported_front_bounds_its_places_reach() -> None:
    """An IS village inside a front ring (columns 8 to 15) reaches nothing beyond it.

    Without the front its held ground and desert run out to its reach either side; with
    it, on the stage's dates, nothing of IS's lies outside the ring, nothing inside is
    filled beyond what the village holds, and another side's place is untouched.
    """
    from shapely.geometry import box

    from tools.builders.landmodel import Pocket, pocket_masks

    grid = strip(40)
    village = place("v", "village", 11, "is")
    other = place("g", "village", 36, "government")
    km = CELL_KM * 1000.0
    front = Pocket(
        "e", "is", DAY, DAY + dt.timedelta(days=30), box(8 * km, 0, 16 * km, km), "front"
    )
    masks = pocket_masks(grid, [front])
    inside = masks[0][1][0]
    assert inside[8:16].all() and not inside[:8].any() and not inside[16:].any()
    fields = place_fields(grid, [village, other])
    without = labels_on(grid, fields, DAY)[0]
    with_front = labels_on(grid, fields, DAY, masks)[0]
    after = labels_on(grid, fields, DAY + dt.timedelta(days=30), masks)[0]
    ours = (LABELS.held("is"), LABELS.desert("is"))
    assert np.isin(without[:8], ours).any() and np.isin(without[16:30], ours).any()
    assert not np.isin(with_front[~inside], ours).any(), with_front
    assert (with_front[inside] == without[inside]).all()  # inside, as the places make it
    assert (with_front[30:] == without[30:]).all()  # the other side's ground is unchanged
    assert (after == without).all()
