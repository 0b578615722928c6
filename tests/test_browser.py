"""The app in a real browser (Debian's Chromium through Playwright), fully offline.

Every request to a host other than 127.0.0.1 is aborted and counted; each test
ends by checking there were none and that the page raised no errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Frame,
    FrameLocator,
    Page,
    Route,
    expect,
    sync_playwright,
)

from geomap.data.dataset import Dataset
from tests.browser_support import MAP_IFRAME, VIEWPORT, Guard, geomap_server, launch

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 30_000


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with geomap_server(ROOT) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@dataclass
class App:
    page: Page
    guard: Guard
    base: str

    def open(self, query: str = "") -> FrameLocator:
        """Load the page and wait until the map has drawn its records."""
        self.page.goto(f"{self.base}/{query}")
        frame = self.page.frame_locator(MAP_IFRAME)
        frame.locator("path.gm-land").first.wait_for(state="attached", timeout=WAIT_MS)
        frame.locator(".leaflet-container[data-gm-date]").wait_for(timeout=WAIT_MS)
        return frame

    def map_date(self, frame: FrameLocator) -> str:
        value = frame.locator(".leaflet-container").get_attribute("data-gm-date")
        assert value is not None
        return value

    def wait_url(self, pattern: str) -> None:
        self.page.wait_for_url(re.compile(pattern), timeout=WAIT_MS)

    def assert_clean(self) -> None:
        assert self.guard.external == [], f"external requests: {self.guard.external}"
        assert self.guard.errors == [], f"page errors: {self.guard.errors}"


@pytest.fixture
def app(browser: Browser, server: str) -> Iterator[App]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    guard = Guard()
    guard.attach(page)
    yield App(page, guard, server)
    context.close()


def test_map_draws_offline_without_external_requests(app: App) -> None:
    frame = app.open()
    territory = frame.locator("path.gm-layer-territory.gm-kind-territory")
    territory.first.wait_for(state="attached", timeout=WAIT_MS)
    # Drawn from the shared land pieces: every piece shows the one record of the date.
    assert len(set(territory.evaluate_all("ps => ps.map(p => p.getAttribute('class'))"))) == 1
    assert frame.locator("path.gm-admin").count() > 10
    assert frame.locator("path.gm-river").count() >= 2
    assert frame.locator(".gm-place").count() > 20
    assert frame.locator("path.gm-layer-captured_cities").count() > 5
    expect(frame.locator(".gm-area")).to_contain_text("km²")
    assert app.map_date(frame) == "2015-01-15"
    box = app.page.locator(MAP_IFRAME).bounding_box()
    assert box is not None and box["height"] > 400
    app.assert_clean()


def test_key_press_on_date_control_changes_territory_and_url(app: App) -> None:
    frame = app.open("?date=2014-06-09")
    territory = frame.locator("path.gm-layer-territory.gm-kind-territory")
    # Attached, not visible: the first piece in the page can be a sliver too small to paint.
    territory.first.wait_for(state="attached", timeout=WAIT_MS)
    before = territory.first.get_attribute("class")
    pane = frame.locator(".leaflet-gm-territory-pane")
    frame.locator(".gm-slider").focus()
    app.page.keyboard.press("ArrowRight")
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-gm-date", "2014-06-10")
    expect(frame.locator("path.gm-rec-isis-territory-2014-06-10")).to_have_count(1)
    # One path per record drawn from the pieces, and the pane names the records it shows.
    classes = set(territory.evaluate_all("ps => ps.map(p => p.getAttribute('class'))"))
    assert before not in classes and len(classes) == 1
    expect(pane).to_have_attribute("data-gm-recs", re.compile(r"isis-territory@2014-06-10"))
    app.wait_url(r"date=2014-06-10")
    app.assert_clean()


def test_url_restores_date_place_and_layers(app: App) -> None:
    frame = app.open("?date=2016-03-01&place=mosul&layers=captured_cities,hajin")
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-gm-date", "2016-03-01")
    expect(frame.locator("path.gm-id-mosul.gm-selected")).to_have_count(1, timeout=WAIT_MS)
    expect(frame.locator("path.gm-id-mosul")).to_have_class(re.compile("gm-status-held"))
    expect(app.page.locator(".gm-notes[data-place='mosul'] h3")).to_have_text("Mosul")
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Mosul", timeout=WAIT_MS)
    assert frame.locator("path.gm-layer-territory").count() == 0
    assert not frame.locator(".gm-toggle-territory").is_checked()
    assert frame.locator(".gm-toggle-captured_cities").is_checked()
    app.assert_clean()


def test_bad_url_values_warn_and_show_default_view(app: App) -> None:
    frame = app.open("?date=2016-13-45&place=atlantis")
    alerts = app.page.locator(".gm-alert-warning")
    expect(alerts.filter(has_text="not a date")).to_have_count(1, timeout=WAIT_MS)
    expect(alerts.filter(has_text="not on this map")).to_have_count(1)
    assert app.map_date(frame) == "2015-01-15"
    app.wait_url(r"date=2015-01-15")
    assert "place=" not in app.page.url
    app.assert_clean()


def test_clicking_a_city_opens_its_notes_and_sources(app: App) -> None:
    frame = app.open("?date=2016-03-01")
    frame.locator("path.gm-id-raqqa").click()
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Raqqa", timeout=WAIT_MS)
    notes = app.page.locator(".gm-notes[data-place='raqqa']")
    expect(notes.locator("h3")).to_have_text("Raqqa", timeout=WAIT_MS)
    expect(notes).to_contain_text("Control history")
    sources = notes.locator("li.gm-source")
    assert sources.count() >= 1
    for href in notes.locator("li.gm-source a").evaluate_all("els => els.map(a => a.href)"):
        assert href.startswith(("http://", "https://"))
    app.wait_url(r"place=raqqa")
    app.assert_clean()


def test_search_flies_to_a_place_and_opens_its_notes(app: App) -> None:
    frame = app.open("?date=2016-03-01")
    box = app.page.get_by_role("textbox", name="Find a place")
    box.click()
    box.fill("Tadmur")  # Palmyra's Arabic name, transliterated
    app.page.keyboard.press("Enter")
    expect(app.page.locator(".gm-notes[data-place='palmyra'] h3")).to_have_text(
        "Palmyra", timeout=WAIT_MS
    )
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Palmyra", timeout=WAIT_MS)
    expect(frame.locator("path.gm-id-palmyra.gm-selected")).to_have_count(1)
    app.wait_url(r"place=palmyra")
    app.assert_clean()


def test_step_and_play_move_the_date(app: App) -> None:
    from geomap.core.timeline import events
    from geomap.data.io import load_layers

    start = dt.date(2014, 6, 1)
    expected = min(e.date for e in events(load_layers(ROOT)) if e.date > start)
    frame = app.open(f"?date={start.isoformat()}")
    frame.locator(".gm-next").click()
    expect(frame.locator(".leaflet-container")).to_have_attribute(
        "data-gm-date", expected.isoformat()
    )
    # The step reaches the app (its rerun writes the date into the address) before play.
    app.wait_url(rf"date={expected.isoformat()}")
    frame.locator(".gm-play").click()
    expect(frame.locator(".leaflet-container")).not_to_have_attribute(
        "data-gm-date", expected.isoformat()
    )
    frame.locator(".gm-play").click()
    app.assert_clean()


def test_fact_check_claim_sets_the_map_date_and_selects_its_place(app: App) -> None:
    frame = app.open()
    app.page.get_by_text("Fact check: reported figures").click()
    claim = app.page.locator(".gm-claim[data-claim='sinjar-tal-afar-fell-in-days']")
    expect(claim).to_have_attribute("data-verdict", "consistent", timeout=WAIT_MS)
    britain = app.page.locator(".gm-claim[data-claim='peak-size-of-britain']")
    expect(britain).to_have_attribute("data-verdict", "inconsistent")
    row = app.page.locator("[data-testid='stHorizontalBlock']").filter(has=claim)
    row.get_by_role("button", name="Show on map").click()
    expect(frame.locator(".leaflet-container")).to_have_attribute(
        "data-gm-date", "2018-09-11", timeout=WAIT_MS
    )
    expect(frame.locator("path.gm-id-sinjar.gm-selected")).to_have_count(1, timeout=WAIT_MS)
    # The panel is far below the map: the map is brought back into view.
    expect(app.page.locator(MAP_IFRAME)).to_be_in_viewport(timeout=WAIT_MS)
    expect(app.page.locator(".gm-notes[data-place='sinjar'] h3")).to_have_text("Sinjar")
    app.wait_url(r"place=sinjar")
    app.assert_clean()


def test_compare_mode_draws_gained_and_lost(app: App) -> None:
    app.open("?date=2017-06-26")
    app.page.get_by_text("Compare two dates").click()
    app.page.get_by_text("Compare", exact=True).click()
    compare_frame = app.page.frame_locator('iframe[title="streamlit_folium.st_folium"] >> nth=1')
    expect(compare_frame.locator("path.gm-compare-lost")).to_have_count(1, timeout=WAIT_MS)
    expect(compare_frame.locator("path.gm-compare-kept")).to_have_count(1)
    metrics = app.page.locator("[data-testid='stMetric']")
    expect(metrics.filter(has_text="Lost by IS")).to_contain_text("km²")
    ramadi = app.page.locator("li.gm-city-change[data-place='ramadi']")
    expect(ramadi).to_contain_text("retaken")
    app.page.get_by_text("Side by side").click()
    frames = app.page.locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frames).to_have_count(3, timeout=WAIT_MS)
    after = app.page.frame_locator('iframe[title="streamlit_folium.st_folium"] >> nth=2')
    expect(after.locator("path.gm-compare-kept")).to_have_count(1, timeout=WAIT_MS)
    app.assert_clean()


def typed_compare_date_applies_on_enter(app: App) -> None:
    """Type a date in Compare: the figures are marked stale until Enter, then change."""
    app.open("?date=2017-06-26")
    app.page.get_by_text("Compare two dates").click()
    app.page.get_by_text("Compare", exact=True).click()
    held = app.page.locator("[data-testid='stMetric']").filter(has_text="IS-held area")
    expect(held).to_contain_text("km²", timeout=WAIT_MS)
    old = held.inner_text()
    figures = app.page.locator(".st-key-cmp_figures")
    field = app.page.locator(".st-key-cmp_to input")
    field.fill("2015-06-01")  # typed, not applied: the old figures say so
    expect(figures).to_have_css("opacity", "0.35")
    app.page.keyboard.press("Enter")
    dates = app.page.locator(".gm-cmp-dates")
    expect(dates).to_contain_text("2015-06-01", timeout=WAIT_MS)
    expect(held).not_to_have_text(old, timeout=WAIT_MS)
    expect(figures).to_have_css("opacity", "1")
    app.assert_clean()


def test_typed_compare_date_applies_on_enter(app: App) -> None:
    typed_compare_date_applies_on_enter(app)


def test_download_png_of_the_current_view(app: App) -> None:
    app.open("?date=2016-07-04")
    app.page.get_by_text("Export this view").click()
    app.page.get_by_role("button", name="Prepare file").click()
    button = app.page.get_by_role("button", name=re.compile(r"Download geomap-2016-07-04\.png"))
    expect(button).to_be_visible(timeout=WAIT_MS)
    with app.page.expect_download(timeout=WAIT_MS) as info:
        button.click()
    path = info.value.path()
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Its numbered sources come with it, as the CLI writes them beside the picture.
    sources = app.page.get_by_role("button", name=re.compile(r"numbered sources"))
    expect(sources).to_be_visible(timeout=WAIT_MS)
    with app.page.expect_download(timeout=WAIT_MS) as info:
        sources.click()
    assert info.value.suggested_filename == "geomap-2016-07-04.sources.txt"
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Credits and sources of geomap-2016-07-04.png")
    app.assert_clean()


def test_repeated_commands_all_reach_the_map(app: App) -> None:
    # Each search sends a new command; the map must follow every one, not only the first.
    frame = app.open("?date=2016-03-01")
    box = app.page.get_by_role("textbox", name="Find a place")
    for name, pid in (("Palmyra", "palmyra"), ("الموصل", "mosul"), ("Raqqah", "raqqa")):
        box.click()
        box.fill(name)
        app.page.keyboard.press("Enter")
        expect(frame.locator(f"path.gm-id-{pid}.gm-selected")).to_have_count(1, timeout=WAIT_MS)
        expect(frame.locator(".leaflet-container")).to_have_attribute("data-gm-place", pid)
    app.assert_clean()


def test_the_map_says_it_is_loading_until_it_is_drawn(app: App) -> None:
    """While the map's data downloads, the map area has a status line a screen reader
    announces; it goes once the map is drawn. The payload is held back until the
    line has been checked, so no race decides the outcome."""
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.fallback()
        else:
            held.append(route)

    # By path: preload.js names the payload in its query string.
    app.page.route(lambda url: "/cache/payload-" in urlsplit(url).path, hold)
    app.page.goto(f"{app.base}/")
    frame = app.page.frame_locator(MAP_IFRAME)
    line = frame.get_by_role("status")
    expect(line).to_have_text(re.compile(r"Loading the map: downloading"), timeout=WAIT_MS)
    expect(line).to_have_attribute("aria-live", "polite")
    expect(line).to_be_visible()
    assert frame.locator("path.gm-land").count() == 0  # not drawn yet
    released = True
    for route in held:
        route.fallback()
    frame.locator("path.gm-land").first.wait_for(state="attached", timeout=WAIT_MS)
    expect(frame.locator(".gm-loading")).to_have_count(0, timeout=WAIT_MS)
    app.assert_clean()


def test_panels_load_when_opened_and_the_payload_is_fetched_once(app: App) -> None:
    """First paint: the panels below the map are computed on opening, and the payload
    that preload.js starts fetching is the one the map uses (one download, not two)."""
    payloads: list[str] = []
    app.page.on(
        "request",
        lambda r: payloads.append(r.url) if "/cache/payload-" in urlsplit(r.url).path else None,
    )
    frame = app.open()
    frame.locator("path.gm-layer-territory").first.wait_for(state="attached", timeout=WAIT_MS)
    assert len(payloads) == 1, payloads
    claims = app.page.locator(".gm-claim")
    expect(app.page.get_by_text("Fact check: reported figures")).to_be_visible()
    assert claims.count() == 0  # not sent with the first page
    app.page.get_by_text("Fact check: reported figures").click()
    expect(claims.first).to_be_attached(timeout=WAIT_MS)
    app.page.get_by_text("Area over time").click()
    expect(app.page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=WAIT_MS)
    app.assert_clean()


HOSTILE_LINKS = [
    "?place=![x](http://198.51.100.7/leak.png)",
    "?date=![x](http://198.51.100.7/leak.png)",
    "?layers=![x](http://198.51.100.7/leak.png)",
    "?place=[phish](http://198.51.100.7/)",
    "?place=%3Cimg%20src%3Dhttp%3A%2F%2F198.51.100.7%2Fx.png%3E",
    "?story=![x](http://198.51.100.7/leak.png)",
    "?story=hajin-2018&step=%3Cimg%20src%3Dhttp%3A%2F%2F198.51.100.7%2Fx.png%3E",
]


@pytest.mark.parametrize("query", HOSTILE_LINKS, ids=range(len(HOSTILE_LINKS)))
def test_hostile_shared_link_stays_text_and_contacts_no_host(app: App, query: str) -> None:
    app.open(query)
    alert = app.page.locator(".gm-alert-warning").first
    expect(alert).to_be_visible(timeout=WAIT_MS)
    assert "198.51.100.7" in alert.inner_text()  # shown as typed
    assert app.page.locator("a[href*='198.51.100.7'], img[src*='198.51.100.7']").count() == 0
    app.assert_clean()


def test_map_frame_policy_blocks_outside_hosts(app: App) -> None:
    """The Content-Security-Policy of the map's frame refuses an outside image."""
    failed: list[tuple[str, str | None]] = []
    app.page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
    app.open()
    frame = next(f for f in app.page.frames if f.url.startswith(app.base + "/component"))
    inner = frame if frame.query_selector(".leaflet-container") else frame.child_frames[0]
    violated = inner.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.blockedURI));
            const img = document.createElement('img');
            img.src = 'http://198.51.100.7/probe.png';
            document.body.appendChild(img);
            setTimeout(() => resolve(null), 3000);
        })"""
    )
    assert violated and "198.51.100.7" in violated
    # The browser refused the probe itself ("csp"): it never reached the network.
    assert failed == [("http://198.51.100.7/probe.png", "csp")]
    assert app.guard.external == ["http://198.51.100.7/probe.png"]
    assert app.guard.errors == []


# ------------------------------------------------------------------ layout and accessibility

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def serious_violations(*frames: Frame) -> list[str]:
    """axe-core's serious and critical findings in each frame (its own document only)."""
    found = []
    for where in frames:
        where.add_script_tag(path=str(AXE))
        result = where.evaluate(
            "() => axe.run(document, {iframes: false, resultTypes: ['violations']})"
        )
        found += [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found


@pytest.fixture
def sized(browser: Browser, server: str, request: pytest.FixtureRequest) -> Iterator[App]:
    context = browser.new_context(viewport=request.param)
    page = context.new_page()
    guard = Guard()
    guard.attach(page)
    yield App(page, guard, server)
    context.close()


def map_element(app: App) -> tuple[Frame, dict[str, float]]:
    """The map's frame and the map iframe's box on the page."""
    frame = next(f for f in app.page.frames if f.query_selector(".leaflet-container"))
    box = app.page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    return frame, box


def boxes(frame: Frame, selector: str) -> list[dict[str, float]]:
    return frame.evaluate(
        """sel => [...document.querySelectorAll(sel)]
            .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.offsetParent !== null)
            .map(e => { const r = e.getBoundingClientRect();
                        return {x: r.left, y: r.top, w: r.width, h: r.height}; })
            .filter(r => r.w > 0 && r.h > 0)""",
        selector,
    )


def overlapping(rects: list[dict[str, float]]) -> list[tuple[int, int]]:
    out = []
    for i, a in enumerate(rects):
        for j in range(i + 1, len(rects)):
            b = rects[j]
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                out.append((i, j))
    return out


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_phone_layout_fits_the_screen(sized: App) -> None:
    sized.open()
    frame, box = map_element(sized)
    assert box["width"] >= PHONE["width"] - 40  # the map fills the width (page margins aside)
    assert box["height"] >= 0.55 * PHONE["height"]
    on_screen = min(box["y"] + box["height"], PHONE["height"]) - box["y"]
    assert on_screen >= 0.55 * PHONE["height"]  # most of the first screen, without scrolling
    timeline = boxes(frame, ".gm-timeline")[0]
    track = boxes(frame, ".gm-track")[0]
    assert timeline["w"] >= box["width"] - 60 and track["w"] >= box["width"] - 90
    for button in boxes(frame, ".gm-btn"):
        assert button["h"] >= 40
    years = boxes(frame, ".gm-years span")
    assert len(years) >= 5 and overlapping(years) == []
    frame.locator(".gm-legend[data-gm-fitted]").wait_for(state="attached", timeout=WAIT_MS)
    legend = boxes(frame, ".gm-legend")[0]
    assert legend["h"] <= 60  # collapsed to its button
    frame.locator(".gm-legend-head").click()
    assert boxes(frame, ".gm-legend")[0]["h"] > 60
    sized.assert_clean()


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_phone_shared_link_shows_the_notes_on_the_first_screen(sized: App) -> None:
    sized.open("?place=mosul")
    notes = sized.page.locator(".gm-notes[data-place='mosul']")
    expect(notes).to_be_visible(timeout=WAIT_MS)
    heading = notes.locator("h3").bounding_box()
    assert heading is not None
    assert heading["y"] + heading["height"] <= PHONE["height"]  # no scrolling needed
    page_box = notes.bounding_box()
    assert page_box is not None and page_box["width"] >= PHONE["width"] - 60
    sized.assert_clean()


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_phone_title_is_clear_of_the_header(sized: App) -> None:
    sized.open()
    header = sized.page.locator("header").first.bounding_box()
    title = sized.page.locator("h1").first.bounding_box()
    assert header is not None and title is not None
    assert title["y"] >= header["y"] + header["height"] - 1
    sized.assert_clean()


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1440x900"])
def test_desktop_layout_gives_the_map_most_of_the_screen(sized: App) -> None:
    sized.open()
    frame, box = map_element(sized)
    assert box["width"] >= 0.6 * DESKTOP["width"]
    assert box["y"] + box["height"] <= DESKTOP["height"] + 1  # all of it above the fold
    assert box["height"] >= 0.6 * DESKTOP["height"]
    # The legend starts open only where it covers at most 15% of the map.
    frame.locator(".gm-legend[data-gm-fitted]").wait_for(state="attached", timeout=WAIT_MS)
    legend = boxes(frame, ".gm-legend")[0]
    assert legend["w"] * legend["h"] <= 0.15 * box["width"] * box["height"]
    head = frame.locator(".gm-legend-head")
    was = head.get_attribute("aria-expanded")
    head.click()
    assert head.get_attribute("aria-expanded") == ("false" if was == "true" else "true")
    sized.assert_clean()


@pytest.mark.parametrize("sized", [PHONE, DESKTOP], indirect=True, ids=["390x844", "1440x900"])
def test_labels_never_overprint(sized: App) -> None:
    sized.open()
    frame, _ = map_element(sized)
    for zoom in (0, 1, 2):
        if zoom:
            frame.evaluate(
                """() => new Promise(done => {
                    const map = window.geomap.map, box = map.getContainer();
                    map.once('moveend', () => {
                        const seen = +box.getAttribute('data-gm-declutter');
                        const wait = () => +box.getAttribute('data-gm-declutter') >= seen + 2
                            ? done() : requestAnimationFrame(wait);
                        requestAnimationFrame(wait);
                    });
                    map.zoomIn();
                })"""
            )  # until the labels have been placed again, and settled, after the zoom
        labels = boxes(frame, ".gm-place span")
        assert len(labels) >= 5
        assert overlapping(labels) == [], f"zoom +{zoom}"
    sized.assert_clean()


def test_the_developer_toolbar_is_hidden(app: App) -> None:
    app.open()
    expect(
        app.page.locator("[data-testid='stMainMenu'], [data-testid='stToolbar']").first
    ).to_be_attached()
    assert app.page.get_by_text("Deploy", exact=True).count() == 0
    app.assert_clean()


@pytest.mark.parametrize("sized", [PHONE, DESKTOP], indirect=True, ids=["390x844", "1440x900"])
def test_no_serious_accessibility_violations(sized: App) -> None:
    frame_locator = sized.open()
    frame_locator.locator(".gm-slider").wait_for()
    frame, _ = map_element(sized)
    assert serious_violations(sized.page.main_frame, frame) == []


def click_area(app: App, frame: FrameLocator, selector: str) -> None:
    """Click with the mouse a point of the map where ``selector``'s shape is on top.

    A real click, not a dispatched event: it must reach the shape through every pane
    and CSS rule above it (leaflet.css turns pointer events off for paths without
    Leaflet's interactive class).
    """
    point = frame.locator(selector).evaluate_all(
        """(els, sel) => {
          // The biggest shapes first, and a point whose neighbours 4 px away show the
          // same shape, so that the click cannot land on a sliver's edge.
          const big = els.map((el) => [el, el.getBoundingClientRect()])
            .sort((a, b) => b[1].width * b[1].height - a[1].width * a[1].height);
          const onTop = (el, x, y) => document.elementFromPoint(x, y) === el;
          for (const [el, r] of big.slice(0, 40)) {
            for (let i = 1; i < 24; i++) {
              for (let j = 1; j < 24; j++) {
                const x = r.left + (r.width * i) / 24, y = r.top + (r.height * j) / 24;
                if (x < 10 || y < 10 || x > innerWidth - 10 || y > innerHeight - 10) continue;
                if ([[0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]].every(
                  ([dx, dy]) => onTop(el, x + dx, y + dy))) return [x, y];
              }
            }
          }
          return null;
        }""",
        selector,
    )
    assert point is not None, f"no point of the map shows {selector} on top"
    box = app.page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    app.page.mouse.click(box["x"] + point[0], box["y"] + point[1])


@pytest.mark.parametrize(
    ("query", "selector", "thing", "words"),
    [
        ("?date=2015-06-01", "path.gm-kind-territory", "isis-territory", "Places inside held by"),
        ("?date=2015-06-01", "path.gm-kind-desert", "isis-desert-zone", "desert zone"),
        (
            "?date=2016-06-01&layers=control",
            "path.gm-layer-control.gm-side-government",
            "control-government",
            "Places inside",
        ),
        ("?date=2018-10-01&layers=hajin", "path.gm-layer-hajin", "hajin-pocket", "Hajin"),
        (
            "?date=2018-10-01&layers=idlib_front",
            "path.gm-layer-idlib_front",
            "idlib-rebel-area",
            "km²",
        ),
    ],
)
def test_every_kind_of_area_answers_a_click(
    app: App, query: str, selector: str, thing: str, words: str
) -> None:
    frame = app.open(query)
    frame.locator(selector).first.wait_for(state="attached", timeout=WAIT_MS)
    click_area(app, frame, selector)
    notes = app.page.locator(f".gm-notes[data-place='{thing}']")
    expect(notes).to_contain_text("km²", timeout=WAIT_MS)
    expect(notes).to_contain_text(words)
    expect(notes.locator("li.gm-source").first).to_be_attached()
    expect(frame.locator(".leaflet-popup-content")).to_be_visible()
    app.wait_url(rf"place={thing}")
    app.assert_clean()


def focused(app: App) -> str:
    """What has the keyboard's focus, looking into the map's frame."""
    return str(
        app.page.evaluate(
            """() => {
              let el = document.activeElement;
              if (el && el.tagName === "IFRAME") { el = el.contentDocument.activeElement; }
              return el ? el.tagName + "." + (el.getAttribute("class") || "") : "";
            }"""
        )
    )


def test_the_date_slider_is_a_few_tab_presses_from_the_top(app: App) -> None:
    frame = app.open()
    app.page.locator("body").focus()
    presses = 0
    while "gm-slider" not in focused(app):
        presses += 1
        assert presses <= 10, f"the slider is more than 10 Tab presses away ({focused(app)})"
        app.page.keyboard.press("Tab")
    # The skip link inside the map's frame goes straight to the slider.
    frame.locator("a.gm-skip").focus()
    app.page.keyboard.press("Enter")
    assert "gm-slider" in focused(app)
    app.assert_clean()


def test_map_shapes_share_one_roving_tab_stop(app: App) -> None:
    frame = app.open("?date=2016-03-01")
    stop = frame.locator("path[tabindex='0']")
    expect(stop).to_have_count(1, timeout=WAIT_MS)
    first = stop.get_attribute("aria-label")
    assert first
    stop.focus()
    app.page.keyboard.press("ArrowRight")
    expect(stop).to_have_count(1)
    second = stop.get_attribute("aria-label")
    assert second and second != first and "path." in focused(app)
    app.page.keyboard.press("Enter")
    expect(app.page.locator(".gm-notes[data-place]")).to_be_attached(timeout=WAIT_MS)
    expect(frame.locator(".leaflet-popup-content")).to_be_visible()
    app.assert_clean()


def test_clicking_a_control_area_after_a_date_change_shows_its_side(app: App) -> None:
    """Pieces keep one tooltip, popup and click handler that read the record shown now."""
    frame = app.open("?date=2017-10-16&layers=control")
    frame.locator(".gm-slider").focus()
    app.page.keyboard.press("ArrowRight")  # Raqqa city fell: a new snapshot on 2017-10-17
    expect(frame.locator(".leaflet-container")).to_have_attribute(
        "data-gm-date", "2017-10-17", timeout=WAIT_MS
    )
    piece = frame.locator("path.gm-rec-control-sdf-2017-10-17")
    expect(piece).to_have_count(1)
    piece.dispatch_event("click")
    expect(app.page.locator(".gm-notes[data-place='control-sdf']")).to_contain_text(
        "km²", timeout=WAIT_MS
    )
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("SDF")
    app.assert_clean()


# ------------------------------------------------------------------ story mode

STORY = "hajin-2018"


@functools.cache
def story_steps() -> list[tuple[str, str, str | None]]:
    """(title, date, selected place) of each step of the shipped story."""
    from geomap.data.stories import load_stories

    return [(s.title, s.date.isoformat(), s.place) for s in load_stories(ROOT)[STORY].steps]


def on_step(frame: FrameLocator, number: int) -> None:
    container = frame.locator(".leaflet-container")
    expect(container).to_have_attribute("data-gm-step", str(number), timeout=WAIT_MS)
    title, date, _ = story_steps()[number - 1]
    expect(container).to_have_attribute("data-gm-date", date)
    expect(frame.locator(".gm-story-title")).to_have_text(title)
    expect(frame.locator(".gm-story-count")).to_contain_text(f"Step {number} of ")


def settled(frame: Frame) -> None:
    """Wait until the map has stopped moving (a flight to the step's frame lasts < 1 s)."""
    frame.evaluate(
        """() => new Promise(done => {
            const map = window.geomap.map;
            let last = '', still = 0;
            const tick = () => {
                const now = map.getCenter().toString() + map.getZoom();
                still = now === last ? still + 1 : 0;
                last = now;
                if (still >= 10) { done(); } else { requestAnimationFrame(tick); }
            };
            tick();
        })"""
    )


def test_story_opens_from_a_link_and_steps_with_buttons_and_keys(app: App) -> None:
    frame = app.open(f"?story={STORY}&step=3")
    on_step(frame, 3)
    expect(frame.locator("path.gm-id-sinjar.gm-selected")).to_have_count(1, timeout=WAIT_MS)
    expect(app.page.locator(".gm-notes[data-place='sinjar'] h3")).to_have_text("Sinjar")
    frame.locator(".gm-story-next").click()
    on_step(frame, 4)
    app.wait_url(rf"story={STORY}&step=4")
    assert frame.locator(".gm-toggle-hajin").is_checked() is False  # the step's layers
    # The keyboard: the focus stays on the card's button, the arrows step on.
    assert frame.locator(".gm-story-next").evaluate("b => b === document.activeElement")
    app.page.keyboard.press("ArrowRight")
    on_step(frame, 5)
    app.page.keyboard.press("ArrowLeft")
    on_step(frame, 4)
    # Moving the date away from the step: the card offers the way back.
    back = frame.locator(".gm-story-back")
    expect(back).to_be_hidden()
    frame.locator(".gm-slider").focus()
    app.page.keyboard.press("PageUp")
    expect(back).to_be_visible()
    back.click()
    on_step(frame, 4)
    expect(back).to_be_hidden()
    app.page.keyboard.press("End")
    on_step(frame, len(story_steps()))
    assert frame.locator(".gm-story-next").is_disabled()
    app.wait_url(rf"step={len(story_steps())}")
    app.page.keyboard.press("Escape")
    expect(frame.locator(".gm-story-start")).to_be_visible()
    app.page.wait_for_url(lambda url: "story=" not in url, timeout=WAIT_MS)
    app.assert_clean()


def test_a_bad_story_link_warns_and_opens_step_one(app: App) -> None:
    frame = app.open(f"?story={STORY}&step=99")
    on_step(frame, 1)
    expect(app.page.get_by_text("is not a step of this story")).to_be_visible()
    app.open("?story=no-such-story")
    expect(app.page.get_by_text("is not one of this map's")).to_be_visible()
    app.assert_clean()


def test_start_button_beside_the_map_opens_the_story(app: App) -> None:
    frame = app.open()
    app.page.get_by_role("button", name="Start the story").click()
    on_step(frame, 1)
    app.wait_url(rf"story={STORY}&step=1")
    expect(app.page.get_by_text("Story, step 1 of")).to_be_visible()
    app.assert_clean()


@pytest.mark.parametrize("sized", [PHONE, DESKTOP], indirect=True, ids=["390x844", "1440x900"])
def test_story_frames_the_selected_place_clear_of_the_card(sized: App) -> None:
    """The flight leaves the selected place in the open part of the map."""
    locator = sized.open(f"?story={STORY}&step=6")  # Mosul
    on_step(locator, 6)
    frame, box = map_element(sized)
    settled(frame)
    card = boxes(frame, ".gm-story")[0]
    timeline = boxes(frame, ".gm-timeline")[0]
    assert card["x"] >= 0 and card["x"] + card["w"] <= box["width"] + 1
    assert card["h"] <= 0.5 * box["height"]
    marker = boxes(frame, "path.gm-id-mosul")[0]
    centre = (marker["x"] + marker["w"] / 2, marker["y"] + marker["h"] / 2)
    assert 0 < centre[0] < box["width"] and 0 < centre[1] < box["height"]
    for cover in (card, timeline):
        inside = (
            cover["x"] <= centre[0] <= cover["x"] + cover["w"]
            and cover["y"] <= centre[1] <= cover["y"] + cover["h"]
        )
        assert not inside, (centre, cover)
    # The whole of the step's frame lies in the open part: beside the card (under it on a
    # phone) and above the timeline.
    west, south, east, north = frame.evaluate(
        """() => { const g = window.geomap, b = g.story.steps[g.stepNo - 1].bounds;
                   const sw = g.map.latLngToContainerPoint(b[0]);
                   const ne = g.map.latLngToContainerPoint(b[1]);
                   return [sw.x, sw.y, ne.x, ne.y]; }"""
    )
    if sized.page.viewport_size == PHONE:
        assert north >= card["y"] + card["h"] - 2
    else:
        assert west >= card["x"] + card["w"] - 2
    assert south <= timeline["y"] + 2
    assert east <= box["width"] + 2
    for button in boxes(frame, ".gm-story-nav .gm-btn"):
        assert button["h"] >= (40 if sized.page.viewport_size == PHONE else 30)
    sized.assert_clean()


@pytest.mark.parametrize("sized", [PHONE, DESKTOP], indirect=True, ids=["390x844", "1440x900"])
def test_no_serious_accessibility_violations_in_story_mode(sized: App) -> None:
    locator = sized.open(f"?story={STORY}&step=2")
    on_step(locator, 2)
    locator.locator(".gm-story-checks summary").click()  # opened details are checked too
    frame, _ = map_element(sized)
    assert serious_violations(sized.page.main_frame, frame) == []
    # Every control of the card has an accessible name and takes the keyboard's focus.
    for selector in (".gm-story-prev", ".gm-story-next", ".gm-story-close"):
        control = locator.locator(selector)
        assert control.get_attribute("aria-label")
        control.focus()
        assert control.evaluate("b => b === document.activeElement")


@pytest.fixture(scope="session")
def story_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geomap.data.dataset import Dataset
    from geomap.export import ExportOptions, export

    out = tmp_path_factory.mktemp("story") / "story.html"
    return export(Dataset(ROOT), "html", out, ExportOptions(story=STORY))


# ------------------------------------------------------------------ history


def history_length(app: App) -> int:
    return int(app.page.evaluate("() => history.length"))


def shows(app: App, frame: FrameLocator, date: str, place: str, step: int | None) -> None:
    """The map, the panel beside it and the address all show this view."""
    container = frame.locator(".leaflet-container")
    expect(container).to_have_attribute("data-gm-date", date, timeout=WAIT_MS)
    expect(container).to_have_attribute("data-gm-place", place)
    if step is None:
        no_story = ".leaflet-container:not([data-gm-step]), .leaflet-container[data-gm-step='']"
        expect(frame.locator(no_story)).to_have_count(1)
    else:
        expect(container).to_have_attribute("data-gm-step", str(step))
    # Python's run has ended on the same view (the panel beside the map is its own).
    expect(app.page.locator("strong", has_text=date).first).to_be_attached(timeout=WAIT_MS)
    if step is None:
        expect(app.page.get_by_role("button", name="Start the story")).to_be_attached()
    else:
        expect(app.page.get_by_text(f"Story, step {step} of")).to_be_attached()
    query = f"date={date}" + (f"&place={place}" if place else "")
    if step is not None:
        query += rf"(&layers=[^&]*)?&story={STORY}&step={step}"
    app.wait_url(rf"\?{query}$")


def scrub(app: App, frame: FrameLocator, presses: int, until: str) -> None:
    """Move the date one day at a time with the slider's arrow key."""
    slider = frame.locator(".gm-slider")
    for _ in range(presses):
        before = app.map_date(frame)
        slider.focus()
        app.page.keyboard.press("ArrowRight")
        expect(frame.locator(".leaflet-container")).not_to_have_attribute("data-gm-date", before)
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-gm-date", until)


@pytest.mark.parametrize("sized", [PHONE, DESKTOP], indirect=True, ids=["390x844", "1440x900"])
def test_back_and_forward_restore_each_choice_and_scrubbing_adds_no_entry(sized: App) -> None:
    app = sized
    frame = app.open("?date=2016-03-01")
    shows(app, frame, "2016-03-01", "", None)
    entries = history_length(app)
    scrub(app, frame, 3, "2016-03-04")
    shows(app, frame, "2016-03-04", "", None)
    assert history_length(app) == entries  # the scrub replaced the entry
    # A place chosen on the map: a new entry.
    frame.locator("path.gm-id-raqqa").first.dispatch_event("click")
    shows(app, frame, "2016-03-04", "raqqa", None)
    assert history_length(app) == entries + 1
    scrub(app, frame, 2, "2016-03-06")
    shows(app, frame, "2016-03-06", "raqqa", None)
    assert history_length(app) == entries + 1
    # A story started beside the map (Python writes the entry), a step chosen on its card.
    app.page.get_by_role("button", name="Start the story").click()
    _, date1, place1 = story_steps()[0]
    _, date2, place2 = story_steps()[1]
    on_step(frame, 1)
    shows(app, frame, date1, place1 or "", 1)
    frame.locator(".gm-story-next").click()
    on_step(frame, 2)
    shows(app, frame, date2, place2 or "", 2)
    assert history_length(app) == entries + 3
    # The step's layers: the story leaves out the Idlib front, shown by default.
    expect(frame.locator(".gm-toggle-idlib_front")).not_to_be_checked()

    app.page.go_back()
    on_step(frame, 1)
    shows(app, frame, date1, place1 or "", 1)
    app.page.go_back()  # before the story: the last scrub's date, not an earlier one
    shows(app, frame, "2016-03-06", "raqqa", None)
    expect(frame.locator(".gm-story-start").first).to_be_visible()
    expect(frame.locator(".gm-toggle-idlib_front")).to_be_checked()  # the default layers
    expect(app.page.locator(".gm-notes[data-place='raqqa'] h3")).to_have_text("Raqqa")
    app.page.go_back()
    shows(app, frame, "2016-03-04", "", None)
    expect(frame.locator("path.gm-selected")).to_have_count(0)

    app.page.go_forward()
    shows(app, frame, "2016-03-06", "raqqa", None)
    expect(frame.locator("path.gm-id-raqqa.gm-selected").first).to_be_attached()
    app.page.go_forward()
    on_step(frame, 1)
    shows(app, frame, date1, place1 or "", 1)
    app.page.go_forward()
    on_step(frame, 2)
    shows(app, frame, date2, place2 or "", 2)
    expect(frame.locator(".gm-toggle-idlib_front")).not_to_be_checked()
    assert history_length(app) == entries + 3
    app.assert_clean()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390x844", "1440x900"])
def test_story_page_map_follows_the_scroll_offline(
    browser: Browser, story_page: Path, size: dict[str, int]
) -> None:
    context = browser.new_context(viewport=size)
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else outside.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(story_page.as_uri())
    container = page.locator(".leaflet-container")
    expect(container).to_have_attribute("data-gm-step", "1", timeout=WAIT_MS)
    steps = story_steps()
    for number in (4, 7, len(steps)):
        page.locator(f"[data-gm-step='{number}']").evaluate(
            "s => s.scrollIntoView({block: 'center'})"
        )
        expect(container).to_have_attribute("data-gm-step", str(number), timeout=WAIT_MS)
        expect(container).to_have_attribute("data-gm-date", steps[number - 1][1])
    map_box = page.locator("#map").bounding_box()
    assert map_box is not None and map_box["y"] >= -1  # the map stays on screen (sticky)
    assert map_box["height"] >= 0.45 * size["height"]
    assert serious_violations(page.main_frame) == []
    assert outside == [] and errors == []
    context.close()


def test_exported_map_after_the_end_shows_the_final_state_with_a_note(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The script's date policy and popups in the offline export (its modules bundled)."""
    from geomap.data.dataset import Dataset
    from geomap.export import ExportOptions, export

    out = tmp_path_factory.mktemp("late") / "late.html"
    export(Dataset(ROOT), "html", out, ExportOptions(date=dt.date(2020, 1, 1)))
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    container = page.locator(".leaflet-container")
    expect(container).to_have_attribute("data-gm-date", "2019-05-31", timeout=WAIT_MS)
    expect(page.locator(".gm-event")).to_contain_text(
        "nothing changes in the data after 2019-05-31; 2020-01-01 shows the state of that date"
    )
    page.locator("path.gm-id-mosul").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Mosul", timeout=WAIT_MS)
    expect(popup).to_contain_text("retaken from IS")
    assert errors == []
    context.close()


def test_with_every_layer_off_the_map_says_so(app: App) -> None:
    frame = app.open()
    frame.locator(".gm-legend[data-gm-fitted]").wait_for(state="attached", timeout=WAIT_MS)
    head = frame.locator(".gm-legend-head")
    if head.get_attribute("aria-expanded") == "false":
        head.click()
    boxes_on = frame.locator(".gm-toggle:not(.gm-toggle-tiles)")
    for i in range(boxes_on.count()):
        if boxes_on.nth(i).is_checked():
            boxes_on.nth(i).uncheck()
    expect(frame.locator(".gm-event")).to_contain_text("Every layer is off", timeout=WAIT_MS)
    boxes_on.first.check()
    expect(frame.locator(".gm-event")).not_to_contain_text("Every layer is off")
    app.assert_clean()


def test_labels_switch_to_arabic_from_the_link_and_the_legend(app: App) -> None:
    frame = app.open("?lang=ar")
    container = frame.locator(".leaflet-container")
    expect(container).to_have_attribute("data-gm-lang", "ar", timeout=WAIT_MS)
    arabic = frame.locator(".gm-place span[lang='ar'][dir='rtl']")
    assert arabic.count() > 50
    expect(frame.locator(".gm-place span[lang='ar']", has_text="الموصل")).to_have_count(1)
    frame.locator(".gm-legend[data-gm-fitted]").wait_for(state="attached", timeout=WAIT_MS)
    head = frame.locator(".gm-legend-head")
    if head.get_attribute("aria-expanded") == "false":
        head.click()
    toggle = frame.locator(".gm-toggle-arabic")
    assert toggle.is_checked()
    toggle.uncheck()
    expect(container).to_have_attribute("data-gm-lang", "en")
    expect(arabic).to_have_count(0)
    expect(frame.locator(".gm-place span", has_text="Mosul")).to_have_count(1)
    app.assert_clean()


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_typed_compare_date_applies_on_enter_on_a_phone(sized: App) -> None:
    typed_compare_date_applies_on_enter(sized)


def test_each_export_preset_svg_draws_in_chromium(
    browser: Browser, dataset: Dataset, tmp_path: Path
) -> None:
    """Issue 20: every preset's SVG opens in a real browser, its names still text."""
    import numpy as np
    from PIL import Image

    from geomap.export import ExportOptions, export
    from geomap.export.options import PRESETS

    day = dt.date(2016, 7, 4)
    page = browser.new_page(viewport={"width": 1200, "height": 1200})
    try:
        for name in PRESETS:
            svg = export(
                dataset, "svg", tmp_path / f"{name}.svg", ExportOptions(date=day, preset=name)
            )
            page.goto(svg.as_uri())
            width, height, texts = page.evaluate(
                "() => { const b = document.documentElement.getBBox();"
                " return [b.width, b.height, document.querySelectorAll('text').length]; }"
            )
            assert width > 100 and height > 100, (name, width, height)
            assert texts > 20, (name, texts)  # the names stay text
            shot = tmp_path / f"{name}.png"
            page.screenshot(path=str(shot))
            with Image.open(shot) as image:
                assert np.asarray(image.convert("RGB")).std() > 20, name
    finally:
        page.close()
