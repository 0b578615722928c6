"""The registry of validation rules and of the checks that apply them.

A *rule* is a named kind of problem (``json``, ``schema``, ``spatial``, …) with
a one-line summary; every :class:`Problem` names one. Checks that look at all
the records together are registered with :func:`cross_check`, naming the rule
they report under, and run in registration order by
:func:`geomap.validate.validate_paths`. Help texts, the README's rule list and
the tests' fixture list all read :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from geomap.core.text import printable

if TYPE_CHECKING:
    from geomap.core.feature import Feature
    from geomap.validate.context import Context

#: Stand-in for the feature id of a problem about a whole file.
ID_PLACEHOLDER = "-"


@dataclass(frozen=True)
class Problem:
    """One finding of the validator."""

    path: str
    feature: str
    rule: str
    message: str

    def line(self) -> str:
        """The ``path: feature-id: rule: message`` form, safe for a terminal."""
        return printable(f"{self.path}: {self.feature}: {self.rule}: {self.message}")

    def as_dict(self) -> dict[str, str]:
        """The problem as a JSON-ready mapping."""
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """A named kind of problem and what it means."""

    name: str
    summary: str


RULES: dict[str, Rule] = {}


def define_rule(name: str, summary: str) -> str:
    """Register a rule name with its summary; return the name."""
    if name in RULES:
        raise ValueError(f"rule {name!r} is defined twice")
    RULES[name] = Rule(name, summary)
    return name


#: A check over every record of the files validated together.
CrossCheck = Callable[["Sequence[Feature]", "Context"], "Iterable[Problem]"]


@dataclass(frozen=True)
class RegisteredCheck:
    """A cross-file check, the rule it reports under and whether it is spatial."""

    rule: str
    check: CrossCheck
    spatial: bool


CROSS_CHECKS: list[RegisteredCheck] = []


def cross_check(rule: str, *, spatial: bool = False) -> Callable[[CrossCheck], CrossCheck]:
    """Register a cross-file check reporting under ``rule`` (a defined rule).

    ``spatial`` checks are skipped by ``geomap validate --no-spatial``.
    """
    if rule not in RULES:
        raise ValueError(f"rule {rule!r} is not defined")

    def register(fn: CrossCheck) -> CrossCheck:
        CROSS_CHECKS.append(RegisteredCheck(rule, fn, spatial))
        return fn

    return register


def rule_names() -> tuple[str, ...]:
    """Every rule, in the order they were defined."""
    return tuple(RULES)
