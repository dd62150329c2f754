"""The local backend: a workspace folder holding `hub.xlsx` and the teams' `.xlsx` workbooks.

Reads are values only (cached formula results) and fast; writes touch only the cells the planner
asks for, refuse when the file changed since it was read or holds content openpyxl would lose, and
replace the file atomically.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import sys
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import HUB_FILE, SETTINGS_TAB, TEAMS_TAB
from sheets_templates.styles import hub_columns, indent, status_fill, style_header

from ..errors import SourceError
from ..model import Team, id_key
from ..snapshot import (
    CellValue,
    Grid,
    HubSnapshot,
    Link,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    WriteRefused,
)
from .xlsx_formulas import FormulaCache, formula_coordinates, restore_cached_values
from .xlsx_safety import (
    ChangedMeanwhile,
    FileStamp,
    capture_loss_warnings,
    lock_file,
    lossy_content,
    save_atomically,
)

__all__ = ["HUB_FILE", "OUTPUT_TABS", "XlsxBackend"]

INPUT_TABS = (TEAMS_TAB, SETTINGS_TAB)
OUTPUT_TABS = ("Alignment Tree", "Findings", "History")
PARALLEL_FROM = 32  # teams per worker process below which one process is faster
MAX_WORKERS = 8
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_UNREADABLE = (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError)


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
            with capture_loss_warnings():
                wb = load_workbook(self.hub_path, read_only=True, data_only=True)
                try:
                    tabs = {ws.title: _read_sheet(wb, ws)[0] for ws in wb.worksheets}
                finally:
                    wb.close()
        except _UNREADABLE as err:
            raise SourceError(
                f"{self.hub_path} cannot be read as an Excel workbook ({_why(err)}); "
                f"open it in Excel or LibreOffice and save it as .xlsx"
            ) from err
        return HubSnapshot(source=str(self.workspace), tabs=tabs)

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
                self._stamps[snap.source.strip()] = stamp
                self._unwritable[snap.source.strip()] = snap.unwritable
        return [snap for snap, _ in reads]

    # -- writing -------------------------------------------------------------------------------

    def write_team(self, changes: SheetChanges) -> None:
        """Apply `changes` to one team workbook, or raise `WriteRefused` having written nothing."""
        source = changes.source.strip()
        path = self.workspace / source
        reason = self._unwritable.get(source)
        if reason:
            raise WriteRefused(reason)
        if not path.is_file():
            raise WriteRefused(f"{source} no longer exists; run again")
        reason = _unwritable_reason(path, source, [], [])  # opened in an editor since the read?
        if reason:
            raise WriteRefused(reason)
        expected = self._stamps.get(source)
        stale = _changed_since_read(source)
        if expected is not None and FileStamp.of(path) != expected:
            raise WriteRefused(stale)
        wb = _load_for_write(path, source)
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
            _set_value(cell, change.value)
        try:
            _save_keeping_results(wb, path, expected)
        except ChangedMeanwhile as err:
            raise WriteRefused(stale) from err
        except OSError as err:
            raise WriteRefused(
                f"{source} could not be saved ({_why(err)}); it was left as it was"
            ) from err
        self._stamps[source] = FileStamp.of(path)

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
            raise SourceError(f"{self.hub_path} cannot be written ({_why(err)})") from err
        reason = _unwritable_reason(self.hub_path, HUB_FILE, members, [])
        if reason:
            raise WriteRefused(reason)
        wb = _load_for_write(self.hub_path, HUB_FILE)
        changed = 0
        for table in tables:
            if table.name in INPUT_TABS:
                raise ValueError(f"refusing to overwrite the hub's input tab {table.name!r}")
            old = wb[table.name] if table.name in wb.sheetnames else None
            count = _count_changes(old, table)
            if count == 0:
                continue
            changed += count
            index = wb.sheetnames.index(table.name) if old else _new_tab_index(wb, table.name)
            if old is not None:
                wb.remove(old)
            _fill_table(wb.create_sheet(table.name, index), table)
        if changed:
            _save_keeping_results(wb, self.hub_path)
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
                grid, _ = _read_sheet(wb, wb[tab])
            finally:
                wb.close()
    except _UNREADABLE as err:
        snap.error = (
            f"{source} is not an Excel workbook or is damaged ({_why(err)}); "
            f"open it in Excel or LibreOffice and save it as .xlsx"
        )
        return snap, None
    snap.grid = grid
    snap.link_template = _link_template(source, tab)
    snap.unwritable = _unwritable_reason(path, source, members, losses)
    return snap, stamp


def _read_sheet(wb: Any, ws: Any) -> tuple[Grid, list[str]]:
    """A read-only sheet's values, rows ragged, with merged cells other than top-left blanked.

    openpyxl's own read-only iterator throws away the merge list it parses and trusts the
    sheet's stated dimensions (often wrong in files from other tools), so the sheet parser is
    driven directly, the way `ReadOnlyWorksheet._cells_by_row` does it.
    """
    grid: Grid = []
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for index, cells in parser.parse():
            while len(grid) < index - 1:
                grid.append([])
            row: list[CellValue] = []
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                column = cell["column"]
                if column > len(row):
                    row.extend([None] * (column - len(row)))
                row[column - 1] = value
            grid.append(row)
        merged = [str(rng) for rng in getattr(parser.merged_cells, "mergeCell", [])]
    while grid and not grid[-1]:
        grid.pop()
    for ref in merged:
        _blank_merged(grid, ref)
    return grid, merged


def _blank_merged(grid: Grid, ref: str) -> None:
    rng = CellRange(ref)
    for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
        row = grid[r - 1]
        for c in range(rng.min_col, min(rng.max_col, len(row)) + 1):
            if (r, c) != (rng.min_row, rng.min_col):
                row[c - 1] = None


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
    lossy = lossy_content(members, path.name)
    if lossy:
        return f"{source}: {lossy}"
    if losses:
        return f"{source}: saving would lose content okrtree cannot keep ({losses[0]})"
    return None


def _why(err: BaseException) -> str:
    if isinstance(err, zipfile.BadZipFile):
        return "not a valid .xlsx file"
    if isinstance(err, PermissionError):
        return "permission denied"
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# -- writing helpers ---------------------------------------------------------------------------


def _changed_since_read(source: str) -> str:
    return f"{source} changed since it was read; run again"


def _load_for_write(path: Path, source: str) -> Workbook:
    """Load the whole workbook, formulas and styles included; refuse if a save would lose data."""
    try:
        with capture_loss_warnings() as losses:
            wb = load_workbook(path, keep_vba=False, data_only=False, rich_text=True)
    except _UNREADABLE as err:
        raise WriteRefused(f"{source} cannot be opened for writing ({_why(err)})") from err
    if losses:
        raise WriteRefused(f"{source}: saving would lose content okrtree cannot keep ({losses[0]})")
    return wb


def _save_keeping_results(wb: Workbook, path: Path, expected: FileStamp | None = None) -> None:
    """Save atomically, with the formula results the file had (openpyxl would drop them)."""
    cache = _formula_results(path, wb)
    finish = (lambda saved: restore_cached_values(saved, wb, cache)) if cache else None
    save_atomically(wb, path, expected, finish)


def _formula_results(path: Path, wb: Workbook) -> FormulaCache:
    """The cached results in `path` of the cells that are formulas in `wb`."""
    where = formula_coordinates(wb)
    if not where:
        return {}
    cache: FormulaCache = {}
    source = load_workbook(path, read_only=True, data_only=True)
    try:
        for title, cells in where.items():
            if title not in source.sheetnames:
                continue
            grid, _ = _read_sheet(source, source[title])
            values: dict[str, object] = {}
            for r, c in cells:
                row = grid[r - 1] if r <= len(grid) else []
                if c <= len(row) and row[c - 1] is not None:
                    values[f"{get_column_letter(c)}{r}"] = row[c - 1]
            cache[title] = values
    finally:
        source.close()
    return cache


def _check_rows(ws: Worksheet, changes: SheetChanges, stale: str) -> None:
    """Every row about to be written still holds the ID seen at read time."""
    for row, expected_id in changes.expected_ids.items():
        value = ws.cell(row=row, column=changes.id_column).value
        if isinstance(value, str) and value.startswith("="):
            continue  # a formula: its cached result was checked through the file stamp
        text = "" if value is None else str(value)
        if id_key(text) != id_key(expected_id):
            raise WriteRefused(stale)


def _is_merged(ws: Worksheet, cell: Cell | MergedCell) -> bool:
    if isinstance(cell, MergedCell):
        return True
    return any(cell.coordinate in rng for rng in ws.merged_cells.ranges)


def _set_value(cell: Cell | MergedCell, value: Any) -> None:
    """Write a plain value: text is never taken for a formula and illegal characters go."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value == "":
            value = None
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _plain(value: object) -> object:
    """A cell value in the form openpyxl gives it back, for comparing old and new."""
    if isinstance(value, Link):
        value = value.text
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, bool):
        return value
    return value


