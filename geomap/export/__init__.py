"""Exports: static maps, timeline animations, data files and an offline HTML map.

Use :func:`export` to write a file and :func:`export_bytes` for a download
button; both take every record, a format from :data:`FORMATS` and an
:class:`ExportOptions`. Drawing modules (matplotlib, geopandas) are imported
only when a format needs them. Nothing here imports Streamlit.
"""

from geomap.export.api import (
    Resources,
    check_request,
    export,
    export_bytes,
    file_name,
    load_resources,
)
from geomap.export.formats import FORMATS
from geomap.export.options import PRESETS, ExportError, ExportOptions

__all__ = [
    "FORMATS",
    "PRESETS",
    "ExportError",
    "ExportOptions",
    "Resources",
    "check_request",
    "export",
    "export_bytes",
    "file_name",
    "load_resources",
]
