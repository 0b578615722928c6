"""Stories as the browser reads them: escaped text, day numbers, frames and step bodies.

The live map's Story panel and the scrolling HTML export both draw from this
one shape (:class:`geomap.web.payload_schema.StoryPayload`; ``storyGo`` in
``geomap/app/static/js/story.js``). Every data string is HTML-escaped here, and
links are kept only when they are http(s).

A step's body (its text, fact check and sources) is HTML owned by Python:
:func:`step_body` writes it once for the map's story card (in the payload) and
for the scrolling page, which shows it without the script.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from geomap.core.claims import Result
from geomap.core.feature import Feature
from geomap.core.model import Source
from geomap.core.story import Story, StoryStep, step_frame
from geomap.web.html import esc, source_link
from geomap.web.payload import day_number
from geomap.web.payload_schema import StoryPayload, StoryStepPayload

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


def check_entry(result: Result) -> str:
    """A claim's verdict as a list item: the verdict word, the claim and why."""
    verdict = esc(result.verdict.replace(" ", "-"))
    word = esc(VERDICT_WORDS.get(result.verdict, result.verdict))
    return (
        f'<li><b class="gm-verdict gm-verdict-{verdict}">{word}</b> {esc(result.claim)}'
        f'<br><span class="gm-story-expl">{esc(result.explanation)}</span></li>'
    )


def _folding(kind: str, summary: str, tag: str, items: Iterable[str], folded: bool) -> str:
    opened = "" if folded else " open"
    return (
        f'<details class="gm-story-{kind}"{opened}><summary>{summary}</summary>'
        f'<{tag} class="gm-story-list">{"".join(items)}</{tag}></details>'
    )


def step_body(
    step: StoryStep,
    sources: Mapping[str, Source],
    results: Mapping[str, Result],
    *,
    folded: bool = True,
) -> str:
    """A step's text, fact check and sources as HTML, every data value escaped.

    Parameters
    ----------
    step
        The step.
    sources
        The bibliography.
    results
        Claim results by claim id (claims without a result are left out).
    folded
        Fold the fact check and the sources (the map's card); the scrolling page
        shows them open.
    """
    checks = [check_entry(results[c]) for c in step.claims if c in results]
    cited = [f"<li>{source_entry(k, sources)}</li>" for k in step.sources]
    body = f'<p class="gm-story-text">{esc(step.text)}</p>'
    if checks:
        body += _folding("checks", f"Fact check ({len(checks)})", "ul", checks, folded)
    return body + _folding("sources", f"Sources ({len(cited)})", "ol", cited, folded)


def step_payload(
    step: StoryStep,
    index: Mapping[str, tuple[float, float, float, float]],
    sources: Mapping[str, Source],
    results: Mapping[str, Result],
) -> StoryStepPayload:
    """One step for the browser; ``bounds`` is Leaflet's ``[[south, west], [north, east]]``."""
    west, south, east, north = step_frame(step, index)
    return {
        "title": esc(step.title),
        "day": day_number(step.date),
        "bounds": ((round(south, 4), round(west, 4)), (round(north, 4), round(east, 4))),
        "place": step.place,
        "layers": list(step.layers),
        "body": step_body(step, sources, results),
    }


def stories_payload(
    stories: Sequence[Story],
    features: Sequence[Feature],
    places: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
    results: Sequence[Result] = (),
) -> list[StoryPayload]:
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
