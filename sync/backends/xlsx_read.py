"""Reading workbook tabs as values with python-calamine, after the package passed its checks.

Values match what a spreadsheet shows and what openpyxl's value reader gave: cached results of
formulas, dates as `datetime`, whole numbers as `int`, error cells as their text (`#DIV/0!`),
cells hidden under a merge blank, rows ragged and trailing blanks dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ..snapshot import Grid
from .xlsx_bounds import MAX_ROWS, Package, Unreadable, scan_sheet

__all__ = ["WHOLE_NUMBER_LIMIT", "Unreadable", "WorkbookReader", "unreadable_reason", "why"]

_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx"
# Whole numbers below this read as `int`; larger ones stay floats, as spreadsheets show them.
WHOLE_NUMBER_LIMIT = 1e15


class WorkbookReader:
    """One workbook opened for reading tabs; every failure is `Unreadable` naming the file.

    Used as `with WorkbookReader(path, "team.xlsx") as book: grid = book.grid("OKRs")`.
    """

    def __init__(self, path: Path, source: str, *, max_rows: int = MAX_ROWS) -> None:
        self.source = source
        self.max_rows = max_rows
        self._package: Package | None = None
        self._book: Any = None
        self.members: list[str] = []
        self.merged: dict[str, list[tuple[int, int, int, int]]] = {}  # by tab read, 1-based
        try:
            self._package = Package.open(path, source)
            self.members = self._package.archive.namelist()
            for name in self._package.common:
                self._package.check(name)
            self._book = CalamineWorkbook.from_path(str(path))
        except Exception as err:
            self.close()
            raise _contained(err, source) from err

    @property
    def titles(self) -> list[str]:
        """Tab titles in workbook order."""
        assert self._package is not None
        return list(self._package.sheets)

    def grid(self, title: str) -> Grid:
        """The tab's values; `Unreadable` when it is beyond the limits or damaged."""
        assert self._package is not None
        try:
            data = self._package.part(self._package.sheets[title])
            errors = scan_sheet(self.source, title, data, self.max_rows)
            sheet = self._book.get_sheet_by_name(title)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as err:
            raise _contained(err, self.source) from err
        except BaseException as err:
            # calamine panics (a BaseException) on a date beyond its range instead of raising.
            if type(err).__name__ != "PanicException":
                raise
            raise Unreadable(_out_of_range_date(self.source, title, data)) from err
        self.merged[title] = [
            (top + 1, left + 1, bottom + 1, right + 1) for (top, left), (bottom, right) in merged
        ]
        return _grid(rows, merged, errors)

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._package is not None:
            self._package.close()
            self._package = None

    def __enter__(self) -> WorkbookReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def unreadable_reason(err: BaseException) -> str:
    """A short reason for a failure, for a message."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def why(err: BaseException) -> str:
    """A short reason for a read or write failure, for a message."""
    if isinstance(err, zipfile.BadZipFile):
        return "not a valid .xlsx file"
    if isinstance(err, PermissionError):
        return "permission denied"
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# A number whose date (days since 1899) overflows calamine's millisecond arithmetic.
_DATE_OVERFLOW = 1e11
_NUMBER_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>(-[0-9.eE+]+)<',
    re.S,
)


def _out_of_range_date(source: str, title: str, data: bytes) -> str:
    """Why a tab could not be read when a date-formatted cell holds a number no date can be."""
    fix = "clear it or give it a number format"
    for match in _NUMBER_CELL.finditer(data):
        try:
            value = float(match.group(2))
        except ValueError:
            continue
        if value < -_DATE_OVERFLOW:
            ref, text = match.group(1).decode(), match.group(2).decode()
            return (
                f"{source}: cell {ref} of tab {title!r} holds {text} in a date format, "
                f"which is no date; {fix}"
            )
    return f"{source}: tab {title!r} holds a date no spreadsheet can show; {fix}"


def _contained(err: Exception, source: str) -> Unreadable:
    """Any failure parsing an untrusted workbook, as that workbook's `Unreadable`."""
    if isinstance(err, Unreadable):
        return err
    if isinstance(err, PermissionError):
        return Unreadable(f"{source} cannot be opened (permission denied); allow reading it")
    return Unreadable(
        f"{source} is not an Excel workbook or is damaged ({unreadable_reason(err)}); {_SAVE_AS}"
    )


def _grid(
    rows: list[list[Any]],
    merged: Iterable[tuple[tuple[int, int], tuple[int, int]]],
    errors: list[tuple[int, int, str]],
) -> Grid:
    grid: Grid = []
    for cells in rows:
        end = len(cells)
        while end and cells[end - 1] == "":
            end -= 1
        row = cells[:end]
        for i, value in enumerate(row):  # in place, by type: twice as fast as a dispatch table
            kind = type(value)
            if kind is str:
                if not value:
                    row[i] = None
            elif kind is float:
                # As spreadsheet programs write them: whole numbers plainly, huge ones not.
                if value.is_integer() and -WHOLE_NUMBER_LIMIT < value < WHOLE_NUMBER_LIMIT:
                    row[i] = int(value)
            elif kind is dt.date:
                row[i] = dt.datetime(value.year, value.month, value.day)
        grid.append(row)
    for row_number, column, text in errors:
        while len(grid) < row_number:
            grid.append([])
        cells = grid[row_number - 1]
        if len(cells) < column:
            cells.extend([None] * (column - len(cells)))
        cells[column - 1] = text
    for (top, left), (bottom, right) in merged:
        for r in range(top, min(bottom + 1, len(grid))):
            cells = grid[r]
            for c in range(left, min(right + 1, len(cells))):
                if (r, c) != (top, left):
                    cells[c] = None
    while grid and not any(v is not None for v in grid[-1]):
        grid.pop()
    return grid
