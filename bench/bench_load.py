"""Load: many browser sessions changing the date at once; health latency and catch-up.

Usage: ``python bench/bench_load.py [--sessions 20] [--seconds 60]``

Starts ``geomap serve`` on 127.0.0.1 (a free port), opens ``--sessions`` pages
in Debian's Chromium (headless, external requests aborted), and for
``--seconds`` moves each page's date control on by a day once a second: a
timer inside each map frame sets the slider and fires its ``input`` event (the
path a drag takes), each session at its own phase, so all sessions change
their dates at once as people would (one Playwright connection pressing keys
on 20 pages in turn manages only about one press every two seconds each on
this machine). A thread asks
``/_stcore/health`` twice a second the whole time and records how long each
answer took (a timeout of 5 s counts as a failure).

When input stops, each session must catch up: its URL (``?date=``) and the
date in its notes panel must equal the date its map shows. The time until all
three agree is recorded per session (up to 20 s).

Bounded in count (at most 40 sessions) and time (at most 300 s of input), and
only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402

from tests.browser_support import MAP_IFRAME, VIEWPORT, Guard, geomap_server, launch  # noqa: E402

START_DATE = "2016-01-01"
HEADLINE = re.compile(r"(\d{4}-\d{2}-\d{2}) · IS-held area")


def poll_health(base: str, stop: threading.Event, out: list[float | None]) -> None:
    """Record the latency of ``/_stcore/health`` (None for a failure) until ``stop``."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as reply:
                ok = reply.status == 200
        except OSError:
            ok = False
        out.append(time.perf_counter() - started if ok else None)
        stop.wait(0.5)


START_TIMER = """phase => {
    const slider = document.querySelector('.gm-slider');
    window.__load = {changes: 0};
    setTimeout(() => {
        window.__load.timer = setInterval(() => {
            slider.value = String(+slider.value + 1);
            slider.dispatchEvent(new Event('input', {bubbles: true}));
            window.__load.changes += 1;
        }, 1000);
    }, phase);
}"""
STOP_TIMER = "() => { clearInterval(window.__load.timer); return window.__load.changes; }"


def map_frame(page: Page) -> Frame:
    """The frame that holds the Leaflet map."""
    for frame in page.frames:
        if frame != page.main_frame and frame.query_selector(".leaflet-container"):
            return frame
    raise RuntimeError("no map frame")


def map_date(page: Page) -> str | None:
    frame = page.frame_locator(MAP_IFRAME)
    return frame.locator(".leaflet-container").get_attribute("data-gm-date", timeout=5_000)


def views(page: Page) -> tuple[str | None, str | None, str | None]:
    """(map date, URL date, notes date) of one session."""
    url = re.search(r"date=(\d{4}-\d{2}-\d{2})", page.url)
    body = page.locator("[data-testid='stMarkdownContainer']").all_inner_texts()
    notes = next((m.group(1) for text in body if (m := HEADLINE.search(text))), None)
    return map_date(page), url.group(1) if url else None, notes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, 40))
    seconds = max(1.0, min(args.seconds, 300.0))

    with geomap_server(ROOT) as base, sync_playwright() as pw:
        assert base.startswith("http://127.0.0.1:")
        browser = launch(pw)
        pages: list[Page] = []
        guards: list[Guard] = []
        for _ in range(sessions):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            guard = Guard()
            guard.attach(page)
            page.goto(f"{base}/?date={START_DATE}")
            pages.append(page)
            guards.append(guard)
        for page in pages:
            frame = page.frame_locator(MAP_IFRAME)
            frame.locator("path.gm-layer-territory").first.wait_for(
                state="attached", timeout=120_000
            )
        print(f"{sessions} sessions open", file=sys.stderr)

        health: list[float | None] = []
        stop = threading.Event()
        poller = threading.Thread(target=poll_health, args=(base, stop, health), daemon=True)
        poller.start()
        frames = [map_frame(page) for page in pages]
        for index, frame in enumerate(frames):
            frame.evaluate(START_TIMER, 1000 * index / sessions)
        time.sleep(seconds)
        presses = sum(int(frame.evaluate(STOP_TIMER)) for frame in frames)
        input_stopped = time.perf_counter()

        catch_up: list[float | None] = [None] * sessions
        while time.perf_counter() - input_stopped < 20 and None in catch_up:
            for i, page in enumerate(pages):
                if catch_up[i] is None:
                    shown, url, notes = views(page)
                    if shown is not None and shown == url == notes:
                        catch_up[i] = time.perf_counter() - input_stopped
            time.sleep(0.2)
        stop.set()
        poller.join()
        external = sum(len(g.external) for g in guards)
        errors = sum(len(g.errors) for g in guards)
        browser.close()

    answered = [h for h in health if h is not None]
    caught = [c for c in catch_up if c is not None]
    print(f"sessions          : {sessions}, {presses} date changes in {seconds:.0f} s")
    if answered:
        median, p95 = statistics.median(answered) * 1000, percentile(answered, 0.95) * 1000
        print(
            f"health            : {len(answered)}/{len(health)} answered; median {median:.0f} ms, "
            f"p95 {p95:.0f} ms, max {max(answered) * 1000:.0f} ms"
        )
    else:
        print(f"health            : 0/{len(health)} answered")
    within = sum(1 for c in caught if c <= 3.0)
    print(
        f"caught up         : {len(caught)}/{sessions} sessions (URL, notes and map agree); "
        f"{within} within 3 s; slowest {max(caught):.1f} s"
        if caught
        else f"caught up         : 0/{sessions}"
    )
    print(f"external requests : {external}; page errors: {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
