"""Write the fingerprints of the Hajin report's 8-word runs, for the own-words test.

The report itself is not ours to ship. ``tests/test_story.py`` checks that no
run of eight words of it appears in a story, against the first 12 hex digits of
the SHA-256 of each run (lower case, words only), which cannot be read back
into the text.

Usage: ``python -m tools.report_shingles ../shared/sources/hajin-article-2018-09.txt``
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.shingles import RUN, SHINGLES, fingerprints
from tools.atomic import write_text


def main() -> None:
    """Read the report and write :data:`tests.shingles.SHINGLES`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    args = parser.parse_args()
    text = args.report.read_text(encoding="utf-8")
    digests = sorted(fingerprints(text))
    write_text(
        SHINGLES,
        f"# {RUN}-word runs of the Hajin report (nyt-hajin-2018-09), as SHA-256 prefixes\n"
        + "\n".join(digests)
        + "\n",
    )
    print(f"wrote {len(digests)} fingerprints to {SHINGLES}")


if __name__ == "__main__":
    main()
