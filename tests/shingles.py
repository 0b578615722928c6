"""Fingerprints of word runs, to check that stories are written in our own words."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

#: Words per run: a run of this many words taken over is a copied sentence.
RUN = 8
SHINGLES = Path(__file__).resolve().parent / "fixtures" / "report-shingles.txt"


def runs(text: str) -> list[str]:
    """Every run of :data:`RUN` words of ``text`` (lower case, punctuation dropped)."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))
    return [" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)]


def fingerprints(text: str) -> set[str]:
    """The SHA-256 prefixes of the runs of ``text``."""
    return {hashlib.sha256(r.encode()).hexdigest()[:12] for r in runs(text)}


def report_fingerprints() -> set[str]:
    """The committed fingerprints of the Hajin report."""
    lines = SHINGLES.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}
