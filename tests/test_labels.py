"""The land model's label codes come from the sides registry, never collide and fit the raster."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.core.model import Ground
from geomap.core.sides import side_slugs
from tools.builders.labels import LABEL_DTYPE, LABELS, LabelCapacityError, LabelCodes

DTYPES = ("uint8", "uint16")


def _sides(n: int) -> tuple[str, ...]:
    return tuple(f"side{i}" for i in range(n))


@given(n=st.integers(min_value=0, max_value=300), dtype=st.sampled_from(DTYPES))
def test_codes_are_distinct_and_fit_or_the_sides_are_refused(n: int, dtype: str) -> None:
    limit = int(np.iinfo(np.dtype(dtype)).max)
    if 2 * n + 1 > limit:
        with pytest.raises(LabelCapacityError, match=f"{n} sides"):
            LabelCodes(_sides(n), dtype)
        return
    codes = LabelCodes(_sides(n), dtype)
    table = codes.table()
    assert len(table) == 2 * n + 2  # open, n held, n desert, contested
    assert len(set(table.values())) == len(table), "two kinds of ground share a code"
    assert all(0 <= code <= limit for code in table.values())
    assert sorted(table.values()) == list(range(2 * n + 2))
    for (ground, side), code in table.items():
        assert codes.meaning(code) == (ground, side)
        assert np.array([code], dtype=dtype)[0] == code  # survives the raster dtype


def test_uint8_holds_at_most_127_sides() -> None:
    LabelCodes(_sides(127))
    with pytest.raises(LabelCapacityError, match="128 sides need label codes up to 257"):
        LabelCodes(_sides(128))


def test_the_registry_fits_and_follows_it() -> None:
    assert LABELS.sides == side_slugs()
    assert LABELS.dtype == LABEL_DTYPE
    assert LABELS.contested <= LABELS.capacity
    for i, slug in enumerate(side_slugs(), start=1):
        assert LABELS.held(slug) == i
        assert LABELS.desert(slug) == i + len(side_slugs())
    assert LABELS.open == 0
    assert LABELS.code(Ground.contested) == LABELS.contested


def test_codes_name_sides_only_where_ground_has_one() -> None:
    with pytest.raises(ValueError, match="needs a side"):
        LABELS.code(Ground.held)
    with pytest.raises(ValueError, match="belongs to no side"):
        LABELS.code(Ground.open, "is")
    with pytest.raises(KeyError):
        LABELS.held("nobody")
    with pytest.raises(ValueError, match="no label code"):
        LABELS.meaning(LABELS.contested + 1)


def test_a_side_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        LabelCodes(("is", "is"))
