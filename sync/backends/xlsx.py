"""The local backend: a workspace folder holding `hub.xlsx` and the teams' `.xlsx` workbooks.

Reads are values only (cached formula results) and fast; writes touch only the cells the planner
asks for, refuse when the file changed since it was read or holds content openpyxl would lose, and
replace the file atomically.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from copy import copy
from itertools import repeat
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import HUB_FILE

from ..errors import SourceError
from ..model import Team, id_key
from ..plan import table_digest
from ..snapshot import (
    Grid,
    HubSnapshot,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    WriteRefused,
)
from .xlsx_cells import UNREADABLE, load_for_write, read_sheet, save_keeping_results, set_value, why
from .xlsx_hub import OUTPUT_TABS, write_tables
from .xlsx_inputs import read_hub_inputs
from .xlsx_safety import (
    ChangedMeanwhile,
    FileStamp,
    capture_loss_warnings,
    lock_file,
    lossy_content,
)
from .xlsx_state import load_digests, save_digests
from .xlsx_versions import unchanged_workbooks, version_after

__all__ = ["HUB_FILE", "OUTPUT_TABS", "XlsxBackend"]

VOUCHABLE_TABS = ("Alignment Tree", "Findings")  # output tabs rewritten whole every time

PARALLEL_FROM = 32  # teams per worker process below which one process is faster
MAX_WORKERS = 8
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


class XlsxBackend:
    """`sync.snapshot.Backend` over a local workspace folder.

    The backend remembers, per team workbook, the file stamp seen at read time and whether it may
    be written, so `write_team` can refuse when someone saved the file in between.
    """

    def __init__(self, workspace: Path | str) -> None:
        self.workspace = Path(workspace)
        self.hub_path = self.workspace / HUB_FILE
        self._stamps: dict[str, FileStamp] = {}
        self._unwritable: dict[str, str | None] = {}
        self._hub_seen: tuple[FileStamp, dict[str, Grid]] | None = None
        self._hub_digests: dict[str, str] = {}

    # -- reading -------------------------------------------------------------------------------

    def read_hub(self) -> HubSnapshot:
        """Every tab of hub.xlsx as values; `SourceError` when there is no usable hub."""
        if not self.workspace.is_dir():
            raise SourceError(
                f"workspace folder {self.workspace} does not exist; "
                f"create one with `okrtree init {self.workspace}`"
            )
        if not self.hub_path.is_file():
            raise SourceError(
                f"{self.hub_path} not found; a workspace needs a hub.xlsx "
                f"(`okrtree init` makes one)"
            )
        try:
            stamp = FileStamp.of(self.hub_path)
            # History is always read: a snapshot keeps its earlier rows.
            digests = {
                tab: digest
                for tab, digest in load_digests(self.workspace, stamp).items()
                if tab in VOUCHABLE_TABS
            }
            with capture_loss_warnings():
                wb = load_workbook(self.hub_path, read_only=True, data_only=True)
                try:
                    tabs = {
                        ws.title: read_sheet(wb, ws)
                        for ws in wb.worksheets
                        if ws.title not in digests
                    }
                finally:
                    wb.close()
        except UNREADABLE as err:
            raise SourceError(
                f"{self.hub_path} cannot be read as an Excel workbook ({why(err)}); "
                f"open it in Excel or LibreOffice and save it as .xlsx"
            ) from err
        self._hub_seen = (stamp, tabs)
        self._hub_digests = digests
        return HubSnapshot(source=str(self.workspace), tabs=tabs, digests=dict(digests))

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        """Each team's OKR tab, in the given order; problems become snapshots with `error`.

        Many workbooks are read by a few forked worker processes (parsing is CPU-bound, so
        threads would not help). Forking is only safe without other threads and needs no
        `__main__` guard in the caller, unlike spawning; elsewhere the read is sequential.
        """
        workers = min(os.cpu_count() or 1, MAX_WORKERS, len(teams) // PARALLEL_FROM)
        if workers > 1 and sys.platform == "linux" and threading.active_count() == 1:
            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                chunk = max(1, len(teams) // (workers * 8))
                reads = list(pool.map(read_team, repeat(self.workspace), teams, chunksize=chunk))
        else:
            reads = [read_team(self.workspace, team) for team in teams]
        for snap, stamp in reads:
            if stamp is not None:
                key = _file_key(self.workspace / snap.source.strip())
                self._stamps[key] = stamp
                self._unwritable[key] = snap.unwritable
        return [snap for snap, _ in reads]

    def read_hub_inputs(self) -> HubSnapshot:
        """Only the hub's `Teams` and `Settings` tabs: what a validate click needs."""
        return read_hub_inputs(self.workspace, self.hub_path)

    def unchanged(self, previous: list[TeamSnapshot]) -> list[TeamSnapshot]:
        """`IncrementalBackend`: the kept snapshots whose workbook did not change since."""
        kept = unchanged_workbooks(self.workspace, previous)
        for snap, stamp in kept:
            self._stamps[_file_key(self.workspace / snap.source.strip())] = stamp
        return [snap for snap, _ in kept]

    def versions(self, snapshots: list[TeamSnapshot], *, written: bool = False) -> None:
        """`IncrementalBackend`: each workbook's version, from the stamp read or written."""
        for snap in snapshots:
            path = self.workspace / snap.source.strip()
            snap.version = version_after(path, self._stamps.get(_file_key(path)))

    # -- writing -------------------------------------------------------------------------------

    def write_team(self, changes: SheetChanges) -> None:
        """Apply `changes` to one team workbook, or raise `WriteRefused` having written nothing."""
        if not changes.changes:
            return
        source = changes.source.strip()
        path = self.workspace / source
        key = _file_key(path)
        reason = self._unwritable.get(key)
        if reason:
            raise WriteRefused(reason)
        if not path.is_file():
            raise WriteRefused(f"{source} no longer exists; run again")
        reason = _unwritable_reason(path, source, [], [])  # opened in an editor since the read?
        if reason:
            raise WriteRefused(reason)
        expected = self._stamps.get(key)
        stale = _changed_since_read(source)
        if expected is not None and FileStamp.of(path) != expected:
            raise WriteRefused(stale)
        wb = load_for_write(path, source)
        tab = _find_tab(wb.sheetnames, changes.tab)
        if tab is None:
            raise WriteRefused(stale)
        ws = wb[tab]
        _check_rows(ws, changes, stale)
        for change in changes.changes:
            cell = ws.cell(row=change.row, column=change.column)
            if _is_merged(ws, cell):
                raise WriteRefused(
                    f"cell {cell.coordinate} of {source} (tab {tab}) is merged with other cells, "
                    f"so okrtree cannot write it; unmerge it"
                )
            if not cell.has_style:
                _take_column_style(ws, cell)
            set_value(cell, change.value)
        try:
            save_keeping_results(wb, path, expected)
        except ChangedMeanwhile as err:
            raise WriteRefused(stale) from err
        except OSError as err:
            raise WriteRefused(
                f"{source} could not be saved ({why(err)}); it was left as it was"
            ) from err
        self._stamps[key] = FileStamp.of(path)

    def write_hub(self, tables: list[OutputTable]) -> int:
        """Replace the given output tabs of hub.xlsx; return how many cells changed.

        Nothing is saved when no cell changed. `Teams`, `Settings` and other tabs are untouched.
        """
        if not tables:
            return 0
        try:
            with zipfile.ZipFile(self.hub_path) as archive:
                members = archive.namelist()
        except (OSError, zipfile.BadZipFile) as err:
            raise SourceError(f"{self.hub_path} cannot be written ({why(err)})") from err
        reason = _unwritable_reason(self.hub_path, HUB_FILE, members, [])
        if reason:
            raise WriteRefused(reason)
        known = None
        unchanged_since_read = self._hub_seen is not None and self._hub_seen[0] == FileStamp.of(
            self.hub_path
        )
        if unchanged_since_read:
            assert self._hub_seen is not None
            known = self._hub_seen[1]
        changed = write_tables(self.hub_path, tables, known)
        # Tabs not written now keep their record only if the hub was untouched since the read.
        digests = dict(self._hub_digests) if unchanged_since_read else {}
        digests.update({t.name: table_digest(t) for t in tables if t.name in VOUCHABLE_TABS})
        save_digests(self.workspace, FileStamp.of(self.hub_path), digests)
        return changed


