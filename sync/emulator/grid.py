"""Structural edits of a tab: inserting, deleting and sorting rows or columns.

Both ``batchUpdate`` requests and the person-at-the-keyboard helpers of the emulator go through
these functions, so a row inserted "by hand" between two API calls moves cells, notes, formats,
validation, protected ranges and conditional formats exactly as a requested one would.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from . import cells as cellmod
from .errors import bad_request
from .state import Sheet

__all__ = ["delete_dimension", "insert_dimension", "move_dimension", "sort_rows"]

_INHERITED = ("userEnteredFormat", "dataValidation")


def _shift_range(rng: dict[str, Any], axis: str, start: int, delta: int) -> dict[str, Any] | None:
    """Move a GridRange for an insert (delta > 0) or delete (delta < 0) at ``start``."""
    lo_key, hi_key = (
        ("startRowIndex", "endRowIndex")
        if axis == "ROWS"
        else ("startColumnIndex", "endColumnIndex")
    )
    out = dict(rng)
    if lo_key not in out and hi_key not in out:
        return out
    lo = out.get(lo_key, 0)
    hi = out.get(hi_key)
    if delta > 0:
        if lo >= start:
            lo += delta
        if hi is not None and hi > start:
            hi += delta
    else:
        end = start - delta

        def moved(i: int) -> int:
            return i if i <= start else (start if i <= end else i + delta)

        lo, hi = moved(lo), (None if hi is None else moved(hi))
        if hi is not None and hi <= lo:
            return None
    out[lo_key] = lo
    if hi is not None:
        out[hi_key] = hi
    return out


def _shift_anchors(sheet: Sheet, axis: str, start: int, delta: int) -> None:
    kept_protected = []
    for protected in sheet.protected_ranges:
        moved = _shift_range(protected["range"], axis, start, delta)
        if moved is not None:
            kept_protected.append(protected | {"range": moved})
    sheet.protected_ranges = kept_protected
    kept_rules = []
    for rule in sheet.conditional_formats:
        shifted = (_shift_range(g, axis, start, delta) for g in rule["ranges"])
        ranges = [r for r in shifted if r is not None]
        if ranges:
            kept_rules.append(rule | {"ranges": ranges})
    sheet.conditional_formats = kept_rules
    merges = (_shift_range(g, axis, start, delta) for g in sheet.merges)
    sheet.merges = [m for m in merges if m is not None]
    kept_metadata = []
    for entry in sheet.developer_metadata:
        dimension = entry["location"].get("dimensionRange")
        if dimension is None or dimension["dimension"] != axis:
            kept_metadata.append(entry)
            continue
        as_range = {"startRowIndex": dimension["startIndex"], "endRowIndex": dimension["endIndex"]}
        moved = _shift_range(as_range, "ROWS", start, delta)
        if moved is not None:
            dimension["startIndex"] = moved.get("startRowIndex", 0)
            dimension["endIndex"] = moved["endRowIndex"]
            kept_metadata.append(entry)
    sheet.developer_metadata = kept_metadata


def _shift_meta(meta: dict[int, Any], start: int, delta: int) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for i, value in meta.items():
        if i < start:
            out[i] = value
        elif delta > 0:
            out[i + delta] = value
        elif i >= start - delta:
            out[i + delta] = value
    return out


def insert_dimension(
    sheet: Sheet, axis: str, start: int, end: int, inherit_from_before: bool = False
) -> None:
    """Insert ``end - start`` empty rows or columns before index ``start``.

    New rows take the formats and validation of the row before (``inherit_from_before``) or
    after, as rows inserted in the Sheets UI do.
    """
    count = end - start
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    if count <= 0 or start < 0 or start > limit:
        raise bad_request("range out of bounds")
    if axis == "ROWS" and start == 0 and inherit_from_before:
        raise bad_request("Cannot inherit properties from before the first row.")
    moved: dict[tuple[int, int], cellmod.Cell] = {}
    for (r, c), cell in sheet.cells.items():
        index = r if axis == "ROWS" else c
        if index >= start:
            key = (r + count, c) if axis == "ROWS" else (r, c + count)
        else:
            key = (r, c)
        moved[key] = cell
    source = start - 1 if inherit_from_before else start + count
    for (r, c), cell in list(moved.items()):
        index = r if axis == "ROWS" else c
        inherited = {k: cell[k] for k in _INHERITED if k in cell}
        if index == source and inherited:
            for i in range(start, end):
                key = (i, c) if axis == "ROWS" else (r, i)
                moved[key] = copy.deepcopy(inherited)
    sheet.cells = moved
    if axis == "ROWS":
        sheet.rows += count
        if start < sheet.frozen_rows:
            sheet.frozen_rows += count
        sheet.row_meta = _shift_meta(sheet.row_meta, start, count)
        sheet.row_depths = _shift_meta(sheet.row_depths, start, count)
    else:
        sheet.cols += count
        if start < sheet.frozen_cols:
            sheet.frozen_cols += count
        sheet.col_meta = _shift_meta(sheet.col_meta, start, count)
    _shift_anchors(sheet, axis, start, count)


def delete_dimension(sheet: Sheet, axis: str, start: int, end: int) -> None:
    """Delete rows or columns ``[start, end)``; Sheets refuses to delete every unfrozen row."""
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    end = min(end, limit)
    count = end - start
    if count <= 0 or start < 0:
        raise bad_request("range out of bounds")
    frozen = sheet.frozen_rows if axis == "ROWS" else sheet.frozen_cols
    if limit - count <= frozen and count >= limit - frozen:
        noun = "rows" if axis == "ROWS" else "columns"
        raise bad_request(f"Sorry, it is not possible to delete all non-frozen {noun}.")
    kept: dict[tuple[int, int], cellmod.Cell] = {}
    for (r, c), cell in sheet.cells.items():
        index = r if axis == "ROWS" else c
        if start <= index < end:
            continue
        if index >= end:
            key = (r - count, c) if axis == "ROWS" else (r, c - count)
        else:
            key = (r, c)
        kept[key] = cell
    sheet.cells = kept
    if axis == "ROWS":
        sheet.rows -= count
        sheet.frozen_rows = min(sheet.frozen_rows, sheet.rows - 1)
        sheet.row_meta = _shift_meta(sheet.row_meta, start, -count)
        sheet.row_depths = _shift_meta(sheet.row_depths, start, -count)
    else:
        sheet.cols -= count
        sheet.frozen_cols = min(sheet.frozen_cols, sheet.cols - 1)
        sheet.col_meta = _shift_meta(sheet.col_meta, start, -count)
    _shift_anchors(sheet, axis, start, -count)


def move_dimension(sheet: Sheet, axis: str, start: int, end: int, destination: int) -> None:
    """Move rows or columns ``[start, end)`` to ``destination``, an index counted before the
    move as Google counts it (moving row 0 below row 1 is destination 2).

    Cells, row or column properties and row or column metadata travel with the moved lines,
    as they do when a person drags rows; other anchored ranges keep their positions.
    """
    limit = sheet.rows if axis == "ROWS" else sheet.cols
    if not 0 <= start < end <= limit or not 0 <= destination <= limit:
        raise bad_request("range out of bounds")
    if start <= destination <= end:
        return
    order = list(range(limit))
    rest = order[:start] + order[end:]
    at = destination if destination < start else destination - (end - start)
    new_order = rest[:at] + order[start:end] + rest[at:]
    position = {old: new for new, old in enumerate(new_order)}
    if axis == "ROWS":
        sheet.cells = {(position[r], c): cell for (r, c), cell in sheet.cells.items()}
        sheet.row_meta = {position[i]: meta for i, meta in sheet.row_meta.items()}
        sheet.row_depths = {position[i]: depth for i, depth in sheet.row_depths.items()}
    else:
        sheet.cells = {(r, position[c]): cell for (r, c), cell in sheet.cells.items()}
        sheet.col_meta = {position[i]: meta for i, meta in sheet.col_meta.items()}
    for entry in sheet.developer_metadata:
        dimension = entry["location"].get("dimensionRange")
        if dimension is None or dimension["dimension"] != axis:
            continue
        moved = [position[i] for i in range(dimension["startIndex"], dimension["endIndex"])]
        dimension["startIndex"], dimension["endIndex"] = min(moved), max(moved) + 1


def _sort_key(cell: cellmod.Cell | None) -> tuple[int, Any]:
    """Sheets' order: numbers, then text (case-insensitive), then booleans, blanks last."""
    value = cellmod.effective_value(cell) if cell else None
    if not value:
        return (3, 0)
    if "numberValue" in value:
        return (0, float(value["numberValue"]))
    if "stringValue" in value:
        return (1, str(value["stringValue"]).lower())
    if "boolValue" in value:
        return (2, bool(value["boolValue"]))
    return (3, 0)


