"""The view a URL describes (date, place, layers, story step), parsed with friendly messages.

Pure: no Streamlit import, so the rules are testable on their own. Dates follow
the one date policy, :func:`geomap.core.timeline.shown_day`: a link's date before
the data starts is reported and the default date shown; one after the data's
end shows the final state, on its last day, with a note. A date the map reports
follows the same rule (one before the start is ignored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from geomap.core.dates import parse_date
from geomap.core.layers import LAYERS, layer_names
from geomap.core.timeline import DEFAULT_DATE, TIMELINE_START, shown_day
from geomap.web.payload_schema import ComponentValue

#: geomap's keys in the page's query, in the order new ones are appended (``address.js``
#: in the map script appends them in the same order).
URL_KEYS: tuple[str, ...] = ("date", "place", "layers", "story", "step")
ALL_LAYERS: tuple[str, ...] = layer_names()
#: The layers a view shows unless the link says otherwise (the registry's default_on).
DEFAULT_LAYERS: tuple[str, ...] = tuple(s.name for s in LAYERS if s.default_on)


@dataclass(frozen=True)
class View:
    """What the page shows: date, selected place, layers and the story step read.

    ``step`` counts from 1, as links do.
    """

    date: dt.date = DEFAULT_DATE
    place: str | None = None
    layers: tuple[str, ...] = field(default=DEFAULT_LAYERS)
    story: str | None = None
    step: int | None = None


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[0] if value else None


def parse_view(
    params: Mapping[str, str | Sequence[str]],
    known_places: Collection[str],
    stories: Mapping[str, int] | None = None,
) -> tuple[View, list[str]]:
    """Read ``date``, ``place``, ``layers``, ``story`` and ``step`` from URL query parameters.

    A bad value never raises: it is replaced by the default and explained in the
    returned messages, which the page shows as warnings.

    Parameters
    ----------
    params
        Query parameters (one string or a list of strings per key).
    known_places
        Ids a ``place`` may name.
    stories
        The number of steps of each story a ``story`` may name.

    Returns
    -------
    tuple
        The view and a list of messages for the user (empty when all is well).
    """
    messages: list[str] = []
    day = DEFAULT_DATE
    raw_date = _first(params.get("date"))
    if raw_date is not None:
        try:
            parsed = parse_date(raw_date.strip())
        except ValueError:
            messages.append(
                f"The date in the link ({raw_date!r}) is not a date like 2016-07-04; "
                f"showing {DEFAULT_DATE.isoformat()} instead."
            )
        else:
            try:
                shown = shown_day(parsed)
            except ValueError:
                messages.append(
                    f"The date in the link ({parsed.isoformat()}) is before the data starts "
                    f"({TIMELINE_START.isoformat()}); showing {DEFAULT_DATE.isoformat()} instead."
                )
            else:
                day = shown.day
                if shown.note:
                    messages.append(
                        f"The date in the link ({parsed.isoformat()}) is after the data ends: "
                        f"nothing changes after {shown.day.isoformat()}, so the map shows that "
                        "date."
                    )

    place: str | None = None
    raw_place = _first(params.get("place"))
    if raw_place:
        if raw_place.strip() in known_places:
            place = raw_place.strip()
        else:
            messages.append(
                f"The place in the link ({raw_place!r}) is not on this map; "
                "use the search box to find a place."
            )

    layers = DEFAULT_LAYERS
    raw_layers = _first(params.get("layers"))
    if raw_layers is not None:
        names = [n.strip() for n in raw_layers.split(",") if n.strip()]
        unknown = [n for n in names if n not in ALL_LAYERS]
        if unknown:
            messages.append(
                f"Unknown layer name(s) in the link: {', '.join(repr(n) for n in unknown)}. "
                f"Layers are: {', '.join(ALL_LAYERS)}."
            )
        good = [n for n in ALL_LAYERS if n in names]
        layers = tuple(good) if good or not unknown else DEFAULT_LAYERS
    story, step = _story_step(params, stories or {}, messages)
    return View(day, place, layers, story, step), messages


def _story_step(
    params: Mapping[str, str | Sequence[str]], stories: Mapping[str, int], messages: list[str]
) -> tuple[str | None, int | None]:
    """The story and step a link opens (step 1 when it gives none or a bad one)."""
    raw_story = _first(params.get("story"))
    if not raw_story:
        return None, None
    story = raw_story.strip()
    if story not in stories:
        names = ", ".join(stories) or "none"
        messages.append(f"The story in the link ({raw_story!r}) is not one of this map's: {names}.")
        return None, None
    raw_step = _first(params.get("step"))
    if raw_step is None:
        return story, 1
    try:
        step = int(raw_step.strip())
    except ValueError:
        step = 0
    if not 1 <= step <= stories[story]:
        messages.append(
            f"The step in the link ({raw_step!r}) is not a step of this story, which has "
            f"steps 1 to {stories[story]}; showing step 1."
        )
        return story, 1
    return story, step


def view_to_params(view: View) -> dict[str, str]:
    """Query parameters that restore ``view`` (layers only when not the default set)."""
    params = {"date": view.date.isoformat()}
    if view.place:
        params["place"] = view.place
    if view.layers != DEFAULT_LAYERS:
        params["layers"] = ",".join(view.layers)
    if view.story:
        params["story"] = view.story
        params["step"] = str(view.step or 1)
    return params


def url_params(current: Mapping[str, list[str]], view: View) -> dict[str, list[str]]:
    """The page's query made to describe ``view``, other keys kept as they are.

    geomap's keys are set where they are, new ones appended in :data:`URL_KEYS`
    order and dropped ones removed: the order in which the map script's
    ``viewSearch`` (``address.js``) edits the address, so that both write the same
    query and Streamlit, finding it already in the address, adds no history entry.

    Parameters
    ----------
    current
        The query now, every value of each key (``st.query_params.get_all``).
    view
        The view to describe.

    Returns
    -------
    dict
        Every key's values, in order.
    """
    want = view_to_params(view)
    out: dict[str, list[str]] = {}
    for key, values in current.items():
        if key not in URL_KEYS:
            out[key] = list(values)
        elif key in want:
            out[key] = [want[key]]
    for key in URL_KEYS:
        if key in want and key not in out:
            out[key] = [want[key]]
    return out


def view_from_map(
    value: ComponentValue | Mapping[str, object] | None,
    current: View,
    known_places: Collection[str],
    stories: Mapping[str, int] | None = None,
) -> View:
    """Apply what the map reported (date, place, layers); ignore anything malformed.

    ``value`` should be a :class:`geomap.web.payload.ComponentValue`, but it comes from
    the browser, so every field is checked.
    """
    if not isinstance(value, Mapping):
        return current
    day = current.date
    raw_date = value.get("date")
    if isinstance(raw_date, str):
        with contextlib.suppress(ValueError):  # not a date, or one before the data
            day = shown_day(parse_date(raw_date)).day
    place = current.place
    raw_place = value.get("place")
    if raw_place is None or (isinstance(raw_place, str) and raw_place in known_places):
        place = raw_place
    layers = current.layers
    raw_layers = value.get("layers")
    if isinstance(raw_layers, list):
        layers = tuple(n for n in ALL_LAYERS if n in raw_layers)
    story, step = current.story, current.step
    if "story" in value:
        raw_story, raw_step = value.get("story"), value.get("step")
        known = stories or {}
        if raw_story is None:
            story, step = None, None
        elif (
            isinstance(raw_story, str)
            and raw_story in known
            and isinstance(raw_step, int)
            and not isinstance(raw_step, bool)
            and 1 <= raw_step <= known[raw_story]
        ):
            story, step = raw_story, raw_step
    return View(day, place, layers, story, step)
