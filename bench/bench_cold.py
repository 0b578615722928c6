"""Cold starts: fresh CLI processes, and the first visit after serving a fresh clone.

Run ``python bench/bench_cold.py`` (``make bench`` runs it). It measures:

* **CLI, fresh process** (median of ``--samples``): ``geomap state --date D
  --layer territory``, ``geomap state --date D`` (every layer) and ``geomap export
  --format png``; each is a new Python process, imports included.
* **First visit on a fresh clone**: ``git clone`` of this checkout's HEAD into a
  temporary folder (no prepared payload, no caches), then ``geomap serve`` on it
  (what ``make run`` starts, the venv being there already); the clock starts when
  the server process is started and stops when the browser has painted the
  territory. A second start of the same clone is measured the same way.

Numbers go to the README's benchmark section by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import VIEWPORT, geomap_server, launch  # noqa: E402

#: Painted once the first territory shape is in the map frame.
PROBE = "path.gm-layer-territory"


def fresh_process_seconds(cmd: list[str], samples: int, env: dict[str, str]) -> list[float]:
    """Wall time of ``cmd`` run ``samples`` times, each a new process."""
    out = []
    for _ in range(samples):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        out.append(time.perf_counter() - start)
    return out


def first_visit(clone: Path, browser: object) -> float:
    """Seconds from starting ``geomap serve`` on ``clone`` until the territory is painted."""
    os.environ["PYTHONPATH"] = str(clone)  # the clone's package, as its own venv would have
    start = time.perf_counter()
    with geomap_server(clone, app_dir=clone / "geomap" / "app") as base:  # as make run does
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(base + "/")
        page.frame_locator("iframe").first.locator(PROBE).first.wait_for(
            state="attached", timeout=180_000
        )
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r(null)))")
        elapsed = time.perf_counter() - start
        context.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--no-visit", action="store_true", help="only the CLI timings")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    geomap = [sys.executable, "-m", "geomap.cli"]
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as folder:
        out = Path(folder) / "m.png"
        day = ["--date", "2016-06-01"]
        png = ["--date", "2016-07-04", "--format", "png", "--quiet", "--out", str(out)]
        rows = [
            ("state --layer territory", [*geomap, "state", *day, "--layer", "territory"]),
            ("state (every layer)", [*geomap, "state", *day]),
            ("export --format png", [*geomap, "export", *png]),
        ]
        print("| fresh process | median | max | n |")
        print("|---|---|---|---|")
        for name, cmd in rows:
            times = fresh_process_seconds(cmd, args.samples, env)
            med, worst = statistics.median(times), max(times)
            print(f"| `geomap {name}` | **{med:.2f} s** | {worst:.2f} s | {len(times)} |")
        if args.no_visit:
            return 0
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                first = first_visit(clone, browser)
                second = first_visit(clone, browser)
            finally:
                browser.close()
        print(f"first visit on a fresh clone (serve start to painted map): **{first:.2f} s**")
        print(f"second start of the same clone: {second:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
