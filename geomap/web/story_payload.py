"""Stories as the browser reads them: escaped text, day numbers, frames and checks.

The live map's Story panel and the scrolling HTML export both draw from this
one shape (see ``storyGo`` in ``geomap.js``). Every data string is HTML-escaped
here, and links are kept only when they are http(s).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geomap.core.claims import Result
from geomap.core.feature import Feature
from geomap.core.model import Source
from geomap.core.story import Story, StoryStep, step_frame
from geomap.web.html import esc, source_link
from geomap.web.payload import day_number

VERDICT_WORDS = {
    "consistent": "Fits",
    "inconsistent": "Does not fit",
    "not checkable": "Not checkable",
}


def frame_index(
    features: Sequence[Feature], places: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[float, float, float, float]]:
    """Boxes of every record id and basemap place, as exports frame them."""
    from geomap.core.framing import place_index

    return place_index(features, places)


def source_entry(key: str, sources: Mapping[str, Source]) -> str:
    """A step's source as HTML: its escaped title, publisher and date, linked if http(s)."""
    src = sources.get(key)
    if src is None:
        return f"{esc(key)} (not in the bibliography)"
    return source_link(src, f"{src.title} ({src.publisher}, {src.date})")


def check_entry(result: Result) -> dict[str, Any]:
    """A claim's verdict, as the story card lists it."""
    return {
        "id": esc(result.id),
        "claim": esc(result.claim),
        "verdict": esc(result.verdict),
        "word": esc(VERDICT_WORDS.get(result.verdict, result.verdict)),
        "explanation": esc(result.explanation),
    }


def step_payload(
    step: StoryStep,
    index: Mapping[str, tuple[float, float, float, float]],
    sources: Mapping[str, Source],
    results: Mapping[str, Result],
) -> dict[str, Any]:
    """One step for the browser; ``bounds`` is Leaflet's ``[[south, west], [north, east]]``."""
    west, south, east, north = step_frame(step, index)
    return {
        "title": esc(step.title),
        "text": esc(step.text),
        "date": step.date.isoformat(),
        "day": day_number(step.date),
        "bounds": [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]],
        "place": step.place,
        "layers": list(step.layers),
        "sources": [source_entry(k, sources) for k in step.sources],
        "checks": [check_entry(results[c]) for c in step.claims if c in results],
    }


def stories_payload(
    stories: Sequence[Story],
    features: Sequence[Feature],
    places: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
    results: Sequence[Result] = (),
) -> list[dict[str, Any]]:
    """Every story for the browser, in the order given."""
    index = frame_index(features, places)
    by_id = {r.id: r for r in results}
    return [
        {
            "id": story.id,
            "title": esc(story.title),
            "summary": esc(story.summary),
            "steps": [step_payload(s, index, sources, by_id) for s in story.steps],
        }
        for story in stories
    ]
