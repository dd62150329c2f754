"""``spreadsheets.batchUpdate``: the structural and formatting requests okrtree sends.

Requests run in order against a copy of the spreadsheet; the copy replaces the original only
when all of them succeed, because Google applies a batch atomically.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import grid
from .a1 import CellBox
from .errors import ApiError, bad_request
from .fieldmask import apply_update, parse_mask
from .state import Sheet, Spreadsheet, Store, grid_range_json

__all__ = ["SUPPORTED_REQUESTS", "apply_batch", "normalise_format"]

Handler = Callable[[Store, Spreadsheet, dict[str, Any]], dict[str, Any]]
_COLOR_FIELDS = (("backgroundColor", "backgroundColorStyle"),)
_TEXT_COLOR_FIELDS = (("foregroundColor", "foregroundColorStyle"),)


def _mirror_colors(fmt: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> None:
    for plain, styled in pairs:
        if plain in fmt and styled not in fmt:
            fmt[styled] = {"rgbColor": fmt[plain]}
        elif styled in fmt and plain not in fmt and "rgbColor" in fmt[styled]:
            fmt[plain] = fmt[styled]["rgbColor"]


def normalise_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """Add the ``*Style`` twins of colours as Google does when it stores a format."""
    fmt = copy.deepcopy(fmt)
    _mirror_colors(fmt, _COLOR_FIELDS)
    if isinstance(fmt.get("textFormat"), dict):
        _mirror_colors(fmt["textFormat"], _TEXT_COLOR_FIELDS)
    return fmt


def _twin(node: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> None:
    for plain, styled in pairs:
        if plain in node:
            node.setdefault(styled, {})
        elif styled in node:
            node.setdefault(plain, {})


def _linked_colors(tree: dict[str, Any]) -> dict[str, Any]:
    """A colour and its ``*Style`` twin are one setting: masking either updates both."""
    fmt = tree.get("userEnteredFormat")
    if fmt:
        _twin(fmt, _COLOR_FIELDS)
        if fmt.get("textFormat"):
            _twin(fmt["textFormat"], _TEXT_COLOR_FIELDS)
    return tree


def _open_box(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, CellBox]:
    """A request's GridRange as a box, open sides kept open, checked against the grid."""
    sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
    box = CellBox(
        int(rng.get("startRowIndex", 0)),
        int(rng.get("startColumnIndex", 0)),
        rng.get("endRowIndex"),
        rng.get("endColumnIndex"),
    )
    sheet.check_box(box)
    return sheet, box


def _box(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, CellBox]:
    """A request's GridRange bounded to the grid."""
    sheet, box = _open_box(spreadsheet, rng)
    return sheet, box.bounded(sheet.rows, sheet.cols)


def _cells_in(box: CellBox) -> list[tuple[int, int]]:
    assert box.row1 is not None and box.col1 is not None
    return [(r, c) for r in range(box.row0, box.row1) for c in range(box.col0, box.col1)]


def _write_cell(sheet: Sheet, key: tuple[int, int], data: dict[str, Any], mask: str) -> None:
    source = dict(data)
    if "userEnteredFormat" in source:
        source["userEnteredFormat"] = normalise_format(source["userEnteredFormat"])
    cell = sheet.cells.get(key, {})
    apply_update(cell, source, _linked_colors(parse_mask(mask)))
    if cell:
        sheet.cells[key] = cell
    else:
        sheet.cells.pop(key, None)


def _add_sheet(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    props = req.get("properties", {})
    title = props.get("title") or f"Sheet{len(spreadsheet.sheets) + 1}"
    if spreadsheet.sheet_by_title(title):
        raise bad_request(
            f'Invalid requests[0].addSheet: A sheet with the name "{title}" already exists. '
            "Please enter another name."
        )
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = store.new_sheet_id(spreadsheet)
    elif any(s.sheet_id == sheet_id for s in spreadsheet.sheets):
        raise bad_request(f"Invalid requests[0].addSheet: Sheet with id {sheet_id} already exists.")
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
        raise bad_request(
            "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
        )
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
            f'Invalid requests[0].updateSheetProperties: A sheet with the name "{title}" '
            "already exists. Please enter another name."
        )
    gp = current.get("gridProperties", {})
    rows, cols = int(gp.get("rowCount", sheet.rows)), int(gp.get("columnCount", sheet.cols))
    if rows < sheet.rows:
        grid.delete_dimension(sheet, "ROWS", rows, sheet.rows)
    if cols < sheet.cols:
        grid.delete_dimension(sheet, "COLUMNS", cols, sheet.cols)
    sheet.title = title
    sheet.rows, sheet.cols = rows, cols
    sheet.frozen_rows = int(gp.get("frozenRowCount", 0))
    sheet.frozen_cols = int(gp.get("frozenColumnCount", 0))
    sheet.hidden = bool(current.get("hidden", False))
    sheet.tab_color = current.get("tabColor")
    if "index" in current and current["index"] != sheet.index:
        spreadsheet.sheets.remove(sheet)
        spreadsheet.sheets.insert(int(current["index"]), sheet)
        for i, tab in enumerate(spreadsheet.sheets):
            tab.index = i
    return {}


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


