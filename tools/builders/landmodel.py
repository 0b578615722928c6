"""The land model: who held each piece of the land of Syria and Iraq on every date.

Method
------
1. **Grid.** The land of Syria and Iraq is rasterised in the regional
   equal-area CRS (:mod:`geomap.core.geodesy`) in square cells of
   :attr:`Params.cell_km`.
2. **Travel cost** per km of each cell, from the MODIS 2019 land cover
   (``data/landcover/igbp_2019.tif``, IGBP classes): cheap across cropland,
   towns and the river valleys (cells within :attr:`Params.valley_km` of the
   Euphrates or the Tigris), dearer across shrub and grass, dearest across
   barren desert (:attr:`Params.desert_cost`); lakes are nearly impassable and
   crossing a river channel costs :attr:`Params.river_crossing_km`.
3. **Reach of a place.** From every curated place (settlements, captured
   cities, Hajin) a least-cost search (``skimage.graph.MCP_Geometric``) gives
   the cost of reaching every cell within :attr:`Params.desert_reach_km`.
4. **Control on a date.** Each cell goes to the side whose held place is
   cheapest to reach, among the places whose desert reach (below) covers it.
   Within :attr:`Params.reach_km` that side *holds* the cell; beyond it, up to
   the desert reach, the cell is that side's *desert*: for the Islamic State
   this is the IS desert zone (ISW's support zones), where it moved freely but
   held no town. Beyond every side's desert reach the cell is open
   ground, held by no one. Settled ground is thus split between sides along
   least-cost fronts (rivers, deserts), not drawn as discs. A place's own cell
   always goes to its controller.
5. **Sourced pockets.** Desert a side held without towns, which no place's
   reach can give it, is drawn from :class:`Pocket` records: a ring of the
   places the besieging sides held round it, as a source describes the cordon
   ("IS besieged between the Sukhnah road and the Abu Kamal road"). On the
   stage's dates, every cell inside the ring, beyond a site's reach of its edge
   (the roads held), that no other side holds is held by the pocket's side
   (``tools/layers_src/desert_pockets.toml``).
6. **Pieces.** Cells with the same label on every date form the pieces
   (atoms) of the map. They are polygonised once, simplified together as a
   coverage (so neighbouring shapes stay seamless) and every layer's shape on
   a date is the union of its pieces.

Only a few global parameters are set (:class:`Params`); they are calibrated on
part of the published area figures, and the error on the rest is reported
(README, ``tools/calibrate.py``). Nothing is fitted per date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry

from geomap.core.geodesy import EQUAL_AREA_PROJ
from geomap.core.shapes import polygonal
from tools.builders.common import ROOT, Base, Place
from tools.builders.labels import LABELS

LANDCOVER = ROOT / "data" / "landcover" / "igbp_2019.tif"

#: Cost per km of each IGBP class, relative to cropland; ``None`` means the
#: desert cost parameter. Classes: 0 water, 1-5 forest, 6-7 shrubland,
#: 8-9 savanna, 10 grassland, 11 wetland, 12 cropland, 13 urban, 14 cropland
#: mosaic, 15 snow, 16 barren.
CLASS_COST: dict[int, float | None] = {
    0: 25.0,
    1: 1.5,
    2: 1.5,
    3: 1.5,
    4: 1.5,
    5: 1.5,
    6: 1.5,
    7: 1.5,
    8: 1.3,
    9: 1.3,
    10: 1.3,
    11: 2.0,
    12: 1.0,
    13: 1.0,
    14: 1.0,
    15: 3.0,
    16: None,
}


#: The countries of the land model, in the order of their codes in :attr:`Grid.country`.
MODEL_COUNTRIES = ("IQ", "SY")


@dataclass(frozen=True)
class Params:
    """The land model's parameters; nothing is set per date or per pocket.

    Three are calibrated on part of the published area figures
    (``tools/calibrate.py``): :attr:`reach_km`, :attr:`desert_cost` and
    :attr:`link_km`. The others are fixed constants of the method, each with
    its reason in ``tools/layers_src/territory.toml``.
    """

    reach_km: float = 22.0
    desert_cost: float = 2.5
    link_km: float = 40.0
    desert_reach_km: float = 110.0
    cell_km: float = 2.0
    valley_km: float = 4.0
    valley_cost: float = 0.8
    river_crossing_km: float = 12.0
    contested_km: float = 8.0
    siege_reach_km: float = 3.0
    kind_reach: dict[str, float] = field(
        default_factory=lambda: {"city": 1.0, "town": 0.8, "village": 0.5, "site": 0.5}
    )


@dataclass
class Grid:
    """The raster of the land, its travel cost and the geometry of its cells."""

    params: Params
    origin: tuple[float, float]  # west, north (metres, equal-area)
    shape: tuple[int, int]  # rows, cols
    land: np.ndarray  # bool
    cost: np.ndarray  # float64 cost per km, inf off land
    country: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), "int8"))  # 0 off land

    @property
    def cell_m(self) -> float:
        """Cell size in metres."""
        return self.params.cell_km * 1000.0

    def transform(self) -> object:
        """The rasterio affine transform of the grid."""
        from rasterio.transform import from_origin

        return from_origin(self.origin[0], self.origin[1], self.cell_m, self.cell_m)

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """Row and column of the cell holding equal-area point ``(x, y)``."""
        col = int((x - self.origin[0]) // self.cell_m)
        row = int((self.origin[1] - y) // self.cell_m)
        return row, col


def _rasterize(
    geoms: Iterable[BaseGeometry],
    grid_shape: tuple[int, int],
    transform: object,
    all_touched: bool = False,
) -> np.ndarray:
    from rasterio.features import rasterize

    shapes = [(g, 1) for g in geoms if not g.is_empty]
    if not shapes:
        return np.zeros(grid_shape, dtype=bool)
    out = rasterize(
        shapes,
        out_shape=grid_shape,
        transform=transform,
        fill=0,
        all_touched=all_touched,
        dtype="uint8",
    )
    return out.astype(bool)


def landcover_classes(grid_shape: tuple[int, int], transform: object) -> np.ndarray:
    """The IGBP class of every cell (nearest neighbour from the 0.05 degree raster)."""
    import rasterio
    from rasterio.warp import Resampling, reproject

    out = np.full(grid_shape, 255, dtype="uint8")
    with rasterio.open(LANDCOVER) as src:
        reproject(
            source=rasterio.band(src, 1),
            destination=out,
            dst_transform=transform,
            dst_crs=EQUAL_AREA_PROJ,
            resampling=Resampling.nearest,
        )
    return out


def build_grid(base: Base, params: Params) -> Grid:
    """Rasterise the land and compute its travel cost."""
    from scipy import ndimage

    land_geom = base.land
    west, south, east, north = land_geom.bounds
    cell = params.cell_km * 1000.0
    cols = int(np.ceil((east - west) / cell))
    rows = int(np.ceil((north - south) / cell))
    grid = Grid(
        params, (west, north), (rows, cols), np.zeros((rows, cols), bool), np.zeros((rows, cols))
    )
    transform = grid.transform()
    # Every cell touching the land, so the pieces (cut to the land) cover it to the border.
    land = _rasterize([land_geom], grid.shape, transform, all_touched=True)
    classes = landcover_classes(grid.shape, transform)
    cost = np.full(grid.shape, CLASS_COST[7] or 1.5)
    for cls, value in CLASS_COST.items():
        cost[classes == cls] = params.desert_cost if value is None else value
    rivers = list(base.rivers.values())
    channel = _rasterize(rivers, grid.shape, transform, all_touched=True)
    # Distance (in cells) from the river channel gives the valley.
    dist = ndimage.distance_transform_edt(~channel) * params.cell_km
    valley = dist <= params.valley_km
    cost[valley] = np.minimum(cost[valley], params.valley_cost)
    cost[channel] = params.river_crossing_km / params.cell_km
    cost[~land] = np.inf
    grid.land = land
    grid.cost = cost
    grid.country = country_raster(base, grid)
    return grid


def country_raster(base: Base, grid: Grid) -> np.ndarray:
    """The country of every land cell (:data:`MODEL_COUNTRIES` order from 1; 0 off land).

    Border cells that touch both countries go to the country nearest their centre.
    """
    from scipy import ndimage

    out = np.zeros(grid.shape, dtype="int8")
    for code, iso in enumerate(MODEL_COUNTRIES, start=1):
        out[_rasterize([base.countries[iso]], grid.shape, grid.transform())] = code
    missing = grid.land & (out == 0)
    if missing.any():
        _, (rr, cc) = ndimage.distance_transform_edt(out == 0, return_indices=True)
        out[missing] = out[rr[missing], cc[missing]]
    out[~grid.land] = 0
    return out


@dataclass(frozen=True)
class Pocket:
    """Desert a side held without towns, inside a ring of the places round it.

    One stage of a sourced pocket (:mod:`tools.builders.pockets`): over
    ``[start, end)`` the cells of ``ring`` (equal-area) beyond the cordon that no
    other side holds are ``controller``'s, held (``ground`` ``"held"``) or its
    desert (``"desert"``, where it moved but no longer held the ground). With
    ``"front"`` the ring is an enclave's reported front instead: ``controller``'s
    places inside it reach no cell beyond it, and nothing is filled.
    """

    id: str
    controller: str
    start: dt.date
    end: dt.date
    ring: BaseGeometry
    ground: str = "held"

    def on(self, day: dt.date) -> bool:
        """Whether the stage holds ``day``."""
        return self.start <= day < self.end

    @property
    def front(self) -> bool:
        """Whether the ring is an enclave's front (it bounds, it fills nothing)."""
        return self.ground == "front"

    @property
    def code(self) -> int:
        """The label code the pocket gives its cells."""
        if self.ground == "desert":
            return LABELS.desert(self.controller)
        return LABELS.held(self.controller)


