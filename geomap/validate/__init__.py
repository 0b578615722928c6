"""All data checks of geomap: ``geomap validate``.

Each problem is reported as ``path: feature-id: rule: message``. The rules and
what they mean are registered in :mod:`geomap.validate.rules` (listed by
``geomap validate --rules``); per-file checks are in :mod:`.files`, checks over
all records in :mod:`.cross` (each registered under its rule), and the facts
of geography the ``spatial`` rule checks are rows of :mod:`.facts`.

A GeoJSON file listed as a resource in a ``datapackage.json`` beside it is base
geography and gets the ``json``, ``geometry``, ``rfc7946`` and ``manifest``
checks; every other ``.geojson`` file is layer data and gets them all.

Importing this package is cheap: the checks themselves (:mod:`.run` and what it
imports: the cross-file rules, shapely, pyproj) load on first use of one of the
names below, so ``geomap --help`` and every other command can list the rules
(:mod:`.rules`) without loading them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geomap.validate.run import (
        RULES,
        Problem,
        exit_code,
        problems_as_json,
        rule_names,
        validate_paths,
    )

__all__ = ["RULES", "Problem", "exit_code", "problems_as_json", "rule_names", "validate_paths"]


def __getattr__(name: str) -> Any:
    """The checks' entry points, loaded from :mod:`geomap.validate.run` on first use."""
    if name in __all__:
        return getattr(importlib.import_module("geomap.validate.run"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
