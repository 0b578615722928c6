"""geomap: an offline-first, sourced, dated map of the Islamic State's territory, 2014-2019."""

__version__ = "0.1.0"