def pocket_masks(grid: Grid, pockets: Sequence[Pocket]) -> list[tuple[Pocket, np.ndarray]]:
    """Every pocket stage with its cells: inside the ring, beyond the cordon, in one country.

    The ring runs through the posts and along the roads the besieging sides held;
    a road held is held like a chain of sites, so the cells within a site's reach
    (cost-distance, :func:`place_reach`) of the ring's edge are the cordon and stay
    as the places round them make them. A front's cells are all those inside its
    ring (in one country): the ring is the enclave's edge, not a cordon.
    """
    from skimage.graph import MCP_Geometric

    transform = grid.transform()
    cordon_km, _ = place_reach(grid.params, "site", besieged=False)
    out = []
    for pocket in pockets:
        inside = _rasterize([pocket.ring], grid.shape, transform) & grid.land
        if grid.country.size and inside.any():
            # Like a place's reach, a pocket stays in one country: the one most of it is in.
            codes, counts = np.unique(grid.country[inside], return_counts=True)
            inside &= grid.country == codes[int(np.argmax(counts))]
        edge = _rasterize([pocket.ring.exterior], grid.shape, transform, all_touched=True)
        starts = list(zip(*np.nonzero(edge & grid.land), strict=True))
        if starts and not pocket.front:  # a front is the enclave's edge itself
            mcp = MCP_Geometric(grid.cost, sampling=(grid.params.cell_km, grid.params.cell_km))
            cost, _ = mcp.find_costs(starts)
            inside &= ~(cost <= cordon_km)
        out.append((pocket, inside))
    return out


