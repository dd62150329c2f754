"""What a sync saw of a workspace's files, and whether they are still so (`sync.lastsync`).

Each file is recorded with the stamp okrtree itself took: before reading it, or right after
writing it, so a save by someone else after that is never taken as seen. A team's workbook is
named by its `Spreadsheet` value and the file that value led to (a link may since lead
elsewhere); a workbook that was missing is recorded as missing. A team whose workbook okrtree
could not stamp (unreadable, a tab it did not find, a path it refused) leaves nothing to vouch
for, so there is no record and the next sync runs in full.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..snapshot import TeamSnapshot
from .xlsx_paths import PathRefused, file_key, workbook_path
from .xlsx_safety import FileStamp

__all__ = ["files_unmoved", "seen_files"]

HUB = ""  # the hub's entry, in place of a Spreadsheet value
_MISSING = FileStamp(-1, -1, -1)


def _entry(source: str, key: str, stamp: FileStamp) -> list[Any]:
    return [source, key, stamp.mtime_ns, stamp.size, stamp.inode]


def seen_files(
    workspace: Path,
    hub: tuple[Path, FileStamp] | None,
    stamps: dict[str, FileStamp],
    snapshots: list[TeamSnapshot],
) -> list[Any] | None:
    """Every file the run's outcome rests on, with the stamp okrtree saw; None when a team's
    workbook was not stamped (the outcome then rests on something it cannot recognise again)."""
    if hub is None:
        return None
    files = [_entry(HUB, file_key(hub[0]), hub[1])]
    for snap in snapshots:
        source = snap.source.strip()
        if not source:
            continue  # no workbook: the Teams tab (in the hub's stamp) says so
        named = workspace / source
        if snap.grid is None and not os.path.lexists(named):
            files.append(_entry(source, file_key(named), _MISSING))  # missing then and now
            continue
        try:
            key = file_key(workbook_path(workspace, source))
        except PathRefused:
            return None
        stamp = stamps.get(key)
        if stamp is None:
            return None
        files.append(_entry(source, key, stamp))
    return files


def files_unmoved(workspace: Path, hub_path: Path, files: list[Any]) -> bool:
    """Whether every recorded file still carries its recorded stamp (a missing one is still
    missing, and every Spreadsheet value still leads to the same file)."""
    try:
        for source, key, mtime_ns, size, inode in files:
            recorded = FileStamp(mtime_ns, size, inode)
            if recorded == _MISSING:
                if os.path.lexists(workspace / source):
                    return False
                continue
            path = hub_path if source == HUB else workbook_path(workspace, source)
            if file_key(path) != key or FileStamp.of(path) != recorded:
                return False
    except (PathRefused, OSError, ValueError, TypeError):
        return False
    return True
