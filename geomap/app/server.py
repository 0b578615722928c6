"""The process ``geomap serve`` becomes: Streamlit's server, the app warmed up meanwhile.

``python -m geomap.app.server run APP [options]`` is ``python -m streamlit run APP
[options]``, plus one thread that, once the server is up, imports what the page's script
imports and reads the map data (:func:`geomap.app.data.warm_up`) while the
browser loads Streamlit's page. The first visit then finds the
modules imported and the data read (it took the first visit of a fresh clone
about 1.5 s to import them and 0.6 s to read the data, after the server was up);
Streamlit runs the page's script in this same process, so both are shared.
A failure here is only a slower first visit: the page reads the data itself
and explains any problem with it.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time

#: What the page's script (``geomap/app/main.py``) imports, heaviest first. Not
#: ``streamlit_folium`` (nor ``compare_view``, which imports it): a component is
#: registered with the server only when its module is first imported inside a run of
#: the page's script, so imported here it would be a 404 in the page; ``folium``,
#: most of its import time, is imported here.
WARM_MODULES = (
    "folium",
    "geomap.web.render",
    "geomap.web.render_compare",
    "geomap.core.compare",
    "geomap.app.charts",
    "geomap.app.downloads",
    "geomap.app.factcheck",
    "geomap.app.notes",
    "geomap.app.state",
)


#: How long the warm-up waits for the server to be up (seconds).
SERVER_WAIT = 60.0


def _server_started() -> bool:
    """Whether Streamlit's runtime has started (it then serves the page)."""
    from streamlit.runtime import Runtime, RuntimeState

    return Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL


def warm_up() -> None:
    """Once the server is up, import the page's modules and read its data.

    Started before, it took the GIL from the server's own start (the health check
    answered later); after, it runs while the browser loads Streamlit's page.
    Errors are left for the page to explain.
    """
    deadline = time.monotonic() + SERVER_WAIT
    while not _server_started() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        for name in WARM_MODULES:
            importlib.import_module(name)
        from geomap.app.data import warm_up as read_data

        read_data()
    except Exception as exc:  # the page reports it, with the whole story
        print(f"geomap: warm-up skipped ({type(exc).__name__})", file=sys.stderr)


def main() -> None:
    """Start the warm-up thread, then run Streamlit's command line with our arguments."""
    threading.Thread(target=warm_up, name="geomap-warm-up", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
