"""Exports: static maps, timeline animations, data files and an offline HTML map.

Use :func:`export` to write a file and :func:`export_bytes` for a download
button; both take a :class:`~geomap.data.dataset.Dataset`, a format from
:data:`FORMATS` (or :data:`STORY_FORMATS` with ``--story``) and an
:class:`ExportOptions`, checked once into a :class:`Plan` by
:func:`check_request`. Drawing modules (matplotlib, geopandas) are imported
only when a format needs them. Nothing here imports Streamlit.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geomap.export.api import Download, export, export_bytes, export_download
    from geomap.export.formats import FORMATS, STORY_FORMATS, Format
    from geomap.export.options import PRESETS, ExportError, ExportOptions
    from geomap.export.plan import Plan, check_request

#: Where each public name lives; importing this package loads none of them (the CLI's
#: help lists the formats without loading the data floor or the drawing libraries).
_HOMES = {
    "export": "geomap.export.api",
    "export_bytes": "geomap.export.api",
    "export_download": "geomap.export.api",
    "Download": "geomap.export.api",
    "FORMATS": "geomap.export.formats",
    "STORY_FORMATS": "geomap.export.formats",
    "Format": "geomap.export.formats",
    "PRESETS": "geomap.export.options",
    "ExportError": "geomap.export.options",
    "ExportOptions": "geomap.export.options",
    "Plan": "geomap.export.plan",
    "check_request": "geomap.export.plan",
}

__all__ = [
    "FORMATS",
    "PRESETS",
    "STORY_FORMATS",
    "Download",
    "ExportError",
    "ExportOptions",
    "Format",
    "Plan",
    "check_request",
    "export",
    "export_bytes",
    "export_download",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
