"""``spreadsheets.values.*``: reading and writing plain values through A1 ranges.

Shapes follow the recorded answers: trailing empty rows and cells are left out, a range without
data has no ``values`` key, zero counts are omitted (proto3 JSON), and ``range`` is echoed bounded
to the grid (``Sheet1!A1:Z1000``). Reads and writes past the grid are refused with Google's
messages; only ``append`` grows the grid, as it does in Google.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from . import grid
from .a1 import CellBox, column_letters
from .errors import ApiError, bad_request, grid_limits
from .state import Sheet, Spreadsheet

__all__ = [
    "append",
    "batch_clear",
    "batch_update_answer",
    "batch_get",
    "batch_update",
    "check_protection",
    "clear",
    "get",
    "update",
    "value_range",
    "with_data",
    "write_values",
]

_VALUE_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
_DATE_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner "
    "to remove protection if you need to edit."
)


def _option(params: dict[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        field = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)
        kind = "DateTimeRenderOption" if name.startswith("date") else "ValueRenderOption"
        raise bad_request(
            f"Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.{kind}), "
            f'"{value}"'
        )
    return str(value)


def _cells_text(text: str) -> str:
    return text.rsplit("!", 1)[-1] if "!" in text else text


def _transpose(rows: list[list[Any]]) -> list[list[Any]]:
    width = max((len(r) for r in rows), default=0)
    columns = [[row[c] if c < len(row) else "" for row in rows] for c in range(width)]
    trimmed = []
    for column in columns:
        while column and column[-1] == "":
            column.pop()
        trimmed.append(column)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def value_range(spreadsheet: Spreadsheet, text: str, params: dict[str, Any]) -> dict[str, Any]:
    """One ``ValueRange`` answer for an A1 range and the render options in ``params``."""
    value_option = _option(params, "valueRenderOption", _VALUE_OPTIONS, "FORMATTED_VALUE")
    date_option = _option(params, "dateTimeRenderOption", _DATE_OPTIONS, "SERIAL_NUMBER")
    major = params.get("majorDimension") or "ROWS"
    if major not in ("ROWS", "COLUMNS"):
        raise bad_request(f"Invalid value at 'major_dimension', \"{major}\"")
    sheet, box = spreadsheet.resolve(text)
    bounded = sheet.check_box(box, _cells_text(text))
    rows = sheet.read(bounded, value_option, date_option)
    if major == "COLUMNS":
        rows = _transpose(rows)
    answer: dict[str, Any] = {"range": spreadsheet.echo(sheet, bounded), "majorDimension": major}
    if rows:
        answer["values"] = rows
    return answer


def get(spreadsheet: Spreadsheet, text: str, params: dict[str, Any]) -> dict[str, Any]:
    """``values.get``."""
    return value_range(spreadsheet, text, params)


def batch_get(
    spreadsheet: Spreadsheet, ranges: list[str], params: dict[str, Any]
) -> dict[str, Any]:
    """``values.batchGet``; no ranges answers with the id alone, as Google does."""
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if ranges:
        answer["valueRanges"] = [value_range(spreadsheet, r, params) for r in ranges]
    return answer


def _check_rows(values: Any, field: str) -> list[list[Any]]:
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        shown = json.dumps(values if not isinstance(values, list) else values[0])
        message = (
            f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), {shown}"
        )
        raise bad_request(
            message,
            details=[
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": field, "description": message}],
                }
            ],
        )
    return values


def check_protection(spreadsheet: Spreadsheet, sheet: Sheet, keys: list[tuple[int, int]]) -> None:
    """Refuse, as Google does, an edit of a cell in a range protected against the caller."""
    if not spreadsheet.enforce_protection:
        return
    for protected in sheet.protected_ranges:
        if protected.get("warningOnly"):
            continue
        rng = protected["range"]
        for r, c in keys:
            if rng.get("startRowIndex", 0) <= r < rng.get("endRowIndex", sheet.rows) and rng.get(
                "startColumnIndex", 0
            ) <= c < rng.get("endColumnIndex", sheet.cols):
                raise bad_request(PROTECTED_MESSAGE)


def _fit(spreadsheet: Spreadsheet, text: str, rows: list[list[Any]]) -> tuple[Sheet, int, int]:
    """Where a ``values`` write starts, refusing what does not fit as Google refuses it.

    The grid never grows here. A range starting past the grid, or a bounded range reaching
    past it, is "exceeds grid limits"; data running past a bounded range, or past the grid
    from a one-cell anchor, is "Requested writing within range [...], but tried writing to ...".
    """
    sheet, box = spreadsheet.resolve(text)
    cells = text.rsplit("!", 1)[-1] if "!" in text else text
    if box.row0 >= sheet.rows or box.col0 >= sheet.cols:
        raise grid_limits(sheet.label(cells), sheet.rows, sheet.cols)
    if ":" in cells and ((box.row1 or 0) > sheet.rows or (box.col1 or 0) > sheet.cols):
        raise grid_limits(sheet.label(cells), sheet.rows, sheet.cols)
    last_row = box.row1 if ":" in cells and box.row1 is not None else sheet.rows
    last_col = box.col1 if ":" in cells and box.col1 is not None else sheet.cols
    for i, row in enumerate(rows):
        if row and box.row0 + i >= last_row:
            raise bad_request(
                f"Requested writing within range [{text}], but tried writing to row "
                f"[{box.row0 + i + 1}]"
            )
        if box.col0 + len(row) > last_col:
            raise bad_request(
                f"Requested writing within range [{text}], but tried writing to column "
                f"[{column_letters(last_col)}]"
            )
    return sheet, box.row0, box.col0


def write_values(
    spreadsheet: Spreadsheet,
    text: str,
    body: dict[str, Any],
    input_option: str | None,
    field: str,
    at: tuple[Sheet, int, int] | None = None,
) -> tuple[dict[str, Any], Sheet, CellBox]:
    """Write a ``ValueRange`` body at an A1 range (or at ``at`` for appends); returns the
    ``UpdateValuesResponse``, the tab and the extent written."""
    if input_option not in ("RAW", "USER_ENTERED"):
        raise bad_request("'valueInputOption' is required but not specified")
    rows = _check_rows(body.get("values", []), field)
    if body.get("majorDimension") == "COLUMNS":
        height = max((len(c) for c in rows), default=0)
        rows = [[col[i] if i < len(col) else None for col in rows] for i in range(height)]
    width = max((len(r) for r in rows), default=0)
    if at is not None:
        sheet, r0, c0 = at
        sheet.ensure_size(r0 + len(rows), c0 + width)
    else:
        sheet, r0, c0 = _fit(spreadsheet, text, rows)
    keys = [
        (r0 + i, c0 + j) for i, row in enumerate(rows) for j, v in enumerate(row) if v is not None
    ]
    check_protection(spreadsheet, sheet, keys)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.set_value(r0 + i, c0 + j, value, input_option == "USER_ENTERED")
    extent = CellBox(r0, c0, r0 + max(len(rows), 1), c0 + max(width, 1))
    answer: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "updatedRange": spreadsheet.echo(sheet, extent),
        "updatedRows": len({r for r, _ in keys}),
        "updatedColumns": len({c for _, c in keys}),
        "updatedCells": len(keys),
    }
    return {k: v for k, v in answer.items() if v}, sheet, extent


def with_data(
    spreadsheet: Spreadsheet, answer: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    """Add ``updatedData`` when the caller asked for ``includeValuesInResponse``."""
    if str(params.get("includeValuesInResponse", "")).lower() == "true":
        options = {
            "valueRenderOption": params.get("responseValueRenderOption"),
            "dateTimeRenderOption": params.get("responseDateTimeRenderOption"),
        }
        answer["updatedData"] = value_range(spreadsheet, answer["updatedRange"], options)
    return answer


def update(
    spreadsheet: Spreadsheet, text: str, body: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    """``values.update`` (PUT)."""
    answer, _, _ = write_values(
        spreadsheet, text, body, params.get("valueInputOption"), "data.values"
    )
    spreadsheet.touch()
    return with_data(spreadsheet, answer, params)


def batch_update(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``values.batchUpdate``: every range or none, with Google's totals."""
    option = body.get("valueInputOption")
    data = body.get("data") or []
    responses = []
    touched = set()
    saved = copy.deepcopy(spreadsheet.sheets)
    try:
        for i, item in enumerate(data):
            try:
                answer, sheet, _ = write_values(
                    spreadsheet, item.get("range", ""), item, option, f"data[{i}].values"
                )
            except ApiError as err:
                if not err.message.startswith("Invalid value"):
                    err.message = f"Invalid data[{i}]: {err.message}"
                raise
            if answer.get("updatedCells"):
                touched.add(sheet.sheet_id)
            responses.append(with_data(spreadsheet, answer, body))
    except ApiError:
        spreadsheet.sheets = saved
        raise
    spreadsheet.touch()
    return batch_update_answer(spreadsheet, responses, touched)