def sort_rows(
    sheet: Sheet,
    row0: int,
    row1: int,
    col0: int,
    col1: int,
    specs: list[tuple[int, bool]],
) -> None:
    """Sort rows ``[row0, row1)`` of columns ``[col0, col1)`` by ``(column, ascending)`` specs.

    Blank cells always sort last, whatever the direction, as they do in Sheets. Only cell
    contents move: row properties and row metadata stay with their positions.
    """
    rows = list(range(row0, min(row1, sheet.rows)))
    snapshot = {r: {c: sheet.cells.get((r, c)) for c in range(col0, col1)} for r in rows}

    def compare(a: int, b: int) -> int:
        for column, ascending in specs:
            ka, kb = _sort_key(snapshot[a][column]), _sort_key(snapshot[b][column])
            if ka == kb:
                continue
            if ka[0] == 3 or kb[0] == 3:
                return 1 if ka[0] == 3 else -1
            less = ka < kb
            return (-1 if less else 1) * (1 if ascending else -1)
        return 0

    ordered = sorted(rows, key=functools.cmp_to_key(compare))
    for target, source in zip(rows, ordered, strict=True):
        for c in range(col0, col1):
            cell = snapshot[source][c]
            if cell is None:
                sheet.cells.pop((target, c), None)
            else:
                sheet.cells[(target, c)] = cell
