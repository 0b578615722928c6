"""Helpers for the browser tests: a geomap server, Debian's Chromium, request guards.

The server runs ``geomap serve`` on a free port, from a copy of the app in a
temporary folder (``GEOMAP_APP_DIR``), so its payload cache is written there
and not inside the source tree; every request to a host other than 127.0.0.1 is
aborted and recorded, so a test can assert there were none.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Playwright, Request, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The main map is the first st_folium iframe (compare mode adds a second one).
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"] >> nth=0'
VIEWPORT = {"width": 1400, "height": 1300}
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Block until Streamlit's health endpoint answers ``ok``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"geomap serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"no answer from {base}/_stcore/health")


@contextmanager
def geomap_server(
    root: Path, app: Path | None = None, app_dir: Path | None = None
) -> Iterator[str]:
    """Run ``geomap serve`` (or ``streamlit run app``) on a free port; yield its base URL.

    ``geomap serve`` serves a copy of the app in a temporary folder and writes there only,
    or from ``app_dir`` when one is given (a benchmark serving a clone in place).
    """
    port = free_port()
    if app is None:
        cmd = [sys.executable, "-m", "geomap.cli", "serve", "--port", str(port)]
    else:
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--server.enableStaticServing", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
    folder = (
        contextlib.nullcontext(str(app_dir))
        if app_dir is not None
        else tempfile.TemporaryDirectory(prefix="geomap-app-")
    )
    with folder as served:
        env = dict(os.environ, GEOMAP_ROOT=str(root), GEOMAP_APP_DIR=served, PYTHONUNBUFFERED="1")
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped whole below
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            yield base
        finally:
            stop_group(proc)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole process group of ``proc``, then SIGKILL what is left."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (127.0.0.1 or an inline scheme)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@dataclass
class Guard:
    """What a page tried that it should not have: external requests, errors."""

    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Abort and record every non-local request; record page errors."""

        def route(route: Route) -> None:
            url = route.request.url
            if is_local(url):
                route.continue_()
            else:
                self.external.append(url)
                route.abort()

        def on_request(request: Request) -> None:
            if not is_local(request.url) and request.url not in self.external:
                self.external.append(request.url)

        page.route("**/*", route)
        page.on("request", on_request)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


def launch(playwright: Playwright) -> Browser:
    """Launch Debian's Chromium headless (never Playwright's own browsers)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