@dataclass
class Field:
    """The cost of reaching each cell of a window from one place."""

    place: Place
    rows: slice
    cols: slice
    cost: np.ndarray  # float32, inf beyond the desert reach
    cell: tuple[int, int]


def place_fields(grid: Grid, places: Sequence[Place]) -> dict[str, Field]:
    """A least-cost field for every place on land, cut to its desert reach."""
    from skimage.graph import MCP_Geometric

    params = grid.params
    min_cost = float(np.min(grid.cost[grid.land]))
    radius = int(np.ceil(params.desert_reach_km / (min_cost * params.cell_km))) + 1
    rows, cols = grid.shape
    out: dict[str, Field] = {}
    for place in places:
        r, c = grid.cell_of(place.point.x, place.point.y)
        if not (0 <= r < rows and 0 <= c < cols) or not grid.land[r, c]:
            r, c = _nearest_land(grid, r, c)
        r0, r1 = max(0, r - radius), min(rows, r + radius + 1)
        c0, c1 = max(0, c - radius), min(cols, c + radius + 1)
        window = grid.cost[r0:r1, c0:c1]
        if grid.country.size:
            # International borders bound a place's reach (fields stay in its country):
            # the country of its record, for a post on the border that the model's
            # coarse border line puts on the other side (Sini el-Arus, the Abu Kamal
            # crossing), else the country of its cell.
            own = _country_code(place.country) or grid.country[r, c]
            window = np.where(grid.country[r0:r1, c0:c1] == own, window, np.inf)
            window[r - r0, c - c0] = grid.cost[r, c]  # its own cell, either side
        mcp = MCP_Geometric(window, sampling=(params.cell_km, params.cell_km))
        cum, _ = mcp.find_costs([(r - r0, c - c0)])
        cum = cum.astype("float32")
        cum[cum > params.desert_reach_km] = np.inf
        out[place.id] = Field(place, slice(r0, r1), slice(c0, c1), cum, (r, c))
    return out


