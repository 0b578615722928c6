"""The codes of the land model's label rasters, derived from the sides registry.

Every cell of a label raster holds one code, which says what kind of ground
(:class:`geomap.core.model.Ground`) the cell is on a date and for which side:

============  ================  =============================================
code          ground            side
============  ================  =============================================
``0``         ``open``          none (also every cell off the land)
``1 .. n``    ``held``          the sides of :data:`geomap.core.sides.SIDES`,
                                in registry order
``n+1 .. 2n`` ``desert``        the same sides, in the same order
``2n+1``      ``contested``     none
============  ================  =============================================

``n`` is the number of sides, so the table grows with the registry. The
codes must fit the raster's integer dtype: :class:`LabelCodes` refuses a
registry too large for it with :class:`LabelCapacityError` instead of letting
the codes wrap around.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geomap.core.model import Ground
from geomap.core.sides import side_slugs

#: Integer dtype of the label rasters.
LABEL_DTYPE = "uint8"


class LabelCapacityError(ValueError):
    """The sides need more label codes than the raster dtype holds."""


@dataclass(frozen=True)
class LabelCodes:
    """The label code of every kind of ground of every side.

    Parameters
    ----------
    sides
        Side slugs, in registry order.
    dtype
        Integer dtype of the label rasters.

    Raises
    ------
    LabelCapacityError
        When the largest code does not fit ``dtype``.
    ValueError
        When a side is named twice.
    """

    sides: tuple[str, ...]
    dtype: str = LABEL_DTYPE

    def __post_init__(self) -> None:
        if len(set(self.sides)) != len(self.sides):
            raise ValueError(f"a side is named twice in {self.sides}")
        if self.contested > self.capacity:
            raise LabelCapacityError(
                f"{len(self.sides)} sides need label codes up to {self.contested}, but a "
                f"{self.dtype} label raster holds codes up to {self.capacity}; widen "
                "LABEL_DTYPE in tools/builders/labels.py"
            )

    @property
    def capacity(self) -> int:
        """The largest code the dtype holds."""
        return int(np.iinfo(np.dtype(self.dtype)).max)

    @property
    def open(self) -> int:
        """Code of open ground, held by no side (and of every cell off the land)."""
        return 0

    @property
    def desert_offset(self) -> int:
        """What a side's desert code adds to its held code: the number of sides."""
        return len(self.sides)

    @property
    def contested(self) -> int:
        """Code of contested ground: the largest code."""
        return 2 * len(self.sides) + 1

    def held(self, side: str) -> int:
        """Code of the ground ``side`` holds.

        Raises
        ------
        KeyError
            For a side outside :attr:`sides`.
        """
        try:
            return self.sides.index(side) + 1
        except ValueError:
            raise KeyError(side) from None

    def desert(self, side: str) -> int:
        """Code of the thinly held desert of ``side``."""
        return self.held(side) + self.desert_offset

    def code(self, ground: Ground, side: str | None = None) -> int:
        """Code of ``ground``: held and desert ground name a side, the others none."""
        if ground is Ground.held or ground is Ground.desert:
            if side is None:
                raise ValueError(f"{ground.value} ground needs a side")
            return self.held(side) if ground is Ground.held else self.desert(side)
        if side is not None:
            raise ValueError(f"{ground.value} ground belongs to no side, not {side!r}")
        return self.contested if ground is Ground.contested else self.open

    def meaning(self, code: int) -> tuple[Ground, str | None]:
        """The ground and side of a code (the inverse of :meth:`code`).

        Raises
        ------
        ValueError
            For a number that is no code.
        """
        n = len(self.sides)
        if code == self.open:
            return Ground.open, None
        if code == self.contested:
            return Ground.contested, None
        if 1 <= code <= n:
            return Ground.held, self.sides[code - 1]
        if n < code <= 2 * n:
            return Ground.desert, self.sides[code - n - 1]
        raise ValueError(f"{code} is no label code of {n} sides")

    def table(self) -> dict[tuple[Ground, str | None], int]:
        """Every (ground, side) pair and its code, in code order."""
        pairs: list[tuple[Ground, str | None]] = [(Ground.open, None)]
        pairs += [(Ground.held, s) for s in self.sides]
        pairs += [(Ground.desert, s) for s in self.sides]
        pairs.append((Ground.contested, None))
        return {pair: self.code(*pair) for pair in pairs}


#: The codes of this build: one per kind of ground of every side of the registry.
LABELS = LabelCodes(side_slugs())
