"""The first visit after serving a fresh clone, step by step, cold and warm.

Run ``python bench/bench_first_visit.py`` (``--runs N`` repeats it on N fresh
clones). It ``git clone``s this checkout's committed HEAD into a temporary folder
(no prepared payload, no bundled script, no caches: what ``make run`` finds on a
fresh clone), starts ``python -m geomap.cli serve`` there with ``PYTHONPATH`` at
the clone and this venv's Python, and drives Debian's Chromium headless (the
browser tests' flags, every outside request aborted). Times are taken from the
moment the server process is started:

* **healthy**: ``/_stcore/health`` answers;
* **first content**: the page's title is visible;
* **progress shown**: a loading line (a ``role=status`` line) is in the page:
  the page's own while the server reads the data (``.gm-loading-page``), or
  the map frame's while its data downloads and it draws (``.gm-loading``); and
  what it said first;
* **map painted**: the first territory shape is in the map frame and the
  next animation frame has run.

Then the same page is opened again in a new browser context on the same server
(**warm visit**, timed from the navigation), and the clone is served a second
time (**second start**, timed from the server start, the payload now prepared).
It prints a Markdown table; numbers go to ``bench/README.md`` by hand. Never a
timed assert: this only measures.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import MAP_IFRAME, VIEWPORT, Guard, geomap_server, launch  # noqa: E402

#: Painted once the first territory shape is in the map frame.
PROBE = "path.gm-layer-territory"
WAIT_MS = 180_000


def visit(browser: Any, base: str, t0: float) -> dict[str, float | str]:
    """Open the app; seconds since ``t0`` until each step, and the first status text."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    Guard().attach(page)
    out: dict[str, float | str] = {}
    page.goto(base + "/", wait_until="commit")
    page.locator("h1").first.wait_for(state="visible", timeout=WAIT_MS)
    out["content"] = time.perf_counter() - t0
    out["status"], out["said"] = float("nan"), "-"  # drawn before it was seen, or none
    # The page's own line while the server reads the data, or else the map's frame.
    page.locator(f".gm-loading-page, {MAP_IFRAME}").first.wait_for(timeout=WAIT_MS)
    if page.locator(".gm-loading-page").count():
        out["status"], out["said"] = time.perf_counter() - t0, "(page) reading its data"
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(f".gm-loading, {PROBE}").first.wait_for(state="attached", timeout=WAIT_MS)
    status = frame.locator(".gm-loading")
    if status.count() and out["said"] == "-":
        out["status"] = time.perf_counter() - t0
        try:
            out["said"] = status.first.text_content(timeout=1_000) or ""
        except PlaywrightError:  # gone meanwhile: the map was drawn
            out["said"] = "(gone before read)"
    frame.locator(PROBE).first.wait_for(state="attached", timeout=WAIT_MS)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r(null)))")
    out["painted"] = time.perf_counter() - t0
    context.close()
    return out


def serve_and_visit(clone: Path, browser: Any, *, again: bool) -> list[dict[str, float | str]]:
    """Start ``geomap serve`` on ``clone``; time its first visit (and a second, if ``again``)."""
    os.environ["PYTHONPATH"] = str(clone)  # the clone's package, as its own venv would have
    t0 = time.perf_counter()
    with geomap_server(clone, app_dir=clone / "geomap" / "app") as base:  # as make run does
        healthy = time.perf_counter() - t0
        first = visit(browser, base, t0)
        first["healthy"] = healthy
        rows = [first]
        if again:
            t1 = time.perf_counter()
            warm = visit(browser, base, t1)
            warm["healthy"] = 0.0
            rows.append(warm)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="fresh clones to measure")
    parser.add_argument(
        "--rev", action="append", default=[],
        help="a commit to measure (repeatable: runs alternate between them; default HEAD)",
    )  # fmt: skip
    args = parser.parse_args()
    names = ("cold: fresh clone, first visit", "warm: second visit, same server",
             "second start of the same clone")  # fmt: skip
    revs = args.rev or ["HEAD"]
    rows: dict[tuple[str, str], list[dict[str, float | str]]] = {
        (rev, name): [] for rev in revs for name in names
    }
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            for _ in range(args.runs):
                for rev in revs:  # alternating, so that a busy spell hits every revision
                    with tempfile.TemporaryDirectory(prefix="geomap-first-") as folder:
                        clone = Path(folder) / "clone"
                        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
                        subprocess.run(["git", "-C", str(clone), "checkout", "-q", rev], check=True)
                        cold, warm = serve_and_visit(clone, browser, again=True)
                        (restart,) = serve_and_visit(clone, browser, again=False)
                    for name, row in zip(names, (cold, warm, restart), strict=True):
                        rows[(rev, name)].append(row)
        finally:
            browser.close()
    print("| rev | visit | healthy | first content | progress shown | map painted (max) "
          "| status said | n |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for (rev, name), found in rows.items():

        def med(key: str, found: list[dict[str, float | str]] = found) -> str:
            return f"{statistics.median(float(r[key]) for r in found):.2f} s"

        worst = max(float(r["painted"]) for r in found)
        said = str(found[0]["said"]).replace("\n", " ")
        print(
            f"| {rev} | {name} | {med('healthy')} | {med('content')} | {med('status')} "
            f"| **{med('painted')}** ({worst:.2f} s) | {said} | {len(found)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
