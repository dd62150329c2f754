"""When writing a team workbook is safe, and how to write it without ever leaving a broken file.

openpyxl rewrites a workbook from its own model of it: whatever it does not model (charts,
images, pivot tables, macros, ...) is gone after a save. okrtree therefore refuses to save such a
workbook rather than quietly damaging a team's file, and says why in the user's words.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

__all__ = [
    "ChangedMeanwhile",
    "FileStamp",
    "capture_loss_warnings",
    "lock_file",
    "lossy_content",
    "save_atomically",
]

# Zip member prefixes openpyxl would drop or rewrite on save, with what a person calls them.
# Legacy VML drawings (xl/drawings/vmlDrawing*.vml) only carry comment boxes and are kept.
_LOSSY_MEMBERS: tuple[tuple[str, str], ...] = (
    ("xl/vbaproject.bin", "macros"),
    ("xl/charts/", "charts"),
    ("xl/chartsheets/", "chart sheets"),
    ("xl/media/", "images"),
    ("xl/pivottables/", "pivot tables"),
    ("xl/pivotcache/", "pivot tables"),
    ("xl/slicers/", "slicers"),
    ("xl/slicercaches/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/timelinecaches/", "timelines"),
    ("xl/ctrlprops/", "form controls"),
    ("xl/activex/", "form controls"),
    ("xl/embeddings/", "embedded objects"),
    ("xl/externallinks/", "links to other workbooks"),
    ("xl/diagrams/", "SmartArt diagrams"),
    ("xl/threadedcomments/", "threaded comments"),
    ("xl/connections.xml", "data connections"),
    ("xl/querytables/", "data connections"),
    ("xl/model/", "a data model"),
)
_DRAWING = re.compile(r"^xl/drawings/drawing\d*\.xml$")

# openpyxl says so when it loads something it will not write back.
_LOSS_WARNING = re.compile(
    r"will be removed|will be lost|not supported|discarded|treated as an error", re.IGNORECASE
)


def lossy_content(members: Iterable[str], filename: str) -> str | None:
    """What in a workbook (by its zip member names) a save would lose, in user words, or None.

    >>> lossy_content(["xl/workbook.xml", "xl/charts/chart1.xml"], "a.xlsx")
    'it contains charts, which saving would lose; move them to another workbook'
    >>> lossy_content(["xl/drawings/vmlDrawing1.vml"], "a.xlsx") is None
    True
    """
    found: list[str] = []
    if filename.lower().endswith((".xlsm", ".xltm")):
        found.append("macros")
    for name in members:
        lowered = name.lower()
        for prefix, what in _LOSSY_MEMBERS:
            if lowered.startswith(prefix) and what not in found:
                found.append(what)
        if _DRAWING.match(lowered) and "drawings or shapes" not in found:
            found.append("drawings or shapes")
    # A chart or image always comes with a drawing part; name the specific thing only.
    if "drawings or shapes" in found and {"charts", "images"} & set(found):
        found.remove("drawings or shapes")
    if not found:
        return None
    things = ", ".join(found[:-1]) + (" and " if len(found) > 1 else "") + found[-1]
    return f"it contains {things}, which saving would lose; move them to another workbook"


def lock_file(path: Path) -> Path | None:
    """The editor lock file beside `path` (LibreOffice `.~lock.NAME#`, Excel `~$NAME`), if any."""
    name = path.name
    candidates = [f".~lock.{name}#", f"~${name}"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")  # Excel drops the first two characters of long names
    for candidate in candidates:
        lock = path.with_name(candidate)
        if lock.exists():
            return lock
    return None


@contextlib.contextmanager
def capture_loss_warnings() -> Iterator[list[str]]:
    """Collect the messages of warnings saying openpyxl will drop something it loaded."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield found
    found.extend(str(r.message) for r in records if _LOSS_WARNING.search(str(r.message)))


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Enough of a file's metadata to notice that someone saved it since it was read."""

    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        info = path.stat()
        return cls(info.st_mtime_ns, info.st_size)


def save_atomically(
    wb: Workbook,
    path: Path,
    expected: FileStamp | None = None,
    finish: Callable[[Path], None] | None = None,
) -> None:
    """Save `wb` over `path` so that a crash leaves either the old or the new file, never half.

    The workbook goes to a temporary file in the same folder (same file system, so the final
    `os.replace` is atomic), keeps the original's permissions, and is flushed to disk first.
    With `expected`, the original must still carry that stamp just before the replace: a person
    saving the file meanwhile wins, and `ChangedMeanwhile` is raised. `finish` may touch up the
    saved temporary file before it replaces the original.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        if finish is not None:
            finish(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
            if expected is not None and FileStamp.of(path) != expected:
                raise ChangedMeanwhile(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # not every platform can open a directory
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class ChangedMeanwhile(Exception):  # noqa: N818 - an outcome the caller reports
    """The file changed on disk between the read and the save."""
