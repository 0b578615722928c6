"""Check reported figures against geomap's own dated geometry.

The registry ``data/claims.json`` lists claims in our words, each with its
source, its date, what it asserts (``value``, ``unit``, ``comparison``,
``tolerance``) and how geomap computes the matching value (``check.method``).
Every computed value follows from the layers, so when the data changes, the
numbers and verdicts change with it.

Methods
-------
``held_area``
    IS-held area on the claim's date (geodesic, km²).
``remaining_share_of_peak`` / ``lost_share_of_peak``
    that area as a percentage of the largest snapshot area, or its complement.
``peak_area``
    the largest snapshot area; with ``reference_km2`` the explanation gives the ratio.
``pocket_area``
    the area of one pocket (``check.place``, default the Hajin pocket) on the
    claim's date, with the rest of IS ground that day in the explanation.
``final_assault_days``
    for each place, the length of the last ``contested`` period before it was
    retaken (the final assault); the longest one is compared.
``years_since_capture``
    time from the place's first capture by IS to the claim's date.
``population``
    the GeoNames population of a place in ``data/basemap/places.geojson``
    (a present-day figure; 0 or missing means not checkable).
``not_checkable``
    the shipped data cannot answer; ``reason`` says why.

Dates that sources dispute (``date_variants`` on a feature) are checked the same
way: the date another source gives is compared with the date the map uses.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.geodesy import area_series, feature_area_km2, held_area_on
from geomap.core.model import Source, Status
from geomap.core.style import STATUS_STYLE
from geomap.core.timeline import events, periods_by_id
from geomap.core.units import CANONICAL, UnitError, convert, dimension, unit_words

Verdict = Literal["consistent", "inconsistent", "not checkable"]
DATE_TOLERANCE_DAYS = 1


class Check(BaseModel):
    """How geomap computes the value a claim is compared with."""

    model_config = ConfigDict(extra="allow")

    method: str
    place: str | None = None
    places: list[str] = Field(default_factory=list)
    reference: str | None = None
    reference_km2: float | None = None
    reference_source: str | None = None
    reason: str | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        if value not in METHODS:
            raise ValueError(f"unknown method {value!r}; methods are {', '.join(METHODS)}")
        return value


class Claim(BaseModel):
    """One entry of ``data/claims.json``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    claim: str = Field(min_length=5)
    source: str
    date: dt.date
    check: Check
    value: float
    unit: str
    comparison: Literal["approx", "at_most", "at_least"]
    tolerance: float = Field(default=0.0, ge=0, description="relative tolerance")
    tolerance_abs: float | None = Field(default=None, ge=0, description="in the claim's unit")
    refers_to: list[str] = Field(default_factory=list)
    caveat: str | None = None


