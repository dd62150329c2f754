"""A hub output tab as reading it back would give it, without reading it back.

What `xlsx_hub_sheet` writes, seen through `xlsx_read`: text cleaned as written (line ends as
`\\n`, characters XML cannot hold dropped), blank text as blank, whole numbers as `int`, a date
in a column with a date format as a `datetime`, a date elsewhere as its serial number, links as
their text, trailing blanks dropped. Where the answer would rest on the reader's judgement (a
time of day or a number in a date column), there is no answer (None) and the tab is read.
"""

from __future__ import annotations

import datetime as dt
import math

from sheets_templates.definition import hub_columns

from ..plan import trim_blanks
from ..snapshot import CellValue, Grid, Link, OutputTable
from .xlsx_dates import WINDOWS_EPOCH, serial
from .xlsx_read import WHOLE_NUMBER_LIMIT
from .xlsx_writes import ILLEGAL_CHARACTERS

__all__ = ["as_read"]

_DATE_FORMATS = ("yyyy-mm-dd",)


class _Unsure(Exception):
    """The reader's answer for a cell is not certain enough to stand for a read."""


def _number(value: float) -> CellValue:
    if not math.isfinite(value):
        return None  # not written
    if float(value).is_integer() and -WHOLE_NUMBER_LIMIT < value < WHOLE_NUMBER_LIMIT:
        return int(value)
    return float(value)


def _text(value: str) -> str | None:
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = ILLEGAL_CHARACTERS.sub("", value)
    return value or None


def _cell(value: CellValue | Link, dated: bool, epoch: dt.datetime) -> CellValue:
    kind = type(value)
    if value is None:
        return None
    if kind is str:
        return _text(value)  # type: ignore[arg-type]
    if kind is Link:
        return _text(value.text)  # type: ignore[union-attr]
    if kind is bool:
        return value  # type: ignore[return-value]
    if kind is int or kind is float:
        if dated:
            raise _Unsure  # a number under a date format: the reader decides what it shows
        return _number(value)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        if not dated:
            return _number(serial(value, epoch))
        if isinstance(value, dt.datetime) and value.time() != dt.time():
            raise _Unsure  # a time of day, through a serial number and back
        return dt.datetime(value.year, value.month, value.day)
    return _text(str(value))


def as_read(table: OutputTable, epoch: dt.datetime = WINDOWS_EPOCH) -> Grid | None:
    """`table` as `WorkbookReader.grid` gives it once written in a workbook counting dates from
    `epoch` (`xlsx_dates`); None when that is not certain."""
    formats = hub_columns(table.name)
    dated = [formats.get(name, {}).get("number_format") in _DATE_FORMATS for name in table.header]
    grid: Grid = [[_text(name) for name in table.header]]
    try:
        for values in table.rows:
            grid.append(
                [_cell(v, c < len(dated) and dated[c], epoch) for c, v in enumerate(values)]
            )
    except _Unsure:
        return None
    return trim_blanks(grid, None)
