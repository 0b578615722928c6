"""Dates and half-open validity intervals: the one parser and the one interval test.

Every interval in geomap is half-open, ``[start, end)``, and ``None`` as an end
means open-ended. The browser script applies the same rule to day numbers.
"""

from __future__ import annotations

import datetime as dt
import re

from geomap.core.text import echo

#: The one form a date may take: four, two and two ASCII digits.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: object) -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date (or pass a date through) with a message fit for a user.

    Raises
    ------
    ValueError
        When ``text`` is not a real calendar date in that form.
    """
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    try:
        # Digits only: Python also reads ISO week dates ("2015-W01-1") and others.
        if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"invalid date {echo(text)}: expected YYYY-MM-DD, e.g. 2016-07-04"
        ) from None


def in_interval(day: dt.date, start: dt.date, end: dt.date | None) -> bool:
    """Whether the half-open interval ``[start, end)`` holds ``day``."""
    return start <= day and (end is None or day < end)


def overlaps(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    """Whether two half-open intervals share at least one day."""
    return in_interval(b_from, a_from, a_to) or in_interval(a_from, b_from, b_to)
