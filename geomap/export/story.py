"""Story exports: a scrolling offline page, and one captioned frame per step.

``geomap export --story ID --format html`` writes one self-contained page: the
step texts scroll beside (on a phone, under) a map that follows them, driven by
the same ``storyGo`` as the app's Story panel. ``--format gif|mp4`` writes one
frame per step, framed, dated and captioned as the step says, each shown for
:data:`STEP_MS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from string import Template

import numpy as np

from geomap.core.citations import credits_line
from geomap.core.claims import Result
from geomap.core.errors import DataError
from geomap.core.geodesy import held_area_on
from geomap.core.story import Story, StoryStep, step_frame
from geomap.core.timeline import state_at
from geomap.data.dataset import Dataset
from geomap.export.job import Job
from geomap.export.options import Progress
from geomap.export.plan import Plan
from geomap.export.shown import label_names
from geomap.export.text import format_date, format_km2
from geomap.web.html import esc
from geomap.web.story_payload import step_body, stories_payload

#: How long each step's frame shows (ms); MP4 repeats the frame to match.
STEP_MS = 6000
#: Characters per caption line for each inch of frame width (9 pt type).
CAPTION_CHARS_PER_IN = 14.5
#: The share of the map's width the caption may take (the inset map is at the right).
CAPTION_WIDTH = 0.7

# ---------------------------------------------------------------- frames


def _results(dataset: Dataset) -> list[Result]:
    try:
        return dataset.claim_results
    except DataError:
        return []  # the page then lists no fact checks; geomap validate reports why


def story_frames(
    dataset: Dataset, plan: Plan, progress: Progress | None = None
) -> Iterator[np.ndarray]:
    """One RGB frame per step: the step's date, layers, frame, selection and caption."""
    from geomap.export.mapfigure import MapFigure

    story, size = plan.story, plan.size
    assert story is not None and size is not None
    features = dataset.features
    index = dataset.place_index
    credits = [credits_line(dataset.datapackage)]
    total = len(story.steps)
    title = plan.title or story.title
    for number, step in enumerate(story.steps, start=1):
        wanted = set(step.layers)
        records = [f for f in features if f.props.layer in wanted]
        fig = MapFigure(
            step_frame(step, index),
            size,
            dataset.basemap,
            title,
            records,
            credits,
            date_stamp=True,
            places=features,
            names=label_names(dataset, plan.options.lang),
        )
        try:
            shown = state_at(records, step.date)
            area = format_km2(held_area_on(features, step.date))
            fig.show(
                shown,
                f"Step {number} of {total}: {step.title}. IS-held area on "
                f"{format_date(step.date)}: {area}.",
                stamp=step.date.isoformat(),
            )
            selected = [f for f in shown if f.id == step.place]
            for f in selected:
                fig.mark(f.geometry)
            width_in = fig.layout.map_rect[2] * size.width / size.dpi
            fig.caption(step.text, max(30, int(width_in * CAPTION_WIDTH * CAPTION_CHARS_PER_IN)))
            yield fig.draw_rgb()
        finally:
            fig.close()
        if progress is not None:
            progress(number, total)


def write_story_animation(job: Job) -> int:
    """Write a GIF or MP4 with one frame per step of the plan's story; return the frame count."""
    from geomap.export.animation import write_frames

    story = job.plan.story
    assert story is not None
    frames = story_frames(job.dataset, job.plan, job.progress)
    return write_frames(job.plan.fmt, frames, job.path, [STEP_MS] * len(story.steps))


# ---------------------------------------------------------------- page