def _country_code(iso: str) -> int:
    """The :attr:`Grid.country` code of ``iso`` (0 for a country the model does not cover)."""
    return MODEL_COUNTRIES.index(iso) + 1 if iso in MODEL_COUNTRIES else 0


def _nearest_land(grid: Grid, r: int, c: int) -> tuple[int, int]:
    rr, cc = np.nonzero(grid.land)
    i = int(np.argmin((rr - r) ** 2 + (cc - c) ** 2))
    return int(rr[i]), int(cc[i])


def change_dates(
    places: Sequence[Place], start: dt.date, end: dt.date, pockets: Sequence[Pocket] = ()
) -> list[dt.date]:
    """Every date in ``[start, end)`` on which a place or a pocket changes, and ``start``."""
    days = {start}
    bounds = [(p.start, p.end) for place in places for p in place.periods]
    bounds += [(p.start, p.end) for p in pockets]
    for pair in bounds:
        for day in pair:
            if day is not None and start <= day < end:
                days.add(day)
    return sorted(days)


def place_reach(params: Params, kind: str, besieged: bool) -> tuple[float, float]:
    """How far (cost-distance) a place holds ground, and how far its desert reaches.

    A city holds the full :attr:`Params.reach_km`, smaller places a share of it
    (:attr:`Params.kind_reach`); a besieged or split place holds only its own
    ground (:attr:`Params.siege_reach_km`) and no desert.
    """
    if besieged:
        return params.siege_reach_km, params.siege_reach_km
    share = params.kind_reach.get(kind, 1.0)
    return params.reach_km * share, params.desert_reach_km * share


