"""Exports: static maps, timeline animations, data files and an offline HTML map.

Use :func:`export` to write a file and :func:`export_bytes` for a download
button; both take a :class:`~geomap.data.dataset.Dataset`, a format from
:data:`FORMATS` (or :data:`STORY_FORMATS` with ``--story``) and an
:class:`ExportOptions`, checked once into a :class:`Plan` by
:func:`check_request`. Drawing modules (matplotlib, geopandas) are imported
only when a format needs them. Nothing here imports Streamlit.
"""

from geomap.export.api import export, export_bytes
from geomap.export.formats import FORMATS, STORY_FORMATS, Format
from geomap.export.options import PRESETS, ExportError, ExportOptions
from geomap.export.plan import Plan, check_request

__all__ = [
    "FORMATS",
    "PRESETS",
    "STORY_FORMATS",
    "ExportError",
    "ExportOptions",
    "Format",
    "Plan",
    "check_request",
    "export",
    "export_bytes",
]
