"""The ``geomap`` command line: a thin layer over the core functions.

Exit codes, the same for every command (and in the README):

* 0: done;
* 1: ``validate`` found problems, or an output could not be written;
* 2: bad arguments or unreadable input (one ``geomap: error: ...`` line);
* 3: an internal error, a bug: one ``geomap: internal error: ...`` line and a
  request to report it, never a traceback;
* 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from geomap.core.layers import layer_names
from geomap.data.paths import data_dir, layers_dir, project_root, served_app

#: Where to report internal errors.
ISSUES_URL = "the geomap issue tracker"


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    """``text`` as an int in ``[low, high]``, or one argparse error naming ``what``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a {what}: {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} {value} is out of range ({low} to {high})")
    return value


def _port(text: str) -> int:
    return _whole_number(text, 1, 65535, "port number")


def _limit(text: str) -> int:
    return _whole_number(text, 1, 100, "number of matches")


def _out_path(text: str) -> Path:
    if not text or text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{text!r} names a folder; give a file name")
    if "\x00" in text:
        raise argparse.ArgumentTypeError("the path holds a NUL character")
    return Path(text)


def _date(text: str) -> object:
    from geomap.core.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_validate(args: argparse.Namespace) -> int:
    from geomap.validate import exit_code, problems_as_json, validate_paths

    paths = [Path(p) for p in args.paths] or [layers_dir(), data_dir()]
    problems = validate_paths(paths, spatial=not args.no_spatial)
    if args.format == "json":
        print(problems_as_json(problems))
    else:
        for problem in problems:
            print(problem.line())
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} in {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return exit_code(problems)


def _date_notes(*days: object) -> int | None:
    """Print the note for dates after the data's end; 2 (after an error line) for one before it."""
    from geomap.core.timeline import check_day

    for day in days:
        if day is None:
            continue
        try:
            note = check_day(day)  # type: ignore[arg-type]
        except ValueError as exc:
            print(f"geomap: error: {exc}", file=sys.stderr)
            return 2
        if note:
            print(f"geomap: {note}", file=sys.stderr)
    return None


def _cmd_state(args: argparse.Namespace) -> int:
    from geomap.core.errors import DataError
    from geomap.core.geojson import feature_collection
    from geomap.data.dataset import Dataset

    if (code := _date_notes(args.date)) is not None:
        return code

    features = Dataset().state(args.date, [args.layer] if args.layer else None)
    try:
        text = json.dumps(feature_collection(features), ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # NaN or Infinity, which JSON cannot hold
        raise DataError(f"the data holds a number JSON cannot hold: {exc}") from None
    sys.stdout.write(text + "\n")
    return 0


def _cmd_events(args: argparse.Namespace) -> int:
    from geomap.core.timeline import events
    from geomap.data.dataset import Dataset

    for event in events(Dataset().features):
        print(event.label())
    return 0


def _cmd_areas(args: argparse.Namespace) -> int:
    from geomap.core.geodesy import area_series, km2_to_sq_mi
    from geomap.data.dataset import Dataset

    dataset = Dataset()
    if args.by == "controller":
        return _areas_by_controller(dataset.layer("control"), args.format)
    series = area_series(dataset.layer("territory"))
    if args.format == "json":
        rows = [{"date": d.isoformat(), "km2": round(a, 1)} for d, a in series]
        print(json.dumps(rows, indent=1))
    elif args.format == "csv":
        print("date,km2,sq_mi")
        for day, km2 in series:
            print(f"{day.isoformat()},{km2:.1f},{km2_to_sq_mi(km2):.1f}")
    else:
        for day, km2 in series:
            print(f"{day.isoformat()}  {km2:>10,.0f} km²  {km2_to_sq_mi(km2):>9,.0f} sq mi")
    return 0


def _areas_by_controller(features: Sequence[object], fmt: str) -> int:
    from geomap.core.areas import areas_by_controller

    rows = areas_by_controller(features)  # type: ignore[arg-type]
    if fmt == "json":
        out = [
            {
                "date": r.date.isoformat(),
                "side": r.side,
                "held_km2": round(r.held_km2, 1),
                "desert_km2": round(r.desert_km2, 1),
            }
            for r in rows
        ]
        print(json.dumps(out, indent=1))
    elif fmt == "csv":
        print("date,side,held_km2,desert_km2,total_km2")
        for r in rows:
            print(f"{r.date},{r.side},{r.held_km2:.1f},{r.desert_km2:.1f},{r.total_km2:.1f}")
    else:
        for r in rows:
            print(
                f"{r.date}  {r.side:10s} held {r.held_km2:>10,.0f} km²  "
                f"desert {r.desert_km2:>10,.0f} km²"
            )
    return 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from geomap.core.claims import results_json, results_text
    from geomap.data.dataset import Dataset

    results = Dataset().claim_results
    print(results_json(results) if args.format == "json" else results_text(results))
    return 0


def _cmd_find(args: argparse.Namespace) -> int:
    from geomap.data.dataset import Dataset

    matches = Dataset().gazetteer.find(args.query, limit=args.limit)
    if args.format == "json":
        print(json.dumps([m.as_dict() for m in matches], ensure_ascii=False, indent=1))
        return 0
    if not matches:
        print(f"no place matches {_printable(args.query)!r}", file=sys.stderr)
        return 0
    for m in matches:
        e = m.entry
        via = "" if m.matched == e.name else f"  (as {_printable(m.matched)})"
        arabic = f"  {_printable(e.name_ar)}" if e.name_ar else ""
        print(f"{m.score:>3}  {e.id:32s} {_printable(e.name)} [{e.kind}]{arabic}{via}")
    return 0


def _printable(text: str) -> str:
    """``text`` with control and bidi characters escaped, safe to print on a terminal."""
    from geomap.core.text import printable

    return printable(text)


def _cmd_compare(args: argparse.Namespace) -> int:
    from geomap.core.compare import compare
    from geomap.data.dataset import Dataset

    if (code := _date_notes(args.date_from, args.date_to)) is not None:
        return code
    try:
        result = compare(Dataset().features, args.date_from, args.date_to)
    except ValueError as exc:
        print(f"geomap compare: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.summary(), indent=2, ensure_ascii=False))
    elif args.format == "geojson":
        print(json.dumps(result.geojson(), ensure_ascii=False))
    else:
        print(result.text())
    return 0


def _progress_bar(done: int, total: int) -> None:
    """Frames done so far, on one rewritten line of stderr (plain text)."""
    if not sys.stderr.isatty():
        if done == total:
            print(f"geomap: {total} frames drawn", file=sys.stderr)
        return
    width = 30
    filled = round(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\rgeomap: frame {done}/{total} [{bar}]", end=end, file=sys.stderr, flush=True)


def _cmd_export(args: argparse.Namespace) -> int:
    from geomap.data.dataset import Dataset
    from geomap.export import ExportError, ExportOptions, export
    from geomap.export.formats import FORMATS
    from geomap.export.options import parse_bbox

    if (code := _date_notes(args.date, args.compare_from, args.date_to)) is not None:
        return code
    try:
        fmt = args.format.lower()
        if (
            fmt in FORMATS
            and FORMATS[fmt].dates == "date"
            and args.date is None
            and args.story is None
        ):
            raise ExportError(f"--date is required for {fmt} (or give --story)")
        options = ExportOptions(
            date=args.date or ExportOptions().date,
            width=args.width,
            height=args.height,
            preset=args.preset,
            bbox=parse_bbox(args.bbox) if args.bbox is not None else None,
            place=args.place,
            title=args.title,
            subtitle=args.subtitle,
            lang=args.lang,
            layers=tuple(name.strip() for name in args.layers.split(",") if name.strip())
            if args.layers
            else (),
            date_from=args.date_from,
            date_to=args.date_to,
            compare_from=args.compare_from,
            story=args.story,
            credits=args.credits,
            date_given=args.date is not None,
        )
        progress = None if args.quiet else _progress_bar
        out = export(Dataset(), fmt, args.out, options, progress=progress)
    except ExportError as exc:
        print(f"geomap: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"geomap: error: could not write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"geomap: wrote {out} ({out.stat().st_size / 1024:,.0f} KiB)", file=sys.stderr)
    return 0


#: The app's Streamlit configuration, passed on the command line by ``geomap serve``.
#: Static serving carries the vendored scripts and the cached payload; no file
#: watcher (the app is not being edited, and polling costs a core's share);
#: the viewer toolbar hides the developer menu and its "Deploy" button; no full
#: garbage collection after every script run (with the data loaded it held the
#: GIL for hundreds of milliseconds per rerun, and starved the server under load).
STREAMLIT_OPTIONS = {
    "server.headless": "true",
    "server.enableStaticServing": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "runner.postScriptGC": "false",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "viewer",
}


def _prepare_payload() -> None:
    """Build the map payload before the server starts, when the data changed since last time.

    The first visit then paints as fast as every later one. A data problem is left
    for the app to explain on its page.
    """
    from geomap.core.errors import DataError
    from geomap.data.dataset import Dataset
    from geomap.web.prepared import prepare

    try:
        print("geomap: checking the prepared map data", file=sys.stderr, flush=True)
        if prepare(Dataset()):
            print("geomap: map data prepared for this version of the data", file=sys.stderr)
    except DataError as exc:
        print(f"geomap: the data could not be prepared: {_one_line(exc)}", file=sys.stderr)


def _prepare_in_background() -> None:
    """Prepare the payload in a detached process while the server starts (both take a core).

    A double fork: the grandchild is adopted by init, so nothing waits on it and no
    zombie is left; the app waits on the cache's build lock if it asks first.
    """
    try:
        child = os.fork()
    except OSError:
        _prepare_payload()  # no fork here: prepare first, then serve
        return
    if child:
        os.waitpid(child, 0)
        return
    try:
        if os.fork() == 0:
            try:
                # Its own session: a job of its own, not a member of the server's group,
                # so stopping the server's group never waits on it (it ends by itself).
                os.setsid()
                _prepare_payload()
            except Exception as exc:  # the app builds it then; one line, no traceback
                print(f"geomap: the map data was not prepared: {_one_line(exc)}", file=sys.stderr)
            finally:
                os._exit(0)
    finally:
        os._exit(0)


def _cmd_serve(args: argparse.Namespace) -> int:
    app = served_app()  # the package's main script, or a copy in $GEOMAP_APP_DIR
    cmd = [
        sys.executable,
        "-m",
        "geomap.app.server",  # Streamlit, with the page's modules and data read meanwhile
        "run",
        str(app),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        *(f"--{key}={value}" for key, value in STREAMLIT_OPTIONS.items()),
    ]
    _prepare_in_background()
    print(f"geomap: serving {project_root()} on http://{args.address}:{args.port}", file=sys.stderr)
    sys.stderr.flush()
    # Become Streamlit (exec), so a SIGTERM or SIGINT sent to `geomap serve` reaches the
    # server itself and no child is left running.
    os.execv(sys.executable, cmd)
    return 0  # not reached


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``geomap: error: ...``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for all subcommands."""
    parser = _Parser(
        prog="geomap", description="Dated, sourced map of IS territory in Iraq and Syria."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    from geomap.validate import rules as _rules  # noqa: F401  (defines the rules)
    from geomap.validate.registry import RULES

    p = sub.add_parser(
        "validate",
        help="check layers and data; one line per problem",
        description="Check layers and data. Rules: "
        + "; ".join(f"{r.name}: {r.summary}" for r in RULES.values())
        + ".",
    )
    p.add_argument("paths", nargs="*", help="files or folders (default: layers/ and data/)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-spatial", action="store_true", help="skip spatial and consistency rules")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("state", help="GeoJSON of every feature valid on a date")
    p.add_argument("--date", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument("--layer", choices=layer_names(), help="only this layer")
    p.set_defaults(func=_cmd_state)

    p = sub.add_parser("events", help="dated captures and losses, oldest first")
    p.set_defaults(func=_cmd_events)

    p = sub.add_parser(
        "areas",
        help="IS-held area at each territory snapshot, or km² per side (--by controller)",
    )
    p.add_argument(
        "--by",
        choices=("is", "controller"),
        default="is",
        help="is: IS-held ground; controller: every side's held ground and desert",
    )
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    p.set_defaults(func=_cmd_areas)

    p = sub.add_parser("claims", help="check reported figures against the map's geometry")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_claims)

    p = sub.add_parser(
        "find",
        help="find a place by any spelling (English, Arabic, transliterations)",
        description="Find places by any of their names: transliterations (Deir ez-Zor, "
        "Dayr az Zawr, Deir al-Zour), Arabic script, former names (Tadmur). Ranked, best "
        "first; the score is 100 for the same name, less for partial matches.",
    )
    p.add_argument("query", help="a place name in any spelling")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--limit", type=_limit, default=10, help="most matches to list (1-100)")
    p.set_defaults(func=_cmd_find)

    p = sub.add_parser("compare", help="territory gained and lost, cities changed, between dates")
    p.add_argument("--from", dest="date_from", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument("--format", choices=("text", "json", "geojson"), default="text")
    p.set_defaults(func=_cmd_compare)

    from geomap.core.names import DEFAULT_LABEL_LANG, LABEL_LANGS
    from geomap.export.formats import FORMATS
    from geomap.export.options import CREDITS, DEFAULT_CREDITS, presets_help

    animations = [name for name, spec in FORMATS.items() if spec.dates == "range"]
    p = sub.add_parser(
        "export",
        help="write a map, animation or data file for a date",
        description="Export the map of a date as an image or data, or the timeline as an "
        "animation (mp4 needs imageio-ffmpeg). Formats: "
        + "; ".join(f"{name}: {spec.label}" for name, spec in FORMATS.items())
        + ".",
    )
    p.add_argument(
        "--date", type=_date, help=f"YYYY-MM-DD (required except for {', '.join(animations)})"
    )
    p.add_argument("--format", required=True, metavar="FMT", help=", ".join(FORMATS))
    p.add_argument("--out", required=True, metavar="PATH", type=_out_path, help="file to write")
    p.add_argument("--width", type=int, help="image width in pixels")
    p.add_argument("--height", type=int, help="image height in pixels")
    p.add_argument("--preset", help=f"a named layout: {presets_help()}")
    p.add_argument("--bbox", metavar="W,S,E,N", help="frame in degrees, e.g. 38,34,44,37.5")
    p.add_argument("--place", metavar="ID", help="frame a place or feature, e.g. mosul")
    p.add_argument("--title", help="title instead of the default")
    p.add_argument(
        "--lang",
        default=DEFAULT_LABEL_LANG,
        choices=list(LABEL_LANGS),
        help="maps and animations: the language of the place names: "
        + "; ".join(f"{k}: {v}" for k, v in LABEL_LANGS.items()),
    )
    p.add_argument(
        "--subtitle",
        help="maps: a line under the title, before the date and IS-held area it always states",
    )
    p.add_argument(
        "--credits",
        default=DEFAULT_CREDITS,
        metavar="MODE",
        help="maps and animations: "
        + "; ".join(f"{name}: {text}" for name, text in CREDITS.items())
        + " (NAME.sources.txt; a PDF: its page 2). Default: %(default)s",
    )
    p.add_argument(
        "--story",
        metavar="ID",
        help="a story of data/stories/ (html: a scrolling page; gif/mp4: a frame per step)",
    )
    p.add_argument("--layers", metavar="A,B", help="only these layers, e.g. territory,hajin")
    p.add_argument("--from", dest="date_from", type=_date, help="first animation date")
    p.add_argument("--to", dest="date_to", type=_date, help="last animation date")
    p.add_argument(
        "--compare-from",
        dest="compare_from",
        type=_date,
        help="also show territory gained and lost since this date (png, svg, pdf)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("serve", help="start the Streamlit app")
    p.add_argument("--port", type=_port, default=8501, help="1 to 65535 (default 8501)")
    p.add_argument("--address", default="127.0.0.1")
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (see the module notes)."""
    from geomap.core.errors import DataError

    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args))
    except SystemExit as exc:  # argparse: --help (0) or a bad argument (2)
        return exc.code if isinstance(exc.code, int) else 2
    except DataError as exc:
        print(f"geomap: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``geomap events | head``): not an error. Point stdout
        # at /dev/null so the interpreter's final flush does not complain.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"geomap: internal error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        print(
            f"geomap: this is a bug; please report it to {ISSUES_URL} with the command you ran",
            file=sys.stderr,
        )
        return 3


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's message, without control characters."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return "".join(c if c.isprintable() else "?" for c in text)[:500]


if __name__ == "__main__":
    sys.exit(main())