def labels_on(
    grid: Grid,
    fields: dict[str, Field],
    day: dt.date,
    pockets: Sequence[tuple[Pocket, np.ndarray]] = (),
) -> np.ndarray:
    """The label of every cell on ``day``: a code of :data:`tools.builders.labels.LABELS`.

    1. Each cell goes to the side whose held place is cheapest to reach, among the
       places whose desert reach covers it (the fronts between sides fall where
       their reaches meet). A place inside an enclave's reported front (a pocket
       stage with ``ground`` ``"front"``) reaches nothing beyond that front.
    2. A side *holds* the cells it wins within the reach of its places.
    3. IS-held ground is closed over the gaps narrower than :attr:`Params.link_km`
       between its held parts, and the enclosed gaps no larger than a link square
       are filled: ground between held towns on a held road or valley is held, not
       carved out (``close_gaps``). The closing crosses IS's desert and the desert
       another side only roams farther than :attr:`Params.reach_km` from its held
       ground, never ground another side holds nor the approaches to it (a front).
    4. Beyond that, cells a side wins up to its desert reach are its desert (for
       IS, the IS desert zone); the rest is open ground.
    5. Inside the ring of a sourced pocket (not a front) on ``day``, beyond its cordon
       (``pockets``, from :func:`pocket_masks`), every cell no other side holds
       is the pocket's side's: the desert it held (or roamed) without towns.
    6. Ground within :attr:`Params.contested_km` of a place under assault (whoever
       holds it) is contested.
    """
    params = grid.params
    best = np.full(grid.shape, np.inf, dtype="float32")
    who = np.zeros(grid.shape, dtype=LABELS.dtype)
    reach = np.zeros(grid.shape, dtype="float32")  # reach of the place that wins each cell
    desert_reach = np.zeros(grid.shape, dtype="float32")
    owned: list[tuple[tuple[int, int], int]] = []
    contested: list[Field] = []
    fronts = [(p, mask) for p, mask in pockets if p.front and p.on(day)]
    for f in fields.values():
        period = f.place.period_on(day)
        if period is None:
            continue
        if period.contested_by is not None:
            contested.append(f)
        index = LABELS.held(period.controller)
        own, own_desert = place_reach(params, f.place.kind, period.contested_by is not None)
        sub_best = best[f.rows, f.cols]
        cost = f.cost
        for front, inside in fronts:
            # A place inside an enclave's reported front reaches nothing beyond it.
            if front.controller == period.controller and inside[f.cell]:
                cost = np.where(inside[f.rows, f.cols], cost, np.inf)
        # A place competes only within its own desert reach: a cell beyond it goes to
        # the next cheapest place that reaches it, never to open ground for a near
        # place too small to hold or roam it.
        better = (cost < sub_best) & (cost <= own_desert)
        sub_best[better] = cost[better]
        who[f.rows, f.cols][better] = index
        reach[f.rows, f.cols][better] = own
        desert_reach[f.rows, f.cols][better] = own_desert
        owned.append((f.cell, index))
    held = (best <= reach) & grid.land
    is_code = LABELS.held("is")
    is_won = (who == is_code) & np.isfinite(best) & grid.land
    # Ground another side only roams (its desert), farther than a city's reach from
    # any ground it holds, is no front: the belt closes over it as over IS's own
    # desert. Nearer, it is the approach to that side's front and stays its own; the
    # belt never closes over held ground.
    link_cells = params.link_km / params.cell_km
    roamed = (who != is_code) & ~held & (best <= desert_reach) & grid.land
    if roamed.any():
        from scipy import ndimage

        other_held = held & (who != is_code)
        away = ndimage.distance_transform_edt(~other_held) * params.cell_km
        roamed &= away > params.reach_km
    is_held = close_gaps(held & is_won, is_won | roamed, link_cells)
    desert = who + LABELS.desert_offset
    labels = np.where(held, who, np.where(best <= desert_reach, desert, LABELS.open))
    labels[is_held] = is_code
    for pocket, mask in pockets:
        if pocket.on(day) and not pocket.front:
            other_held = held & (who != LABELS.held(pocket.controller))
            labels[mask & ~other_held] = pocket.code
    labels = labels.astype(LABELS.dtype)
    labels[~grid.land] = LABELS.open
    # A place's own cell, and where no other place sits the 3x3 block around it, go to
    # its controller, so that simplifying the outlines never moves a place across a front.
    rows, cols = grid.shape
    for (r, c), index in owned:
        block = labels[max(0, r - 1) : min(rows, r + 2), max(0, c - 1) : min(cols, c + 2)]
        land = grid.land[max(0, r - 1) : min(rows, r + 2), max(0, c - 1) : min(cols, c + 2)]
        block[land] = index
    for (r, c), index in owned:
        labels[r, c] = index
    # Ground near a place under assault, except other places' own cells.
    keep = np.zeros(grid.shape, dtype=bool)
    for (r, c), _index in owned:
        keep[r, c] = True
    for f in contested:
        keep[f.cell] = False
    for f in contested:
        near = f.cost <= params.contested_km
        sub = labels[f.rows, f.cols]
        sub[near & ~keep[f.rows, f.cols]] = LABELS.contested
    # A place not under assault keeps its own cell even where it shares it with one that is.
    besieged = {f.cell: f.place.period_on(day) for f in contested}
    for (r, c), index in owned:
        period = besieged.get((r, c))
        if period is not None and LABELS.held(period.controller) == index:
            continue  # the besieged place itself (or a same-side neighbour): contested
        labels[r, c] = index
    return labels


def close_gaps(held: np.ndarray, allowed: np.ndarray, link_cells: float) -> np.ndarray:
    """``held`` closed over gaps narrower than ``link_cells``, within ``allowed``.

    A morphological closing (a dilation then an erosion by half the link, both
    from Euclidean distance transforms), kept to the ``allowed`` cells so that it
    never crosses a front; then every hole of ``allowed`` cells enclosed by the
    result and no larger than a square of the link's side is filled too.
    """
    from scipy import ndimage

    if not held.any() or link_cells <= 0:
        return held
    radius = link_cells / 2.0
    grown = ndimage.distance_transform_edt(~held) <= radius
    closed = ndimage.distance_transform_edt(grown) > radius
    out = (closed | held) & allowed
    holes = ndimage.binary_fill_holes(out) & ~out
    if holes.any():
        parts, n = ndimage.label(holes)
        sizes = ndimage.sum_labels(np.ones_like(parts), parts, index=np.arange(1, n + 1))
        small = np.zeros(n + 1, dtype=bool)
        small[1:] = sizes <= link_cells**2
        out |= small[parts] & allowed
    return out


