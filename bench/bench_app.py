"""Benchmark the app in headless Chromium: date change to new territory, first paint, payload.

Run from the repository root::

    python bench/bench_app.py [--samples 20]

Measures, in one run:

* **ours**: a key press (ArrowRight/ArrowLeft) on the map's date slider at a
  territory snapshot boundary, until a frame draws the new territory. The map is
  built once; the in-map script switches pre-built layers.
* **naive**: the same key press on a Streamlit ``st.slider`` in a minimal app that
  rebuilds the whole folium map (only that date's features) on every change.
* **first paint** of our page: navigation start until the territory is drawn.
* **payload**: the size of the map's embedded data, raw and gzipped.
* **per size** (``--sizes``, default a phone at 390x844 and a desktop at
  1440x900): the date change and first paint again at that viewport, and the
  first paint of a story link (``?story=hajin-2018&step=2``) until its card is
  painted.

Times come from the page's own clocks: the key event's timestamp and the first
animation frame after the one (polled in the top page across same-origin iframes)
in which the new territory's element is first in the document, i.e. once that
frame has been painted.

The naive app is measured last, on a server of its own, and may be slow: each of
its page loads (and each of its key presses) may take ``--naive-timeout`` seconds
(default 300). When it does not load in time, or fails in any other way, the run
still prints our numbers and reports the naive side as not loaded; ``--no-naive``
skips it. Its map script is the bundle :func:`geomap.web.js_bundle.served_script`
writes to ``$GEOMAP_APP_DIR/static/cache``, so that folder is the naive app's own
(the temporary folder holding ``naive_app.py`` and the ``static/`` Streamlit
serves beside it); otherwise the bundle's address is a 404 there and the map
never draws, however long one waits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The story whose link the story first paint opens.
STORY = "hajin-2018"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from geomap.core.geodesy import territory_records  # noqa: E402
from geomap.core.layers import LAYERS  # noqa: E402
from geomap.data.dataset import Dataset  # noqa: E402
from geomap.web.payload import build_payload, payload_json, record_class  # noqa: E402
from tests.browser_support import MAP_IFRAME, VIEWPORT, Guard, geomap_server, launch  # noqa: E402

#: The viewport of the main runs (the browser tests' size).
MAIN_VIEWPORT = ViewportSize(width=VIEWPORT["width"], height=VIEWPORT["height"])

NAIVE_APP = """
import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

import geomap.web.render
from geomap.data.dataset import Dataset
from geomap.web.js_bundle import served_script
from geomap.web.payload import build_payload, payload_json
from geomap.web.render import build_map
from geomap.core.timeline import TIMELINE_END, TIMELINE_START, state_at


@st.cache_resource
def data():
    dataset = Dataset()
    return dataset.features, dataset.basemap


@st.cache_resource
def script_url():
    # The map script bundle, written once per server as ours is (not once per rerun,
    # which would pick up, or fail on, a half-edited module in the source tree).
    return served_script()


geomap.web.render.served_script = script_url

st.set_page_config(layout="wide")
features, basemap = data()
raw = st.query_params.get("date")
start = dt.date.fromisoformat(raw) if raw else dt.date(2015, 1, 15)
day = st.slider("Date", TIMELINE_START, TIMELINE_END, start, format="YYYY-MM-DD")
payload = build_payload(state_at(features, day), basemap, initial=day)
st_folium(build_map(payload_json(payload)), height=640, use_container_width=True,
          returned_objects=[])
