"""Write the JSON Schema of a feature, generated from :mod:`geomap.model`.

Run ``python -m geomap.schema_gen`` after changing the model; a test fails while
the committed ``geomap/schema/feature.schema.json`` differs from the model.
"""

from __future__ import annotations

import json
from pathlib import Path

from geomap.model import feature_json_schema

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "feature.schema.json"


def render_schema() -> str:
    """Return the schema as the exact text that is committed."""
    return json.dumps(feature_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Regenerate the committed schema file."""
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
