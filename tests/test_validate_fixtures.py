"""Each invalid fixture breaks exactly the rule its file name starts with."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.validate import rule_names, validate_paths
from tests.conftest import FIXTURES, ROOT

#: One fixture per rule: a file ``rule__name.geojson`` or a folder ``rule__name/``.
INVALID = sorted((FIXTURES / "invalid").iterdir())
#: Every rule in the registry.
RULES = set(rule_names())


def test_every_rule_has_a_fixture() -> None:
    assert {p.name.split("__")[0] for p in INVALID} == RULES


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_fixture_breaks_its_rule(path: Path) -> None:
    rule = path.name.split("__")[0]
    problems = validate_paths([path], root=ROOT)
    assert problems, f"{path.name} passed validation"
    assert {p.rule for p in problems} == {rule}, [p.line() for p in problems]
    for p in problems:
        assert p.line().startswith(str(path))
        assert p.line().count(": ") >= 3


def test_missing_path_is_reported() -> None:
    problems = validate_paths([ROOT / "no-such-layer.geojson"], root=ROOT)
    assert [p.rule for p in problems] == ["read"]


def test_geometry_reason_comes_from_shapely() -> None:
    problems = validate_paths([FIXTURES / "invalid" / "geometry__self-intersecting.geojson"])
    assert "Self-intersection" in problems[0].message
