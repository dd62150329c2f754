"""Where a team's `Spreadsheet` value points: a workbook inside the workspace folder, or why not.

The reader and the writer both go through `workbook_path`, so a path that leads outside the
workspace (`../x.xlsx`, `/home/x.xlsx`, a symbolic link to elsewhere) is never read or written.
A link inside the workspace that points inside it is followed: the returned path is its target,
so writing replaces the target and the link stays a link.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

__all__ = ["WORKBOOK_SUFFIXES", "PathRefused", "file_key", "workbook_path"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_FIX = "fix the path in the Spreadsheet column of the hub's Teams tab"


class PathRefused(Exception):  # noqa: N818 - reads as "the path was refused"
    """A `Spreadsheet` value that does not name a workbook inside the workspace; says why."""


def file_key(path: Path) -> str:
    """One key per file, however its path was spelled in the Teams tab (`./a.xlsx`, `a.xlsx`)."""
    return os.path.normcase(os.path.abspath(path))


def workbook_path(workspace: Path, source: str) -> Path:
    """The workbook `source` names, resolved (links followed) inside `workspace`.

    Raises `PathRefused` with a message naming the value and the fix.
    """
    source = source.strip()
    if PurePosixPath(source).is_absolute() or PureWindowsPath(source).is_absolute():
        raise PathRefused(
            f"{source} is an absolute path, outside the workspace folder; put the workbook in "
            f"the workspace and type its path relative to it (for example teams/mobile.xlsx)"
        )
    root = workspace.resolve()
    try:
        target = (workspace / source).resolve()
    except (OSError, RuntimeError) as err:  # a link that loops back on itself
        raise PathRefused(f"{source} cannot be followed ({err}); {_FIX}") from err
    if not target.is_relative_to(root):
        lexical = Path(os.path.normpath(root / source))
        if not lexical.is_relative_to(root):
            raise PathRefused(
                f"{source} leads outside the workspace folder; okrtree reads and writes only "
                f"workbooks inside it: move the workbook into the workspace and {_FIX}"
            )
        raise PathRefused(
            f"{source} is a symbolic link to {target}, outside the workspace folder; okrtree "
            f"reads and writes only workbooks inside it: move the workbook into the workspace "
            f"and {_FIX}"
        )
    if not target.exists():
        hint = ""
        if "\\" in source:
            hint = f" (separate folders with /, as in {source.replace(chr(92), '/')})"
        raise PathRefused(
            f"{source} not found in the workspace{hint}; {_FIX}, or create the workbook "
            f"from the template"
        )
    if target.is_dir():
        raise PathRefused(
            f"{source} is a folder, not a workbook; point the Spreadsheet column at an .xlsx"
        )
    if not target.is_file():  # opening a pipe would wait for a writer, stopping the run
        raise PathRefused(
            f"{source} is not a file but a pipe, socket or device; point the Spreadsheet "
            f"column at an .xlsx"
        )
    if not source.lower().endswith(WORKBOOK_SUFFIXES):
        raise PathRefused(
            f"{source} is not an .xlsx workbook; open it in Excel or LibreOffice, save it as "
            f".xlsx and update the Spreadsheet column"
        )
    return target
