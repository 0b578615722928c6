"""Take the README's screenshots of the app at a phone's and a desktop's size.

Usage: ``python tools/screenshots.py`` (writes ``docs/screenshots/*.png``).

Starts ``geomap serve`` on 127.0.0.1, opens the shipped data in Debian's
Chromium (headless, every outside request aborted) at 390 x 844 and
1440 x 900 on the day of the Hajin report, and saves what is above the fold;
then the same sizes in story mode, on the step about Hajin's pocket.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import MAP_IFRAME, Guard, geomap_server, launch  # noqa: E402
from tools.atomic import write_bytes  # noqa: E402

SIZES = {"phone-390x844": (390, 844), "desktop-1440x900": (1440, 900)}
QUERY = "?date=2018-09-11&place=hajin"
#: Story mode: the screenshot's name prefix, its link and what to wait for.
SHOTS = (
    ("", QUERY, "path.gm-layer-territory"),
    ("story-", "?story=hajin-2018&step=2", ".gm-story-on"),
)
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    """Write one screenshot per size; return the exit code."""
    OUT.mkdir(parents=True, exist_ok=True)
    with geomap_server(ROOT) as base, sync_playwright() as pw:
        browser = launch(pw)
        for (prefix, query, ready), (name, (width, height)) in itertools.product(
            SHOTS, SIZES.items()
        ):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            guard = Guard()
            guard.attach(page)
            page.goto(f"{base}/{query}")
            frame = page.frame_locator(MAP_IFRAME)
            frame.locator(ready).first.wait_for(timeout=60_000)
            page.locator(".gm-notes").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1200)  # the flight to the place
            path = OUT / f"{prefix}{name}.png"
            write_bytes(path, page.screenshot(type="png"))
            print(f"wrote {path} ({len(guard.external)} outside requests)")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