@dataclass
class History:
    """The labels of every cell on every snapshot date, and the pieces they make."""

    grid: Grid
    days: list[dt.date]
    labels: np.ndarray  # (days, rows, cols) of LABELS.dtype
    _pieces: list[tuple[BaseGeometry, np.ndarray]] | None = field(default=None, repr=False)

    @cached_property
    def piece_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """Piece id of every land cell (-1 off land) and each piece's labels by date."""
        n_days = len(self.days)
        flat = self.labels.reshape(n_days, -1).T  # cells x days
        land = self.grid.land.ravel()
        table, inverse = np.unique(flat[land], axis=0, return_inverse=True)
        ids = np.full(land.shape, -1, dtype="int32")
        ids[land] = inverse.ravel().astype("int32")
        return ids.reshape(self.grid.shape), table

    def own_labels(self, f: Field) -> np.ndarray:
        """A place's own label on every date.

        Its controller's, or contested while under assault (as :func:`labels_on` gives
        its cell); its cell's label where it has no record. Places that share a cell
        thus keep their own labels in their discs.
        """
        out = self.labels[:, f.cell[0], f.cell[1]].copy()
        for i, day in enumerate(self.days):
            period = f.place.period_on(day)
            if period is not None:
                held = LABELS.held(period.controller)
                out[i] = LABELS.contested if period.contested_by is not None else held
        return out

    def pieces(
        self, tolerance_m: float, land: BaseGeometry, fields: dict[str, Field]
    ) -> list[tuple[BaseGeometry, np.ndarray]]:
        """Polygons of the pieces (simplified together, cut to ``land``) with their labels.

        Every place also gets a small disc of its own (at most :data:`PLACE_DISC_M`
        across, less where places stand close together), carrying the labels of
        its cell: simplification never moves a place to the other side of a front.
        """
        if self._pieces is not None:
            return self._pieces
        from rasterio.features import shapes

        ids, table = self.piece_ids
        geoms: list[BaseGeometry] = []
        owners: list[int] = []
        mask = ids >= 0
        for gj, value in shapes(ids, mask=mask, transform=self.grid.transform(), connectivity=4):
            geoms.append(shape(gj))
            owners.append(int(value))
        simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance_m)
        discs = place_discs(fields, land)
        holes = shapely.union_all([d for d, _ in discs]) if discs else Polygon()
        out = []
        shapely.prepare(land)
        for geom, original, owner in zip(simplified, geoms, owners, strict=True):
            piece = geom if not geom.is_empty else original
            if not land.contains(piece):
                piece = shapely.make_valid(piece.intersection(land))
            if piece.intersects(holes):
                piece = shapely.make_valid(piece.difference(holes))
            piece = polygonal(piece)
            if not piece.is_empty:
                out.append((piece, table[owner]))
        for disc, f in discs:
            out.append((disc, self.own_labels(f)))
        self._pieces = out
        return out


#: Largest radius of the disc of land kept around each place (metres).
PLACE_DISC_M = 900.0


def place_discs(fields: dict[str, Field], land: BaseGeometry) -> list[tuple[BaseGeometry, Field]]:
    """A small disc around every place, none overlapping another, cut to the land."""
    points = [(f.place.point, f) for f in fields.values()]
    tree = shapely.STRtree([p for p, _ in points])
    out = []
    for i, (point, f) in enumerate(points):
        near = [j for j in tree.query(point.buffer(2 * PLACE_DISC_M)) if j != i]
        gap = min((point.distance(points[j][0]) for j in near), default=2 * PLACE_DISC_M)
        radius = min(PLACE_DISC_M, 0.45 * gap)
        if radius < 50:
            continue
        disc = point.buffer(radius, quad_segs=4).intersection(land)
        disc = polygonal(disc)
        if not disc.is_empty:
            out.append((disc, f))
    return out