@dataclass(frozen=True)
class Result:
    """A claim with the value geomap computes and the verdict."""

    id: str
    claim: str
    source: str
    date: str
    claimed: float | str
    computed: float | str | None
    unit: str
    verdict: Verdict
    explanation: str
    tolerance: str
    refers_to: tuple[str, ...] = ()
    map_date: str | None = None  # the date that shows what the claim is about

    def as_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready mapping."""
        out = asdict(self)
        out["refers_to"] = list(self.refers_to)
        return out


# ---------------------------------------------------------------- computing


def peak_km2(features: Sequence[Feature]) -> tuple[dt.date, float]:
    """Date and area of the largest territory snapshot."""
    series = area_series(features)
    if not series:
        raise DataError("no territory snapshots to measure")
    return max(series, key=lambda item: item[1])


def final_assault_days(features: Sequence[Feature], place: str) -> int | None:
    """Days of the last contested period that ended with the place retaken."""
    records = periods_by_id(features).get(place, [])
    last: int | None = None
    for before, after in itertools.pairwise(records):
        if before.props.status is Status.contested and after.props.status is Status.retaken:
            last = (after.props.valid_from - before.props.valid_from).days
    return last


#: What a method computes: ``(value in its dimension's canonical unit, what it is)``,
#: the value ``None`` when the shipped data cannot answer.
Computed = tuple[float | None, str]
#: Basemap places by id: their GeoJSON properties (the ``population`` method reads them).
Places = Mapping[str, Mapping[str, Any]]
MethodFn = Callable[["Claim", Sequence[Feature], Places], Computed]


def _held_area(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    km2 = held_area_on(features, claim.date)
    return km2, f"the map shows {km2:,.0f} km² held on {claim.date}"


def _share_of_peak(features: Sequence[Feature], day: dt.date, lost: bool) -> Computed:
    peak_day, peak = peak_km2(features)
    share = 100 * held_area_on(features, day) / peak
    if lost:
        share = 100 - share
        return share, f"{share:.2f}% of the peak ({peak:,.0f} km² on {peak_day}) lost by {day}"
    return share, f"{share:.2f}% of the peak ({peak:,.0f} km² on {peak_day}) left on {day}"


def _remaining_share(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    return _share_of_peak(features, claim.date, lost=False)


def _lost_share(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    return _share_of_peak(features, claim.date, lost=True)


def _pocket_area(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    place = claim.check.place or "hajin-pocket"
    shapes = [f for f in features if f.id == place and f.props.valid_on(claim.date)]
    if not shapes:
        return None, f"no {place} record on {claim.date}"
    km2 = sum(feature_area_km2(f) for f in shapes)
    total = held_area_on(features, claim.date)
    others = total - km2
    return km2, (
        f"the {shapes[0].props.name} covers {km2:,.0f} km² on {claim.date}; IS held another "
        f"{others:,.0f} km² elsewhere that day"
    )


def _peak_area(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    check = claim.check
    peak_day, peak = peak_km2(features)
    text = f"the map's peak is {peak:,.0f} km² on {peak_day}"
    if check.reference_km2:
        ratio = peak / check.reference_km2
        text += f", {ratio:.0%} of {check.reference} ({check.reference_km2:,.0f} km²)"
    return peak, text


def _final_assault(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    spans = {p: final_assault_days(features, p) for p in claim.check.places}
    known = {p: d for p, d in spans.items() if d is not None}
    if not known:
        return None, "no final assault is recorded for these places"
    names = {f.id: f.props.name for f in features if f.id in known}
    text = ", ".join(f"{names.get(p, p)} {d} day{'s' if d != 1 else ''}" for p, d in known.items())
    return float(max(known.values())), f"final assaults in the cities layer: {text}"


def _years_since(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    place = claim.check.place
    taken = [e.date for e in events(features) if e.id == place and e.kind == "capture"]
    if not taken:
        return None, f"{place} has no capture in the layers"
    days = (claim.date - taken[0]).days
    return float(days), f"{days / 365.25:.1f} years from the capture of {place} on {taken[0]}"


def _population(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    place = claim.check.place
    props = places.get(place or "")
    people = (props or {}).get("population") or 0
    if not people or props is None:
        return None, f"no population for {place} in the shipped places data"
    return float(people), f"GeoNames gives {people:,} people for {props['name']}"


def _not_checkable(claim: Claim, features: Sequence[Feature], places: Places) -> Computed:
    return None, claim.check.reason or "no method given"


@dataclass(frozen=True)
class Method:
    """How a claim method computes its value, and what that value measures."""

    compute: MethodFn
    dimension: str | None  # None: measures nothing (not checkable)


#: Every claim method: its function and the dimension of its value (geomap.core.units).
METHODS: dict[str, Method] = {
    "held_area": Method(_held_area, "area"),
    "peak_area": Method(_peak_area, "area"),
    "pocket_area": Method(_pocket_area, "area"),
    "remaining_share_of_peak": Method(_remaining_share, "share"),
    "lost_share_of_peak": Method(_lost_share, "share"),
    "final_assault_days": Method(_final_assault, "duration"),
    "years_since_capture": Method(_years_since, "duration"),
    "population": Method(_population, "count"),
    "not_checkable": Method(_not_checkable, None),
}


def unit_problem(claim: Claim) -> str | None:
    """Why a claim's unit cannot be compared with its method's value, or ``None``."""
    try:
        got = dimension(claim.unit)
    except UnitError as exc:
        return str(exc)
    want = METHODS[claim.check.method].dimension
    if want is not None and got != want:
        return f"unit {claim.unit} measures {got}; {claim.check.method} gives {want}"
    return None


def _fmt(value: float) -> str:
    """Format a number for a sentence: thousands separators, at most 2 decimals."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _verdict(claim: Claim, computed: float) -> tuple[bool, str]:
    """Compare in the claim's unit; return (holds, tolerance text)."""
    value = claim.value
    if claim.tolerance_abs is not None:
        slack, tol = claim.tolerance_abs, f"±{claim.tolerance_abs:g} {unit_words(claim.unit)}"
    else:
        slack, tol = abs(value) * claim.tolerance, f"±{claim.tolerance:.0%}"
    if claim.comparison == "approx":
        return abs(computed - value) <= slack, tol
    if claim.comparison == "at_most":
        return computed <= value + slack, f"at most {_fmt(value)} {unit_words(claim.unit)}, {tol}"
    return computed >= value - slack, f"at least {_fmt(value)} {unit_words(claim.unit)}, {tol}"