def _repeat_cell(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    for key in _cells_in(box):
        _write_cell(sheet, key, req.get("cell", {}), req.get("fields", "*"))
    return {}


def _update_cells(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    fields = req.get("fields", "*")
    rows = req.get("rows", [])
    if "start" in req:
        start = req["start"]
        sheet = spreadsheet.sheet_by_id(int(start.get("sheetId", 0)))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        width = max((len(row.get("values", [])) for row in rows), default=0)
        sheet.check_box(CellBox(r0, c0, r0 + len(rows), c0 + width))
        targets = None
    else:
        sheet, box = _box(spreadsheet, req.get("range", {}))
        r0, c0 = box.row0, box.col0
        targets = _cells_in(box)
    written = set()
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values", [])):
            _write_cell(sheet, (r0 + i, c0 + j), data, fields)
            written.add((r0 + i, c0 + j))
    for key in targets or []:
        if key not in written:
            _write_cell(sheet, key, {}, fields)
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
        raise bad_request("Invalid requests[0].appendDimension: length must be positive.")
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


def _set_data_validation(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    rule = req.get("rule")
    for key in _cells_in(box):
        _write_cell(sheet, key, {"dataValidation": rule} if rule else {}, "dataValidation")
    return {}


def _add_protected_range(
    store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    wanted = dict(req.get("protectedRange", {}))
    sheet, box = _open_box(spreadsheet, wanted.get("range", {}))
    protected: dict[str, Any] = {
        "protectedRangeId": store.rng.randrange(1, 2**31 - 1),
        "range": grid_range_json(sheet.sheet_id, box),
    }
    for key in ("description", "warningOnly", "unprotectedRanges"):
        if wanted.get(key):
            protected[key] = wanted[key]
    protected["requestingUserCanEdit"] = True
    requested = copy.deepcopy(wanted.get("editors") or {})
    editors = copy.deepcopy(requested)
    editors["users"] = [
        store.account,
        *[u for u in requested.get("users", []) if u != store.account],
    ]
    sheet.protected_ranges.append(protected | {"editors": editors})
    return {"addProtectedRange": {"protectedRange": protected | {"editors": requested}}}


def _add_conditional_format_rule(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    rule = copy.deepcopy(req.get("rule", {}))
    ranges = rule.get("ranges") or []
    if not ranges:
        raise bad_request("Invalid requests[0].addConditionalFormatRule: No ranges specified.")
    sheet = _open_box(spreadsheet, ranges[0])[0]
    rule["ranges"] = [grid_range_json(sheet.sheet_id, _open_box(spreadsheet, r)[1]) for r in ranges]
    sheet.conditional_formats.insert(int(req.get("index", 0)), rule)
    return {}


def _create_developer_metadata(
    store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    metadata = copy.deepcopy(req.get("developerMetadata", {}))
    metadata.setdefault("metadataId", store.rng.randrange(1, 2**31 - 1))
    metadata.setdefault("visibility", "DOCUMENT")
    location = metadata.get("location", {})
    if location.get("spreadsheet"):
        metadata["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        spreadsheet.developer_metadata.append(metadata)
    elif "sheetId" in location:
        sheet = spreadsheet.sheet_by_id(int(location["sheetId"]))
        metadata["location"] = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        sheet.developer_metadata.append(metadata)
    else:
        raise bad_request("Invalid requests[0].createDeveloperMetadata: location is required.")
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def _sort_range(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    assert box.row1 is not None and box.col1 is not None
    specs = [
        (int(s.get("dimensionIndex", 0)), s.get("sortOrder", "ASCENDING") != "DESCENDING")
        for s in req.get("sortSpecs", [])
    ]
    grid.sort_rows(sheet, box.row0, box.row1, box.col0, box.col1, specs)
    return {}


def _no_op(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    for key in ("dimensions", "range"):
        if isinstance(req.get(key), dict):
            spreadsheet.sheet_by_id(int(req[key].get("sheetId", 0)))
    return {}


SUPPORTED_REQUESTS: dict[str, Handler] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "repeatCell": _repeat_cell,
    "updateCells": _update_cells,
    "appendDimension": _append_dimension,
    "insertDimension": _insert_dimension,
    "deleteDimension": _delete_dimension,
    "updateDimensionProperties": _update_dimension_properties,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "createDeveloperMetadata": _create_developer_metadata,
    "sortRange": _sort_range,
    "autoResizeDimensions": _no_op,
}


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
            err.message = err.message.replace("requests[0]", f"requests[{position}]")
            raise
    spreadsheet.__dict__.update(work.__dict__)
    spreadsheet.touch()
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        answer["updatedSpreadsheet"] = spreadsheet.to_json()
    return answer
