"""Writing an output file all at once: a temporary file beside it, then a rename.

A failed or interrupted export never leaves a half-written file at the target:
the writer fills a temporary file in the same folder (so the rename stays on one
file system and is atomic), and :func:`os.replace` moves it into place only when
the writer returned without error. On any exception the temporary file goes.

A run killed with SIGKILL cannot clean up, so the temporary name holds the
writer's process id (``.<name>.<pid>-<random>.part<suffix>``, hidden by its
leading dot) and the next export to the same folder removes the parts whose
process is gone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geomap.export.options import ExportError


def check_writable(out: Path) -> Path:
    """Raise :class:`ExportError` unless a file can be written at ``out``."""
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder")
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"cannot write {out}: it exists and is not a regular file")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {out}: folder {folder} is not writable")
    return out


#: Permissions of a finished export (temporary files start private).
FILE_MODE = 0o644


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_parts(out: Path) -> int:
    """Remove temporary files of exports to ``out`` whose process died; return how many."""
    folder = out.parent if str(out.parent) else Path(".")
    head, tail = f".{out.name}.", f".part{out.suffix}"
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(head) and name.endswith(tail)):
            continue
        pid_text = name[len(head) :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    return removed


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; move it to ``out`` when the block succeeds.

    The temporary name ends with ``out``'s suffix, so writers that pick a
    container from the extension (GDAL, ffmpeg) see the right one. The empty
    file exists when the block starts; writers that refuse an existing file
    may delete it first.
    """
    check_writable(out)
    remove_stale_parts(out)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{out.name}.{os.getpid()}-", suffix=f".part{out.suffix}", dir=out.parent
        )
    except OSError as exc:  # e.g. a read-only file system; os.access can't tell for root
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
