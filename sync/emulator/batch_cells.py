"""batchUpdate requests that act on cells and ranges: formats, values, validation,
protection, conditional formats, merges, filters and sorting.

Cells are ``CellData`` dicts, so every request here is a field-mask update of some cells.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import grid
from .a1 import CellBox
from .errors import bad_request
from .fieldmask import apply_update, parse_mask
from .state import Sheet, Spreadsheet, grid_range_json
from .store import Store
from .values import check_protection

__all__ = ["CELL_REQUESTS", "Handler", "color", "normalise_format"]

Handler = Callable[[Store, Spreadsheet, dict[str, Any]], dict[str, Any]]
_COLOR_FIELDS = (("backgroundColor", "backgroundColorStyle"),)
_TEXT_COLOR_FIELDS = (("foregroundColor", "foregroundColorStyle"),)


def color(value: dict[str, Any]) -> dict[str, Any]:
    """A ``Color`` as Google prints it: zero channels left out (proto3 defaults)."""
    return {k: v for k, v in value.items() if v}


def _mirror_colors(fmt: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> None:
    for plain, styled in pairs:
        if plain in fmt:
            fmt[plain] = color(fmt[plain])
        if isinstance(fmt.get(styled), dict) and "rgbColor" in fmt[styled]:
            fmt[styled]["rgbColor"] = color(fmt[styled]["rgbColor"])
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
    sheet, box = spreadsheet.grid_range(rng)
    sheet.clamp_grid_range(box)
    return sheet, box


def _echo_range(rng: dict[str, Any]) -> dict[str, int]:
    """A GridRange as Google stores it: the fields the caller set, ``sheetId`` 0 left out."""
    return {k: int(v) for k, v in rng.items() if v is not None and (k != "sheetId" or v)}


def _box(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, CellBox]:
    """A request's GridRange bounded to the grid."""
    sheet, box = _open_box(spreadsheet, rng)
    return sheet, sheet.clamp_grid_range(box)


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


