"""Dates, validity intervals and the events they imply.

All intervals are half-open, ``[valid_from, valid_to)``; ``None`` as an end means
open-ended. These functions are pure and work on any list of
:class:`geomap.core.feature.Feature`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geomap.core.feature import Feature
from geomap.core.model import Status
from geomap.core.sides import side_name

#: The period the map covers.
TIMELINE_START = dt.date(2014, 1, 1)
#: The end of the record: the May 2019 government offensive on the Idlib front.
TIMELINE_END = dt.date(2019, 5, 31)
#: The date the map opens on: around the Islamic State's widest extent.
DEFAULT_DATE = dt.date(2015, 1, 15)


@dataclass(frozen=True)
class ShownDay:
    """The day whose state is shown for a requested day, and the note that goes with it."""

    day: dt.date
    note: str | None = None


def shown_day(day: dt.date, what: str = "date") -> ShownDay:
    """The one date policy: what to show for ``day``, a date asked for from outside.

    * Before :data:`TIMELINE_START`: refused with :class:`ValueError` (nothing is
      recorded before it); each caller reports it in its own way.
    * After :data:`TIMELINE_END`: accepted. Nothing changes after that day (the
      last records stay valid), so the state shown is the final one, the day is
      :data:`TIMELINE_END` and the note says so.
    * Otherwise ``day`` itself, with no note.

    The CLI, the exports, ``compare`` and the app's links all apply it through this
    function; the map script applies the same rule through ``dayRule`` in
    ``geomap/app/static/js/dates.js``.
    """
    if day < TIMELINE_START:
        raise ValueError(
            f"{what} {day.isoformat()} is before the data starts ({TIMELINE_START.isoformat()})"
        )
    if day > TIMELINE_END:
        return ShownDay(
            TIMELINE_END,
            f"nothing changes in the data after {TIMELINE_END.isoformat()}; "
            f"{day.isoformat()} shows the state of that date",
        )
    return ShownDay(day)


def check_day(day: dt.date, what: str = "date") -> str | None:
    """:func:`shown_day` for the command line: raise before the data, a note after it.

    The records' state on a day after :data:`TIMELINE_END` is the final state, so
    ``state``, ``export`` and ``compare`` keep the day they were given and print
    the note (``note: …``).
    """
    note = shown_day(day, what).note
    return f"note: {note}" if note else None


def state_at(
    features: Iterable[Feature], day: dt.date, layers: Sequence[str] | None = None
) -> list[Feature]:
    """Return the features valid on ``day``, optionally only from the named layers."""
    wanted = set(layers) if layers else None
    return [
        f for f in features if f.props.valid_on(day) and (wanted is None or f.props.layer in wanted)
    ]


def change_dates(
    features: Iterable[Feature], start: dt.date, end: dt.date, layers: Sequence[str] = ()
) -> list[dt.date]:
    """``start`` and every later date up to ``end`` on which a record begins or ends.

    Only records of ``layers`` count (all when empty): an animation of those
    layers has one frame on each of these dates.
    """
    wanted = set(layers) or None
    days = {start}
    for f in features:
        if wanted is not None and f.props.layer not in wanted:
            continue
        for day in (f.props.valid_from, f.props.valid_to):
            if day is not None and start < day <= end:
                days.add(day)
    return sorted(days)


def periods_by_id(features: Iterable[Feature]) -> dict[str, list[Feature]]:
    """Group records by thing id, each list sorted by ``valid_from``."""
    groups: dict[str, list[Feature]] = defaultdict(list)
    for f in features:
        groups[f.id].append(f)
    for records in groups.values():
        records.sort(key=lambda f: f.props.valid_from)
    return dict(groups)


@dataclass(frozen=True)
class Event:
    """A change of control at a place, derived from consecutive records."""

    date: dt.date
    kind: str  # "capture", "loss" or "contested"
    before: str | None
    id: str
    name: str
    layer: str
    by: str | None
    confidence: str
    precision: str
    source_keys: tuple[str, ...]

    def label(self) -> str:
        """One line for a timeline tick or a list."""
        verb = {"capture": "taken by IS", "loss": "lost by IS", "contested": "contested"}[self.kind]
        by = f" ({self.by})" if self.by and self.kind == "loss" else ""
        if self.kind == "loss" and self.before == Status.contested.value:
            return f"{self.date.isoformat()}: IS driven out of {self.name}{by}"
        return f"{self.date.isoformat()}: {self.name} {verb}{by}"


def event_kind(before: Status | None, after: Status | None) -> str | None:
    """Name the change of control between two consecutive statuses, if any."""
    if after is Status.held and before is not Status.held:
        return "capture"
    if after in (Status.retaken, Status.not_held) and before in (Status.held, Status.contested):
        return "loss"
    if after is Status.contested and before is not Status.contested:
        return "contested"
    return None


def events(features: Iterable[Feature]) -> list[Event]:
    """Return the dated captures and losses implied by place records, oldest first.

    Only point features (cities and towns) carry control events. A record that
    starts ``held`` with no record before it counts as a capture on its
    ``valid_from`` unless that is the first day of the timeline.
    """
    out: list[Event] = []
    for records in periods_by_id(f for f in features if f.geometry.geom_type == "Point").values():
        previous: Feature | None = None
        for record in records:
            before = previous.props.status if previous else None
            kind = event_kind(before, record.props.status)
            if kind and not (previous is None and record.props.valid_from <= TIMELINE_START):
                out.append(
                    Event(
                        date=record.props.valid_from,
                        kind=kind,
                        before=before.value if before else None,
                        id=record.id,
                        name=record.props.name,
                        layer=record.props.layer,
                        by=side_name(record.props.controller) or None,
                        confidence=record.props.confidence.value,
                        precision=record.props.date_precision.value,
                        source_keys=tuple(s.key for s in record.props.sources),
                    )
                )
            previous = record
    out.sort(key=lambda e: (e.date, e.name))
    return out
