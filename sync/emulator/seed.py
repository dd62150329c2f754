"""Seeding the emulator from workbooks, so a local workspace can be served as Google Sheets.

Cells keep their xlsx meaning: text stays text (never re-parsed), numbers and dates stay typed,
``=`` formulas stay formulas (showing the result the workbook saved where the fake cannot
compute them), and percent or date number formats carry over. Which spreadsheet
stands for which workbook is settled by :func:`seed_workspace`, which rewrites the hub's links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell as XlsxCell

from .a1 import CellBox
from .cells import seed_result
from .emulator import Emulator

__all__ = ["seed_workspace", "spreadsheet_from_xlsx", "spreadsheet_url"]


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
    results = openpyxl.load_workbook(path, data_only=True)  # what each formula last showed
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
                    formula = cell.data_type == "f"  # text may start with "=" too
                    r, c = cell.row - 1, cell.column - 1
                    sheet.set_value(r, c, value, user_entered=formula)
                    if formula and (r, c) in sheet.cells:
                        seed_result(sheet.cells[(r, c)], results[ws.title].cell(r + 1, c + 1).value)
                    number_format = _number_format(cell)
                    if number_format and (r, c) in sheet.cells:
                        sheet.cells[(r, c)].setdefault("userEnteredFormat", {})["numberFormat"] = (
                            number_format
                        )
            if ws.freeze_panes:
                frozen = ws[ws.freeze_panes]
                sheet.frozen_rows, sheet.frozen_cols = frozen.row - 1, frozen.column - 1
    return key


def spreadsheet_url(key: str) -> str:
    """The browser URL of a spreadsheet, as a hub's ``Spreadsheet`` column holds it."""
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"


def seed_workspace(emulator: Emulator, workspace: str | Path) -> str:
    """Serve a local workspace as Google Sheets: load ``hub.xlsx`` and every team workbook it
    names, point the hub's ``Spreadsheet`` cells at the new spreadsheets; returns the hub id.

    A path that names no workbook is left as written, so it stays unreadable, as it would be
    locally.
    """
    root = Path(workspace)
    hub = spreadsheet_from_xlsx(emulator, root / "hub.xlsx")
    with emulator.lock:
        teams = emulator.spreadsheet(hub).sheet_by_title("Teams")
        if teams is None:
            return hub
        rows = teams.read(teams.check_box(CellBox(0, 0, None, None)), "FORMATTED_VALUE", "")
        header = [str(v).strip().casefold() for v in (rows[0] if rows else [])]
        if "spreadsheet" not in header:
            return hub
        column = header.index("spreadsheet")
        loaded: dict[Path, str] = {}
        for r, row in enumerate(rows[1:], start=1):
            text = str(row[column]).strip() if column < len(row) else ""
            path = (root / text).resolve()
            if not text or path.suffix.lower() != ".xlsx" or not path.is_file():
                continue
            if path not in loaded:
                loaded[path] = spreadsheet_from_xlsx(emulator, path)
            teams.set_value(r, column, spreadsheet_url(loaded[path]), user_entered=False)
    return hub
