"""The one feature schema of geomap, defined once.

Every feature in ``layers/*.geojson`` carries the properties described by
:class:`FeatureProperties`. The JSON Schema in ``geomap/schema/feature.schema.json``
is generated from these classes (``python -m geomap.schema_gen``) and a test
fails when the two drift apart.

Decisions
---------
* ``id`` names a *thing* (a city, the territory, a pocket). A thing whose state
  changed over time carries one record per period, all with the same ``id`` and
  non-overlapping ``[valid_from, valid_to)`` intervals. An ``id`` belongs to one
  layer only, so it is unique across layers. ``record_key`` (``id@valid_from``)
  names one period.
* Intervals are half-open: a record is valid on ``valid_from`` and not on
  ``valid_to``. A missing ``valid_to`` means the record still stands.
* ``status`` is about the Islamic State: ``held`` (by it), ``contested``,
  ``retaken`` (from it), ``not_held`` (before it came), ``never_held``.
  ``controller`` names who held the ground in that period, as a side of the
  controlled vocabulary :mod:`geomap.core.sides` (checked by the ``controller`` rule,
  not by the schema, so the schema stays the same when the vocabulary grows);
  ``contested_by`` names a side that split or besieged the place.
* ``ground`` says what kind of ground an area of control is: ``held`` by its
  controller, its controller's thinly held ``desert``, ``contested``, or
  ``open`` ground that no side held. It is *required* for the kinds that map
  who held ground (:data:`GROUND_KINDS`: territory, desert, pocket, control and
  front) and *absent* from every other kind (places, the river, the Euphrates
  bend, the Sochi zone): no default is guessed from the kind, the id or the
  confidence, so a file says what its areas are. The model checks only that
  the field is there when it must be; whether it agrees with the kind and the
  controller is the ``ground`` rule of ``geomap validate``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from geomap.core.dates import in_interval, overlaps
from geomap.core.layers import layer_names
from geomap.core.text import no_controls, plain_line, plain_note

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

#: One line of plain text, and plain text with line breaks (see :mod:`geomap.core.text`).
PlainLine = Annotated[str, AfterValidator(plain_line)]
PlainNote = Annotated[str, AfterValidator(plain_note)]
NoControls = Annotated[str, AfterValidator(no_controls)]


def _known_layer(value: str) -> str:
    names = layer_names()
    if value not in names:
        raise ValueError(f"unknown layer {value!r}; the layers are {', '.join(names)}")
    return value


#: A layer name: one of :data:`geomap.core.layers.LAYERS`. The generated JSON Schema
#: gives only its form, so adding a layer to the registry leaves the schema as it is.
Layer = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]*$", description="A layer name from geomap.core.layers.LAYERS"),
    AfterValidator(_known_layer),
]


class Kind(StrEnum):
    """What a feature depicts."""

    territory = "territory"
    pocket = "pocket"
    city = "city"
    town = "town"
    village = "village"
    site = "site"
    desert = "desert"
    control = "control"
    river = "river"
    bend = "bend"
    front = "front"
    zone = "zone"


class Status(StrEnum):
    """Control status relative to the Islamic State during a record's period."""

    held = "held"
    contested = "contested"
    retaken = "retaken"
    not_held = "not_held"
    never_held = "never_held"


class Ground(StrEnum):
    """What kind of ground an area of control is."""

    held = "held"
    desert = "desert"
    contested = "contested"
    open = "open"


#: The one short name of each ground, used alike by the notes, charts, legend and exports.
GROUND_LABEL: dict[Ground, str] = {
    Ground.held: "held ground",
    Ground.desert: "desert zone (no town held)",
    Ground.contested: "contested ground",
    Ground.open: "open desert (no side)",
}

#: What each ground means, for the schema's description and the notes.
GROUND_MEANING: dict[Ground, str] = {
    Ground.held: "held by its controller",
    Ground.desert: "its controller's thinly held desert, beyond the reach of held places",
    Ground.contested: "ground near a place that another side contested, given to no side",
    Ground.open: "open desert beyond every side's reach, held by no side",
}


class Confidence(StrEnum):
    """How far the sources pin the record down."""

    high = "high"
    medium = "medium"
    low = "low"


class DatePrecision(StrEnum):
    """How precise ``valid_from`` and ``valid_to`` are."""

    day = "day"
    month = "month"
    year = "year"


#: Kinds that are places (points with a control history).
PLACE_KINDS = frozenset({Kind.city, Kind.town, Kind.village, Kind.site})

#: Kinds that map who held ground: each of their records names its ``ground``.
GROUND_KINDS = frozenset({Kind.territory, Kind.desert, Kind.pocket, Kind.control, Kind.front})

#: Geometry types allowed for each kind.
KIND_GEOMETRIES: dict[Kind, tuple[str, ...]] = {
    Kind.territory: ("Polygon", "MultiPolygon"),
    Kind.pocket: ("Polygon", "MultiPolygon"),
    Kind.bend: ("Polygon", "MultiPolygon"),
    Kind.front: ("Polygon", "MultiPolygon"),
    Kind.zone: ("Polygon", "MultiPolygon"),
    Kind.desert: ("Polygon", "MultiPolygon"),
    Kind.control: ("Polygon", "MultiPolygon"),
    Kind.city: ("Point",),
    Kind.town: ("Point",),
    Kind.village: ("Point",),
    Kind.site: ("Point",),
    Kind.river: ("LineString", "MultiLineString"),
}

