"""Streamlit entry point: ``geomap serve`` runs this file.

The map is built once per dataset and never rebuilt when the date changes: the
in-map script switches layers itself and reports the date, the clicked place and
the visible layers back through the component value. Python answers with small
commands (open a searched place, restore a shared link) that streamlit-folium
swaps in as a feature group, without reloading the map.

History (decision). The page's query (``?date=…&place=…&layers=…&story=…&step=…``)
is the view, and each history entry is one view the reader chose. Streamlit writes
``st.query_params`` with ``history.pushState`` (``replaceState`` only while it
reruns for Back or Forward), and only when the query differs from the address;
Python cannot ask it to replace. So the one who knows whether a change is a choice
writes the address first:

* a change made on the map (``address.js``): the map script writes the page's
  address itself (its frame has the page's origin) before it reports to Python,
  ``replaceState`` for a scrub of the date or a change of layers, ``pushState`` for
  a place clicked, a story step or leaving a story. Python then writes the same
  query (:func:`geomap.app.state.url_params` edits it as the script does, in one
  message), which Streamlit finds already there: no second entry;
* a choice made beside the map (a searched place, a story started or left, a
  claim shown): Python writes the query and Streamlit pushes the entry;
* a link's first view: the map script corrects the address in place once it has
  drawn it, so opening a link adds no entry (Python writes nothing on the
  first run).

Back and Forward: Streamlit reruns the script with the entry's query and marks the
run as history navigation; Python then reads the view from the query as for a
link and sends it to the map as a command (which the map applies without a report
or an address of its own). The alternatives were weighed: a script of our own in
the top page listening to ``popstate`` would have been a second owner of the
page's HTML, and the map script applying the address itself would have needed the
link rules (:func:`geomap.app.state.parse_view`) a second time, in JavaScript.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from geomap.app.charts import area_chart, sides_chart
from geomap.app.compare_view import compare_panel
from geomap.app.data import Bundle, load_bundle
from geomap.app.downloads import downloads_panel
from geomap.app.factcheck import fact_check_panel
from geomap.app.notes import about_html, notes_html, sources_html
from geomap.app.show import alert, html
from geomap.app.state import URL_KEYS, View, parse_view, url_params, view_from_map
from geomap.core.areas import places_inside
from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.model import PLACE_KINDS
from geomap.core.timeline import DEFAULT_DATE, state_at
from geomap.web.html import esc
from geomap.web.payload_schema import Command
from geomap.web.render import build_map, command_group

MAP_HEIGHT = 640
MAP_KEY = "gm_map"

PAGE_CSS = """
<style>
.gm-notes h3 { margin: 0 0 .1rem; }
.gm-notes h4 { margin: .8rem 0 .2rem; font-size: 1rem; }
.gm-notes ol { padding-left: 1.3rem; margin: 0; }
.gm-notes li { margin-bottom: .45rem; }
.gm-kind, .gm-conf, .gm-supports, .gm-variant, .gm-change { color: #555; font-size: .88rem; }
.gm-note-text { margin: .2rem 0 0; }
.gm-name-ar { margin: 0; font-size: 1.05rem; }
.gm-default-date { color: #444; font-size: .9rem; margin: .1rem 0 .6rem; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
@media (max-width: 700px) {
  /* Below Streamlit's header (3.75rem), so the title's first line is never under it. */
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; }
  h1 { font-size: 1.45rem !important; line-height: 1.25 !important; padding-top: .5rem !important; }
}
.gm-alert { padding: .6rem .9rem; border-radius: .5rem; margin: .2rem 0 .6rem; }
.gm-alert-warning { background: #fff6d6; color: #4a3b00; }
.gm-alert-error { background: #fde2e1; color: #5c1010; }
.gm-alert-info { background: #e3efff; color: #10325c; }
</style>
"""


#: On a phone, a shared link with a place puts the notes before the map, so that they
#: are on the first screen (the columns stack there; ``order`` moves the second up).
LINK_NOTES_FIRST_CSS = """
<style>
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:nth-child(2) {
    order: -1;
  }
}
</style>
"""


def _next_nonce() -> int:
    """A per-session counter: Streamlit reruns this script, so module state would reset."""
    st.session_state["nonce_count"] = st.session_state.get("nonce_count", 0) + 1
    return int(st.session_state["nonce_count"])


def _issue(view: View, *, fly: bool, story: str | None = None, reveal: bool = False) -> None:
    """Send the view to the live map as a command (a new nonce makes it run once).

    ``story`` opens that story at ``view.step``; ``""`` leaves the story being read.
    """
    command: Command = {
        "nonce": f"py-{_next_nonce()}",
        "date": view.date.isoformat(),
        "place": view.place,
        "layers": list(view.layers),
        "fly": fly,
    }
    if reveal:
        command["reveal"] = True
    if story is not None:
        command["story"] = story or None
        command["step"] = view.step
    st.session_state["cmd"] = command


def _story_view(bundle: Bundle, view: View) -> View:
    """``view`` set to its story step's date, selected place and layers (unchanged if none)."""
    story = bundle.stories.get(view.story or "")
    if story is None:
        return view
    step = story.steps[(view.step or 1) - 1]
    return dataclasses.replace(view, date=step.date, place=step.place, layers=tuple(step.layers))


def _url_view(bundle: Bundle) -> tuple[View, list[str]]:
    """The view the page's query describes, and what was wrong with it."""
    params = {k: st.query_params.get_all(k) for k in URL_KEYS if k in st.query_params}
    view, messages = parse_view(params, bundle.periods.keys(), bundle.story_steps())
    return _story_view(bundle, view), messages


def _init_state(bundle: Bundle) -> None:
    """On a session's first run, restore the view from the URL."""
    if "view" in st.session_state:
        return
    view, messages = _url_view(bundle)
    st.session_state["view"] = view
    # The map script writes the link's view into the address in place (see above).
    st.session_state["url_view"] = view
    st.session_state["messages"] = messages
    st.session_state["map_nonce"] = None
    # A link that names a place opens on its notes (on a phone, before the map), until
    # the reader does anything else.
    st.session_state["link_place"] = view.place is not None
    _issue(view, fly=view.place is not None, story=view.story)


def _history_navigation() -> bool:
    """Whether Streamlit runs the script because the reader pressed Back or Forward.

    The run context says so (Streamlit 1.67, the version pinned in requirements.txt);
    a Streamlit without the flag restores nothing, as before.
    """
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def _restore_from_history(bundle: Bundle) -> None:
    """Back or Forward: show the view of the entry the address now holds."""
    old: View = st.session_state["view"]
    view, messages = _url_view(bundle)
    st.session_state["url_view"] = view
    if view == old:
        return
    st.session_state["view"] = view
    st.session_state["messages"] = messages
    st.session_state["link_place"] = False
    fly = view.place is not None and view.place != old.place and not view.story
    _issue(view, fly=fly, story=view.story or "")


def _on_map_change(bundle: Bundle) -> None:
    value = st.session_state.get(MAP_KEY)
    if not isinstance(value, dict) or value.get("nonce") == st.session_state.get("map_nonce"):
        return
    st.session_state["map_nonce"] = value.get("nonce")
    st.session_state["link_place"] = False
    st.session_state["view"] = view_from_map(
        value, st.session_state["view"], bundle.periods, bundle.story_steps()
    )
    st.session_state["messages"] = []


#: How many matches the search lists under its box.
SEARCH_LIMIT = 8
#: A match this good opens at once when Enter is pressed.
OPEN_SCORE = 70


def _open_place(place: str) -> None:
    """Select ``place`` and fly the map to it."""
    st.session_state["link_place"] = False
    view: View = st.session_state["view"]
    view = dataclasses.replace(view, place=place)
    st.session_state["view"] = view
    st.session_state["messages"] = []
    _issue(view, fly=True)


def _on_search(bundle: Bundle) -> None:
    """Rank the places for the typed query; the best match opens at once if it is a good one.

    A good match is the same name, a name it begins, or the same consonants
    (:func:`geomap.core.names.match_score` 70 or more); weaker ones are only listed.
    """
    query = str(st.session_state.get("search") or "").strip()
    st.session_state["search_hits"] = None
    if not query:
        return
    try:
        hits = bundle.gazetteer.find(query, limit=SEARCH_LIMIT)
    except DataError as exc:
        st.session_state["search_hits"] = str(exc)
        return
    hits = [h for h in hits if h.entry.id in bundle.periods]
    st.session_state["search_hits"] = [h.as_dict() for h in hits]
    if hits and hits[0].score >= OPEN_SCORE:
        _open_place(hits[0].entry.id)


def _search(bundle: Bundle) -> None:
    """The search box and its ranked matches (any spelling, Latin or Arabic script)."""
    st.text_input(
        "Find a place",
        key="search",
        placeholder="Any spelling: Raqqah, Dayr az Zawr, الموصل…",
        help="Matches every name we know for a place (English spellings, transliterations "
        "and Arabic). Press Enter: a close match opens at once, and the others are "
        "listed below to choose from.",
        on_change=_on_search,
        args=(bundle,),
    )
    hits = st.session_state.get("search_hits")
    if isinstance(hits, str):
        alert(f"The place names could not be read, so search is off. Details: {hits}", "warning")
    elif hits == []:
        query = str(st.session_state.get("search") or "")
        html(
            f"<p class='gm-search-none'>No place matches “{esc(query)}”. Try another "
            "spelling, or part of the name.</p>"
        )
    elif hits:
        for hit in hits:
            arabic = f" · {hit['name_ar']}" if hit["name_ar"] else ""
            also = "" if hit["matched"] == hit["name"] else f" (as “{hit['matched']}”)"
            st.button(
                f"{hit['name']}{arabic}{also}, {hit['kind']}",
                key=f"hit-{hit['id']}",
                on_click=_open_place,
                args=(hit["id"],),
                width="stretch",
            )


def _show_claim(bundle: Bundle, day: dt.date, place: str | None) -> None:
    """Set the map to a claim's date and select the thing it is about."""
    view: View = st.session_state["view"]
    known = place if place in bundle.periods else None
    fly = bool(known) and bundle.periods[known][-1].geometry.geom_type == "Point"  # type: ignore[index]
    st.session_state["view"] = dataclasses.replace(view, date=day, place=known)
    st.session_state["messages"] = []
    # The fact check and compare panels sit far below the map: bring the map into view.
    _issue(st.session_state["view"], fly=fly, reveal=True)


def _open_story(bundle: Bundle, story: str, step: int = 1) -> None:
    """Start reading ``story`` at ``step`` (or leave the story, with ``""``)."""
    view: View = st.session_state["view"]
    view = dataclasses.replace(view, story=story or None, step=step if story else None)
    view = _story_view(bundle, view)
    st.session_state["view"] = view
    st.session_state["messages"] = []
    _issue(view, fly=False, story=story)


def _story_panel(bundle: Bundle, view: View) -> None:
    """Start a story, or say which step is being read and offer to leave it."""
    if bundle.story_error:
        alert(
            f"The stories could not be read, so story mode is off. Details: "
            f"{bundle.story_error}. Run geomap validate data/stories to list every problem.",
            "warning",
        )
    story = bundle.stories.get(view.story or "")
    if story is None:
        for number, (sid, item) in enumerate(bundle.stories.items(), start=1):
            html(f"<p class='gm-story-offer'><b>Guided story:</b> {esc(item.title)}</p>")
            st.button(
                "Start the story" if len(bundle.stories) == 1 else f"Start story {number}",
                key=f"story_start_{sid}",
                on_click=_open_story,
                args=(bundle, sid),
                help="A step-by-step tour of the map; the card on the map has next and "
                "previous buttons, and the arrow keys work there too.",
            )
        return
    step = view.step or 1
    html(
        f"<p class='gm-story-now'><b>Story, step {step} of {len(story.steps)}:</b> "
        f"{esc(story.steps[step - 1].title)}</p>"
    )
    st.button("Leave the story", key="story_leave", on_click=_open_story, args=(bundle, ""))


def _sync_url(view: View) -> None:
    """Make the address bar describe ``view`` (touching only geomap's own keys).

    Written only when the view changed, in one message (one history entry at most):
    see the module docstring for who makes the entry.
    """
    if view == st.session_state.get("url_view"):
        return
    st.session_state["url_view"] = view
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    want = url_params(current, view)
    if want != current:
        st.query_params.from_dict(want)


def _lazy_expander(label: str, key: str) -> Any:
    """An expander whose body runs only while it is open.

    The panels below the map hold a few hundred elements between them; sending
    them with the first page cost about half a second of first paint, so each is
    computed when its expander is opened (Streamlit reruns the script then).
    """
    return st.expander(label, key=key, on_change="rerun")


def _map(bundle: Bundle) -> None:
    fmap = build_map(bundle.payload, height=MAP_HEIGHT)
    st_folium(
        fmap,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=command_group(st.session_state["cmd"]),
        on_change=lambda: _on_map_change(bundle),
    )


def _places_inside(bundle: Bundle, thing: str, day: dt.date) -> list[Feature]:
    """The places inside an area's shape on ``day`` (none for a place)."""
    now = [f for f in bundle.periods[thing] if f.props.valid_on(day)]
    if not now or now[0].geometry.geom_type == "Point":
        return []
    places = [f for f in state_at(bundle.features, day) if f.props.kind in PLACE_KINDS]
    return places_inside(now[0], places)


def _default_date_note(bundle: Bundle) -> str:
    """Why the map opens on :data:`DEFAULT_DATE`."""
    try:
        peak_day, peak = bundle.peak
    except DataError:
        return ""
    return (
        f"<p class='gm-default-date'>The map opens on {DEFAULT_DATE:%-d %B %Y}, half a year "
        "after IS declared its caliphate, when it held close to its widest ground "
        f"(largest on this map: about {peak:,.0f} km² on {peak_day:%-d %B %Y}). "
        "Drag the timeline or press play to see its rise and fall.</p>"
    )


def _side_panel(bundle: Bundle, view: View) -> None:
    _story_panel(bundle, view)
    _search(bundle)
    area = bundle.held_area(view.date)
    st.markdown(
        f"**{view.date.isoformat()}** · IS-held area about **{area:,.0f} km²**",
        help="Geodesic area of the approximate territory outline on this date "
        "(held ground only; the desert zone, where IS moved freely but held no town, "
        "is not counted).",
    )
    if view.date == DEFAULT_DATE and not view.story:
        html(_default_date_note(bundle))
    if view.place and view.place in bundle.periods:
        html(
            notes_html(
                bundle.periods[view.place],
                bundle.sources,
                view.date,
                inside=_places_inside(bundle, view.place, view.date),
                name_ar=bundle.dataset.arabic_names.get(view.place),
            )
        )
    else:
        st.info(
            "Click a city or a shape on the map, or search for a place, to read its "
            "control history and sources here."
        )


def main() -> None:
    """Render the page."""
    st.set_page_config(page_title="geomap: IS territory 2014-2019", layout="wide")
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    st.title("Islamic State territory in Iraq and Syria, 2014 to 2019", anchor=False)
    st.markdown(
        "Drag the timeline on the map, press play, or step from event to event. "
        "Every shape and city carries dated, sourced notes."
    )
    try:
        bundle = load_bundle()
    except DataError as exc:
        alert(
            "The map data could not be read, so the map cannot be shown. "
            f"Details: {exc}. Run geomap validate to list every problem.",
            "error",
        )
        return
    except Exception as exc:  # a page, not a traceback, whatever the data
        alert(
            "The map data could not be loaded because of an internal error "
            f"({type(exc).__name__}: {exc}). Run geomap validate, and please report it.",
            "error",
        )
        return
    if "view" in st.session_state and _history_navigation():
        _restore_from_history(bundle)
    _init_state(bundle)
    view: View = st.session_state["view"]
    messages = st.container()
    for message in st.session_state.get("messages", []):
        alert(message, "warning", messages)
    # Always one element here, so that the map's place in the page never moves: a
    # component whose position changes is mounted afresh (the map would reload).
    notes_first = bool(st.session_state.get("link_place") and view.place)
    st.markdown(LINK_NOTES_FIRST_CSS if notes_first else "<style></style>", unsafe_allow_html=True)
    left, right = st.columns([3, 1.2], gap="medium")
    with left:
        _map(bundle)
    with right:
        _side_panel(bundle, view)
    with _lazy_expander(
        "Area over time: IS-held ground and every side, stacked", "exp_chart"
    ) as exp:
        if exp.open:
            chart = st.radio(
                "Chart",
                ("IS-held ground", "Every side: held ground and desert zone, stacked"),
                horizontal=True,
                key="chart_kind",
                label_visibility="collapsed",
            )
            if chart == "IS-held ground":
                st.altair_chart(area_chart(bundle.area_rows, view.date), width="stretch")
            else:
                st.altair_chart(sides_chart(bundle.side_rows, view.date), width="stretch")
    with _lazy_expander(
        "Export this view: image, animation, data or offline HTML", "exp_export"
    ) as exp:
        if exp.open:
            downloads_panel(bundle, view)
    with _lazy_expander(
        "Fact check: reported figures against the map's geometry", "exp_facts"
    ) as exp:
        if exp.open:
            fact_check_panel(bundle, lambda day, place: _show_claim(bundle, day, place))
    with _lazy_expander("Compare two dates: territory gained and lost", "exp_compare") as exp:
        if exp.open:
            compare_panel(bundle, view.date)
    with _lazy_expander("About this map: sources, licences, attribution", "exp_about") as exp:
        if exp.open:
            html(about_html(bundle.sources, bundle.datapackage, with_sources=False))
            # The bibliography is long (hundreds of entries): drawn only when asked for.
            if st.toggle(f"List all {len(bundle.sources)} sources", key="about_sources"):
                html(sources_html(bundle.sources))
    _sync_url(view)


main()
