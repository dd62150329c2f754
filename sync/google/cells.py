"""Cells as the Sheets API takes and gives them: `ExtendedValue`s, colours, A1 ranges.

User text is always sent as `stringValue`, so a title or warning that starts with `=` lands as
text and is never run as a formula; only okrtree's own hyperlinks are sent as `formulaValue`.

>>> extended_value("=SUM(A1:A3)"), extended_value(0.5), extended_value(None)
({'stringValue': '=SUM(A1:A3)'}, {'numberValue': 0.5}, None)
>>> hyperlink_formula("https://x.example/#gid=1", 'Open "row" 3')
'=HYPERLINK("https://x.example/#gid=1","Open ""row"" 3")'
>>> a1_range("O'Brien", "A1:C3"), column_letter(28)
("'O''Brien'!A1:C3", 'AB')
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..snapshot import CellValue
from ..values import SERIAL_EPOCH

__all__ = [
    "PIXELS_PER_CHARACTER",
    "width_requests",
    "ERROR_TEXT",
    "a1_range",
    "cell_value",
    "column_letter",
    "extended_value",
    "hyperlink_formula",
    "quote_tab",
    "rgb",
    "serial",
]

# How `errorValue`s read as text (what UNFORMATTED_VALUE answers and openpyxl caches).
ERROR_TEXT = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "#LOADING",
    "ERROR": "#ERROR!",
}


def serial(day: dt.date | dt.datetime) -> float:
    """A date as the spreadsheet serial number Google stores (days since 1899-12-30)."""
    if isinstance(day, dt.datetime):
        moment = day - dt.datetime.combine(SERIAL_EPOCH, dt.time(), day.tzinfo)
        return moment.days + moment.seconds / 86400
    return float((day - SERIAL_EPOCH).days)


def extended_value(value: Any) -> dict[str, Any] | None:
    """An `ExtendedValue` for a plain value; None for a blank (or NaN) that clears the cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"numberValue": int(value)}
    if isinstance(value, float):  # np.float64 is a float subclass: sent as a plain float
        return {"numberValue": float(value)} if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return {"numberValue": serial(value)}
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return extended_value(item())
    text = str(value)
    return {"stringValue": text} if text != "" else None


def cell_value(data: dict[str, Any]) -> CellValue:
    """A `CellData`'s effective value as a plain value (what UNFORMATTED_VALUE reads); a number
    in a date format is a date when the answer carries the format."""
    value = data.get("effectiveValue")
    if not value:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "numberValue" in value:
        number = value["numberValue"]
        number = number if isinstance(number, int | float) else float(number)
        kind = ((data.get("effectiveFormat") or {}).get("numberFormat") or {}).get("type")
        return _moment(number) if kind in _DATE_FORMATS else number
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return ERROR_TEXT.get(str(value["errorValue"].get("type")), "#ERROR!")
    return None


_DATE_FORMATS = frozenset({"DATE", "DATE_TIME"})
_LAST_SERIAL = 2958465  # 9999-12-31


def _moment(number: float) -> CellValue:
    """A date cell's serial as a workbook reader gives it: a date, a date and time, or the
    number itself when no calendar holds it."""
    if not 1 <= number <= _LAST_SERIAL:
        return number
    moment = dt.datetime.combine(SERIAL_EPOCH, dt.time()) + dt.timedelta(
        seconds=round(number * 86400)
    )
    return moment.date() if moment.time() == dt.time() else moment


def hyperlink_formula(target: str, label: str) -> str:
    """`=HYPERLINK("target","label")` with quotes doubled, as Sheets formulas escape them."""
    return '=HYPERLINK("{}","{}")'.format(target.replace('"', '""'), label.replace('"', '""'))


def rgb(hex_colour: str) -> dict[str, float]:
    """`B7E1CD` as the API's `Color` (channels 0..1)."""
    text = hex_colour.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": red, "green": green, "blue": blue}


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_tab(title: str) -> str:
    """A tab title as A1 notation needs it: always quoted, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def a1_range(title: str, cells: str | None = None) -> str:
    """`'Tab'!A1:B2`, or just the quoted tab for all of it."""
    return quote_tab(title) + (f"!{cells}" if cells else "")


PIXELS_PER_CHARACTER = 7  # the template's widths are in characters, as in Excel


def width_requests(sheet_id: int, widths: list[int | float | None]) -> list[dict[str, Any]]:
    """Column widths (template characters) as `updateDimensionProperties` requests."""
    return [
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": i,
                    "endIndex": i + 1,
                },
                "properties": {"pixelSize": int(width * PIXELS_PER_CHARACTER)},
                "fields": "pixelSize",
            }
        }
        for i, width in enumerate(widths)
        if width
    ]