PAGE_CSS = """body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { color: #1e1e1e; }
.gm-page { display: flex; flex-direction: row-reverse; align-items: flex-start; }
#map { position: sticky; top: 0; height: 100vh; flex: 1 1 60%; }
.gm-steps { flex: 0 0 min(40%, 520px); padding: 0 20px; box-sizing: border-box; }
.gm-intro { padding: 24px 0 8px; }
.gm-intro h1 { font-size: 26px; line-height: 1.2; margin: 0 0 8px; }
.gm-step { min-height: 75vh; padding: 24px 0; border-top: 1px solid #ddd; }
.gm-step h2 { font-size: 21px; margin: 4px 0 6px; line-height: 1.25; }
.gm-step-date { color: #444; font-size: 14px; font-variant-numeric: tabular-nums; }
.gm-step-on h2 { color: #8a3200; }
.gm-step ul, .gm-step ol { padding-left: 20px; font-size: 14px; }
.gm-step summary { font-weight: 600; margin-top: 12px; cursor: pointer; }
.gm-step li { margin-bottom: 6px; }
.gm-step .gm-story-expl { color: #444; }
.gm-end { padding: 24px 0 60vh; font-size: 13px; color: #333; border-top: 1px solid #ddd; }
a { color: #0b57a4; }
a:focus-visible { outline: 3px solid #0072b2; outline-offset: 2px; }
@media (max-width: 760px) {
  .gm-page { display: block; }
  #map { height: 52vh; z-index: 1; }
  .gm-steps { padding: 0 14px; }
  .gm-step { min-height: 60vh; }
  .gm-intro h1 { font-size: 22px; }
  /* The steps drive the map: on a phone the timeline keeps only its slider and date. */
  .gm-timeline .gm-btn, .gm-timeline .gm-event, .gm-timeline .gm-area { display: none; }
}"""

PAGE_BODY = Template(
    """<main class="gm-page">
<div id="map" role="region" aria-label="Map that follows the story"></div>
<div class="gm-steps">
<header class="gm-intro">
<h1>$title</h1>
<p>$summary</p>
<p class="gm-step-date">Scroll down: the map follows each of the $count steps.</p>
</header>
$steps
<footer class="gm-end">
<p>$data</p>
<p>Made with geomap from dated, sourced records. Every shape is approximate; each step's
sources are listed under it.</p>
</footer>
</div>
</main>"""
)


def _step_section(number: int, step: StoryStep, body: str) -> str:
    """One step of the page around its ``body`` (:func:`geomap.web.story_payload.step_body`)."""
    return (
        f"<section class='gm-step' data-gm-step='{number}' aria-labelledby='gm-step-{number}'>"
        f"<div class='gm-step-date'>Step {number} &middot; {esc(step.date.isoformat())}</div>"
        f"<h2 id='gm-step-{number}'>{esc(step.title)}</h2>{body}</section>"
    )


def build_story_page(dataset: Dataset, story: Story, *, title: str | None = None) -> str:
    """The scrolling story page, as text."""
    from geomap.export.html import offline_page
    from geomap.web.payload import build_payload

    features, basemap = dataset.features, dataset.basemap
    results = _results(dataset)
    stories = stories_payload(
        [story], features, basemap.get("places", []), dataset.sources, results
    )
    first = story.steps[0]
    payload = build_payload(
        features,
        basemap,
        initial=first.date,
        pieces=dataset.pieces,
        stories=stories,
        story_scroll=story.id,
    )
    by_id = {r.id: r for r in results}
    steps = "\n".join(
        _step_section(n, step, step_body(step, dataset.sources, by_id, folded=False))
        for n, step in enumerate(story.steps, start=1)
    )
    # The page opens on the first step's frame, as the payload gives it.
    (south, west), (north, east) = stories[0]["steps"][0]["bounds"]
    body = PAGE_BODY.substitute(
        title=esc(title or story.title),
        summary=esc(story.summary),
        count=len(story.steps),
        steps=steps,
        data=esc(credits_line(dataset.datapackage)),
    )
    return offline_page(
        title=title or story.title,
        page_css=PAGE_CSS,
        body=body,
        bbox=(west, south, east, north),
        payload=payload,
        map_options=", scrollWheelZoom: false",
    )


def write_story_page(job: Job) -> None:
    """Write the plan's story as a scrolling page."""
    assert job.plan.story is not None
    page = build_story_page(job.dataset, job.plan.story, title=job.plan.title)
    job.path.write_text(page, encoding="utf-8")