def _link_target(value: object) -> str | None:
    return value.target if isinstance(value, Link) else None


def _count_changes(ws: Worksheet | None, table: OutputTable) -> int:
    """Cells whose value (or link target) differs between the tab and the table."""
    old: dict[tuple[int, int], tuple[object, str | None]] = {}
    if ws is not None:
        for (r, c), cell in ws._cells.items():
            link = _hyperlink_target(cell.hyperlink) if cell.hyperlink is not None else None
            if cell.value is not None or link is not None:
                old[(r, c)] = (_plain(cell.value), link)
    new: dict[tuple[int, int], tuple[object, str | None]] = {}
    grid: list[list[Any]] = [list(table.header), *table.rows]
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            plain, link = _plain(value), _link_target(value)
            if plain is not None or link is not None:
                new[(r, c)] = (plain, link)
    changed = sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    if ws is None:
        changed = max(changed, 1)  # a new tab, even an empty one, is a change
    return changed


def _hyperlink_target(link: Hyperlink) -> str | None:
    if link.target and link.location:
        return f"{link.target}#{link.location}"
    return link.target or (f"#{link.location}" if link.location else None)


def _new_tab_index(wb: Workbook, name: str) -> int:
    """Just after the input tabs and the output tabs that come before `name`."""
    before = list(INPUT_TABS) + list(OUTPUT_TABS[: OUTPUT_TABS.index(name)])
    present = [wb.sheetnames.index(tab) for tab in before if tab in wb.sheetnames]
    return max(present) + 1 if present else len(wb.sheetnames)