"""

# Polls every animation frame in the top page; records when `sel` exists in any
# same-origin iframe. Key events in the page or its iframes set the start time.
PROBE = """
([sel]) => {
  const g = window.__bench = {t0: null, t1: null};
  const hook = (w) => w.addEventListener('keydown', (e) => {
    if (g.t0 === null) g.t0 = w.performance.timeOrigin + e.timeStamp;
  }, {capture: true, once: true});
  hook(window);
  for (const f of document.querySelectorAll('iframe')) {
    try { hook(f.contentWindow); } catch (e) {}
  }
  const poll = () => {
    for (const f of document.querySelectorAll('iframe')) {
      let d = null;
      try { d = f.contentDocument; } catch (e) {}
      if (d && d.querySelector(sel)) {
        // the element is in this frame; stop the clock once that frame is painted
        requestAnimationFrame(() => { g.t1 = performance.timeOrigin + performance.now(); });
        return;
      }
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}
"""


def boundaries(count: int) -> list[tuple[dt.date, str, str]]:
    """Snapshot dates with the record classes before and after them."""
    snaps = territory_records(Dataset(ROOT).features)
    pairs = [
        (b.props.valid_from, record_class(a.key), record_class(b.key))
        for a, b in itertools.pairwise(snaps)
        if a.props.valid_to == b.props.valid_from
    ]
    step = max(1, len(pairs) // count)
    return pairs[::step][:count]


def wait_probe(page: Page, timeout_s: float = 30.0) -> float:
    page.wait_for_function(
        "() => window.__bench && window.__bench.t1 !== null", timeout=timeout_s * 1000
    )
    t0, t1 = page.evaluate("() => [window.__bench.t0, window.__bench.t1]")
    if t0 is None:
        raise RuntimeError("key event not seen")
    return float(t1 - t0)


class AppError(RuntimeError):
    """The Streamlit page shows an exception instead of the map."""


def open_map(page: Page, url: str, timeout_s: float = 60.0) -> float:
    """Open ``url`` and wait until the map has a territory shape; return the seconds taken.

    Raises :class:`AppError` as soon as the page shows a Streamlit exception (the
    map would never come) and Playwright's ``TimeoutError`` after ``timeout_s``.
    """
    start = time.perf_counter()
    page.goto(url, timeout=timeout_s * 1000)
    shape = page.frame_locator(MAP_IFRAME).locator("path.gm-layer-territory").first
    failed = page.locator('[data-testid="stException"]').first
    while True:
        left = timeout_s - (time.perf_counter() - start)
        try:
            shape.wait_for(state="attached", timeout=max(0.1, min(left, 2.0)) * 1000)
            return time.perf_counter() - start
        except PlaywrightTimeoutError:
            if failed.count():
                raise AppError(failed.inner_text().strip().splitlines()[0]) from None
            if left <= 2.0:
                raise


def bench_ours(
    page: Page, base: str, pairs: list[tuple[dt.date, str, str]], extra: str = ""
) -> list[float]:
    """Key presses across snapshot boundaries; ``extra`` adds URL parameters (layers)."""
    samples = []
    for day, before, after in pairs:
        open_map(page, f"{base}/?date={(day - dt.timedelta(days=1)).isoformat()}{extra}")
        frame = page.frame_locator(MAP_IFRAME)
        frame.locator(".gm-slider").focus()
        for key, target in (("ArrowRight", after), ("ArrowLeft", before)):
            page.evaluate(PROBE, [f"path.{target}"])
            page.keyboard.press(key)
            samples.append(wait_probe(page))
    return samples


@dataclass
class NaiveResult:
    """The naive app's key presses, its page loads (s), and why it stopped, if it did."""

    samples: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    failure: str | None = None
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def bench_naive(
    page: Page,
    base: str,
    pairs: list[tuple[dt.date, str, str]],
    timeout_s: float,
    out: NaiveResult,
) -> None:
    """Key presses on the naive app's ``st.slider``; fills ``out`` as it goes (kept on error)."""
    for day, _before, after in pairs:
        url = f"{base}/?date={(day - dt.timedelta(days=1)).isoformat()}"
        out.loads.append(open_map(page, url, timeout_s))
        page.locator('[data-testid="stSlider"] input[type="range"]').focus()
        page.evaluate(PROBE, [f"path.{after}"])
        page.keyboard.press("ArrowRight")
        out.samples.append(wait_probe(page, timeout_s))


def run_naive(
    browser: Browser, pairs: list[tuple[dt.date, str, str]], timeout_s: float
) -> NaiveResult:
    """Serve the naive app from a temporary folder and time it; never raises on its failure.

    The folder is the app's ``GEOMAP_APP_DIR`` too, so the map script bundle that
    :func:`geomap.web.render.build_map` writes to its ``static/cache`` is served.
    """
    out = NaiveResult()
    try:
        with tempfile.TemporaryDirectory(prefix="geomap-naive-") as tmp:
            folder = Path(tmp)
            naive = folder / "naive_app.py"
            naive.write_text(NAIVE_APP, encoding="utf-8")
            shutil.copytree(
                ROOT / "geomap" / "app" / "static",
                folder / "static",
                ignore=shutil.ignore_patterns("cache"),
            )
            with geomap_server(ROOT, app=naive, app_dir=folder) as naive_url:
                context = browser.new_context(viewport=MAIN_VIEWPORT)
                try:
                    page = context.new_page()
                    guard = Guard()
                    guard.attach(page)
                    try:
                        out.loads.append(open_map(page, naive_url, timeout_s))  # warm its cache
                        bench_naive(page, naive_url, pairs, timeout_s, out)
                    finally:
                        out.errors, out.external = guard.errors, guard.external
                finally:
                    context.close()
    except Exception as exc:  # the comparison must never stop the run
        what = f"stopped after {len(out.samples)} samples" if out.samples else "did not load"
        if "Timeout" in type(exc).__name__:
            out.failure = f"{what} within {timeout_s:.0f} s"
        else:
            first = str(exc).splitlines()[0] if str(exc) else ""
            out.failure = f"{what}: {type(exc).__name__}: {first}"
    return out


def bench_first_paint(
    browser: Browser,
    base: str,
    runs: int,
    viewport: ViewportSize = MAIN_VIEWPORT,
    query: str = "",
    probe: str = "path.gm-layer-territory",
) -> list[float]:
    """Navigation start until ``probe`` is painted, in a fresh context each run."""
    out = []
    for _ in range(runs):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base + "/" + query)
        page.evaluate(PROBE, [probe])
        page.wait_for_function("() => window.__bench.t1 !== null", timeout=60_000)
        out.append(page.evaluate("() => window.__bench.t1 - performance.timeOrigin"))
        context.close()
    return out


def payload_sizes() -> dict[str, tuple[int, int]]:
    """Raw and gzipped bytes of the whole payload and of the part each layer adds."""
    dataset = Dataset(ROOT)
    features, basemap, pieces = dataset.features, dataset.basemap, dataset.pieces

    def size(layers: set[str] | None) -> tuple[int, int]:
        feats = [f for f in features if layers is None or f.props.layer in layers]
        data = payload_json(build_payload(feats, basemap, pieces=pieces)).encode()
        return len(data), len(gzip.compress(data))

    whole = size(None)
    without_control = size({f.props.layer for f in features} - {"control"})
    return {
        "all": whole,
        "without control": without_control,
        "control adds": (whole[0] - without_control[0], whole[1] - without_control[1]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12, help="snapshot boundaries to cross")
    parser.add_argument(
        "--sizes",
        default="390x844,1440x900",
        help="viewports (WxH, comma-separated) for the per-size scrub and first paint "
        "('' for none)",
    )
    parser.add_argument(
        "--naive-timeout",
        type=float,
        default=300.0,
        help="seconds the naive app may take per page load and per key press (default 300)",
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive comparison")
    args = parser.parse_args()
    sizes_px = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",") if size]
    pairs = boundaries(args.samples)
    sizes = payload_sizes()
    naive = NaiveResult(failure="skipped (--no-naive)") if args.no_naive else None
    with geomap_server(ROOT) as ours_url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            context = browser.new_context(viewport=MAIN_VIEWPORT)
            page = context.new_page()
            guard = Guard()
            guard.attach(page)
            open_map(page, ours_url)  # warm the server's caches
            ours = bench_ours(page, ours_url, pairs)
            every_layer = ",".join(spec.name for spec in LAYERS)
            with_control = bench_ours(page, ours_url, pairs, f"&layers={every_layer}")
            context.close()
            paint = bench_first_paint(browser, ours_url, 5)
            per_size = []
            for width, height in sizes_px:
                viewport = ViewportSize(width=width, height=height)
                sized = browser.new_context(viewport=viewport)
                sized_page = sized.new_page()
                sized_guard = Guard()
                sized_guard.attach(sized_page)
                scrub = bench_ours(sized_page, ours_url, pairs[: max(4, len(pairs) // 2)])
                sized.close()
                guard.external += sized_guard.external
                guard.errors += sized_guard.errors
                plain = bench_first_paint(browser, ours_url, 5, viewport)
                story = bench_first_paint(
                    browser, ours_url, 5, viewport, f"?story={STORY}&step=2", ".gm-story-on"
                )
                per_size.append((f"{width}x{height}", scrub, plain, story))
            if naive is None:
                naive = run_naive(browser, pairs, args.naive_timeout)
        finally:
            browser.close()
    m_ours = statistics.median(ours)
    print(f"date change, ours : median {m_ours:6.1f} ms  (n={len(ours)}, max {max(ours):.1f})")
    m_all = statistics.median(with_control)
    print(
        f"  with every layer on (control of terrain too): median {m_all:6.1f} ms "
        f"(n={len(with_control)}, max {max(with_control):.1f})"
    )
    slow = naive.samples
    if slow:
        m_naive = statistics.median(slow)
        print(f"date change, naive: median {m_naive:6.1f} ms  (n={len(slow)}, max {max(slow):.1f})")
        print(f"speed-up          : {m_naive / m_ours:.1f}x")
    if naive.failure:
        print(
            f"date change, naive: {naive.failure}; no speed-up measured"
            if not slow
            else f"  naive {naive.failure}"
        )
    if naive.loads:
        print(
            f"naive page load   : median {statistics.median(naive.loads):6.1f} s "
            f"(n={len(naive.loads)}, max {max(naive.loads):.1f}; navigation to territory shape)"
        )
    print(f"first paint       : median {statistics.median(paint):6.0f} ms  (n={len(paint)})")
    for name, scrub, plain, story in per_size:
        print(
            f"at {name:9s}: date change median {statistics.median(scrub):6.1f} ms "
            f"(n={len(scrub)}, max {max(scrub):.1f}); first paint median "
            f"{statistics.median(plain):6.0f} ms, story link "
            f"{statistics.median(story):6.0f} ms (n={len(plain)} each)"
        )
    for what, (raw, packed) in sizes.items():
        print(f"map payload, {what:15s}: {raw / 1024:.0f} KiB raw, {packed / 1024:.0f} KiB gzipped")
    print(
        f"external requests : {len(guard.external)}; page errors: {len(guard.errors)}"
        f" (naive app: {len(naive.external)}; {len(naive.errors)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
