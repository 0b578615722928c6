"""Write the JSON Schemas of a feature, a story and the browser payload, from their models.

Run ``python -m geomap.schema_gen`` after changing :mod:`geomap.core.model`,
:mod:`geomap.core.story` or :mod:`geomap.web.payload_schema`; a test fails while
a committed file in ``geomap/schema/`` differs from its model. The story schema
lets editors check a story file as they type (TOML editors such as Taplo read
JSON Schema); the payload schema documents the contract between Python and the
map script, and the shipped payload is checked against it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from geomap.core.model import feature_json_schema
from geomap.core.story import story_json_schema
from geomap.web.payload_schema import payload_json_schema

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_PATH = SCHEMA_DIR / "feature.schema.json"
STORY_SCHEMA_PATH = SCHEMA_DIR / "story.schema.json"
PAYLOAD_SCHEMA_PATH = SCHEMA_DIR / "payload.schema.json"

#: Every committed schema and the model function it comes from.
SCHEMAS: dict[Path, Callable[[], dict[str, object]]] = {
    SCHEMA_PATH: feature_json_schema,
    STORY_SCHEMA_PATH: story_json_schema,
    PAYLOAD_SCHEMA_PATH: payload_json_schema,
}


def render_schema(path: Path = SCHEMA_PATH) -> str:
    """Return the schema committed at ``path`` as its exact text."""
    return json.dumps(SCHEMAS[path](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Regenerate the committed schema files."""
    for path in SCHEMAS:
        path.write_text(render_schema(path), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
