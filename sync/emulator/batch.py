"""``spreadsheets.batchUpdate``: dispatch, atomicity, and the requests that shape tabs.

Requests run in order against a copy of the spreadsheet; the copy replaces the original only
when all of them succeed, because Google applies a batch atomically. Cell-level requests live in
:mod:`sync.emulator.batch_cells`, developer metadata in :mod:`sync.emulator.metadata`.
"""

from __future__ import annotations

import copy
from typing import Any

from . import grid
from .batch_cells import CELL_REQUESTS, Handler, color
from .errors import ApiError, bad_request
from .fieldmask import apply_update, parse_mask
from .metadata import METADATA_REQUESTS
from .state import Sheet, Spreadsheet
from .store import Store

__all__ = ["SUPPORTED_REQUESTS", "apply_batch", "copy_sheet_to"]


def _add_sheet(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    props = req.get("properties", {})
    title = props.get("title") or f"Sheet{len(spreadsheet.sheets) + 1}"
    if spreadsheet.sheet_by_title(title):
        raise bad_request(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = store.new_sheet_id(spreadsheet)
    elif any(s.sheet_id == sheet_id for s in spreadsheet.sheets):
        raise bad_request(f"Sheet with id {sheet_id} already exists.")
    gp = props.get("gridProperties", {})
    index = int(props.get("index", len(spreadsheet.sheets)))
    for other in spreadsheet.sheets:
        if other.index >= index:
            other.index += 1
    sheet = Sheet(
        int(sheet_id),
        title,
        index=index,
        rows=int(gp.get("rowCount", 1000)),
        cols=int(gp.get("columnCount", 26)),
        frozen_rows=int(gp.get("frozenRowCount", 0)),
        frozen_cols=int(gp.get("frozenColumnCount", 0)),
        hidden=bool(props.get("hidden", False)),
    )
    spreadsheet.sheets.append(sheet)
    spreadsheet.reindex()
    return {"addSheet": {"properties": sheet.properties()}}


def _delete_sheet(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(int(req.get("sheetId", 0)))
    if len(spreadsheet.sheets) == 1:
        raise bad_request("You can't remove all the sheets in a document.")
    spreadsheet.sheets.remove(sheet)
    spreadsheet.reindex()
    return {}


def _update_sheet_properties(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    props = req.get("properties", {})
    sheet = spreadsheet.sheet_by_id(int(props.get("sheetId", 0)))
    current = sheet.properties()
    current.setdefault("gridProperties", {})
    apply_update(current, props, parse_mask(req.get("fields", "")))
    title = current.get("title", sheet.title)
    clash = spreadsheet.sheet_by_title(title)
    if clash is not None and clash is not sheet:
        raise bad_request(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    gp = current.get("gridProperties", {})
    rows, cols = int(gp.get("rowCount", sheet.rows)), int(gp.get("columnCount", sheet.cols))
    frozen_rows, frozen_cols = int(gp.get("frozenRowCount", 0)), int(gp.get("frozenColumnCount", 0))
    if frozen_rows >= rows or frozen_cols >= cols:
        noun = "rows" if frozen_rows >= rows else "columns"
        raise bad_request(f"You can't freeze all visible {noun} on the sheet.")
    if rows < sheet.rows:
        grid.delete_dimension(sheet, "ROWS", rows, sheet.rows)
    if cols < sheet.cols:
        grid.delete_dimension(sheet, "COLUMNS", cols, sheet.cols)
    sheet.title = title
    sheet.rows, sheet.cols = rows, cols
    sheet.frozen_rows, sheet.frozen_cols = frozen_rows, frozen_cols
    sheet.hidden = bool(current.get("hidden", False))
    style = current.get("tabColorStyle") or {}
    tab_color = style.get("rgbColor") if "tabColorStyle" in props else current.get("tabColor")
    sheet.tab_color = color(tab_color) if tab_color else None
    if "index" in current and current["index"] != sheet.index:
        _move(spreadsheet, sheet, int(current["index"]))
    return {}


def _move(spreadsheet: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Move a tab; like Google, ``index`` counts positions before the move."""
    ordered = sorted(spreadsheet.sheets, key=lambda s: s.index)
    old = ordered.index(sheet)
    ordered.remove(sheet)
    ordered.insert(index if index <= old else index - 1, sheet)
    for i, tab in enumerate(ordered):
        tab.index = i
    spreadsheet.reindex()


def _update_spreadsheet_properties(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    current = {"title": spreadsheet.title, "locale": spreadsheet.locale}
    current["timeZone"] = spreadsheet.time_zone
    apply_update(current, req.get("properties", {}), parse_mask(req.get("fields", "")))
    spreadsheet.title = current.get("title", spreadsheet.title)
    spreadsheet.locale = current.get("locale", spreadsheet.locale)
    spreadsheet.time_zone = current.get("timeZone", spreadsheet.time_zone)
    return {}


def _dimension(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, str, int, int | None]:
    sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
    axis = rng.get("dimension", "ROWS")
    if axis not in ("ROWS", "COLUMNS"):
        raise bad_request("Invalid dimension: must be ROWS or COLUMNS")
    end = rng.get("endIndex")
    return sheet, axis, int(rng.get("startIndex", 0)), None if end is None else int(end)


def _append_dimension(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(int(req.get("sheetId", 0)))
    length = int(req.get("length", 0))
    if length <= 0:
        raise bad_request("length must be positive.")
    if req.get("dimension", "ROWS") == "ROWS":
        sheet.rows += length
    else:
        sheet.cols += length
    return {}


def _insert_dimension(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, axis, start, end = _dimension(spreadsheet, req.get("range", {}))
    grid.insert_dimension(sheet, axis, start, end or start, bool(req.get("inheritFromBefore")))
    return {}


def _delete_dimension(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, axis, start, end = _dimension(spreadsheet, req.get("range", {}))
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    grid.delete_dimension(sheet, axis, start, limit if end is None else end)
    return {}


def _move_dimension(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, axis, start, end = _dimension(spreadsheet, req.get("source", {}))
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    grid.move_dimension(
        sheet, axis, start, limit if end is None else end, int(req.get("destinationIndex", 0))
    )
    return {}


def _update_dimension_properties(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    sheet, axis, start, end = _dimension(spreadsheet, req.get("range", {}))
    meta = sheet.row_meta if axis == "ROWS" else sheet.col_meta
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    mask = parse_mask(req.get("fields", "*"))
    for i in range(start, limit if end is None else end):
        current = meta.get(i, {})
        apply_update(current, req.get("properties", {}), mask)
        meta[i] = current
    return {}


def _no_op(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    for key in ("dimensions", "range"):
        if isinstance(req.get(key), dict):
            spreadsheet.sheet_by_id(int(req[key].get("sheetId", 0)))
    return {}


def _duplicate_sheet(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    source = spreadsheet.sheet_by_id(int(req.get("sourceSheetId", 0)))
    title = req.get("newSheetName") or f"Copy of {source.title}"
    if spreadsheet.sheet_by_title(title):
        raise bad_request(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    copied = copy.deepcopy(source)
    copied.sheet_id = int(req.get("newSheetId") or store.new_sheet_id(spreadsheet))
    copied.title = title
    index = int(req.get("insertSheetIndex", len(spreadsheet.sheets)))
    for other in spreadsheet.sheets:
        if other.index >= index:
            other.index += 1
    copied.index = index
    for protected in copied.protected_ranges:
        protected["protectedRangeId"] = store.rng.randrange(1, 2**31 - 1)
    spreadsheet.sheets.append(copied)
    spreadsheet.reindex()
    return {"duplicateSheet": {"properties": copied.properties()}}


def copy_sheet_to(
    store: Store, source: Spreadsheet, sheet_id: int, target: Spreadsheet
) -> dict[str, Any]:
    """``sheets.copyTo``: the tab lands last in ``target`` as "Copy of <title>"."""
    sheet = source.sheet_by_id(sheet_id)
    copied = copy.deepcopy(sheet)
    copied.sheet_id = store.new_sheet_id(target)
    title, n = f"Copy of {sheet.title}", 2
    while target.sheet_by_title(title):
        title, n = f"Copy of {sheet.title} {n}", n + 1
    copied.title, copied.index = title, len(target.sheets)
    copied.protected_ranges, copied.developer_metadata = [], []
    target.sheets.append(copied)
    target.touch()
    return copied.properties()


def _row_group_range(spreadsheet: Spreadsheet, req: dict[str, Any]) -> tuple[Sheet, int, int]:
    sheet, axis, start, end = _dimension(spreadsheet, req.get("range", {}))
    if axis != "ROWS":
        raise bad_request("The emulator groups rows only.")
    if end is None or not 0 <= start < end <= sheet.rows:
        raise bad_request("range out of bounds")
    return sheet, start, end


def _add_dimension_group(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, start, end = _row_group_range(spreadsheet, req)
    for row in range(start, end):
        sheet.row_depths[row] = sheet.row_depths.get(row, 0) + 1
    return {"addDimensionGroup": {"dimensionGroups": sheet.row_groups()}}


def _delete_dimension_group(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    sheet, start, end = _row_group_range(spreadsheet, req)
    if not any(sheet.row_depths.get(row, 0) for row in range(start, end)):
        raise bad_request("No grouping to remove.")
    for row in range(start, end):
        if sheet.row_depths.get(row, 0):
            sheet.row_depths[row] -= 1
    sheet.row_depths = {row: depth for row, depth in sheet.row_depths.items() if depth}
    return {"deleteDimensionGroup": {"dimensionGroups": sheet.row_groups()}}


SHEET_REQUESTS: dict[str, Handler] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "duplicateSheet": _duplicate_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "appendDimension": _append_dimension,
    "insertDimension": _insert_dimension,
    "deleteDimension": _delete_dimension,
    "moveDimension": _move_dimension,
    "updateDimensionProperties": _update_dimension_properties,
    "addDimensionGroup": _add_dimension_group,
    "deleteDimensionGroup": _delete_dimension_group,
    "autoResizeDimensions": _no_op,
}

SUPPORTED_REQUESTS: dict[str, Handler] = SHEET_REQUESTS | CELL_REQUESTS | METADATA_REQUESTS


def apply_batch(store: Store, spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Run every request of a batchUpdate body; all or nothing. Returns the API's answer."""
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise bad_request("Must specify at least one request.")
    work = copy.deepcopy(spreadsheet)
    replies = []
    for position, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise bad_request(
                f"Invalid requests[{position}]: exactly one kind of request is required."
            )
        ((kind, payload),) = request.items()
        handler = SUPPORTED_REQUESTS.get(kind)
        if handler is None:
            raise bad_request(
                "Invalid JSON payload received. "
                f"Unknown name \"{kind}\" at 'requests[{position}]': Cannot find field."
            )
        try:
            replies.append(handler(store, work, payload or {}))
        except ApiError as err:
            if err.code == 400:
                err.message = f"Invalid requests[{position}].{kind}: {err.message}"
            raise
    spreadsheet.__dict__.update(work.__dict__)
    spreadsheet.touch()
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        answer["updatedSpreadsheet"] = spreadsheet.to_json()
    return answer
