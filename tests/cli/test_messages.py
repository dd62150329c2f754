"""Findings that name the obvious fix: the closest ID or team, the number alone, yes or no,
the one date a day-month order allows, `/` in a path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import EXAMPLE_AS_OF, Invoke


def set_cells(org: Path, workbook: str, item_id: str, **cells: Any) -> None:
    """Type values into the row of `item_id`; columns by header name, `_` for a space."""
    path = org / "teams" / workbook
    book = load_workbook(path)
    sheet = book["OKRs"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == item_id)
    for name, value in cells.items():
        sheet.cell(row, header.index(name.replace("_", " ")) + 1, value)
    book.save(path)


def set_team(org: Path, team: str, column: str, value: str) -> None:
    book = load_workbook(org / "hub.xlsx")
    sheet = book["Teams"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == team)
    sheet.cell(row, header.index(column) + 1, value)
    book.save(org / "hub.xlsx")


def messages(org: Path, invoke: Invoke) -> dict[tuple[str, str | None], str]:
    _, out, _ = invoke("validate", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    return {(f["code"], f["id"] or f["team"]): f["message"] for f in json.loads(out)["findings"]}


@pytest.mark.parametrize(
    ("workbook", "item_id", "cells", "finding", "expected"),
    [
        ("engineering.xlsx", "ENG-1", {"Parent": "CO4"}, "UNKNOWN_PARENT", "Did you mean CO-4?"),
        (
            "engineering.xlsx",
            "ENG-4",
            {"Depends_on": "team:Onbording"},
            "UNKNOWN_DEPENDENCY",
            "Did you mean Onboarding?",
        ),
        (
            "engineering.xlsx",
            "ENG-4",
            {"Depends_on": "SAL1"},
            "UNKNOWN_DEPENDENCY",
            "Did you mean SAL-1?",
        ),
        (
            "engineering.xlsx",
            "ENG-3",
            {"Current": "28 deploys"},
            "INVALID_NUMBER",
            "'28 deploys' is not a number; did you mean 28 (the number alone)",
        ),
        (
            "engineering.xlsx",
            "ENG-5",
            {"Current": "almost"},
            "INVALID_NUMBER",
            "this key result's target is yes/no, so type yes or no",
        ),
        (
            "engineering.xlsx",
            "ENG-3",
            {"Updated": "05/11/2026"},
            "INVALID_DATE",
            "could be 2026-05-11 or 2026-11-05; type it as YYYY-MM-DD",
        ),
    ],
)
def test_a_finding_names_the_fix(
    org: Path,
    invoke: Invoke,
    workbook: str,
    item_id: str,
    cells: dict[str, Any],
    finding: str,
    expected: str,
) -> None:
    set_cells(org, workbook, item_id, **cells)
    found = messages(org, invoke)
    assert expected in found[(finding, item_id)]


def test_a_far_off_name_gets_no_guess(org: Path, invoke: Invoke) -> None:
    set_cells(org, "engineering.xlsx", "ENG-1", Parent="XYZZY-99")
    assert "Did you mean" not in messages(org, invoke)[("UNKNOWN_PARENT", "ENG-1")]


@pytest.mark.parametrize("typed", ["21/11/2026", "11/21/2026", "21.11.2026"])
def test_a_date_with_one_possible_reading_is_read(org: Path, invoke: Invoke, typed: str) -> None:
    set_cells(org, "engineering.xlsx", "ENG-3", Updated=typed)
    assert not [key for key in messages(org, invoke) if key[1] == "ENG-3"]


def test_parent_team_typo_suggests_the_team(org: Path, invoke: Invoke) -> None:
    set_team(org, "Mobile", "Parent team", "Enginering")
    found = messages(org, invoke)
    assert found[("UNKNOWN_PARENT_TEAM", "Mobile")].endswith("Did you mean Engineering?")


def test_a_backslash_path_gets_a_hint(org: Path, invoke: Invoke) -> None:
    set_team(org, "Mobile", "Spreadsheet", "teams\\mobile.xlsx")
    found = messages(org, invoke)
    assert found[("SPREADSHEET_UNREADABLE", "Mobile")].endswith(
        "In the Spreadsheet column, separate folders with / (teams/mobile.xlsx)."
    )
