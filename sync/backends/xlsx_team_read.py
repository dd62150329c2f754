"""One team's workbook read, as a worker process reads it: the team's snapshot (its OKRs tab's
cells, or why they could not be read) and the file's stamp taken before reading."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Team
from ..snapshot import TeamSnapshot, find_tab
from .xlsx_paths import PathRefused, workbook_path
from .xlsx_read import Unreadable, WorkbookReader, why
from .xlsx_safety import FileStamp, unwritable_reason

__all__ = ["read_team"]


def read_team(workspace: Path, team: Team) -> tuple[TeamSnapshot, FileStamp | None]:
    """One team's snapshot and the file stamp taken before reading it (None when unread)."""
    snap = TeamSnapshot(team=team.name, source=team.source, tab=team.tab)
    source = team.source.strip()
    if not source:
        snap.error = (
            f"team {team.name} has no workbook; type its path in the Spreadsheet column "
            f"of the hub's Teams tab"
        )
        return snap, None
    try:
        path = workbook_path(workspace, source)
    except PathRefused as refused:
        snap.error = str(refused)
        return snap, None
    try:
        stamp = FileStamp.of(path)
        with WorkbookReader(path, source) as book:
            tab = find_tab(book.titles, team.tab)
            if tab is None:
                snap.error = _missing_tab(source, team.tab, book.titles)
                return snap, None
            grid = book.grid(tab)
    except Unreadable as err:
        snap.error = str(err)
        return snap, None
    except OSError as err:  # vanished or unreadable between the path check and the read
        snap.error = f"{source} cannot be opened ({why(err)}); check the file and run again"
        return snap, None
    snap.grid = grid
    snap.merged = book.merged.get(tab, [])
    snap.link_template = _link_template(source, tab)
    snap.unwritable = unwritable_reason(path, source)
    return snap, stamp


def _missing_tab(source: str, tab: str, names: Sequence[str]) -> str:
    have = ", ".join(names)
    return (
        f"{source} has no tab {tab!r} (it has: {have}); rename the tab or fix the Tab column "
        f"of the hub's Teams tab"
    )


def _link_template(source: str, tab: str) -> str:
    """`path#'Tab'!A{row}` relative to the hub, with braces escaped for `str.format`. A link
    is a URI, split at its first `#`: a `#` or `%` in the path is percent-encoded."""
    quoted = "'" + tab.replace("'", "''") + "'"
    path = Path(source.strip()).as_posix().replace("%", "%25").replace("#", "%23")
    target = f"{path}#{quoted}!A"
    return target.replace("{", "{{").replace("}", "}}") + "{row}"
