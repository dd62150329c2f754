"""Seeding from an .xlsx workbook keeps what each cell meant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import gspread
import openpyxl

from sync.emulator import Emulator
from sync.emulator.seed import spreadsheet_from_xlsx


def test_xlsx_cells_keep_their_meaning(
    tmp_path: Path, emulator: Emulator, gc: gspread.Client
) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "OKRs"
    ws.append(["ID", "Target", "Current", "Updated", "Note"])
    ws.append(["KR1", 1200, 0.45, dt.date(2026, 11, 5), "45%"])
    ws.append(["KR2", "=2*3", None, None, "1,200"])
    ws["C2"].number_format = "0%"
    ws.freeze_panes = "A2"
    workbook.create_sheet("Settings").append(["Cycle", "2026-Q4"])
    path = tmp_path / "team.xlsx"
    workbook.save(path)

    key = spreadsheet_from_xlsx(emulator, path)

    spreadsheet = gc.open_by_key(key)
    assert spreadsheet.title == "team"
    assert [w.title for w in spreadsheet.worksheets()] == ["OKRs", "Settings"]
    okrs = spreadsheet.worksheet("OKRs")
    assert okrs.get_all_values() == [
        ["ID", "Target", "Current", "Updated", "Note"],
        ["KR1", "1200", "45%", "2026-11-05", "45%"],
        ["KR2", "6", "", "", "1,200"],
    ]
    assert okrs.get("B2:E2", value_render_option="UNFORMATTED_VALUE") == [
        [1200, 0.45, 46331, "45%"]
    ]
    assert okrs.frozen_row_count == 1
