"""HTML for the notes panel and the about panel; every data value is escaped.

Pure: no Streamlit import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from geomap.core.citations import numbered_sources
from geomap.core.feature import Feature
from geomap.core.geodesy import feature_area_km2
from geomap.core.layers import layer_spec
from geomap.core.model import GROUND_LABEL, Source, Status
from geomap.core.sides import side_name
from geomap.web.html import esc, period_text, source_item, status_label, supports_detail


def _change_line(record: Feature) -> str:
    """Who took the place and when, in words, for one period."""
    p = record.props
    start = p.valid_from.isoformat()
    if p.status is Status.held:
        return f"Held by IS from {start}"
    if p.status is Status.retaken:
        by = f" by {side_name(p.controller)}" if p.controller else ""
        return f"Retaken from IS{by} on {start}"
    if p.status is Status.contested:
        return f"Contested from {start}"
    if p.status is Status.never_held:
        return f"Never held by IS (record from {start})"
    if p.status is Status.not_held:
        return f"Not held by IS from {start}"
    return f"Shape from {start}"


#: Kinds of place, biggest first: the order in which an area names its places.
PLACE_RANK = {"city": 0, "town": 1, "village": 2, "site": 3}
#: At most this many places are named in an area's notes; the rest are counted.
MAX_PLACES_NAMED = 40


def _place_link(f: Feature, day: dt.date) -> str:
    return (
        f"<a href='?date={esc(day.isoformat())}&amp;place={esc(f.id)}' target='_self'>"
        f"{esc(f.props.name)}</a>"
    )


def _places_line(label: str, places: Sequence[Feature], day: dt.date) -> str:
    ranked = sorted(places, key=lambda f: (PLACE_RANK.get(f.props.kind.value, 9), f.props.name))
    shown = sorted(ranked[:MAX_PLACES_NAMED], key=lambda f: f.props.name)
    links = ", ".join(_place_link(f, day) for f in shown)
    more = len(places) - len(shown)
    tail = f" and {more} smaller places" if more > 0 else ""
    return f"<p class='gm-inside'><b>{esc(label)}</b> ({len(places)}): {links}{esc(tail)}</p>"


def _area_on(record: Feature, day: dt.date, inside: Sequence[Feature]) -> str:
    """Who held an area on ``day``, its size, and the places inside it (linked to their notes)."""
    p = record.props
    who = side_name(p.controller) if p.controller else p.name.split(" from ")[0]
    ground = f", {GROUND_LABEL[p.ground]}" if p.ground is not None else ""
    parts = [
        f"<p class='gm-area-now'>On {esc(day.isoformat())}: <b>{esc(who)}</b>{esc(ground)}, "
        f"about {feature_area_km2(record):,.0f} km²</p>"
    ]
    if not inside:
        parts.append("<p class='gm-inside'>No recorded place lies inside this area.</p>")
        return "".join(parts)
    same = [f for f in inside if p.controller and f.props.controller == p.controller]
    other = [f for f in inside if f not in same]
    if same:
        parts.append(_places_line(f"Places inside held by {side_name(p.controller)}", same, day))
    if other:
        label = "Other places inside" if same else "Places inside"
        parts.append(_places_line(label, other, day))
    return "".join(parts)


#: A thing with more periods than this (the territory has one per snapshot) shows
#: only the periods around the map's date.
MAX_PERIODS = 6


def _periods_to_show(records: Sequence[Feature], day: dt.date) -> Sequence[Feature]:
    """All periods, or for long histories the ones nearest to ``day``."""
    if len(records) <= MAX_PERIODS:
        return records
    nearest = min(range(len(records)), key=lambda i: abs((records[i].props.valid_from - day).days))
    for i, rec in enumerate(records):
        if rec.props.valid_on(day):
            nearest = i
    start = max(0, min(nearest - MAX_PERIODS // 2, len(records) - MAX_PERIODS))
    return records[start : start + MAX_PERIODS]


def notes_html(
    records: Sequence[Feature],
    sources: Mapping[str, Source],
    day: dt.date,
    inside: Sequence[Feature] = (),
    name_ar: str | None = None,
) -> str:
    """The notes panel for one thing: name, history, notes, confidence, sources.

    Parameters
    ----------
    records
        All periods of the thing, oldest first.
    sources
        The bibliography.
    day
        The map's date; the period valid on it is marked.
    inside
        For an area: the place records valid on ``day`` that lie inside its shape
        (:func:`geomap.core.areas.places_inside`), listed with links to their notes,
        its own side's first.
    name_ar
        The thing's Arabic name (from the gazetteer), shown right to left under its name.
    """
    if not records:
        return '<div class="gm-notes"><p>Nothing recorded for this place.</p></div>'
    last = records[-1].props
    parts = [f'<div class="gm-notes" data-place="{esc(last.id)}">']
    title = last.name
    if records[-1].geometry.geom_type in ("Polygon", "MultiPolygon"):
        title = title.split(" from ")[0]  # areas are named "<area> from <date>" per record
    parts.append(f"<h3>{esc(title)}</h3>")
    if name_ar:
        parts.append(f"<p class='gm-name-ar' lang='ar' dir='rtl'>{esc(name_ar)}</p>")
    parts.append(f"<p class='gm-kind'>{esc(layer_spec(last.layer).noun)}")
    if last.country:
        parts.append(f" &middot; {esc(last.country)}")
    parts.append("</p>")

    current = [r for r in records if r.props.valid_on(day)]
    if current and current[0].geometry.geom_type in ("Polygon", "MultiPolygon"):
        parts.append(_area_on(current[0], day, inside))

    shown = _periods_to_show(records, day)
    parts.append("<h4>Control history</h4>")
    if len(shown) < len(records):
        parts.append(
            f"<p class='gm-change'>{len(records)} dated outlines; showing the "
            f"{len(shown)} around {esc(day.isoformat())}. Move the timeline to see others.</p>"
        )
    parts.append("<ol class='gm-history'>")
    for rec in shown:
        p = rec.props
        now = " <b>(on this date)</b>" if p.valid_on(day) else ""
        status = status_label(p.status) if p.status else ""
        who = f"; controlled by {side_name(p.controller)}" if p.controller else ""
        if p.contested_by:
            who += f", contested by {side_name(p.contested_by)}"
        approx = "; approximate" if p.approximate else ""
        precision = (
            f"; dates to the {p.date_precision.value}" if p.date_precision.value != "day" else ""
        )
        parts.append(
            f"<li><b>{esc(period_text(rec))}</b>{now}: {esc(status)}{esc(who)}"
            f"<br><span class='gm-change'>{esc(_change_line(rec))}</span>"
            f"<br><span class='gm-conf'>Confidence: {esc(p.confidence.value)}"
            f"{esc(approx)}{esc(precision)}</span>"
        )
        for variant in p.date_variants:
            used = getattr(p, variant.field)
            gap = abs((variant.date - used).days) if used else 0
            src = sources.get(variant.key)
            named = f"{src.title} ({src.publisher})" if src else variant.key
            parts.append(
                f"<br><span class='gm-variant'>Sources disagree: {esc(named)} dates the "
                f"{'start' if variant.field == 'valid_from' else 'end'} to "
                f"{esc(variant.date.isoformat())}, {gap} day(s) from the date used here."
                "</span>"
            )
        if p.notes:
            parts.append(f"<p class='gm-note-text'>{esc(p.notes)}</p>")
        parts.append("</li>")
    parts.append("</ol>")

    parts.append("<h4>Sources</h4><ol class='gm-sources'>")
    for note in numbered_sources(records, sources):
        parts.append(source_item(note.key, note.source, supports_detail(note)))
    parts.append("</ol></div>")
    return "".join(parts)


def about_html(
    sources: Mapping[str, Source],
    datapackage: Mapping[str, Any] | None,
    *,
    with_sources: bool = True,
) -> str:
    """Sources, licences and attribution for the about panel.

    ``with_sources=False`` leaves out the bibliography (see :func:`sources_html`).
    """
    parts = [
        "<div class='gm-about'>",
        "<p><b>All shapes are approximate.</b> The territory and pocket outlines are "
        "reconstructions built from dated changes of control and published area figures; "
        "they show the general extent, not front lines. Dashed or dotted outlines mark the "
        "least certain shapes. Dates can differ between sources by days or weeks; the notes "
        "panel lists the alternatives where we found them.</p>",
        "<p>The map works offline: the base map is drawn from the files in <code>data/</code> "
        "and no tile server is contacted unless you switch on the online street map.</p>",
    ]
    resources = (datapackage or {}).get("resources") or []
    if resources:
        parts.append("<h4>Base geography and data files</h4><ul class='gm-resources'>")
        for res in resources:
            if not isinstance(res, Mapping):
                continue
            attribution = res.get("attribution") or res.get("name") or ""
            licence = res.get("licence") or res.get("license") or ""
            note = res.get("licence_note") or ""
            line = esc(attribution)
            if licence:
                line += f" &middot; licence: {esc(licence)}"
            if note:
                line += f"<br><span class='gm-supports'>{esc(note)}</span>"
            parts.append(f"<li>{line}</li>")
        parts.append("</ul>")
    if with_sources:
        parts.append(sources_html(sources))
    parts.append(
        "<p>Map software: Leaflet (BSD-2-Clause), jQuery (MIT), folium and streamlit-folium "
        "(MIT), served from this machine.</p></div>"
    )
    return "".join(parts)


def sources_html(sources: Mapping[str, Source]) -> str:
    """The whole bibliography as a numbered list, by publisher and date."""
    parts = []
    parts.append("<h4>Sources</h4><ol class='gm-sources'>")
    for key, src in sorted(sources.items(), key=lambda kv: (kv[1].publisher, kv[1].date)):
        licence = f" &middot; licence: {esc(src.licence)}" if src.licence else ""
        parts.append(source_item(key, src, esc(src.supports) + licence))
    parts.append("</ol>")
    return "".join(parts)
