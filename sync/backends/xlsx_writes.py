"""The cells a sheet patch writes: checked, cleaned and grouped by row, with the cell-reference
arithmetic both patchers share (`xlsx_patch` on a parsed tree, `xlsx_splice` on the text)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from ..model import id_key
from ..values import SERIAL_EPOCH
from .xlsx_package import PackageRefused

__all__ = [
    "ILLEGAL_CHARACTERS",
    "MAX_COLUMN",
    "MAX_ROW",
    "CellRefused",
    "CellValue",
    "Cells",
    "Merged",
    "RowWrites",
    "clean",
    "column_letter",
    "column_number",
    "id_matches",
    "merged_box",
    "ref_boundaries",
    "rows_to_write",
    "widened_dimension",
    "widened_spans",
]

MAX_COLUMN = 16_384  # XFD, the last column any spreadsheet program opens
MAX_ROW = 1_048_576
CellValue = str | int | float | None
Cells = Mapping[tuple[int, int], CellValue]
Merged = list[tuple[int, int, int, int]]  # (first column, first row, last column, last row)
RowWrites = dict[int, list[tuple[int, CellValue]]]  # row -> (column, value) sorted by column

# Control characters XML 1.0 cannot hold (the set openpyxl refuses too).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


class CellRefused(PackageRefused):
    """A cell cannot be written safely (merged, outside the sheet, part of a shared formula)."""


_LETTERS: dict[int, str] = {}  # column number -> letters, filled as met
_COLUMNS: dict[str, int] = {}  # column letters -> number, filled as met (at most 16,384)


def column_letter(column: int) -> str:
    """`1 -> A`, `28 -> AB`, `16384 -> XFD`."""
    letters = _LETTERS.get(column)
    if letters is None:
        number, letters = column, ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(65 + rest) + letters
        _LETTERS[column] = letters
    return letters


def column_number(letters: str) -> int:
    """`A -> 1`, `ab -> 28`, `$XFD -> 16384`; ValueError for what holds no letters."""
    column = _COLUMNS.get(letters)
    if column is None:
        plain = letters.replace("$", "").upper()
        if not plain or not plain.isascii() or not plain.isalpha():
            raise ValueError(f"{letters!r} is not a column")
        column = 0
        for letter in plain:
            column = column * 26 + ord(letter) - 64
        if len(_COLUMNS) < MAX_COLUMN:
            _COLUMNS[letters] = column
    return column


def ref_boundaries(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(first column, first row, last column, last row) of `A1`, `B2:C3`, `A:C` or `2:5`;
    None where the reference leaves a side open. ValueError for anything else.

    >>> ref_boundaries("B2:C30"), ref_boundaries("A:C")
    ((2, 2, 3, 30), (1, None, 3, None))
    """
    first, _, last = ref.strip().partition(":")
    corners = []
    for part in (first, last or first):
        match = _REFERENCE.match(part)
        if match is None or not (match[1] or match[2]):
            raise ValueError(f"{ref!r} is not a cell range")
        corners.append(
            (column_number(match[1]) if match[1] else None, int(match[2]) if match[2] else None)
        )
    (low_col, low_row), (high_col, high_row) = corners
    return low_col, low_row, high_col, high_row


def clean(value: CellValue) -> CellValue:
    """Text with line ends as reading gives them back and no characters XML cannot hold."""
    if isinstance(value, str):
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if ILLEGAL_CHARACTERS.search(value):
            value = ILLEGAL_CHARACTERS.sub("", value)
        return value or None
    if isinstance(value, float) and not math.isfinite(value):
        raise CellRefused(f"{value} is not a number a spreadsheet can hold")
    return value


def rows_to_write(cells: Cells, merged: Merged, tab: str) -> RowWrites:
    """The cleaned values by row, each row's sorted by column; `CellRefused` for a cell outside
    the sheet or under a merge."""
    by_row: RowWrites = {}
    for (r, c), value in cells.items():
        if not 1 <= r <= MAX_ROW:
            raise CellRefused(f"row {r} is outside what a spreadsheet can hold")
        if not 1 <= c <= MAX_COLUMN:
            raise CellRefused(
                f"tab {tab!r} has no free column left before column XFD (16,384) for "
                f"okrtree's output columns; delete unused columns at the right of the sheet"
            )
        for min_col, min_row, max_col, max_row in merged:
            if min_row <= r <= max_row and min_col <= c <= max_col:
                raise CellRefused(
                    f"cell {column_letter(c)}{r} of tab {tab!r} is merged with "
                    f"other cells, so okrtree cannot write it; unmerge it"
                )
        by_row.setdefault(r, []).append((c, clean(value)))
    return {r: sorted(by_row[r], key=lambda item: item[0]) for r in sorted(by_row)}


def merged_box(ref: str) -> tuple[int, int, int, int]:
    """A merge's cells as (first column, first row, last column, last row), open sides filled."""
    low_col, low_row, high_col, high_row = ref_boundaries(ref or "A1")
    return (low_col or 1, low_row or 1, high_col or MAX_COLUMN, high_row or MAX_ROW)


def widened_dimension(ref: str | None, written: list[tuple[int, int]]) -> str:
    """A `<dimension>` reference grown to hold the `written` (row, column) cells."""
    rows = [r for r, _ in written]
    cols = [c for _, c in written]
    try:
        min_col, min_row, max_col, max_row = ref_boundaries(ref or "A1")
    except ValueError:
        min_col, min_row, max_col, max_row = min(cols), min(rows), max(cols), max(rows)
    first = f"{column_letter(min(min_col or 1, *cols))}{min(min_row or 1, *rows)}"
    last = f"{column_letter(max(max_col or 1, *cols))}{max(max_row or 1, *rows)}"
    return first if first == last else f"{first}:{last}"


def widened_spans(spans: str, columns: list[int]) -> str | None:
    """A row's optional `spans` hint covering `columns` too; None when the hint should go, the
    same text when it is left as it is (several ranges, or no column written)."""
    if not columns or ":" not in spans or " " in spans:
        return spans
    try:
        low, high = (int(part) for part in spans.split(":"))
    except ValueError:
        return None
    return f"{min(low, *columns)}:{max(high, *columns)}"


def id_matches(found: str, expected: str) -> bool:
    """Whether a cell's text still is the ID read: trimmed and ignoring case, or the same number.

    The ID read is `sync.values.cell_text` of the value shown, the text found is what the sheet
    XML holds: a date (Excel turns an ID typed `1-2` into one) is a serial number there, counted
    from 1900 or, in a workbook saved with the 1904 date system, from 1904; a yes/no is 1 or 0.

    >>> id_matches("46024.5625", "2026-01-02 13:30:00"), id_matches("1", "TRUE")
    (True, True)
    """
    if id_key(found) == id_key(expected):
        return True
    try:
        number = float(found)
    except ValueError:
        return False
    return any(abs(number - wanted) < _HALF_SECOND for wanted in _as_numbers(expected.strip()))


_HALF_SECOND = 0.5 / 86_400  # in days: dates are read to the millisecond
_DAYS_1900_TO_1904 = 1_462  # a date's serial in the 1904 date system is this much smaller


def _as_numbers(text: str) -> tuple[float, ...]:
    """The numbers a cell may hold for the text `cell_text` made of its value."""
    if text.upper() in ("TRUE", "FALSE"):
        return (1.0 if text.upper() == "TRUE" else 0.0,)
    try:
        return (float(text),)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return ()
    serial = (moment - dt.datetime.combine(SERIAL_EPOCH, dt.time())) / dt.timedelta(days=1)
    return serial, serial - _DAYS_1900_TO_1904