def run_history(
    grid: Grid,
    fields: dict[str, Field],
    days: Sequence[dt.date],
    pockets: Sequence[tuple[Pocket, np.ndarray]] = (),
) -> History:
    """Labels on every date."""
    stack = np.stack([labels_on(grid, fields, d, pockets) for d in days])
    return History(grid, list(days), stack)


def union_where(
    pieces: Sequence[tuple[BaseGeometry, np.ndarray]], day_index: int, wanted: set[int]
) -> BaseGeometry:
    """Union of the pieces whose label on ``day_index`` is in ``wanted`` (a coverage union)."""
    chosen = [g for g, labels in pieces if int(labels[day_index]) in wanted]
    if not chosen:
        return Polygon()
    try:
        merged = shapely.coverage_union_all(np.array(chosen, dtype=object))
    except shapely.errors.GEOSException:
        # Pieces that touch only at a corner can trip the fast coverage union.
        merged = shapely.union_all(np.array(chosen, dtype=object))
    return shapely.make_valid(merged)


@dataclass(frozen=True)
class Run:
    """Snapshots ``first`` to ``last`` (inclusive) over which an area is the same pieces."""

    first: int
    last: int
    members: tuple[int, ...]


@dataclass
class LandState:
    """The land model run once per build, shared by the territory, Hajin and control builders."""

    params: Params
    grid: Grid
    places: list[Place]
    days: list[dt.date]
    end: dt.date
    history: History
    pieces: list[tuple[BaseGeometry, np.ndarray]]
    pockets: tuple[Pocket, ...] = ()

    def pockets_on(self, day: dt.date) -> list[Pocket]:
        """The sourced pocket stages that hold ``day`` and fill ground (not fronts)."""
        return [p for p in self.pockets if p.on(day) and not p.front]

    def day_index(self, day: dt.date) -> int:
        """Index of the snapshot holding ``day``."""
        index = (
            int(
                np.searchsorted(
                    np.array(self.days, dtype="datetime64[D]"),
                    np.datetime64(day, "D"),
                    side="right",
                )
            )
            - 1
        )
        if index < 0:
            raise ValueError(f"{day} is before the model starts ({self.days[0]})")
        return index

    def until(self, index: int) -> dt.date:
        """End (exclusive) of snapshot ``index``."""
        return self.days[index + 1] if index + 1 < len(self.days) else self.end

    def runs(self, wanted: set[int]) -> list[Run]:
        """Stretches of snapshots over which the pieces labelled ``wanted`` stay the same."""
        labels = np.stack([lab for _, lab in self.pieces])  # pieces x days
        inside = np.isin(labels, list(wanted))
        out: list[Run] = []
        previous: tuple[int, ...] | None = None
        for i in range(len(self.days)):
            members = tuple(int(j) for j in np.nonzero(inside[:, i])[0])
            if members != previous:
                out.append(Run(i, i, members))
                previous = members
            else:
                out[-1] = Run(out[-1].first, i, members)
        return [r for r in out if r.members]

    def union(self, index: int, labels: set[int]) -> BaseGeometry:
        """Union of the pieces with one of ``labels`` in snapshot ``index`` (equal-area)."""
        return polygonal(union_where(self.pieces, index, labels))

    def union_of(self, members: Sequence[int]) -> BaseGeometry:
        """Union of the pieces ``members`` (equal-area)."""
        chosen = [self.pieces[j][0] for j in members]
        try:
            merged = shapely.coverage_union_all(np.array(chosen, dtype=object))
        except shapely.errors.GEOSException:
            merged = shapely.union_all(np.array(chosen, dtype=object))
        return polygonal(shapely.make_valid(merged))


def land_state(
    base: Base,
    places: Sequence[Place],
    params: Params,
    start: dt.date,
    end: dt.date,
    simplify_km: float,
    pockets: Sequence[Pocket] = (),
) -> LandState:
    """Run the land model over ``[start, end)``."""
    grid = build_grid(base, params)
    fields = place_fields(grid, places)
    days = change_dates(places, start, end, pockets)
    history = run_history(grid, fields, days, pocket_masks(grid, pockets))
    pieces = history.pieces(simplify_km * 1000.0, base.land, fields)
    return LandState(params, grid, list(places), days, end, history, pieces, tuple(pockets))
