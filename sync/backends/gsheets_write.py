"""Writing a team tab: one `batchUpdate` per spreadsheet, after checking no row moved.

Only the cells the planner names are written, as values (`stringValue`/`numberValue`, never a
formula, so user text starting with `=` stays text), one `updateCells` per run of neighbouring
cells in a row; `appendDimension` comes first in the same request when an output column falls
beyond the grid. Nothing else is sent.

Row safety: a person may insert, delete or sort rows between okrtree's read and its write.
Just before writing, one `values.batchGet` reads the header row and the ID column again; unless
every row to be written still holds the ID it held at the read, and the header is unchanged
(so no column moved either), nothing is written and the team gets `NOT_WRITTEN`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ..google.cells import a1_range, column_letter, extended_value, serial
from ..model import id_key
from ..snapshot import CellValue, Grid, SheetChanges
from ..values import cell_text

__all__ = ["ROWS_MOVED", "check_ranges", "rows_moved", "team_requests"]

ROWS_MOVED = "rows moved since the read; run again"
HEADER_CHANGED = (
    "its header row changed since the read (a column was added, moved or renamed); run again"
)


def _as_checked(value: CellValue | Any) -> Any:
    """A cell as the row check reads it again: a date cell as its serial number."""
    return serial(value) if isinstance(value, dt.date) else value


def _texts(row: list[CellValue] | list[Any]) -> list[str]:
    texts = [cell_text(_as_checked(v)) for v in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def check_ranges(title: str, changes: SheetChanges) -> list[str]:
    """The two A1 ranges to read again before writing: the header row the plan was made from,
    and the ID column down to the last row to be written."""
    header_row = changes.header_row
    last = max([header_row, *changes.expected_ids])
    letter = column_letter(changes.id_column)
    return [
        a1_range(title, f"{header_row}:{header_row}"),
        a1_range(title, f"{letter}1:{letter}{last}"),
    ]


def rows_moved(
    grid: Grid, changes: SheetChanges, header_now: list[list[Any]], ids_now: list[list[Any]]
) -> str | None:
    """Why writing now would be unsafe (the reason for `WriteRefused`), or None."""
    header_row = changes.header_row
    read_header = grid[header_row - 1] if header_row <= len(grid) else []
    if _texts(read_header) != _texts(header_now[0] if header_now else []):
        return HEADER_CHANGED
    column = changes.id_column - 1
    for row, expected in changes.expected_ids.items():
        cells = ids_now[row - 1] if row <= len(ids_now) else []
        now = cell_text(cells[0]) if cells else ""
        read = grid[row - 1] if row <= len(grid) else []
        if column < len(read) and isinstance(read[column], dt.date):  # checked as a serial
            expected = cell_text(_as_checked(read[column]))
        if id_key(now) != id_key(expected):
            return ROWS_MOVED
    return None


def team_requests(sheet_id: int, grid_columns: int, changes: SheetChanges) -> list[dict[str, Any]]:
    """The `batchUpdate` requests applying `changes` to the tab `sheet_id`."""
    requests: list[dict[str, Any]] = []
    widest = max((c.column for c in changes.changes), default=0)
    if widest > grid_columns:
        requests.append(
            {
                "appendDimension": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "length": widest - grid_columns,
                }
            }
        )
    by_row: dict[int, dict[int, Any]] = defaultdict(dict)
    for change in changes.changes:
        by_row[change.row][change.column] = change.value
    for row in sorted(by_row):
        cells = by_row[row]
        columns = sorted(cells)
        start = 0
        for i in range(1, len(columns) + 1):
            if i == len(columns) or columns[i] != columns[i - 1] + 1:
                run = columns[start:i]
                values = []
                for column in run:
                    value = extended_value(cells[column])
                    values.append({"userEnteredValue": value} if value is not None else {})
                requests.append(
                    {
                        "updateCells": {
                            "start": {
                                "sheetId": sheet_id,
                                "rowIndex": row - 1,
                                "columnIndex": run[0] - 1,
                            },
                            "rows": [{"values": values}],
                            "fields": "userEnteredValue",
                        }
                    }
                )
                start = i
    return requests
