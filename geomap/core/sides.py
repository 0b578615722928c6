"""The controlled vocabulary of who held ground: the sides of the war, once each.

Every ``controller`` (and ``contested_by``) in the layers is one of these slugs;
the ``controller`` rule of ``geomap validate`` rejects anything else. Display
names, colours and legend order derive from :data:`SIDES`.

Colours are colour-blind safe, taken from the Okabe-Ito and Paul Tol palettes,
and the Islamic State keeps the vermillion of the territory layer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """One party that held ground."""

    slug: str
    name: str
    short: str
    colour: str


SIDES: tuple[Side, ...] = (
    Side("is", "Islamic State", "IS", "#D55E00"),
    Side("government", "Syrian government and allies", "Syrian government", "#AA3377"),
    Side("sdf", "SDF / YPG", "SDF", "#F0E442"),
    Side("iraq", "Iraqi forces (ISF and PMF)", "Iraqi forces", "#0072B2"),
    Side("krg", "Kurdistan Region (Peshmerga)", "Peshmerga", "#56B4E9"),
    Side("rebels", "Syrian rebel factions", "Syrian rebels", "#009E73"),
    Side("turkey", "Turkey and Turkey-backed forces", "Turkey-backed", "#999933"),
    Side("hts", "Hayat Tahrir al-Sham (al-Nusra)", "HTS", "#555555"),
)

#: Colour of ground whose control is unclear (contested).
CONTESTED_COLOUR = "#BBBBBB"


def side_slugs() -> tuple[str, ...]:
    """Every side's slug, in legend order."""
    return tuple(s.slug for s in SIDES)


def side(slug: str) -> Side:
    """The side named by ``slug``.

    Raises
    ------
    KeyError
        For a slug outside the vocabulary.
    """
    for s in SIDES:
        if s.slug == slug:
            return s
    raise KeyError(slug)


def side_name(slug: str | None) -> str:
    """Display name of a side (the slug itself when it is unknown, '' for none)."""
    if not slug:
        return ""
    try:
        return side(slug).name
    except KeyError:
        return slug
