"""Workbooks built from template.json: what a person sees when opening them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates import template
from sheets_templates.builder import (
    DATA_ROWS,
    create_workspace,
    new_hub_workbook,
    new_team_workbook,
    team_column_names,
)
from sheets_templates.definition import quarter
from sheets_templates.styles import HEADER_FILL, OUTPUT_HEADER_FILL
from sync.errors import SourceError

COLUMNS = template()["team_columns"]


def _team_sheet(path: Path, **kwargs: Any) -> Worksheet:
    new_team_workbook(path, **kwargs)
    return load_workbook(path)["OKRs"]


def _letter(name: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[team_column_names().index(name)]


def test_team_header_is_the_template_columns(tmp_path: Path) -> None:
    ws = _team_sheet(tmp_path / "t.xlsx")
    assert [c.value for c in ws[1]] == [col["name"] for col in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])


@pytest.mark.parametrize("column", COLUMNS, ids=[col["name"] for col in COLUMNS])
def test_each_column_has_its_width_format_and_header_marking(
    tmp_path: Path, column: dict[str, Any]
) -> None:
    ws = _team_sheet(tmp_path / "t.xlsx")
    letter = _letter(column["name"])
    header = ws[f"{letter}1"]
    assert ws.column_dimensions[letter].width == column["width"]
    if column["number_format"] != "General":
        assert ws.column_dimensions[letter].number_format == column["number_format"]
    if column["on"] == "output":
        assert header.fill == OUTPUT_HEADER_FILL
        assert "okrtree" in header.comment.text
    else:
        assert header.fill == HEADER_FILL
        assert (header.comment.text if header.comment else None) == column.get("note")


def test_type_and_confidence_have_dropdowns_over_the_data_rows(tmp_path: Path) -> None:
    ws = _team_sheet(tmp_path / "t.xlsx")
    kinds, confidence = ws.data_validations.dataValidation
    assert kinds.type == "list" and kinds.formula1 == '"Objective,Key Result"'
    assert str(kinds.sqref) == f"B2:B{DATA_ROWS}"
    assert confidence.formula1 == '"Low,Medium,High"'
    assert str(confidence.sqref) == f"P2:P{DATA_ROWS}"
    for rule in (kinds, confidence):  # aliases such as KR, and numbers, stay typeable
        assert rule.errorStyle == "warning"


def test_status_and_score_are_coloured_by_rules(tmp_path: Path) -> None:
    ws = _team_sheet(tmp_path / "t.xlsx")
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}  # type: ignore[attr-defined]
    status = rules[f"N2:N{DATA_ROWS}"]
    assert sorted(r.formula[0] for r in status) == sorted(
        f'"{label}"' for label in template()["status_colours"]
    )
    # Score follows its row's Status: the same colour for the same label
    score = {r.formula[0]: r.dxf.fill.fgColor.rgb[-6:] for r in rules[f"M2:M{DATA_ROWS}"]}
    assert score == {
        f'AND(ISNUMBER(M2),$N2="{label}")': colour
        for label, colour in template()["status_colours"].items()
    }


@pytest.mark.parametrize(
    "row",
    [
        {"id": "A-1", "TYPE": "Key Result", "Target": "1,200", "Updated": dt.date(2026, 11, 2)},
        [
            "A-1",
            "Key Result",
            None,
            None,
            None,
            None,
            None,
            "1,200",
            None,
            None,
            dt.date(2026, 11, 2),
        ],
    ],  # fmt: skip
    ids=["by name", "in order"],
)
def test_rows_are_written_with_the_column_formats(tmp_path: Path, row: Any) -> None:
    ws = _team_sheet(tmp_path / "t.xlsx", team_prefix="A", rows=[row])
    assert (ws["A2"].value, ws["B2"].value, ws["H2"].value) == ("A-1", "Key Result", "1,200")
    assert ws["A2"].number_format == "@"
    assert ws["K2"].value == dt.datetime(2026, 11, 2) and ws["K2"].number_format == "yyyy-mm-dd"
    assert "A-1" in ws["A1"].comment.text


@pytest.mark.parametrize(
    ("row", "message"),
    [({"Colour": "red"}, "unknown columns"), (["x"] * 18, "18 values")],
    ids=["unknown column", "too many values"],
)
def test_bad_rows_are_refused(tmp_path: Path, row: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        new_team_workbook(tmp_path / "t.xlsx", rows=[row])


def test_hub_has_teams_and_settings(tmp_path: Path) -> None:
    path = new_hub_workbook(
        tmp_path / "hub.xlsx",
        teams=[{"Team": "Core", "Level": "Team", "Spreadsheet": "core.xlsx"}],
        settings={"cycle START": dt.date(2026, 10, 1), "Cycle end": dt.date(2026, 12, 31),
                  "Extra": 3},
    )  # fmt: skip
    wb = load_workbook(path)
    assert wb.sheetnames == ["Teams", "Settings"]
    teams = wb["Teams"]
    names = [col["name"] for col in template()["hub_tabs"]["Teams"]["columns"]]
    assert [c.value for c in teams[1]] == names
    assert [c.value for c in teams[2]][:4] == ["Core", "Team", None, "core.xlsx"]
    assert teams.freeze_panes == "A2"
    [level] = teams.data_validations.dataValidation
    assert level.formula1 == '"Company,Department,Team,Individual"'
    assert str(level.sqref).startswith("B2:B")
    settings = {row[0].value: row[1] for row in wb["Settings"].iter_rows()}
    assert settings["Cycle start"].value == dt.datetime(2026, 10, 1)
    assert settings["Cycle start"].is_date and settings["Cycle end"].is_date
    assert settings["Stale after days"].value == 14
    assert settings["Extra"].value == 3


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 1), ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
        (dt.date(2026, 6, 30), ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        (dt.date(2026, 8, 15), ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30))),
        (dt.date(2026, 12, 31), ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
    ],
)
def test_quarter(day: dt.date, expected: tuple[str, dt.date, dt.date]) -> None:
    assert quarter(day) == expected


def test_blank_workspace(tmp_path: Path) -> None:
    hub = create_workspace(tmp_path / "org", today=dt.date(2026, 11, 21))
    assert hub == tmp_path / "org" / "hub.xlsx"
    wb = load_workbook(hub)
    rows = list(wb["Teams"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "Team"
    assert (hub.parent / rows[0][3]).is_file()
    settings = {r[0]: r[1] for r in wb["Settings"].iter_rows(values_only=True)}
    assert settings["Cycle"] == "2026-Q4"
    assert settings["Cycle start"] == dt.datetime(2026, 10, 1)


@pytest.mark.parametrize("example", [False, True], ids=["blank", "example"])
def test_workspace_refuses_a_folder_that_is_not_empty(tmp_path: Path, example: bool) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SourceError, match="already exists and is not empty"):
        create_workspace(tmp_path, example)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    assert create_workspace(tmp_path).is_file()
