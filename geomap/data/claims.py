"""Reading the fact-check registry ``data/claims.json``.

The checks themselves are in :mod:`geomap.core.claims`.
"""

from __future__ import annotations

from pathlib import Path

from geomap.core.claims import Claim
from geomap.core.errors import DataError
from geomap.data.io import read_json
from geomap.data.paths import data_dir


def load_claims(root: Path | None = None) -> list[Claim]:
    """Read and validate ``data/claims.json``."""
    path = data_dir(root) / "claims.json"
    doc = read_json(path)
    try:
        return [Claim.model_validate(c) for c in doc["claims"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: {str(exc).splitlines()[0]}") from exc
