"""The facts of geography the ``spatial`` rule checks, as rows of data.

Each :class:`Fact` selects records, names the container they must lie in and
the tolerance that absorbs the 5-decimal rounding of the shipped coordinates:
points may lie up to ``tolerance`` km outside it, areas up to ``tolerance`` km².
Adding a fact is adding a row to :data:`FACTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.model import PLACE_KINDS, Kind
from geomap.validate.context import Context

#: Governorates the Idlib front may occupy (Idlib and its neighbours).
IDLIB_GOVERNORATES = ("SY.ID", "SY.HM", "SY.HL", "SY.LA")
#: Points near borders: Kobani sits 0.6 km outside Natural Earth's generalised border.
COUNTRY_TOLERANCE_KM = 1.0
OUTSIDE_TOLERANCE_KM2 = 1.0


@dataclass(frozen=True)
class Fact:
    """Records that ``selects`` lie inside (or, for ``near``, close to) a container.

    Attributes
    ----------
    name
        What the container is, for the message; ``{country}`` is the record's country.
    selects
        Which records the fact is about.
    container
        The shape they must lie in (``None``: the base geography lacks it).
    measure
        ``outside_km`` (points: distance outside the container), ``outside_km2``
        (areas: area outside it) or ``near_km`` (distance to a line).
    tolerance
        km or km², by ``measure``.
    """

    name: str
    selects: Callable[[Feature], bool]
    container: Callable[[Context, Feature], BaseGeometry | None]
    measure: Literal["outside_km", "outside_km2", "near_km"]
    tolerance: float


def _place_with_country(f: Feature) -> bool:
    return f.props.kind in PLACE_KINDS and f.props.country is not None


FACTS: tuple[Fact, ...] = (
    Fact(
        "its country {country}",
        _place_with_country,
        lambda ctx, f: ctx.countries.get(f.props.country or ""),
        "outside_km",
        COUNTRY_TOLERANCE_KM,
    ),
    Fact(
        "the euphrates",
        lambda f: f.id == "hajin" and f.geometry.geom_type == "Point",
        lambda ctx, f: ctx.rivers.get("euphrates"),
        "near_km",
        3.0,
    ),
    Fact(
        "the land of Syria and Iraq",
        lambda f: f.props.kind is Kind.territory,
        lambda ctx, f: ctx.land,
        "outside_km2",
        OUTSIDE_TOLERANCE_KM2,
    ),
    Fact(
        "Idlib and its neighbouring governorates",
        lambda f: f.props.layer == "idlib_front" and f.props.kind in (Kind.front, Kind.zone),
        lambda ctx, f: ctx.union("admin1", IDLIB_GOVERNORATES),
        "outside_km2",
        OUTSIDE_TOLERANCE_KM2,
    ),
)
