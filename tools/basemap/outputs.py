"""The registry of the basemap's output files: how each is built and recorded.

Each builder module (:mod:`tools.basemap.countries`, ``admin1``, ``rivers``,
``places``) defines one :class:`Output`; :data:`OUTPUTS` lists them in the
manifest's order, and :func:`build_order` orders them so that every output is
built after those it ``needs``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.basemap.sources import Inputs


@dataclass(frozen=True)
class Output:
    """One file of ``data/basemap``.

    Attributes
    ----------
    name
        File stem and manifest name.
    build
        Builds its features from the run's inputs (and the outputs it needs).
    record
        Its provenance and licence for the manifest.
    needs
        Names of the outputs built before it, whose features it reads.
    """

    name: str
    build: Callable[[Inputs], list[dict[str, Any]]]
    record: Callable[[Inputs], dict[str, Any]]
    needs: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """Its file name in ``data/basemap``."""
        return f"{self.name}.geojson"


def build_order(outputs: Sequence[Output]) -> list[Output]:
    """``outputs`` in an order that builds every output after those it needs.

    Raises
    ------
    ValueError
        When an output needs one that is not listed, or the needs form a cycle.
    """
    names = {o.name for o in outputs}
    for o in outputs:
        if unknown := set(o.needs) - names:
            raise ValueError(f"{o.name} needs {sorted(unknown)}, which no output builds")
    done: list[Output] = []
    waiting = list(outputs)
    while waiting:
        ready = [o for o in waiting if set(o.needs) <= {d.name for d in done}]
        if not ready:
            raise ValueError(f"the needs of {[o.name for o in waiting]} form a cycle")
        done.append(ready[0])
        waiting.remove(ready[0])
    return done


def registered() -> tuple[Output, ...]:
    """Every output, in the manifest's order (countries, admin1, rivers, places)."""
    from tools.basemap import admin1, countries, places, rivers

    return (countries.OUTPUT, admin1.OUTPUT, rivers.OUTPUT, places.OUTPUT)