def _repeat_cell(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    check_protection(spreadsheet, sheet, _cells_in(box))
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
    keys = [
        (r0 + i, c0 + j) for i, row in enumerate(rows) for j in range(len(row.get("values", [])))
    ]
    check_protection(spreadsheet, sheet, [*keys, *(targets or [])])
    written = set()
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values", [])):
            _write_cell(sheet, (r0 + i, c0 + j), data, fields)
            written.add((r0 + i, c0 + j))
    for key in targets or []:
        if key not in written:
            _write_cell(sheet, key, {}, fields)
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
        "range": _echo_range(wanted.get("range", {})),
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
        raise bad_request("No ranges specified.")
    sheet = _open_box(spreadsheet, ranges[0])[0]
    for rng in ranges:
        _open_box(spreadsheet, rng)
    rule["ranges"] = [_echo_range(r) for r in ranges]
    sheet.conditional_formats.insert(int(req.get("index", 0)), rule)
    return {}


def _sort_range(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    assert box.row1 is not None and box.col1 is not None
    specs = [
        (int(s.get("dimensionIndex", 0)), s.get("sortOrder", "ASCENDING") != "DESCENDING")
        for s in req.get("sortSpecs", [])
    ]
    grid.sort_rows(sheet, box.row0, box.row1, box.col0, box.col1, specs)
    return {}


def _append_cells(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(int(req.get("sheetId", 0)))
    rows = req.get("rows", [])
    start = max((r for r, _ in sheet.cells), default=-1) + 1
    width = max((len(row.get("values", [])) for row in rows), default=0)
    sheet.ensure_size(start + len(rows), width)
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values", [])):
            _write_cell(sheet, (start + i, j), data, req.get("fields", "*"))
    return {}


def _merge_cells(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    assert box.row1 is not None and box.col1 is not None
    kind = req.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ROWS":
        pieces = [CellBox(r, box.col0, r + 1, box.col1) for r in range(box.row0, box.row1)]
    elif kind == "MERGE_COLUMNS":
        pieces = [CellBox(box.row0, c, box.row1, c + 1) for c in range(box.col0, box.col1)]
    else:
        pieces = [box]
    for piece in pieces:
        sheet.merges.append(grid_range_json(sheet.sheet_id, piece))
    return {}


def _unmerge_cells(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    assert box.row1 is not None and box.col1 is not None

    def overlaps(merge: dict[str, Any]) -> bool:
        return (
            merge.get("startRowIndex", 0) < box.row1
            and box.row0 < merge.get("endRowIndex", sheet.rows)
            and merge.get("startColumnIndex", 0) < box.col1
            and box.col0 < merge.get("endColumnIndex", sheet.cols)
        )

    sheet.merges = [m for m in sheet.merges if not overlaps(m)]
    return {}


def _update_borders(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, box = _box(spreadsheet, req.get("range", {}))
    assert box.row1 is not None and box.col1 is not None
    for r, c in _cells_in(box):
        sides = {
            "top": req.get("top") if r == box.row0 else req.get("innerHorizontal"),
            "bottom": req.get("bottom") if r == box.row1 - 1 else req.get("innerHorizontal"),
            "left": req.get("left") if c == box.col0 else req.get("innerVertical"),
            "right": req.get("right") if c == box.col1 - 1 else req.get("innerVertical"),
        }
        borders = {k: v for k, v in sides.items() if v}
        if borders:
            mask = ",".join(f"userEnteredFormat.borders.{k}" for k in borders)
            _write_cell(sheet, (r, c), {"userEnteredFormat": {"borders": borders}}, mask)
    return {}


def _set_basic_filter(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    wanted = copy.deepcopy(req.get("filter", {}))
    sheet, box = _open_box(spreadsheet, wanted.get("range", {}))
    wanted["range"] = _echo_range(wanted.get("range", {}))
    sheet.basic_filter = wanted
    return {}


def _clear_basic_filter(_: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    spreadsheet.sheet_by_id(int(req.get("sheetId", 0))).basic_filter = None
    return {}


def _find_protected(spreadsheet: Spreadsheet, protected_id: int) -> tuple[Sheet, int]:
    for sheet in spreadsheet.sheets:
        for i, protected in enumerate(sheet.protected_ranges):
            if protected["protectedRangeId"] == protected_id:
                return sheet, i
    raise bad_request(f"No protected range with id: {protected_id}")


def _delete_protected_range(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    sheet, index = _find_protected(spreadsheet, int(req.get("protectedRangeId", 0)))
    del sheet.protected_ranges[index]
    return {}


def _update_protected_range(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    wanted = req.get("protectedRange", {})
    sheet, index = _find_protected(spreadsheet, int(wanted.get("protectedRangeId", 0)))
    current = copy.deepcopy(sheet.protected_ranges[index])
    apply_update(current, wanted, parse_mask(req.get("fields", "")))
    sheet.protected_ranges[index] = current
    return {}


def _delete_conditional_format_rule(
    _: Store, spreadsheet: Spreadsheet, req: dict[str, Any]
) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(int(req.get("sheetId", 0)))
    index = int(req.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise bad_request(f"No conditional format on sheet {sheet.sheet_id} at index {index}")
    rule = sheet.conditional_formats.pop(index)
    return {"deleteConditionalFormatRule": {"rule": rule}}


CELL_REQUESTS: dict[str, Handler] = {
    "repeatCell": _repeat_cell,
    "updateCells": _update_cells,
    "appendCells": _append_cells,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "updateProtectedRange": _update_protected_range,
    "deleteProtectedRange": _delete_protected_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "deleteConditionalFormatRule": _delete_conditional_format_rule,
    "mergeCells": _merge_cells,
    "unmergeCells": _unmerge_cells,
    "updateBorders": _update_borders,
    "setBasicFilter": _set_basic_filter,
    "clearBasicFilter": _clear_basic_filter,
    "sortRange": _sort_range,
}
