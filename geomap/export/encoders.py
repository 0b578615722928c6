"""Encoders some formats need beyond the required packages, and the check that they are here."""

from __future__ import annotations

import importlib.util

from geomap.export.options import ExportError


def mp4_available() -> bool:
    """Whether imageio-ffmpeg (and so its bundled ffmpeg) is installed."""
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def require_mp4() -> None:
    """Raise :class:`ExportError` when MP4 cannot be written here."""
    if not mp4_available():
        raise ExportError(
            "mp4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); "
            "use --format gif instead"
        )
