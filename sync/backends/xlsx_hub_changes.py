"""How many cells a rewrite of a hub output tab changes, as a person would count them.

A tab is rewritten whole; the count compares what it showed (as read, or as okrtree last wrote it)
with the new table, cell by cell, by what each cell shows (blank text as blank, a date at
midnight as the date). A log's own rows, still the rows read, are not compared one by one.
"""

from __future__ import annotations

import datetime as dt

from ..snapshot import CellValue, Grid, Link, OutputTable

__all__ = ["as_grid", "count_changes"]


def as_grid(table: OutputTable) -> Grid:
    """A table's cells as reading the written tab gives them back (links as their text)."""
    return [
        list(table.header),
        *([v.text if isinstance(v, Link) else v for v in row] for row in table.rows),
    ]


def count_changes(old: Grid | None, table: OutputTable) -> int:
    """Cells whose shown value differs between the tab as read and the table (at least one:
    a table is only written when something in it, a link target perhaps, changed)."""
    if table.replaces is not None:  # known only by its changed rows: counted as a whole tab
        return max(len(table.header) + table.filled, 1)
    filled = sum(1 for row in table.rows for value in row if value is not None and value != "")
    if table.earlier is not None:  # rows appended after the tab's own
        return max(filled, 1)
    if not old:
        return max(len(table.header) + filled, 1)
    new = as_grid(table)
    changed = 0
    first = 0
    kept = table.kept_rows
    if kept and old[1 : kept + 1] == table.rows[:kept]:  # a log's own rows, as read: the same
        changed = _row_changes(old[0], new[0])
        first = kept + 1
    for r in range(first, max(len(old), len(new))):
        changed += _row_changes(old[r] if r < len(old) else [], new[r] if r < len(new) else [])
    return max(changed, 1)


def _row_changes(before: list[CellValue], after: list[CellValue]) -> int:
    changed = 0
    for c in range(max(len(before), len(after))):
        a = before[c] if c < len(before) else None
        b = after[c] if c < len(after) else None
        if _shown(a) != _shown(b):
            changed += 1
    return changed


def _shown(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value
