"""Choose the land model's global parameters on some published area figures; test on the rest.

Run by hand::

    python tools/calibrate.py [--write]

The published figures of IS-held area are curated in
``tools/layers_src/area_figures.toml``, each marked ``use = "fit"`` or
``use = "holdout"``. A grid search over the two parameters that shape the area
most, the reach of a held place (``reach_km``) and the cost of crossing desert
(``desert_cost``), minimises the mean absolute relative error of the IS-held
area on the *fit* figures only. It prints that error, and separately the error on
every held-out figure, which never influenced the choice. Only figures that
cover the whole caliphate (both countries) enter; the others are printed for
information. With ``--write`` the chosen pair is written to
``tools/layers_src/territory.toml``; rebuild the layers afterwards.

No parameter is set per date: one pair serves every snapshot from 2014 to 2019.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.atomic import write_text  # noqa: E402
from tools.builders import settlements  # noqa: E402
from tools.builders.common import SRC, BuildContext, load_base, read_toml  # noqa: E402
from tools.builders.labels import LABELS  # noqa: E402
from tools.builders.landmodel import (  # noqa: E402
    Params,
    build_grid,
    change_dates,
    labels_on,
    place_fields,
)

IS = LABELS.held("is")
REACHES = [float(r) for r in range(8, 102, 2)]
DESERT_COSTS = [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]


def figures() -> list[dict[str, Any]]:
    """The curated published figures, with the value in km² where it is an area."""
    with (SRC / "area_figures.toml").open("rb") as fh:
        return list(tomllib.load(fh)["figure"])


def held_km2(params: Params, places: list[Any], base: Any, days: list[dt.date]) -> dict[str, Any]:
    """IS-held km² on each day for one desert cost, for every reach in :data:`REACHES`."""
    grid = build_grid(base, params)
    fields = place_fields(grid, places)  # the reach does not change the least-cost fields
    cell_km2 = params.cell_km**2
    out: dict[float, list[float]] = {}
    for reach in REACHES:
        grid.params = dataclasses.replace(params, reach_km=reach)
        out[reach] = [float((labels_on(grid, fields, d) == IS).sum() * cell_km2) for d in days]
    return out


def main(argv: list[str] | None = None) -> int:
    """Search, report, and with ``--write`` store the chosen parameters."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the chosen parameters")
    args = parser.parse_args(argv)
    base = load_base()
    ctx = BuildContext(base, lambda name: [])
    settlements.build(ctx)
    places = ctx.results["places"]
    spec = read_toml("territory.toml")
    current = Params(**{k: v for k, v in spec["params"].items() if k != "simplify_km"})
    figs = [f for f in figures() if f["unit"] == "km2" and f["covers"] == "both"]
    days = [f["describes"] for f in figs]
    fit = [i for i, f in enumerate(figs) if f["use"] == "fit"]
    hold = [i for i, f in enumerate(figs) if f["use"] == "holdout"]
    values = np.array([float(f["value"]) for f in figs])
    best: tuple[float, float, float, list[float]] | None = None
    for cost in DESERT_COSTS:
        areas = held_km2(dataclasses.replace(current, desert_cost=cost), places, base, days)
        for reach, got in areas.items():
            err = float(np.mean(np.abs(np.array(got)[fit] - values[fit]) / values[fit]))
            if best is None or err < best[0]:
                best = (err, reach, cost, got)
    assert best is not None
    err, reach, cost, got = best
    print(f"chosen: reach_km = {reach}, desert_cost = {cost}")
    print(f"fit figures ({len(fit)}): mean absolute error {100 * err:.1f}%")
    for group, idx in (("fit", fit), ("holdout", hold)):
        for i in idx:
            f = figs[i]
            rel = 100 * (got[i] - values[i]) / values[i]
            print(
                f"  {group:8s} {f['describes']}  published {values[i]:>9,.0f} km²  "
                f"model {got[i]:>9,.0f} km²  error {rel:+6.1f}%  ({f['source_key']})"
            )
    if hold:
        herr = float(np.mean(np.abs(np.array(got)[hold] - values[hold]) / values[hold]))
        print(f"holdout figures ({len(hold)}): mean absolute error {100 * herr:.1f}%")
    shares = [
        f
        for f in figures()
        if f["covers"] == "both" and f["unit"] in ("percent_retaken", "percent_of_held")
    ]
    if shares:
        grid = build_grid(base, dataclasses.replace(current, desert_cost=cost, reach_km=reach))
        fields = place_fields(grid, places)
        cell = grid.params.cell_km**2
        peak_days = [d for d in change_dates(places, dt.date(2014, 6, 1), dt.date(2016, 1, 1))]
        series = [float((labels_on(grid, fields, d) == IS).sum() * cell) for d in peak_days]
        peak = max(series)
        print(f"shares of the peak ({peak:,.0f} km² at the chosen parameters), all held out:")
        for f in shares:
            held = float((labels_on(grid, fields, f["describes"]) == IS).sum() * cell)
            model = 100 * (1 - held / peak) if f["unit"] == "percent_retaken" else 100 * held / peak
            print(
                f"  {f['describes']}  {f['unit']:16s} published {f['value']:>5}%  "
                f"model {model:5.1f}%  ({f['source_key']})"
            )
    if args.write:
        path = SRC / "territory.toml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^reach_km = [\d.]+", f"reach_km = {reach}", text)
        text = re.sub(r"(?m)^desert_cost = [\d.]+", f"desert_cost = {cost}", text)
        write_text(path, text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
