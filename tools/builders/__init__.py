"""One module per layer builder; each registers itself with :func:`builder`.

``tools/build_layers.py`` imports every module in this folder, checks that the
builders match the layer registry (:data:`geomap.core.layers.LAYERS`) one to one,
validates every record through the feature model and writes the files.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.builders.common import BuildContext

Builder = Callable[["BuildContext"], list[dict[str, Any]]]
BUILDERS: dict[str, Builder] = {}


def builder(layer: str) -> Callable[[Builder], Builder]:
    """Register the function that builds ``layer`` from its curated source file."""

    def register(fn: Builder) -> Builder:
        if layer in BUILDERS:
            raise ValueError(f"two builders for layer {layer!r}")
        BUILDERS[layer] = fn
        return fn

    return register


def load_builders() -> dict[str, Builder]:
    """Import every builder module of this package; return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "common":
            importlib.import_module(f"{__name__}.{info.name}")
    return BUILDERS