def check_claim(claim: Claim, features: Sequence[Feature], places: Places | None = None) -> Result:
    """Compute the matching value of one claim and give a verdict."""
    shown = claim.date
    if claim.check.method == "peak_area" and features:
        shown = peak_km2(features)[0]

    def result(computed: float | None, verdict: Verdict, explanation: str, tol: str) -> Result:
        return Result(
            id=claim.id,
            claim=claim.claim,
            source=claim.source,
            date=claim.date.isoformat(),
            claimed=claim.value,
            computed=computed,
            unit=claim.unit,
            verdict=verdict,
            explanation=explanation,
            tolerance=tol,
            refers_to=tuple(claim.refers_to),
            map_date=shown.isoformat(),
        )

    mismatch = unit_problem(claim)
    if mismatch is not None:
        return result(None, "inconsistent", f"unit mismatch: {mismatch}", "-")
    got = dimension(claim.unit)
    value, what = METHODS[claim.check.method].compute(claim, features, places or {})
    if value is None:
        return result(None, "not checkable", f"Not checkable with shipped data: {what}.", "-")
    in_unit = convert(value, CANONICAL[got], claim.unit)
    holds, tol = _verdict(claim, in_unit)
    verdict: Verdict = "consistent" if holds else "inconsistent"
    sentence = (
        f"{'Fits' if holds else 'Does not fit'}: {what}, "
        f"i.e. {_fmt(in_unit)} {unit_words(claim.unit)} against the claimed "
        f"{_fmt(claim.value)} ({tol})."
    )
    if claim.caveat:
        sentence += f" {claim.caveat}"
    return result(round(in_unit, 4), verdict, sentence, tol)


def _source_count(f: Feature) -> str:
    """``3 sources`` behind a record (their keys are codes, listed in its notes)."""
    n = len(f.props.sources)
    return f"{n} source{'s' if n != 1 else ''}"


def date_disputes(features: Sequence[Feature], sources: Mapping[str, Source]) -> list[Result]:
    """Turn every ``date_variants`` entry into a checked date claim, with the spread."""
    out = []
    for f in features:
        for variant in f.props.date_variants:
            used = getattr(f.props, variant.field)
            if used is None:
                continue
            dates = sorted(
                {used, *(v.date for v in f.props.date_variants if v.field == variant.field)}
            )
            spread = (dates[-1] - dates[0]).days
            gap = (variant.date - used).days
            what = "start" if variant.field == "valid_from" else "end"
            status = f"“{STATUS_STYLE[f.props.status][1]}”" if f.props.status else "record"
            title = sources[variant.key].title if variant.key in sources else variant.key
            holds = abs(gap) <= DATE_TOLERANCE_DAYS
            out.append(
                Result(
                    id=f"date-{f.id}-{variant.field}-{variant.date.isoformat()}",
                    claim=f"{f.props.name}: the {status} period's {what} dated {variant.date}",
                    source=variant.key,
                    date=variant.date.isoformat(),
                    claimed=variant.date.isoformat(),
                    computed=used.isoformat(),
                    unit="date",
                    verdict="consistent" if holds else "inconsistent",
                    explanation=(
                        f"The map uses {used} ({_source_count(f)}); "
                        f"'{title}' gives {variant.date}, {abs(gap)} day(s) "
                        f"{'later' if gap > 0 else 'earlier'}. Sources spread from {dates[0]} "
                        f"to {dates[-1]} ({spread} days); the confidence is "
                        f"{f.props.confidence.value}."
                    ),
                    tolerance=f"±{DATE_TOLERANCE_DAYS} day",
                    refers_to=(f.id,),
                    map_date=used.isoformat(),
                )
            )
    return out


def check_all(
    features: Sequence[Feature],
    claims: Sequence[Claim],
    sources: Mapping[str, Source],
    places: Places | None = None,
) -> list[Result]:
    """Check every registered claim, then every disputed date."""
    results = [check_claim(c, features, places) for c in claims]
    return results + date_disputes(features, sources)


def results_json(results: Sequence[Result]) -> str:
    """Serialise results for ``geomap claims --format json``."""
    return json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False)


def results_text(results: Sequence[Result]) -> str:
    """A readable report, one block per claim."""
    blocks = []
    for r in results:
        computed = "-" if r.computed is None else r.computed
        blocks.append(
            f"[{r.verdict.upper()}] {r.claim}\n"
            f"  source {r.source}, {r.date}; claimed {r.claimed} {unit_words(r.unit)}, "
            f"computed {computed}\n"
            f"  {r.explanation}"
        )
    return "\n\n".join(blocks)
