"""Time exports: a PNG and an A4 PDF of one date, and the whole-period GIF (medians).

Usage: ``python bench/bench_export.py [--samples 5] [--gif-samples 3] [--cli] [--memory]``

Timed: a PNG of one date, an A4 PDF of it (``--preset a4``, with its page of
sources), and the whole-period GIF.

What is timed: :func:`geomap.export.export` in a warm process with the layers
already loaded (what an app download button does), writing to a temporary
folder. ``--cli`` also times ``geomap export`` as a fresh process (imports and
data loading included). ``--memory`` reports the peak memory (maximum resident
set) of a fresh process writing the whole-period GIF at 1600 px wide.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.core.dates import parse_date  # noqa: E402
from geomap.data.dataset import Dataset  # noqa: E402
from geomap.export import ExportOptions, export  # noqa: E402


def median_seconds(run: Callable[[], object], samples: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


PEAK_SCRIPT = """
import resource, sys
from geomap.cli import main
code = main(["export", "--format", "gif", "--width", "1600", "--quiet", "--out", sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def peak_gif_mib(out: Path) -> float:
    """Peak resident memory (MiB) of a fresh process exporting the 1600 px GIF."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(out)], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--gif-samples", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time fresh CLI processes")
    parser.add_argument("--memory", action="store_true", help="peak memory of a 1600 px GIF")
    args = parser.parse_args()

    dataset = Dataset()
    day = parse_date("2016-07-04")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        frames: list[int] = []

        def png() -> None:
            export(dataset, "png", out / "m.png", ExportOptions(date=day))

        def pdf() -> None:
            export(dataset, "pdf", out / "m.pdf", ExportOptions(date=day, preset="a4"))

        def gif() -> None:
            export(
                dataset,
                "gif",
                out / "a.gif",
                ExportOptions(),
                progress=lambda done, total: frames.append(total),
            )

        png()  # warm imports and caches once
        rows = []
        for name, run, samples in (
            ("PNG 1600x1100, 4 July 2016", png, args.samples),
            ("PDF A4, 4 July 2016 (map and sources page)", pdf, args.samples),
            ("GIF whole period, 800x560", gif, args.gif_samples),
        ):
            med, times = median_seconds(run, samples)
            rows.append((name, med, max(times), samples))
        size_png = (out / "m.png").stat().st_size
        size_gif = (out / "a.gif").stat().st_size
        print(f"frames in the whole-period GIF: {frames[-1]}")
        print(f"PNG {size_png / 1024:,.0f} KiB, GIF {size_gif / 1024:,.0f} KiB")
        if args.cli:
            geomap = [sys.executable, "-m", "geomap.cli", "export", "--quiet"]
            cli_png = [
                *geomap,
                "--date",
                "2016-07-04",
                "--format",
                "png",
                "--out",
                str(out / "c.png"),
            ]
            cli_pdf = [
                *geomap,
                "--date",
                "2016-07-04",
                "--format",
                "pdf",
                "--preset",
                "a4",
                "--out",
                str(out / "c.pdf"),
            ]
            cli_gif = [*geomap, "--format", "gif", "--out", str(out / "c.gif")]
            for name, cmd, samples in (
                ("CLI PNG (fresh process)", cli_png, args.samples),
                ("CLI PDF A4 (fresh process)", cli_pdf, args.samples),
                ("CLI GIF (fresh process)", cli_gif, args.gif_samples),
            ):
                med, times = median_seconds(lambda c=cmd: subprocess.run(c, check=True), samples)
                rows.append((name, med, max(times), samples))
        if args.memory:
            peak = peak_gif_mib(out / "big.gif")
            print(f"peak memory, whole-period GIF at 1600 px: {peak:,.0f} MiB")
    print("| Measure | Median | Max | n |")
    print("|---|---|---|---|")
    for name, med, worst, n in rows:
        print(f"| {name} | **{med:.2f} s** | {worst:.2f} s | {n} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