# -- reading helpers ---------------------------------------------------------------------------


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
    path = workspace / source
    problem = _path_problem(path, source)
    if problem:
        snap.error = problem
        return snap, None
    try:
        stamp = FileStamp.of(path)
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
        with capture_loss_warnings() as losses:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                tab = _find_tab(wb.sheetnames, team.tab)
                if tab is None:
                    snap.error = _missing_tab(source, team.tab, wb.sheetnames)
                    return snap, None
                grid = read_sheet(wb, wb[tab])
            finally:
                wb.close()
    except UNREADABLE as err:
        snap.error = (
            f"{source} is not an Excel workbook or is damaged ({why(err)}); "
            f"open it in Excel or LibreOffice and save it as .xlsx"
        )
        return snap, None
    snap.grid = grid
    snap.link_template = _link_template(source, tab)
    snap.unwritable = _unwritable_reason(path, source, members, losses)
    return snap, stamp


def _file_key(path: Path) -> str:
    """One key per file, however its path was spelled in the Teams tab (`./a.xlsx`, `a.xlsx`)."""
    return os.path.normcase(os.path.abspath(path))


def _path_problem(path: Path, source: str) -> str | None:
    if not path.exists():
        return (
            f"{source} not found in the workspace; fix the path in the Spreadsheet column of the "
            f"hub's Teams tab, or create the workbook from the template"
        )
    if path.is_dir():
        return f"{source} is a folder, not a workbook; point the Spreadsheet column at an .xlsx"
    if not path.name.lower().endswith(_WORKBOOK_SUFFIXES):
        return (
            f"{source} is not an .xlsx workbook; open it in Excel or LibreOffice, save it as "
            f".xlsx and update the Spreadsheet column"
        )
    return None


