"""Cell-level reading and writing shared by the team and hub sides of the local backend."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from ..snapshot import CellValue, Grid, WriteRefused
from .xlsx_formulas import FormulaCache, formula_coordinates, restore_cached_values
from .xlsx_safety import FileStamp, capture_loss_warnings, save_atomically

__all__ = [
    "UNREADABLE",
    "load_for_write",
    "read_sheet",
    "save_keeping_results",
    "set_value",
    "why",
]

# What openpyxl raises for a file that is not a readable workbook.
UNREADABLE = (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError)


def read_sheet(wb: Any, ws: Any) -> Grid:
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
    return grid


def _blank_merged(grid: Grid, ref: str) -> None:
    rng = CellRange(ref)
    for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
        row = grid[r - 1]
        for c in range(rng.min_col, min(rng.max_col, len(row)) + 1):
            if (r, c) != (rng.min_row, rng.min_col):
                row[c - 1] = None


def why(err: BaseException) -> str:
    """A short reason for a read or write failure, for a message."""
    if isinstance(err, zipfile.BadZipFile):
        return "not a valid .xlsx file"
    if isinstance(err, PermissionError):
        return "permission denied"
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def load_for_write(source: Path | IO[bytes], name: str) -> Workbook:
    """Load the whole workbook, formulas and styles included; refuse if a save would lose data."""
    try:
        with capture_loss_warnings() as losses:
            wb = load_workbook(source, keep_vba=False, data_only=False, rich_text=True)
    except UNREADABLE as err:
        raise WriteRefused(f"{name} cannot be opened for writing ({why(err)})") from err
    if losses:
        raise WriteRefused(f"{name}: saving would lose content okrtree cannot keep ({losses[0]})")
    return wb


def save_keeping_results(wb: Workbook, path: Path, expected: FileStamp | None = None) -> None:
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
            grid = read_sheet(source, source[title])
            values: dict[str, object] = {}
            for r, c in cells:
                row = grid[r - 1] if r <= len(grid) else []
                if c <= len(row) and row[c - 1] is not None:
                    values[f"{get_column_letter(c)}{r}"] = row[c - 1]
            cache[title] = values
    finally:
        source.close()
    return cache


def set_value(cell: Cell | MergedCell, value: Any) -> None:
    """Write a plain value: text is never taken for a formula and illegal characters go.

    Line ends become `\n`, which is what reading the file gives back (XML turns a bare `\r`
    into `\n`), so the next run sees the value it wrote and has nothing to change.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        if value == "":
            value = None
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
