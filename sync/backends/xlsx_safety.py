"""When writing a workbook is safe, and how to replace it without ever leaving a broken file.

Workbooks are written as a new file beside the original that then replaces it in one rename, so
a killed run leaves either the old or the new file. The new file takes the original's mode and
owner, a symlink is written through (the link stays a link), and a person's save between the
read and the rename wins. Temporary files carry a recognisable name so the next run can remove
what a killed one left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import WriteRefused
from .xlsx_package import PackageRefused, RowsMoved

__all__ = [
    "TEMP_MARK",
    "CannotKeepOwner",
    "ChangedMeanwhile",
    "FileStamp",
    "capture_loss_warnings",
    "lock_file",
    "remove_leftovers",
    "replace_keeping_identity",
    "unwritable_reason",
    "write_through",
]

TEMP_MARK = ".okrtree-"  # in every temporary file's name: `.NAME.okrtree-XXXX.tmp`

# openpyxl says so when it loads something it will not write back.
_LOSS_WARNING = re.compile(
    r"will be removed|will be lost|not supported|discarded|treated as an error", re.IGNORECASE
)


def lock_file(path: Path) -> Path | None:
    """The editor lock file beside `path` or, for a symlink, beside the file it leads to
    (LibreOffice `.~lock.NAME#`, Excel `~$NAME`), if any."""
    for place in dict.fromkeys([path, path.resolve()]):
        name = place.name
        candidates = [f".~lock.{name}#", f"~${name}"]
        if len(name) > 2:
            candidates.append(f"~${name[2:]}")  # Excel drops the first two characters
        for candidate in candidates:
            lock = place.with_name(candidate)
            if lock.exists():
                return lock
    return None


def unwritable_reason(path: Path, source: str) -> str | None:
    """Why the workbook at `path` cannot be written now (open in an editor, read-only), or None."""
    lock = lock_file(path)
    if lock is not None:
        return (
            f"{source} is open in a spreadsheet editor (lock file {lock.name}); "
            f"close it and run again"
        )
    real = path.resolve()
    if (
        not os.access(real, os.W_OK)
        or not os.access(real.parent, os.W_OK | os.X_OK)
        or _read_only(real)
        or _read_only(real.parent)
    ):
        return f"{source} is read-only for okrtree (no write permission); allow writing it"
    return None


def _read_only(path: Path) -> bool:
    """Made read-only for everyone (`chmod a-w`, a read-only folder): a person's wish that even
    an administrator's run, whom `os.access` always lets write, respects."""
    return not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def write_through(
    path: Path, source: str, write: Callable[[Path], None], expected: FileStamp | None
) -> None:
    """`replace_keeping_identity`, with every way it can fail said as a `WriteRefused`."""
    try:
        replace_keeping_identity(path, write, expected)
    except (ChangedMeanwhile, RowsMoved) as err:
        detail = f" ({err})" if isinstance(err, RowsMoved) else ""
        raise WriteRefused(f"{source} changed since it was read{detail}; run again") from err
    except CannotKeepOwner as err:
        raise WriteRefused(
            f"{source} belongs to another user and okrtree cannot keep its owner; "
            f"run okrtree as that user"
        ) from err
    except PackageRefused as err:
        raise WriteRefused(f"{source}: {err}") from err
    except OSError as err:
        reason = err.strerror or str(err)
        raise WriteRefused(
            f"{source} could not be saved ({reason}); it was left as it was"
        ) from err


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
    inode: int = 0

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        info = path.stat()
        return cls(info.st_mtime_ns, info.st_size, info.st_ino)


def replace_keeping_identity(
    path: Path, write: Callable[[Path], None], expected: FileStamp | None = None
) -> None:
    """Replace the file at `path` (through a symlink) by what `write` puts in a temporary file.

    The temporary file lives in the real file's folder (same file system, so `os.replace` is
    atomic: a killed run leaves the old file or the new one), and takes its mode and owner. It
    is not fsynced: at 4 ms a file that would double a 500-workbook sync; after a power loss,
    file systems that delay allocation flush a file replaced by rename first (ext4
    `auto_da_alloc`, XFS, btrfs). With
    `expected`, the file must still carry that stamp just before the rename, else
    `ChangedMeanwhile` and the person's version stays.
    """
    real = path.resolve()
    info = real.stat()
    fd, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}{TEMP_MARK}", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        _keep_owner(temporary, info)
        if expected is not None and FileStamp.of(real) != expected:
            raise ChangedMeanwhile(path)
        os.replace(temporary, real)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _keep_owner(temporary: Path, info: os.stat_result) -> None:
    mine = temporary.stat()
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid) or not hasattr(os, "chown"):
        return
    try:
        os.chown(temporary, info.st_uid, info.st_gid)
    except PermissionError as err:
        raise CannotKeepOwner(temporary) from err


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run left in `folder` and below; return them."""
    removed = []
    for leftover in folder.rglob(f".*{TEMP_MARK}*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


class ChangedMeanwhile(Exception):  # noqa: N818 - an outcome the caller reports
    """The file changed on disk between the read and the save."""


class CannotKeepOwner(Exception):  # noqa: N818 - an outcome the caller reports
    """The file belongs to another user; a replacement would change its owner."""
