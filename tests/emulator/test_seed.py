"""Seeding from an .xlsx workbook keeps what each cell meant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gspread
import openpyxl
import pytest
from gspread.utils import ValueRenderOption

from sync.emulator import Emulator
from sync.emulator.seed import seed_workspace, spreadsheet_from_xlsx, spreadsheet_url
from tests.backends.conftest import cached as cached_as
from tests.backends.conftest import rezip, sheet_xml


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
    assert okrs.get("B2:E2", value_render_option=ValueRenderOption.unformatted) == [
        [1200, 0.45, 46331, "45%"]
    ]
    assert okrs.frozen_row_count == 1


def _workbook(path: Path, tabs: dict[str, list[list[str]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in tabs.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def test_workspace_becomes_linked_spreadsheets(
    tmp_path: Path, emulator: Emulator, gc: gspread.Client
) -> None:
    okrs = [["ID", "Type", "Title", "Parent"], ["O1", "Objective", "Grow", ""]]
    _workbook(tmp_path / "teams" / "a.xlsx", {"OKRs": okrs})
    _workbook(
        tmp_path / "hub.xlsx",
        {
            "Teams": [
                ["Team", "Level", "Parent team", "Spreadsheet"],
                ["A", "Company", "", "teams/a.xlsx"],
                ["B", "Team", "A", "teams/a.xlsx"],
                ["C", "Team", "A", "teams/missing.xlsx"],
            ],
            "Settings": [["Cycle start", "2026-10-01"]],
        },
    )

    hub = seed_workspace(emulator, tmp_path)

    links = gc.open_by_key(hub).worksheet("Teams").col_values(4)
    assert links[1] == links[2] == spreadsheet_url(gc.list_spreadsheet_files("a")[0]["id"])
    assert links[3] == "teams/missing.xlsx"
    team = gc.open_by_url(links[1])
    assert team.worksheet("OKRs").get_all_values() == okrs
    assert sorted(f["name"] for f in gc.list_spreadsheet_files()) == ["a", "hub"]


@pytest.mark.parametrize(
    ("formula", "cached", "kind", "formatted", "unformatted"),
    [
        ("=SUM(B1:B3)", "5", "", "5", 5),
        ('=VLOOKUP("x",A1:B2,2)', "ok", "str", "ok", "ok"),
        ("=AND(TRUE,TRUE)", "1", "b", "TRUE", True),
        ("=NA()+1", "#N/A", "e", "#N/A", "#N/A"),
        ("=2*3", "7", "", "6", 6),  # computed where the fake can: what Google would show
    ],
)
def test_a_formula_keeps_the_result_its_workbook_saved(
    tmp_path: Path,
    emulator: Emulator,
    gc: gspread.Client,
    formula: str,
    cached: str,
    kind: str,
    formatted: str,
    unformatted: Any,
) -> None:
    """Excel saves each formula's result; a formula the fake cannot compute shows that result,
    as Google would show its own, until the formula is edited."""
    _workbook(tmp_path / "team.xlsx", {"OKRs": [["Current"], [formula]]})
    rezip(
        tmp_path / "team.xlsx",
        {"xl/worksheets/sheet1.xml": sheet_xml(cached_as("A2", cached, kind))},
    )
    key = spreadsheet_from_xlsx(emulator, tmp_path / "team.xlsx")
    okrs = gc.open_by_key(key).worksheet("OKRs")
    assert okrs.acell("A2").value == formatted
    assert okrs.get("A2", value_render_option=ValueRenderOption.unformatted) == [[unformatted]]
    assert okrs.get("A2", value_render_option=ValueRenderOption.formula) == [[formula]]
    okrs.update_acell("A2", "=SUM(B1:B4)")  # another formula: the saved result no longer holds
    assert okrs.get("A2", value_render_option=ValueRenderOption.unformatted) in ([], [[""]])


def test_text_that_starts_with_an_equals_sign_stays_text(
    tmp_path: Path, emulator: Emulator, gc: gspread.Client
) -> None:
    """Text typed as `'== Q4 ==` in Excel is a text cell starting with `=`, not a formula."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "OKRs"
    ws.append(["Title", "Current"])
    ws.append(["== Q4 ==", "=2*3"])
    ws["A2"].data_type = "s"
    workbook.save(tmp_path / "team.xlsx")
    key = spreadsheet_from_xlsx(emulator, tmp_path / "team.xlsx")
    okrs = gc.open_by_key(key).worksheet("OKRs")
    assert okrs.get("A2:B2", value_render_option=ValueRenderOption.formula) == [
        ["== Q4 ==", "=2*3"]
    ]
    assert okrs.get("A2:B2") == [["== Q4 ==", "6"]]
    cells = emulator.sheet(key, "OKRs").cells
    assert cells[(1, 0)]["userEnteredValue"] == {"stringValue": "== Q4 =="}
    assert cells[(1, 1)]["userEnteredValue"] == {"formulaValue": "=2*3"}