def _find_tab(names: Sequence[str], tab: str) -> str | None:
    """The tab named `tab`: exact, else the one equal ignoring case and surrounding spaces."""
    wanted = tab.strip() or "OKRs"
    if wanted in names:
        return wanted
    matches = [name for name in names if id_key(name) == id_key(wanted)]
    return matches[0] if len(matches) == 1 else None


def _missing_tab(source: str, tab: str, names: Sequence[str]) -> str:
    have = ", ".join(names)
    return (
        f"{source} has no tab {tab!r} (it has: {have}); rename the tab or fix the Tab column "
        f"of the hub's Teams tab"
    )


def _link_template(source: str, tab: str) -> str:
    """`path#'Tab'!A{row}` relative to the hub, with braces escaped for `str.format`."""
    quoted = "'" + tab.replace("'", "''") + "'"
    target = f"{Path(source).as_posix()}#{quoted}!A"
    return target.replace("{", "{{").replace("}", "}}") + "{row}"


def _unwritable_reason(
    path: Path, source: str, members: list[str], losses: list[str]
) -> str | None:
    lock = lock_file(path)
    if lock is not None:
        return (
            f"{source} is open in a spreadsheet editor (lock file {lock.name}); "
            f"close it and run again"
        )
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        return f"{source} is read-only for okrtree (no write permission); allow writing it"
    lossy = lossy_content(members, path.name)
    if lossy:
        return f"{source}: {lossy}"
    if losses:
        return f"{source}: saving would lose content okrtree cannot keep ({losses[0]})"
    return None


# -- writing helpers ---------------------------------------------------------------------------


def _changed_since_read(source: str) -> str:
    return f"{source} changed since it was read; run again"


def _check_rows(ws: Worksheet, changes: SheetChanges, stale: str) -> None:
    """Every row about to be written still holds the ID seen at read time."""
    for row, expected_id in changes.expected_ids.items():
        value = ws.cell(row=row, column=changes.id_column).value
        if isinstance(value, str) and value.startswith("="):
            continue  # a formula: its cached result was checked through the file stamp
        text = "" if value is None else str(value)
        if id_key(text) != id_key(expected_id):
            raise WriteRefused(stale)


def _take_column_style(ws: Worksheet, cell: Any) -> None:
    """A new cell gets its column's style (e.g. the 0.00 of Score), as when typed in Excel."""
    dim: Any
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.max is not None and dim.min <= cell.column <= dim.max:
            if dim.has_style:
                cell._style = copy(dim._style)
            return


def _is_merged(ws: Worksheet, cell: Cell | MergedCell) -> bool:
    if isinstance(cell, MergedCell):
        return True
    return any(cell.coordinate in rng for rng in ws.merged_cells.ranges)
