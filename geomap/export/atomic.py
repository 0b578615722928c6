"""Writing an output file all at once: a temporary file beside it, then a rename.

A failed or interrupted export never leaves a half-written file at the target:
the writer fills a temporary file in the same folder (so the rename stays on one
file system and is atomic), and :func:`os.replace` moves it into place only when
the writer returned without error. On any exception the temporary file goes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geomap.export.options import ExportError


def check_writable(out: Path) -> Path:
    """Raise :class:`ExportError` unless a file can be written at ``out``."""
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {out}: folder {folder} is not writable")
    return out


#: Permissions of a finished export (temporary files start private).
FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; move it to ``out`` when the block succeeds.

    The temporary name ends with ``out``'s suffix, so writers that pick a
    container from the extension (GDAL, ffmpeg) see the right one. The empty
    file exists when the block starts; writers that refuse an existing file
    may delete it first.
    """
    check_writable(out)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{out.name}.", suffix=f".part{out.suffix}", dir=out.parent
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
