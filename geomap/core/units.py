"""Units that claims are stated in, grouped by what they measure.

A value is converted to the canonical unit of its dimension (km², percent,
days, people) before it is compared, so a claim stated in square miles is
checked against square miles, and a claim whose unit measures the wrong thing
(say, percent for an area) is a mismatch, never a silent pass.
"""

from __future__ import annotations

SQ_MI_IN_KM2 = 2.589988110336

#: unit -> (dimension, factor to the canonical unit of that dimension)
UNITS: dict[str, tuple[str, float]] = {
    "km2": ("area", 1.0),
    "sq_mi": ("area", SQ_MI_IN_KM2),
    "ha": ("area", 0.01),
    "percent": ("share", 1.0),
    "fraction": ("share", 100.0),
    "days": ("duration", 1.0),
    "weeks": ("duration", 7.0),
    "months": ("duration", 365.25 / 12),
    "years": ("duration", 365.25),
    "people": ("count", 1.0),
}

#: How each unit is written for readers (the keys above are codes, never shown).
UNIT_WORDS: dict[str, str] = {
    "km2": "km²",
    "sq_mi": "sq mi",
    "ha": "ha",
    "percent": "%",
    "fraction": "(as a fraction)",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
    "people": "people",
}

CANONICAL: dict[str, str] = {
    "area": "km2",
    "share": "percent",
    "duration": "days",
    "count": "people",
}


class UnitError(ValueError):
    """A unit is unknown or measures something else than expected."""


def dimension(unit: str) -> str:
    """Return what a unit measures (``area``, ``share``, ``duration`` or ``count``)."""
    try:
        return UNITS[unit][0]
    except KeyError:
        known = ", ".join(sorted(UNITS))
        raise UnitError(f"unknown unit {unit!r}; use one of {known}") from None


def convert(value: float, unit: str, to: str) -> float:
    """Convert ``value`` from ``unit`` to ``to``; both must measure the same thing."""
    if dimension(unit) != dimension(to):
        raise UnitError(f"cannot convert {unit} ({dimension(unit)}) to {to} ({dimension(to)})")
    return value * UNITS[unit][1] / UNITS[to][1]


def unit_words(unit: str) -> str:
    """How ``unit`` is written for readers (``km2`` is ``km²``); unknown codes as they are."""
    return UNIT_WORDS.get(unit, unit)
