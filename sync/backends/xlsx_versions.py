"""Whether a team workbook changed since it was read: size and modification time, with a
content digest to confirm.

A version is `mtime_ns:size:sha256`. A workbook whose size and time still match is unchanged
without being opened; one whose size or time moved (a copy, a `touch`, a save of the same
content) is hashed, and is unchanged when the digest matches. A version is only recorded when
the file carried the same size and time before the read and after the hash, so a save in the
middle of a read is never vouched for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..snapshot import TeamSnapshot
from .xlsx_paths import PathRefused, workbook_path
from .xlsx_safety import FileStamp

__all__ = ["digest", "unchanged_workbooks", "version_after"]


def digest(path: Path) -> str:
    """The SHA-256 of the file's bytes, in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _parse(version: str) -> tuple[FileStamp, str] | None:
    parts = version.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return FileStamp(int(parts[0]), int(parts[1])), parts[2]


def _format(stamp: FileStamp, sha: str) -> str:
    return f"{stamp.mtime_ns}:{stamp.size}:{sha}"


def version_after(path: Path, stamp: FileStamp | None) -> str | None:
    """The version of `path` if it still carries `stamp` (taken before it was read or right
    after it was written) once hashed; None otherwise."""
    if stamp is None:
        return None
    try:
        sha = digest(path)
        if FileStamp.of(path) != stamp:
            return None
    except OSError:
        return None
    return _format(stamp, sha)


def unchanged_workbooks(
    workspace: Path, previous: list[TeamSnapshot]
) -> list[tuple[TeamSnapshot, FileStamp]]:
    """The snapshots whose workbook is still the file they were read from, each with the file's
    stamp now (their `version` is brought up to that stamp)."""
    kept = []
    for snap in previous:
        known = _parse(snap.version or "")
        if known is None:
            continue
        try:
            path = workbook_path(workspace, snap.source)  # a link may since lead elsewhere
            stamp = FileStamp.of(path)
            if stamp != known[0]:
                if stamp.size != known[0].size or digest(path) != known[1]:
                    continue
                if FileStamp.of(path) != stamp:
                    continue
                snap.version = _format(stamp, known[1])
        except (OSError, PathRefused):
            continue
        kept.append((snap, stamp))
    return kept
