"""One schema, defined in geomap.core.model; the committed JSON Schema must match it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from geomap.core.layers import layer_files
from geomap.core.model import FeatureProperties
from geomap.data.io import read_feature_collection
from geomap.schema_gen import SCHEMA_PATH, render_schema
from tests.conftest import ROOT


def test_committed_schema_matches_model() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "geomap/schema/feature.schema.json is stale: run `python -m geomap.schema_gen`"
    )


@pytest.mark.parametrize("layer", sorted(layer_files()))
def test_shipped_features_pass_json_schema(layer: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    features = read_feature_collection(ROOT / "layers" / layer_files()[layer])
    assert features
    for raw in features:
        errors = list(validator.iter_errors(raw["properties"]))
        assert not errors, (raw["properties"]["id"], errors[0].message)
        assert raw["properties"]["layer"] == layer


def test_json_schema_and_model_agree_on_a_bad_record() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    bad = {
        "id": "Not A Slug",
        "name": "x",
        "layer": "territory",
        "kind": "territory",
        "valid_from": "2015-01-01",
        "confidence": "certain",
        "sources": [],
    }
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    with pytest.raises(ValidationError) as info:
        FeatureProperties.model_validate(bad)
    fields = {e["loc"][0] for e in info.value.errors()}
    assert {"id", "confidence", "sources"} <= fields


def test_unknown_property_is_rejected() -> None:
    good = {
        "id": "a",
        "name": "A",
        "layer": "territory",
        "kind": "territory",
        "ground": "held",
        "valid_from": "2015-01-01",
        "confidence": "low",
        "sources": [{"key": "k", "supports": "abc"}],
    }
    FeatureProperties.model_validate(good)
    with pytest.raises(ValidationError):
        FeatureProperties.model_validate({**good, "colour": "red"})


def test_committed_story_schema_matches_model() -> None:
    from geomap.schema_gen import STORY_SCHEMA_PATH

    assert STORY_SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(STORY_SCHEMA_PATH), (
        "geomap/schema/story.schema.json is stale: run `python -m geomap.schema_gen`"
    )


def test_shipped_stories_pass_the_story_schema() -> None:
    import tomllib

    from geomap.data.stories import story_paths
    from geomap.schema_gen import STORY_SCHEMA_PATH

    schema = json.loads(STORY_SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    paths = story_paths()
    assert paths
    for path in paths:
        doc = json.loads(json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), default=str))
        assert list(validator.iter_errors(doc)) == []
        doc["steps"][0]["frame"] = "Not A Slug"
        assert list(validator.iter_errors(doc))
