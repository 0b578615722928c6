"""Take the README's screenshots of the app at a phone's and a desktop's size.

Usage: ``python tools/screenshots.py`` (writes ``docs/screenshots/*.png``).

Starts ``geomap serve`` on 127.0.0.1 (``tests/browser_support.geomap_server``),
opens the shipped data in Debian's Chromium (headless, every outside request
aborted) at 390 x 844 and 1440 x 900, and saves the screen with the map in view
(a phone's link with a place puts the notes first; the shot scrolls to the map):
the default view, the day of the Hajin report with Hajin's notes open, and
story mode on the step about Hajin's pocket. A shot is taken once the map
frame's loading line is gone and the territory is drawn (never of a loading
screen), and saved as an optimised PNG, reduced to 256 colours if it is still
over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import MAP_IFRAME, Guard, geomap_server, launch  # noqa: E402
from tools.atomic import write_bytes  # noqa: E402

SIZES = {"phone-390x844": (390, 844), "desktop-1440x900": (1440, 900)}
QUERY = "?date=2018-09-11&place=hajin"
#: Each shot: its file name prefix, its link, what the map frame must show, and
#: whether the page's notes panel must be there too.
SHOTS = (
    ("default-", "", "path.gm-layer-territory", False),
    ("", QUERY, "path.gm-layer-territory", True),
    ("story-", "?story=hajin-2018&step=2", ".gm-story-on", True),
)
OUT = ROOT / "docs" / "screenshots"
#: The largest a screenshot may be (the README loads every one).
MAX_BYTES = 300_000
WAIT_MS = 60_000


def small_png(png: bytes) -> bytes:
    """``png`` optimised; reduced to a 256-colour palette when still over :data:`MAX_BYTES`."""
    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        image.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    """Write one screenshot per view and size; return the exit code."""
    OUT.mkdir(parents=True, exist_ok=True)
    too_big = []
    with geomap_server(ROOT) as base, sync_playwright() as pw:
        browser = launch(pw)
        for (prefix, query, ready, notes), (name, (width, height)) in itertools.product(
            SHOTS, SIZES.items()
        ):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            guard = Guard()
            guard.attach(page)
            page.goto(f"{base}/{query}")
            frame = page.frame_locator(MAP_IFRAME)
            frame.locator(ready).first.wait_for(state="attached", timeout=WAIT_MS)
            frame.locator(".gm-loading").wait_for(state="detached", timeout=WAIT_MS)
            if notes:
                page.locator(".gm-notes").first.wait_for(timeout=WAIT_MS)
            # A phone's shared link puts the notes first: scroll down to the map for the picture.
            page.locator(MAP_IFRAME).scroll_into_view_if_needed()
            page.wait_for_timeout(1200)  # the flight to the place (a picture, not a test)
            path = OUT / f"{prefix}{name}.png"
            data = small_png(page.screenshot(type="png"))
            write_bytes(path, data)
            print(f"wrote {path} ({len(data):,} bytes, {len(guard.external)} outside requests)")
            if len(data) > MAX_BYTES:
                too_big.append(path.name)
            context.close()
        browser.close()
    if too_big:
        print(f"over {MAX_BYTES:,} bytes: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
