"""What an export is asked for: format, date, size, frame and layers, and their checks.

Every check raises :class:`ExportError` with one line fit for a user; the CLI
prints it and exits with status 2, the app shows it beside the button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from geomap.core.framing import MIN_FRAME_DEG, frame_problem
from geomap.core.layers import layer_names
from geomap.core.names import DEFAULT_LABEL_LANG
from geomap.core.timeline import check_day

#: Called with ``(done, total)`` as an export progresses (animation frames, story steps).
Progress = Callable[[int, int], None]


#: A frame on the ground: west, south, east, north in degrees.
BBox = tuple[float, float, float, float]


class ExportError(ValueError):
    """A bad export request or an output that cannot be written (one line)."""


@dataclass(frozen=True)
class Size:
    """Output size in pixels and the resolution that maps it to inches."""

    width: int
    height: int
    dpi: float


@dataclass(frozen=True)
class Preset:
    """A named layout for where a map goes (``--preset``).

    ``medium`` is ``print`` (type sizes in points hold at the paper's size) or
    ``screen`` (seen at its pixel size: at least :data:`SCREEN_MIN_DPI`, so that
    the map's smallest body text, 7 pt, is at least 14 px).
    """

    size: Size
    medium: str
    what: str


#: Body text is never smaller than this at print size (points) ...
BODY_MIN_PT = 7.0
#: ... nor than this many pixels on a screen preset.
SCREEN_MIN_PX = 14.0
#: The resolution a screen preset needs for both: 7 pt at 144 dpi is 14 px.
SCREEN_MIN_DPI = SCREEN_MIN_PX / BODY_MIN_PT * 72

#: Named layouts: the one table ``--preset``, its help and its checks read. Paper sizes
#: at 300 dpi (A4 210 x 297 mm, US Letter 8.5 x 11 in); screen sizes in pixels.
PRESETS: dict[str, Preset] = {
    "a4": Preset(Size(2480, 3508, 300.0), "print", "A4 portrait, 300 dpi"),
    "a4-landscape": Preset(Size(3508, 2480, 300.0), "print", "A4 landscape, 300 dpi"),
    "letter": Preset(Size(2550, 3300, 300.0), "print", "US Letter portrait, 300 dpi"),
    "letter-landscape": Preset(Size(3300, 2550, 300.0), "print", "US Letter landscape, 300 dpi"),
    "social": Preset(Size(1200, 675, 150.0), "screen", "1200 x 675 px, for a social post"),
    "square": Preset(Size(1080, 1080, 150.0), "screen", "1080 x 1080 px, square"),
    "web": Preset(Size(1600, 1100, 200.0), "screen", "1600 px wide, for a web page"),
}


def presets_help() -> str:
    """One line naming every preset, for ``--help``."""
    return "; ".join(f"{name}: {preset.what}" for name, preset in PRESETS.items())


#: Default sizes of static maps and animation frames.
STATIC_SIZE = Size(1600, 1100, 200.0)
ANIMATION_SIZE = Size(800, 560, 100.0)

#: Figures are laid out about this many inches wide, so text sizes stay readable.
LAYOUT_WIDTH_IN = 8.0
#: Limits that keep an export's work bounded, each refused with a clear error:
#: a side in pixels, the pixels of one image, the aspect ratio (the layout
#: needs room for its title and legend), an animation's frame size and frame
#: count, and the smallest frame on the ground (degrees; 0.05° is about 5 km).
MIN_PX, MAX_PX = 300, 8000
MAX_PIXELS = 40_000_000
MAX_ASPECT = 4.0
MAX_ANIMATION_PX = 2000
MAX_FRAMES = 600
MIN_BBOX_DEG = MIN_FRAME_DEG


#: How a map or animation carries its credits (``--credits``): the one table the CLI,
#: the checks and the writers read. The numbered list of sources always goes with the
#: file: on the map (``full``), or beside it in ``NAME.sources.txt`` (a PDF: on its
#: second page).
CREDITS: dict[str, str] = {
    "short": "one line of data credits on the map; the numbered sources beside it",
    "full": "the data credits and every numbered source on the map itself",
    "none": "no credits on the map; the numbered sources beside it",
}
DEFAULT_CREDITS = "short"


@dataclass(frozen=True)
class ExportOptions:
    """One export request; see ``geomap export --help`` for each option.

    ``date`` is the date shown (static, data and HTML formats); ``date_from`` and
    ``date_to`` bound an animation. ``bbox`` is ``(west, south, east, north)`` in
    degrees. ``layers`` empty means every layer. ``story`` is the id of a story in
    ``data/stories/``: each step then gives the date, frame and layers.
    """

    date: dt.date = dt.date(2016, 7, 4)
    width: int | None = None
    height: int | None = None
    preset: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    place: str | None = None
    title: str | None = None
    #: A line under the title, before the date and IS-held area the map always states.
    subtitle: str | None = None
    #: The language of the place names (a key of :data:`geomap.core.names.LABEL_LANGS`).
    lang: str = DEFAULT_LABEL_LANG
    layers: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    compare_from: dt.date | None = None
    story: str | None = None
    #: How the credits are carried: a key of :data:`CREDITS`.
    credits: str = DEFAULT_CREDITS
    #: Whether ``date`` was asked for (a story export refuses it), not just the default.
    date_given: bool = field(default=False, compare=False)

    def with_changes(self, **changes: object) -> ExportOptions:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


def check_date(day: dt.date, what: str = "date") -> dt.date:
    """Raise unless the data has started by ``day`` (later dates show the final state)."""
    try:
        check_day(day, what)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    return day


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``W,S,E,N`` in degrees, raising for anything that is not a real box."""
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ExportError(
            f"bad bbox {text!r}: expected W,S,E,N in degrees, e.g. 38,34,44,37.5"
        ) from None
    return check_bbox((west, south, east, north))


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """Raise unless ``bbox`` is a finite west < east, south < north box in range."""
    west, south, east, north = (float(v) for v in bbox)
    problem = frame_problem((west, south, east, north))
    if problem is not None:
        if problem.startswith("values"):
            raise ExportError(f"bad bbox: {problem}")
        raise ExportError(f"bad bbox {west:g},{south:g},{east:g},{north:g}: {problem}")
    return west, south, east, north


def check_layers(layers: Sequence[str]) -> tuple[str, ...]:
    """Raise for an unknown layer name; return the names in display order."""
    names = layer_names()
    unknown = [name for name in layers if name not in names]
    if unknown:
        raise ExportError(f"unknown layer {unknown[0]!r}: choose from {', '.join(names)}")
    return tuple(name for name in names if name in set(layers))


def output_size(options: ExportOptions, default: Size) -> Size:
    """Pixel size and dpi from ``--preset`` or ``--width``/``--height`` (or ``default``).

    A width alone keeps the default aspect ratio; the dpi is chosen so the
    figure is laid out about :data:`LAYOUT_WIDTH_IN` inches wide, except for
    presets, which carry their own.
    """
    if options.preset is not None:
        if options.preset not in PRESETS:
            raise ExportError(
                f"unknown preset {options.preset!r}: choose one of {', '.join(PRESETS)}"
            )
        if options.width is not None or options.height is not None:
            raise ExportError("give either --preset or --width/--height, not both")
        return PRESETS[options.preset].size
    if options.width is not None:
        width = options.width
    elif options.height is not None:
        width = round(options.height * default.width / default.height)
    else:
        width = default.width
    height = (
        options.height
        if options.height is not None
        else round(width * default.height / default.width)
    )
    for name, value in (("width", width), ("height", height)):
        if not MIN_PX <= value <= MAX_PX:
            raise ExportError(f"{name} {value} px is out of range ({MIN_PX} to {MAX_PX})")
    if width * height > MAX_PIXELS:
        raise ExportError(
            f"{width}x{height} is {width * height / 1e6:.0f} megapixels; the limit is "
            f"{MAX_PIXELS / 1e6:.0f}"
        )
    if max(width / height, height / width) > MAX_ASPECT:
        raise ExportError(
            f"{width}x{height} is too narrow for the map's layout (at most {MAX_ASPECT:g}:1)"
        )
    if default is ANIMATION_SIZE and max(width, height) > MAX_ANIMATION_PX:
        raise ExportError(
            f"animation frames of {width}x{height} are too large (at most {MAX_ANIMATION_PX} px "
            "on a side)"
        )
    if options.width is None and options.height is None:
        return default
    return Size(width, height, width / LAYOUT_WIDTH_IN)
