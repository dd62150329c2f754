"""Cell-level reading shared by the team and hub sides of the local backend (writing is
`xlsx_patch` and `xlsx_hub`)."""

from __future__ import annotations

import zipfile
from typing import Any

from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from ..snapshot import CellValue, Grid

__all__ = ["UNREADABLE", "read_sheet"]

# What openpyxl raises for a file that is not a readable workbook.
UNREADABLE = (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError)


def read_sheet(wb: Any, ws: Any) -> Grid:
    """A read-only sheet's values, rows ragged, with merged cells other than top-left blanked.

    openpyxl's own read-only iterator throws away the merge list it parses and trusts the
    sheet's stated dimensions (often wrong in files from other tools), so the sheet parser is
    driven directly, the way `ReadOnlyWorksheet._cells_by_row` does it.
    """
    grid: Grid = []
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for index, cells in parser.parse():
            while len(grid) < index - 1:
                grid.append([])
            row: list[CellValue] = []
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                column = cell["column"]
                if column > len(row):
                    row.extend([None] * (column - len(row)))
                row[column - 1] = value
            grid.append(row)
        merged = [str(rng) for rng in getattr(parser.merged_cells, "mergeCell", [])]
    while grid and not grid[-1]:
        grid.pop()
    for ref in merged:
        _blank_merged(grid, ref)
    return grid


def _blank_merged(grid: Grid, ref: str) -> None:
    rng = CellRange(ref)
    for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
        row = grid[r - 1]
        for c in range(rng.min_col, min(rng.max_col, len(row)) + 1):
            if (r, c) != (rng.min_row, rng.min_col):
                row[c - 1] = None