def _fill_table(ws: Worksheet, table: OutputTable) -> None:
    """Write a table with a styled frozen header, filters, widths, indents, colours and links."""
    columns = hub_columns(table.name)
    widths = {name: col.get("width") for name, col in columns.items() if col.get("width")}
    style_header(ws, list(table.header), widths)
    position = {name: i for i, name in enumerate(table.header)}
    depth_at = position.get("Depth")
    formats = {
        position[name]: col["number_format"]
        for name, col in columns.items()
        if name in position and col.get("number_format")
    }
    if "Score" in position:
        formats.setdefault(position["Score"], "0.00")
    tree_at, status_at = position.get("Tree"), position.get("Status")
    for r, values in enumerate(table.rows, start=2):
        for c, value in enumerate(values):
            cell = ws.cell(row=r, column=c + 1)
            if isinstance(value, Link):
                _set_value(cell, value.text)
                cell.hyperlink = _as_hyperlink(value.target)
                cell.style = "Hyperlink"
            else:
                _set_value(cell, value)
            if c in formats:
                cell.number_format = formats[c]
            if c == status_at and isinstance(value, str):
                fill = status_fill(value)
                if fill is not None:
                    cell.fill = fill
        if tree_at is not None and depth_at is not None and tree_at < len(values):
            depth = values[depth_at] if depth_at < len(values) else 0
            if isinstance(depth, int | float) and not isinstance(depth, bool) and depth > 0:
                ws.cell(row=r, column=tree_at + 1).alignment = indent(int(depth))
    if table.header:
        ws.auto_filter.ref = ws.dimensions


def _as_hyperlink(target: str) -> Hyperlink | str:
    """A web address as is; a local `file.xlsx#'Tab'!A5` split into file and location for Excel."""
    if "://" in target or target.startswith("mailto:") or "#" not in target:
        return target
    file, location = target.split("#", 1)
    return Hyperlink(ref="", target=file or None, location=location)
