"""Reading Google spreadsheets in one request each: values and tab ids together.

A team spreadsheet is one `spreadsheets.get` limited to its OKR tab (`ranges=`) with a field
mask that keeps only each cell's effective value plus the tab's id and size; gspread's
`open_by_key` + `worksheet()` + `get_all_values()` would cost three. Effective values are what
`UNFORMATTED_VALUE` with `SERIAL_NUMBER` dates answers: numbers as numbers, percent cells as
fractions, dates as serial numbers (the core reads those as dates), formulas as their results.
A team tab's cells also say when their number is a date (`effectiveFormat`), so a date typed
into Current is a date there, as in a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..google.cells import cell_value
from ..snapshot import CellValue, Grid

__all__ = [
    "HUB_FIELDS",
    "HUB_TABS_FIELDS",
    "HUB_INPUT_FIELDS",
    "TAB_TITLES_FIELDS",
    "TEAM_FIELDS",
    "Tab",
    "parse_tabs",
]

_PROPERTIES = "properties(sheetId,title,index,gridProperties(rowCount,columnCount))"
# A formula's text too (only formula cells carry it): such a tab is read on every sync, as
# its results (IMPORTRANGE) can change without the spreadsheet's modifiedTime moving. And the
# kind of number format, so a date cell reads as a date, as from a workbook, not as a number.
_TEAM_CELL = "effectiveValue,userEnteredValue(formulaValue),effectiveFormat(numberFormat(type))"
TEAM_FIELDS = f"sheets({_PROPERTIES},data(rowData(values({_TEAM_CELL}))))"
_ROW_GROUPS = "rowGroups(range(startIndex,endIndex))"
# The hub: every tab's values, the targets of the output tabs' links, and their row groups.
HUB_FIELDS = f"sheets({_PROPERTIES},{_ROW_GROUPS},data(rowData(values(effectiveValue,hyperlink))))"
HUB_INPUT_FIELDS = f"sheets({_PROPERTIES},data(rowData(values(effectiveValue))))"
TAB_TITLES_FIELDS = f"sheets({_PROPERTIES})"
HUB_TABS_FIELDS = f"sheets({_PROPERTIES},{_ROW_GROUPS})"


@dataclass(slots=True)
class Tab:
    """One tab as read: id, title, grid size, values, link targets by (row, column), 1-based,
    and its row groups as 0-based [start, end) ranges (one per group, any depth)."""

    sheet_id: int
    title: str
    index: int
    rows: int
    columns: int
    grid: Grid = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    row_groups: list[tuple[int, int]] = field(default_factory=list)
    formulas: bool = False  # some cell holds a formula (when the read asked for them)


def _grid(sheet: dict[str, Any]) -> tuple[Grid, dict[tuple[int, int], str], bool]:
    grid: Grid = []
    links: dict[tuple[int, int], str] = {}
    formulas = False
    for block in sheet.get("data") or []:
        top = int(block.get("startRow", 0))
        left = int(block.get("startColumn", 0))
        for r, row in enumerate(block.get("rowData") or [], start=top):
            cells = row.get("values") or []
            values: list[CellValue] = [None] * left + [cell_value(c) for c in cells]
            while values and values[-1] in (None, ""):
                values.pop()
            while len(grid) <= r:
                grid.append([])
            grid[r] = values
            for c, cell in enumerate(cells, start=left):
                if (cell.get("userEnteredValue") or {}).get("formulaValue"):
                    formulas = True
                if cell.get("hyperlink"):
                    links[(r + 1, c + 1)] = str(cell["hyperlink"])
    while grid and not grid[-1]:
        grid.pop()
    return grid, links, formulas


def parse_tabs(answer: dict[str, Any]) -> list[Tab]:
    """The tabs of a `spreadsheets.get` answer, in their order."""
    tabs = []
    for sheet in answer.get("sheets") or []:
        props = sheet.get("properties") or {}
        size = props.get("gridProperties") or {}
        grid, links, formulas = _grid(sheet)
        tabs.append(
            Tab(
                sheet_id=int(props.get("sheetId", 0)),
                title=str(props.get("title", "")),
                index=int(props.get("index", 0)),
                rows=int(size.get("rowCount", 0)),
                columns=int(size.get("columnCount", 0)),
                grid=grid,
                links=links,
                row_groups=[
                    (int(g["range"].get("startIndex", 0)), int(g["range"]["endIndex"]))
                    for g in sheet.get("rowGroups") or []
                ],
                formulas=formulas,
            )
        )
    return sorted(tabs, key=lambda t: t.index)
