"""Guided stories: dated steps through the map, read from ``data/stories/*.toml``.

A story is data. Each step has a title, a short text in our own words, a date,
a frame (a ``bbox`` or the id of a place to frame), the place it selects, the
layers it shows, the sources it draws on and the fact-check claims it rests on.
The app's Story panel, the scrolling HTML export and the captioned GIF/MP4
export all read the same :class:`Story`.

Decisions
---------
- **TOML**, one story per file, named ``<id>.toml`` (an ``id`` key overrides):
  written by hand by editors, with real dates (``2018-09-11``) and multi-line strings; read by the
  standard library's :mod:`tomllib` through geomap's safe reader (regular files
  only, size cap, UTF-8).
- Steps are numbered from 1 in links (``?story=hajin-2018&step=3``) and in
  captions, as readers count them.
- :func:`story_problems` checks what the model cannot see on its own (places,
  layers, sources and claims exist; dates lie in the timeline); ``geomap
  validate`` reports each under the ``story`` rule, and bad text under ``text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from geomap.core.errors import DataError
from geomap.core.framing import frame_problem
from geomap.core.model import SLUG_PATTERN, PlainLine, PlainNote
from geomap.core.timeline import TIMELINE_END, TIMELINE_START

#: Stories are small; a bigger file is refused before it is parsed.
MAX_STORY_BYTES = 1 * 2**20
#: At most this many steps (a captioned animation has one frame per step).
MAX_STEPS = 60

Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
LayerName = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class StoryStep(BaseModel):
    """One step of a story."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[PlainLine, Field(min_length=3, max_length=90)]
    text: Annotated[PlainNote, Field(min_length=20, max_length=700)]
    date: dt.date
    frame: Annotated[
        Slug | None, Field(description="Id of a layer record or basemap place to frame")
    ] = None
    bbox: Annotated[
        tuple[float, float, float, float] | None,
        Field(description="Frame as west, south, east, north in degrees"),
    ] = None
    place: Annotated[Slug | None, Field(description="Layer record the step selects")] = None
    layers: Annotated[list[LayerName], Field(min_length=1)]
    sources: Annotated[list[Slug], Field(min_length=1)]
    claims: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_frame(self) -> StoryStep:
        if (self.frame is None) == (self.bbox is None):
            raise ValueError("give exactly one of frame (a place id) and bbox")
        if self.bbox is not None:
            problem = frame_problem(self.bbox)
            if problem is not None:
                # The same bounds as an export's frame: a step too small to draw would
                # hang its GIF, one the size of the world would show nothing.
                raise ValueError(f"bbox is {problem}" if problem[0] in "sl" else f"bbox: {problem}")
        return self


class Story(BaseModel):
    """A guided story: a title, a summary, its sources and its steps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: Annotated[PlainLine, Field(min_length=3, max_length=120)]
    summary: Annotated[PlainNote, Field(min_length=20, max_length=700)]
    sources: Annotated[list[Slug], Field(min_length=1)]
    steps: Annotated[list[StoryStep], Field(min_length=1, max_length=MAX_STEPS)]


def story_from_raw(raw: Mapping[str, Any], path: Path) -> Story:
    """The :class:`Story` of parsed TOML (its ``id`` defaults to the file name).

    Raises
    ------
    pydantic.ValidationError
        Every way the file does not follow the model.
    """
    return Story.model_validate({"id": path.stem, **raw})


def parse_story(raw: Mapping[str, Any], path: Path) -> Story:
    """Like :func:`story_from_raw`, raising :class:`DataError` with the first problem."""
    try:
        return story_from_raw(raw, path)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DataError(f"{path}: {where}: {err['msg']}") from exc


def story_problems(
    story: Story,
    *,
    things: Collection[str],
    places: Collection[str],
    layers: Collection[str],
    sources: Collection[str] | None,
    claims: Collection[str] | None,
) -> list[tuple[str, str]]:
    """What a story names that does not exist, as ``(where, message)`` pairs.

    Parameters
    ----------
    story
        A story that has passed its model.
    things
        Ids of layer records (a step may select or frame one).
    places
        Ids of basemap places (a step may frame one).
    layers
        Layer names.
    sources, claims
        Keys of the bibliography and ids of the claims; ``None`` skips the check.
    """
    out: list[tuple[str, str]] = []

    def unknown_sources(where: str, keys: Sequence[str]) -> None:
        for key in keys:
            if sources is not None and key not in sources:
                out.append((where, f"source key {key!r} not in sources.json"))

    unknown_sources(story.id, story.sources)
    for number, step in enumerate(story.steps, start=1):
        where = f"{story.id}#{number}"
        if not TIMELINE_START <= step.date <= TIMELINE_END:
            out.append(
                (
                    where,
                    f"date {step.date.isoformat()} is outside the timeline "
                    f"({TIMELINE_START.isoformat()} to {TIMELINE_END.isoformat()})",
                )
            )
        if step.frame is not None and step.frame not in things and step.frame not in places:
            out.append((where, f"frame {step.frame!r} is in neither the layers nor the places"))
        if step.place is not None and step.place not in things:
            out.append((where, f"place {step.place!r} is no feature id in the layers"))
        for name in step.layers:
            if name not in layers:
                out.append((where, f"layer {name!r} is not a layer; layers are {sorted(layers)}"))
        unknown_sources(where, step.sources)
        for claim in step.claims:
            if claims is not None and claim not in claims:
                out.append((where, f"claim {claim!r} is not in claims.json"))
    return out


def step_frame(
    step: StoryStep, index: Mapping[str, tuple[float, float, float, float]]
) -> tuple[float, float, float, float]:
    """The step's frame (W, S, E, N): its ``bbox``, or the box of its ``frame`` place.

    ``index`` maps ids to boxes (:func:`geomap.core.framing.place_index`).
    """
    if step.bbox is not None:
        return step.bbox
    assert step.frame is not None  # the model allows exactly one of the two
    if step.frame not in index:
        raise DataError(f"frame {step.frame!r} is in neither the layers nor the places")
    return index[step.frame]


def story_json_schema() -> dict[str, object]:
    """The JSON Schema of a story file (``id`` may be left out: the file name gives it)."""
    schema = Story.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://geomap.invalid/story.schema.json"
    required = [name for name in schema.get("required", []) if name != "id"]
    schema["required"] = required
    return schema
