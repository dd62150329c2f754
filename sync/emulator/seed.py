"""Seeding the emulator from workbooks, so a local workspace can be served as Google Sheets.

Cells keep their xlsx meaning: text stays text (never re-parsed), numbers and dates stay typed,
``=`` formulas stay formulas, and percent or date number formats carry over. Which spreadsheet
stands for which workbook is the caller's business (the CLI rewrites the hub's links).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell as XlsxCell

from .emulator import Emulator

__all__ = ["spreadsheet_from_xlsx"]


def _number_format(cell: XlsxCell) -> dict[str, str] | None:
    pattern = str(cell.number_format or "General")
    if cell.is_date:
        return {"type": "DATE", "pattern": "yyyy-mm-dd"}
    if pattern.endswith("%"):
        return {"type": "PERCENT", "pattern": pattern}
    if pattern != "General" and any(ch in pattern for ch in "0#"):
        return {"type": "NUMBER", "pattern": pattern}
    return None


def spreadsheet_from_xlsx(emulator: Emulator, path: str | Path, title: str | None = None) -> str:
    """Load every tab of an ``.xlsx`` file into a new emulator spreadsheet; returns its id."""
    workbook = openpyxl.load_workbook(path)
    tabs: dict[str, list[list[Any]]] = {ws.title: [] for ws in workbook.worksheets}
    key = emulator.create_spreadsheet(title or Path(path).stem, tabs)
    with emulator.lock:
        for ws in workbook.worksheets:
            sheet = emulator.sheet(key, ws.title)
            sheet.ensure_size(ws.max_row, ws.max_column)
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell, XlsxCell) or cell.value is None:
                        continue
                    value = cell.value
                    formula = isinstance(value, str) and value.startswith("=")
                    r, c = cell.row - 1, cell.column - 1
                    sheet.set_value(r, c, value, user_entered=formula)
                    number_format = _number_format(cell)
                    if number_format and (r, c) in sheet.cells:
                        sheet.cells[(r, c)].setdefault("userEnteredFormat", {})["numberFormat"] = (
                            number_format
                        )
            if ws.freeze_panes:
                frozen = ws[ws.freeze_panes]
                sheet.frozen_rows, sheet.frozen_cols = frozen.row - 1, frozen.column - 1
    return key