#: Kinds drawn as areas (polygons) and as lines.
AREA_KINDS = frozenset(k for k, types in KIND_GEOMETRIES.items() if "Polygon" in types)
LINE_KINDS = frozenset(k for k, types in KIND_GEOMETRIES.items() if "LineString" in types)


class SourceRef(BaseModel):
    """A citation: a key into ``data/sources.json`` and what it backs."""

    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, Field(pattern=SLUG_PATTERN, description="Key in data/sources.json")]
    supports: Annotated[
        PlainLine,
        Field(min_length=3, max_length=300, description="What this source backs, in our words"),
    ]


class DateVariant(BaseModel):
    """A date that another source gives for the same change of control."""

    model_config = ConfigDict(extra="forbid")

    field: Annotated[str, Field(pattern=r"^(valid_from|valid_to)$")]
    date: dt.date
    key: Annotated[str, Field(pattern=SLUG_PATTERN, description="Source giving this date")]


class FeatureProperties(BaseModel):
    """Properties of one dated, sourced record in a geomap layer."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    id: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
    name: Annotated[PlainLine, Field(min_length=1, max_length=120)]
    layer: Layer
    kind: Kind
    valid_from: dt.date
    valid_to: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.day
    status: Status | None = None
    controller: Annotated[
        str | None, Field(max_length=40, description="A side slug from geomap.core.sides.SIDES")
    ] = None
    contested_by: Annotated[
        str | None,
        Field(max_length=40, description="A side contesting the controller (split or besieged)"),
    ] = None
    ground: Annotated[
        Ground | None,
        Field(
            validate_default=True,
            description=(
                "What kind of ground an area of control is: "
                + "; ".join(f"{g.value}: {m}" for g, m in GROUND_MEANING.items())
                + ". Required for the kinds "
                + ", ".join(sorted(k.value for k in GROUND_KINDS))
                + "; absent from every other kind"
            ),
        ),
    ] = None
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None
    approximate: bool = False
    confidence: Confidence
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    date_variants: list[DateVariant] = Field(default_factory=list)
    notes: Annotated[PlainNote, Field(max_length=2000)] = ""

    @field_validator("ground")
    @classmethod
    def _ground_for_kind(cls, value: Ground | None, info: ValidationInfo) -> Ground | None:
        kind = info.data.get("kind")
        if kind is None:
            return value  # the kind is missing or wrong: reported on its own
        if kind in GROUND_KINDS and value is None:
            raise PydanticCustomError(
                "ground_missing",
                "a {kind} record needs ground: held, desert, contested or open",
                {"kind": kind.value},
            )
        if kind not in GROUND_KINDS and value is not None:
            raise PydanticCustomError(
                "ground_extra",
                "a {kind} record has no ground (only {kinds} do)",
                {"kind": kind.value, "kinds": ", ".join(sorted(k.value for k in GROUND_KINDS))},
            )
        return value

    @model_validator(mode="after")
    def _interval(self) -> FeatureProperties:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise PydanticCustomError(
                "interval",
                "valid_to {to} must be after valid_from {start}",
                {"to": str(self.valid_to), "start": str(self.valid_from)},
            )
        return self

    @property
    def record_key(self) -> str:
        """Name of this period: ``id@valid_from``."""
        return f"{self.id}@{self.valid_from.isoformat()}"

    def valid_on(self, day: dt.date) -> bool:
        """Whether the half-open interval ``[valid_from, valid_to)`` holds ``day``."""
        return in_interval(day, self.valid_from, self.valid_to)

    def overlaps(self, other: FeatureProperties) -> bool:
        """Whether this period and ``other`` share at least one day."""
        return overlaps(self.valid_from, self.valid_to, other.valid_from, other.valid_to)


class Source(BaseModel):
    """One entry of the bibliography ``data/sources.json``."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[PlainLine, Field(min_length=1)]
    publisher: Annotated[PlainLine, Field(min_length=1)]
    date: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    url: Annotated[str | None, Field(pattern=r'^https?://[^\s<>"\x00-\x1f\x7f]+$')] = None
    supports: Annotated[PlainLine, Field(min_length=3, description="What geomap uses it for")]
    licence: PlainLine | None = None
    local_copy: NoControls | None = None


def feature_json_schema() -> dict[str, object]:
    """Return the JSON Schema of a feature's ``properties``, generated from the model."""
    schema = FeatureProperties.model_json_schema()
    ground_kinds = sorted(k.value for k in GROUND_KINDS)
    # The ground field's rule, which pydantic cannot derive from the validator.
    schema["allOf"] = [
        {
            "if": {"properties": {"kind": {"enum": ground_kinds}}, "required": ["kind"]},
            "then": {"required": ["ground"], "properties": {"ground": {"$ref": "#/$defs/Ground"}}},
            "else": {"properties": {"ground": {"type": "null"}}},
        }
    ]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://geomap.invalid/feature.schema.json"
    return schema
