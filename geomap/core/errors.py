"""The errors geomap's readers raise, shared by the core, the CLI and the app."""

from __future__ import annotations


class DataError(ValueError):
    """Raised when a data file cannot be read or does not follow the schema."""


class UnreadableError(DataError):
    """Raised when an input cannot be read at all (missing, not a file, not text, too big)."""