def _table(sheet: Sheet, box: CellBox) -> CellBox | None:
    """The table ``values.append`` finds: consecutive non-empty rows in the box's columns.

    A multi-row range searches down for its first data row; a single-row range (gspread's
    ``A5`` after inserting an empty row 5) only looks at that row, so an empty one is written.
    """
    col1 = sheet.cols if box.col1 is None else box.col1
    rows: dict[int, list[int]] = {}
    for (r, c), cell in sheet.cells.items():
        if box.col0 <= c < col1 and r >= box.row0 and cell.get("userEnteredValue"):
            rows.setdefault(r, []).append(c)
    if not rows:
        return None
    first = min(rows)
    if box.row1 == box.row0 + 1 and first != box.row0:
        return None
    last = first
    while last + 1 in rows:
        last += 1
    cols = [c for r in range(first, last + 1) for c in rows[r]]
    return CellBox(first, min(cols), last + 1, max(cols) + 1)


def append(
    spreadsheet: Spreadsheet, text: str, body: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    """``values.append``: after the table found in the range; INSERT_ROWS makes room first."""
    sheet, box = spreadsheet.resolve(text)
    table = _table(sheet, box)
    row = box.row0 if table is None else int(table.row1 or 0)
    col = box.col0 if table is None else table.col0
    rows = _check_rows(body.get("values", []), "data.values")
    if params.get("insertDataOption") == "INSERT_ROWS" and rows and row < sheet.rows:
        grid.insert_dimension(sheet, "ROWS", row, row + len(rows))
    updates, _, _ = write_values(
        spreadsheet, text, body, params.get("valueInputOption"), "data.values", (sheet, row, col)
    )
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if table is not None:
        answer["tableRange"] = spreadsheet.echo(sheet, table)
    answer["updates"] = with_data(spreadsheet, updates, params)
    spreadsheet.touch()
    return answer


def clear(spreadsheet: Spreadsheet, text: str) -> dict[str, Any]:
    """``values.clear``: values go, formats stay."""
    sheet, box = spreadsheet.resolve(text)
    bounded = sheet.check_box(box, _cells_text(text))
    assert bounded.row1 is not None and bounded.col1 is not None
    keys = [
        key
        for key, cell in sheet.cells.items()
        if bounded.row0 <= key[0] < bounded.row1
        and bounded.col0 <= key[1] < bounded.col1
        and cell.get("userEnteredValue")
    ]
    check_protection(spreadsheet, sheet, keys)
    sheet.clear_values(bounded)
    spreadsheet.touch()
    return {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "clearedRange": spreadsheet.echo(sheet, bounded),
    }


def batch_clear(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``values.batchClear``."""
    ranges = body.get("ranges") or []
    if not isinstance(ranges, list):
        raise ApiError(400, "Invalid value at 'ranges'")
    cleared = []
    saved = copy.deepcopy(spreadsheet.sheets)
    for i, rng in enumerate(ranges):
        try:
            cleared.append(clear(spreadsheet, rng)["clearedRange"])
        except ApiError as err:
            spreadsheet.sheets = saved
            err.message = f"Invalid range[{i}]: {err.message}"
            raise
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if cleared:
        answer["clearedRanges"] = cleared
    return answer


def batch_update_answer(
    spreadsheet: Spreadsheet, responses: list[dict[str, Any]], touched: set[int]
) -> dict[str, Any]:
    """A values batch update's answer: totals over its responses, zeros left out as Google does."""
    totals = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
        "totalUpdatedColumns": max((r.get("updatedColumns", 0) for r in responses), default=0),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len(touched),
    }
    answer: dict[str, Any] = {k: v for k, v in totals.items() if v}
    if responses:
        answer["responses"] = responses
    return answer
