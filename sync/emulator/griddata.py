"""``spreadsheets.get``: the Spreadsheet resource, with grid data and field masks when asked.

Google includes grid data when ``includeGridData=true`` or when the field mask reaches into
``sheets.data``; ``ranges=`` limits both the tabs returned and the cells in them.
"""

from __future__ import annotations

import copy
from typing import Any

from . import cells as cellmod
from .a1 import CellBox
from .fieldmask import mask_mentions, parse_mask, select
from .state import DEFAULT_PROPERTIES, Sheet, Spreadsheet

__all__ = ["cell_json", "spreadsheet_json"]

_ROW_PIXELS = 21
_COLUMN_PIXELS = 100


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def cell_json(cell: cellmod.Cell) -> dict[str, Any]:
    """A stored cell as ``CellData``: entered and effective value, formatted text, formats."""
    out: dict[str, Any] = {}
    entered = cell.get("userEnteredValue")
    if entered:
        out["userEnteredValue"] = dict(entered)
        effective = cellmod.effective_value(cell)
        if effective is not None:
            out["effectiveValue"] = effective
        formatted = cellmod.formatted_value(cell)
        if formatted:
            out["formattedValue"] = formatted
        link = cellmod.hyperlink(cell)
        if link:
            out["hyperlink"] = link
    if cell.get("userEnteredFormat"):
        out["userEnteredFormat"] = copy.deepcopy(cell["userEnteredFormat"])
    if entered:
        out["effectiveFormat"] = _merged(
            DEFAULT_PROPERTIES["defaultFormat"], cell.get("userEnteredFormat") or {}
        )
    for key in ("dataValidation", "note", "textFormatRuns"):
        if cell.get(key):
            out[key] = copy.deepcopy(cell[key])
    return out


def _grid_data(sheet: Sheet, box: CellBox) -> dict[str, Any]:
    assert box.row1 is not None and box.col1 is not None
    inside = {
        key: cell
        for key, cell in sheet.cells.items()
        if box.row0 <= key[0] < box.row1 and box.col0 <= key[1] < box.col1
    }
    data: dict[str, Any] = {}
    if box.row0:
        data["startRow"] = box.row0
    if box.col0:
        data["startColumn"] = box.col0
    if inside:
        last_col: dict[int, int] = {}
        for r, c in inside:
            last_col[r] = max(c, last_col.get(r, c))
        row_data: list[dict[str, Any]] = []
        for r in range(box.row0, max(last_col) + 1):
            if r not in last_col:
                row_data.append({})
                continue
            values = [cell_json(inside.get((r, c), {})) for c in range(box.col0, last_col[r] + 1)]
            row_data.append({"values": values})
        data["rowData"] = row_data
    data["rowMetadata"] = [
        {"pixelSize": _ROW_PIXELS} | sheet.row_meta.get(r, {}) | _tags(sheet, "ROWS", r)
        for r in range(box.row0, box.row1)
    ]
    data["columnMetadata"] = [
        {"pixelSize": _COLUMN_PIXELS} | sheet.col_meta.get(c, {}) | _tags(sheet, "COLUMNS", c)
        for c in range(box.col0, box.col1)
    ]
    return data


def _tags(sheet: Sheet, axis: str, index: int) -> dict[str, Any]:
    found = []
    for entry in sheet.developer_metadata:
        dimension = entry["location"].get("dimensionRange")
        if dimension and dimension["dimension"] == axis:
            if dimension["startIndex"] <= index < dimension["endIndex"]:
                found.append(copy.deepcopy(entry))
    return {"developerMetadata": found} if found else {}


def spreadsheet_json(
    spreadsheet: Spreadsheet,
    ranges: list[str],
    include_grid_data: bool,
    fields: str | None,
) -> dict[str, Any]:
    """The answer to ``spreadsheets.get`` for these query parameters."""
    mask = parse_mask(fields) if fields else None
    with_data = mask_mentions(mask, "sheets", "data") if mask is not None else include_grid_data
    wanted: dict[int, list[CellBox]] = {}
    for text in ranges:
        sheet, box = spreadsheet.resolve(text)
        wanted.setdefault(sheet.sheet_id, []).append(sheet.check_box(box))
    answer = spreadsheet.to_json()
    sheets_out = []
    for sheet, sheet_json in zip(
        sorted(spreadsheet.sheets, key=lambda s: s.index), answer["sheets"], strict=True
    ):
        if ranges and sheet.sheet_id not in wanted:
            continue
        if with_data:
            boxes = wanted.get(sheet.sheet_id) or [CellBox(0, 0, sheet.rows, sheet.cols)]
            sheet_json["data"] = [_grid_data(sheet, box) for box in boxes]
        sheets_out.append(sheet_json)
    answer["sheets"] = sheets_out
    if mask is not None:
        answer = select(answer, mask)
    return answer
