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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The story whose link the story first paint opens.
STORY = "hajin-2018"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from geomap.core.geodesy import territory_records  # noqa: E402
from geomap.core.layers import LAYERS  # noqa: E402
from geomap.data.dataset import Dataset  # noqa: E402
from geomap.web.payload import build_payload, payload_json, record_class  # noqa: E402
from tests.browser_support import MAP_IFRAME, VIEWPORT, Guard, geomap_server, launch  # noqa: E402

NAIVE_APP = """
import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geomap.data.dataset import Dataset
from geomap.web.payload import build_payload, payload_json
from geomap.web.render import build_map
from geomap.core.timeline import TIMELINE_END, TIMELINE_START, state_at


@st.cache_resource
def data():
    dataset = Dataset()
    return dataset.features, dataset.basemap


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


def wait_probe(page: Page) -> float:
    page.wait_for_function("() => window.__bench && window.__bench.t1 !== null", timeout=30_000)
    t0, t1 = page.evaluate("() => [window.__bench.t0, window.__bench.t1]")
    if t0 is None:
        raise RuntimeError("key event not seen")
    return float(t1 - t0)


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.frame_locator(MAP_IFRAME).locator("path.gm-layer-territory").first.wait_for(
        state="attached", timeout=60_000
    )


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


def bench_naive(page: Page, base: str, pairs: list[tuple[dt.date, str, str]]) -> list[float]:
    samples = []
    for day, _before, after in pairs:
        open_map(page, f"{base}/?date={(day - dt.timedelta(days=1)).isoformat()}")
        page.locator('[data-testid="stSlider"] input[type="range"]').focus()
        page.evaluate(PROBE, [f"path.{after}"])
        page.keyboard.press("ArrowRight")
        samples.append(wait_probe(page))
    return samples


def bench_first_paint(
    browser: object,
    base: str,
    runs: int,
    viewport: dict[str, int] = VIEWPORT,
    query: str = "",
    probe: str = "path.gm-layer-territory",
) -> list[float]:
    """Navigation start until ``probe`` is painted, in a fresh context each run."""
    out = []
    for _ in range(runs):
        context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
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
        help="viewports (WxH, comma-separated) for the per-size scrub and first paint",
    )
    args = parser.parse_args()
    sizes_px = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",")]
    pairs = boundaries(args.samples)
    sizes = payload_sizes()
    with tempfile.TemporaryDirectory() as tmp:
        naive = Path(tmp) / "naive_app.py"
        naive.write_text(NAIVE_APP, encoding="utf-8")
        shutil.copytree(ROOT / "geomap" / "app" / "static", Path(tmp) / "static")
        with (
            geomap_server(ROOT) as ours_url,
            geomap_server(ROOT, app=naive) as naive_url,
            sync_playwright() as pw,
        ):
            browser = launch(pw)
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            guard = Guard()
            guard.attach(page)
            open_map(page, ours_url)  # warm both servers' caches
            open_map(page, naive_url)
            ours = bench_ours(page, ours_url, pairs)
            every_layer = ",".join(spec.name for spec in LAYERS)
            with_control = bench_ours(page, ours_url, pairs, f"&layers={every_layer}")
            slow = bench_naive(page, naive_url, pairs)
            context.close()
            paint = bench_first_paint(browser, ours_url, 5)
            per_size = []
            for width, height in sizes_px:
                viewport = {"width": width, "height": height}
                sized = browser.new_context(viewport=viewport)
                sized_page = sized.new_page()
                sized_guard = Guard()
                sized_guard.attach(sized_page)
                scrub = bench_ours(sized_page, ours_url, pairs[: max(4, len(pairs) // 2)])
                sized.close()
                plain = bench_first_paint(browser, ours_url, 5, viewport)
                story = bench_first_paint(
                    browser, ours_url, 5, viewport, f"?story={STORY}&step=2", ".gm-story-on"
                )
                per_size.append((f"{width}x{height}", scrub, plain, story))
            browser.close()
    m_ours, m_naive = statistics.median(ours), statistics.median(slow)
    print(f"date change, ours : median {m_ours:6.1f} ms  (n={len(ours)}, max {max(ours):.1f})")
    m_all = statistics.median(with_control)
    print(
        f"  with every layer on (control of terrain too): median {m_all:6.1f} ms "
        f"(n={len(with_control)}, max {max(with_control):.1f})"
    )
    print(f"date change, naive: median {m_naive:6.1f} ms  (n={len(slow)}, max {max(slow):.1f})")
    print(f"speed-up          : {m_naive / m_ours:.1f}x")
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
    print(f"external requests : {len(guard.external)}; page errors: {len(guard.errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
