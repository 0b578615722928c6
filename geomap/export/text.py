"""Text of the printed map: its font and how dates and areas are written."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

#: Font (matplotlib's bundled DejaVu Sans: no system fonts, no network).
FONT = "DejaVu Sans"


def format_date(day: dt.date) -> str:
    """``4 July 2016``."""
    return f"{day.day} {day:%B %Y}"


def format_km2(km2: float) -> str:
    """``68,300 km²`` (rounded to 100 km² above 10,000)."""
    value = round(km2, -2) if km2 >= 10_000 else round(km2)
    return f"{value:,.0f} km²"


def heading(figure: Figure, x: float, y: float, text: str, size: float) -> Text:
    """A bold heading with its top left at ``(x, y)`` (figure fractions); never maths."""
    return figure.text(
        x,
        y,
        text,
        ha="left",
        va="top",
        fontsize=size,
        fontweight="bold",
        family=FONT,
        parse_math=False,
    )
