"""An export request, checked once and resolved into a frozen :class:`Plan`.

:func:`check_request` reads the format's row (:mod:`geomap.export.formats`) and
the options, checks everything a writer will need, and returns one frozen plan:
the format row, the layers, the picture size, the frame, the date or the frame
dates, the story and the title. Writers read the plan and recompute none of it,
and a bad request fails here, before any drawing, leaving no file behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geomap.core.errors import DataError
from geomap.core.framing import REGION_BBOX
from geomap.core.layers import LAYERS
from geomap.core.names import DEFAULT_LABEL_LANG, LABEL_LANGS
from geomap.core.story import Story
from geomap.core.text import echo, text_problem
from geomap.core.timeline import TIMELINE_END, TIMELINE_START, change_dates
from geomap.data.dataset import Dataset
from geomap.export.formats import FORMATS, Format, format_row, names_of
from geomap.export.options import (
    CREDITS,
    DEFAULT_CREDITS,
    MAX_FRAMES,
    BBox,
    ExportError,
    ExportOptions,
    Size,
    check_bbox,
    check_date,
    check_layers,
    output_size,
)
from geomap.export.text import format_date

#: What a story export refuses: each step gives its own date, frame and layers.
STORY_CONFLICTS = (
    ("date_given", "--date"),
    ("date_from", "--from"),
    ("date_to", "--to"),
    ("bbox", "--bbox"),
    ("place", "--place"),
    ("layers", "--layers"),
    ("compare_from", "--compare-from"),
    ("subtitle", "--subtitle"),
)


@dataclass(frozen=True)
class Plan:
    """One resolved export: everything the writer needs, computed once.

    Attributes
    ----------
    fmt, row
        The format name and its row (capabilities and writer).
    options
        The request as given (the CLI's or the app's).
    layers
        The layers drawn, in display order (never empty).
    size
        Picture size, or ``None`` for files that are not pictures.
    bbox, framed
        The frame (W, S, E, N) in degrees, and whether ``--bbox``/``--place`` chose it.
    date
        The date shown (for an animation, its last date; for a story, its first step's).
    start, end, frames
        An animation's range and the dates of its frames (empty otherwise).
    story
        The story of a story export.
    title
        The title asked for, or ``None`` for the writer's default.
    """

    fmt: str
    row: Format
    options: ExportOptions
    layers: tuple[str, ...]
    size: Size | None
    bbox: BBox
    framed: bool
    date: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    frames: tuple[dt.date, ...] = ()
    story: Story | None = None
    title: str | None = None

    @property
    def compare_from(self) -> dt.date | None:
        """The comparison date of a change map."""
        return self.options.compare_from

    def file_name(self) -> str:
        """A download name such as ``geomap-2016-07-04.png`` or ``geomap-story-ID.gif``."""
        if self.story is not None:
            return f"geomap-story-{self.story.id}.{self.fmt}"
        if self.start is not None and self.end is not None:
            return f"geomap-{self.start.isoformat()}-{self.end.isoformat()}.{self.fmt}"
        return f"geomap-{self.date.isoformat()}.{self.fmt}"


def default_title(plan: Plan) -> str:
    """``IS-held territory, 4 July 2016`` (or gained and lost between two dates)."""
    if plan.compare_from is not None:
        return (
            f"IS-held territory gained and lost, {format_date(plan.compare_from)} "
            f"to {format_date(plan.date)}"
        )
    return f"IS-held territory, {format_date(plan.date)}"


def check_request(dataset: Dataset, fmt: str, options: ExportOptions) -> Plan:
    """Check a request against its format's row and resolve it into a :class:`Plan`.

    Raises
    ------
    ExportError
        One line naming the first problem.
    """
    row = format_row(fmt, story=options.story is not None)
    if options.credits not in CREDITS:
        raise ExportError(f"--credits {options.credits!r}: choose one of {', '.join(CREDITS)}")
    if options.credits != DEFAULT_CREDITS and row.sources is None:
        maps = names_of({k: r for k, r in FORMATS.items() if r.sources is not None})
        raise ExportError(f"--credits works with the map and animation formats {maps}")
    for flag, text in (("--title", options.title), ("--subtitle", options.subtitle)):
        if text is not None:
            problem = text_problem(text, markup=False)
            if problem is not None:
                raise ExportError(f"{flag} {problem}")
    if options.lang not in LABEL_LANGS:
        raise ExportError(f"--lang {options.lang!r}: choose one of {', '.join(LABEL_LANGS)}")
    if options.lang != DEFAULT_LABEL_LANG and row.sources is None:
        maps = names_of({k: r for k, r in FORMATS.items() if r.sources is not None})
        raise ExportError(f"--lang works with the map and animation formats {maps}")
    if row.story:
        return _story_plan(dataset, row, options)
    layers = check_layers(options.layers)
    if not layers:
        # Pictures show what the app shows by default (the control layer only on request);
        # data exports and the HTML map keep every layer.
        layers = tuple(s.name for s in LAYERS if row.default_layers == "all" or s.default_on)
    start = end = None
    frames: tuple[dt.date, ...] = ()
    if row.dates == "range":
        start = check_date(options.date_from or TIMELINE_START, "--from date")
        end = check_date(options.date_to or TIMELINE_END, "--to date")
        if end <= start:
            raise ExportError(f"--to {end.isoformat()} must be after --from {start.isoformat()}")
        # Nothing changes after the timeline's end: a later --to (even 9999-12-31) ends there.
        end = min(end, max(TIMELINE_END, start + dt.timedelta(days=1)))
        date = end
    else:
        date = check_date(options.date)
        if options.date_from is not None or options.date_to is not None:
            animations = names_of({k: r for k, r in FORMATS.items() if r.dates == "range"})
            raise ExportError(f"--from and --to are for animations ({animations}); use --date")
    if options.subtitle is not None and not row.compare:
        maps = names_of({k: r for k, r in FORMATS.items() if r.compare})
        raise ExportError(f"--subtitle works with the map formats {maps}")
    if options.compare_from is not None:
        if not row.compare:
            maps = names_of({k: r for k, r in FORMATS.items() if r.compare})
            raise ExportError(f"--compare-from works with the map formats {maps}")
        check_date(options.compare_from, "--compare-from date")
        if options.compare_from == options.date:
            raise ExportError("--compare-from must be a different date from --date")
    if options.bbox is not None:
        check_bbox(options.bbox)
    size = _check_output(fmt, row, options)
    bbox = frame_of(dataset, options)
    if start is not None and end is not None:
        frames = tuple(change_dates(dataset.layers(layers), start, end))
        if len(frames) > MAX_FRAMES:
            raise ExportError(
                f"{len(frames)} frames is more than the limit of {MAX_FRAMES}; choose a "
                "shorter --from/--to range"
            )
    return Plan(
        fmt=fmt,
        row=row,
        options=options.with_changes(layers=layers),
        layers=layers,
        size=size,
        bbox=bbox,
        framed=options.bbox is not None or options.place is not None,
        date=date,
        start=start,
        end=end,
        frames=frames,
        title=options.title,
    )


def _story_plan(dataset: Dataset, row: Format, options: ExportOptions) -> Plan:
    """Check a ``--story`` export: the options it leaves to the steps, then the story."""
    for name, flag in STORY_CONFLICTS:
        if getattr(options, name):
            raise ExportError(f"{flag} cannot be used with --story: each step sets its own")
    size = _check_output(row.name, row, options)
    story = story_for(dataset, options.story or "")
    return Plan(
        fmt=row.name,
        row=row,
        options=options,
        layers=tuple(spec.name for spec in LAYERS),
        size=size,
        bbox=REGION_BBOX,
        framed=False,
        date=story.steps[0].date,
        story=story,
        title=options.title,
    )


def story_for(dataset: Dataset, story_id: str) -> Story:
    """The story of that id, or a one-line :class:`ExportError`."""
    try:
        stories = dataset.stories
    except DataError as exc:
        raise ExportError(f"the stories cannot be read: {exc}") from None
    if story_id not in stories:
        known = ", ".join(stories) or "none (no data/stories/*.toml)"
        raise ExportError(f"unknown story {story_id!r}; stories are: {known}")
    return stories[story_id]


def _check_output(fmt: str, row: Format, options: ExportOptions) -> Size | None:
    """Check what the output needs: mp4's encoder, and a size only for pictures."""
    if row.requires is not None:
        row.requires()
    if row.size is not None:
        return output_size(options, row.size)
    if options.preset or options.width or options.height:
        raise ExportError(f"--preset, --width and --height apply to images, not {fmt}")
    return None


def frame_of(dataset: Dataset, options: ExportOptions) -> BBox:
    """The frame of a map in degrees, from ``--bbox``, ``--place`` or the default."""
    if options.bbox is not None and options.place is not None:
        raise ExportError("give either --bbox or --place, not both")
    if options.bbox is not None:
        return check_bbox(options.bbox)
    if options.place is not None:
        index = dataset.place_index
        if options.place not in index:
            raise ExportError(
                f"unknown place {echo(options.place)}: use an id such as mosul, raqqa or "
                "hajin-pocket"
            )
        return index[options.place]
    return REGION_BBOX
