"""SPEC §10 and §2 end to end: paths stay inside the workspace, links inside are written through,
one workbook cannot serve two teams, numbers are finite, only recognised headers are read, and
nothing is ever written past column XFD."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from tests.corpus.cases import SETTINGS, okr_rows, team_row
from tests.corpus.package import parts, rewrite, sheet_part

from .helpers import expected_outputs, okrtree, sheet_cells, strict_json

XFD = 16_384


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _workspace(root: Path, teams: dict[str, str], *, make: bool = True) -> Path:
    """A hub listing `teams` (name -> source); with `make`, a template workbook for each."""
    (root / "teams").mkdir(parents=True, exist_ok=True)
    for n, source in enumerate(teams.values()):
        path = root / source
        inside = not os.path.isabs(source) and ".." not in source
        if make and inside and not path.exists():
            new_team_workbook(path, f"T{n}", okr_rows(f"T{n}", "work"))
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[team_row(name, source) for name, source in teams.items()],
        settings=SETTINGS,
    )
    return root


def _findings(data: Any, team: str) -> list[str]:
    return [f["code"] for f in data["findings"] if f["team"] == team]


# -- confinement -------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A valid team workbook outside the workspace, with IDs that must never show up."""
    return new_team_workbook(tmp_path / "elsewhere" / "x.xlsx", "OUT", okr_rows("OUT", "outside"))


def test_paths_leading_outside_the_workspace_are_never_read_or_written(
    tmp_path: Path, outside: Path
) -> None:
    root = tmp_path / "org"
    (root / "teams").mkdir(parents=True)
    (root / "teams" / "out-link.xlsx").symlink_to(outside)
    (root / "teams" / "out-dir").symlink_to(outside.parent, target_is_directory=True)
    escapes = {
        "Up": "../elsewhere/x.xlsx",
        "Absolute": str(outside),
        "Link out": "teams/out-link.xlsx",
        "Folder link out": "teams/out-dir/x.xlsx",
    }
    _workspace(root, {"Home": "teams/home.xlsx", **escapes})
    before = (_digest(outside), outside.stat().st_mtime_ns)

    outcome = okrtree("sync", str(root))

    data = outcome.data
    assert outcome.code == 1
    for team in escapes:
        assert _findings(data, team) == ["SPREADSHEET_UNREADABLE"], team
    assert not [item for item in data["items"] if item["id"].startswith("OUT-")]
    assert (_digest(outside), outside.stat().st_mtime_ns) == before
    assert (root / "teams" / "out-link.xlsx").is_symlink()
    assert [item["team"] for item in data["items"]] == ["Home"] * 3


def test_a_link_inside_the_workspace_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    root = tmp_path / "org"
    real = new_team_workbook(root / "shared" / "real.xlsx", "IN", okr_rows("IN", "inside"))
    real.chmod(0o640)
    link = root / "teams" / "linked.xlsx"
    link.parent.mkdir(parents=True)
    link.symlink_to(Path("..") / "shared" / "real.xlsx")
    _workspace(root, {"Linked": "teams/linked.xlsx"})

    outcome = okrtree("sync", str(root))

    assert outcome.code == 0, outcome.stderr
    assert "NOT_WRITTEN" not in _findings(outcome.data, "Linked")
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "shared", "real.xlsx")
    cells = sheet_cells(real, "OKRs")
    expected = expected_outputs(outcome.data, "Linked")
    assert {key: cells.get(key) for key in expected} == expected
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in link.parent.iterdir()) == ["linked.xlsx"]


# -- identity ----------------------------------------------------------------------------------


def test_one_workbook_registered_for_two_teams_is_a_duplicate_sheet_and_stable(
    tmp_path: Path,
) -> None:
    root = _workspace(
        tmp_path / "org",
        {"First": "teams/shared.xlsx", "Second": "./teams/shared.xlsx", "Other": "teams/o.xlsx"},
    )
    runs = [okrtree("sync", str(root)), okrtree("sync", str(root))]
    cells = sheet_cells(root / "teams" / "shared.xlsx", "OKRs")

    first, second = (run.data for run in runs)
    assert [run.code for run in runs] == [1, 1]
    assert _findings(first, "Second") == ["DUPLICATE_SHEET"]
    assert [f["code"] for f in first["findings"] if f["code"] == "DUPLICATE_ID"] == []
    assert {item["team"] for item in first["items"]} == {"First", "Other"}
    for key in ("items", "findings", "teams"):
        assert first[key] == second[key]
    assert second["writes"] == {"spreadsheets": 0, "cells": 0}
    expected = expected_outputs(second, "First")
    assert {key: cells.get(key) for key in expected} == expected


# -- numbers -----------------------------------------------------------------------------------


def _current_as_number(text: str) -> bytes:
    """The sheet XML with Current of the third item (I4) stored as the number 1e309."""
    changed, count = re.subn(
        r'<c r="I4"([^>]*?)(?: t="\w+")?>.*?</c>', r'<c r="I4"\1><v>1e309</v></c>', text
    )
    assert count == 1
    return changed.encode()


@pytest.mark.parametrize("stored", ["text", "number"])
@pytest.mark.parametrize("command", ["validate", "sync"])
def test_1e309_in_current_is_an_invalid_number_and_the_json_stays_json(
    tmp_path: Path, stored: str, command: str
) -> None:
    root = _workspace(tmp_path / "org", {"Huge": "teams/huge.xlsx"})
    path = root / "teams" / "huge.xlsx"
    if stored == "text":
        rows = okr_rows("T0", "work")
        rows[2]["Current"] = "1e309"
        path.unlink()
        new_team_workbook(path, "T0", rows)
    else:
        sheet = sheet_part(parts(path), "OKRs")
        rewrite(path, {sheet: lambda data: _current_as_number(data.decode())})

    outcome = okrtree(command, str(root))

    data = strict_json(outcome.stdout)
    assert outcome.code == 1
    invalid = [f for f in data["findings"] if f["code"] == "INVALID_NUMBER"]
    assert [f["id"] for f in invalid] == ["T0-3"]
    (item,) = [i for i in data["items"] if i["id"] == "T0-3"]
    assert item["score"] is None and item["progress"] is None


# -- recognised headers only -------------------------------------------------------------------

PRIORITY_HEADER = ["ID", "Type", "Title", "Owner", "Parent", "Start", "Target", "Current",
                   "Updated", "Priority"]  # fmt: skip


def test_a_column_after_the_template_ones_is_read_as_nothing(tmp_path: Path) -> None:
    """`Priority` stands where Weight or Depends on would follow; it must not be read as them."""
    root = _workspace(tmp_path / "org", {"Prio": "teams/prio.xlsx"}, make=False)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    ws.append(PRIORITY_HEADER)
    ws.append(["P-1", "Objective", "Grow", "ana@x.example", None, None, None, None, None, "P1"])
    ws.append(["P-2", "Key Result", "Half", "ben@x.example", None, 0, 10, 5, None, "High"])
    ws.append(["P-3", "Key Result", "Done", "ben@x.example", None, 0, 10, 10, None, "-1"])
    wb.save(root / "teams" / "prio.xlsx")

    outcome = okrtree("sync", str(root))

    data = outcome.data
    assert outcome.code == 0, outcome.stderr
    codes = set(_findings(data, "Prio"))
    assert not codes & {"UNKNOWN_DEPENDENCY", "INVALID_NUMBER", "DEPENDENCY_CYCLE"}
    assert {i["id"]: i["depends_on"] for i in data["items"]} == {"P-1": [], "P-2": [], "P-3": []}
    assert {i["id"]: i["score"] for i in data["items"]} == {"P-1": 0.75, "P-2": 0.5, "P-3": 1.0}
    cells = sheet_cells(root / "teams" / "prio.xlsx", "OKRs")
    width = len(PRIORITY_HEADER)
    assert [cells[(1, width + n)] for n in (1, 2, 3)] == ["Score", "Status", "Warnings"]
    assert [cells[(row, width)] for row in (2, 3, 4)] == ["P1", "High", "-1"]
    assert [cells[(row, width + 1)] for row in (2, 3, 4)] == [0.75, 0.5, 1.0]


def test_output_columns_that_would_pass_xfd_are_not_written(tmp_path: Path) -> None:
    """The template's input columns end in XFD, the last column: no room for Score."""
    root = _workspace(tmp_path / "org", {"Edge": "teams/edge.xlsx", "Fine": "teams/fine.xlsx"})
    path = root / "teams" / "edge.xlsx"
    names = [n for n in okr_rows("E", "e")[1]] + ["Parent", "Depends on", "Weight", "Why now"]
    first = XFD - len(names) + 1
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    for row, values in enumerate([dict.fromkeys(names, None), *okr_rows("E", "edge")], start=1):
        for offset, name in enumerate(names):
            value = name if row == 1 else values.get(name)
            if value is not None:
                ws.cell(row=row, column=first + offset, value=value)
    wb.save(path)
    before = _digest(path)

    outcome = okrtree("sync", str(root))

    data = outcome.data
    assert _findings(data, "Edge").count("NOT_WRITTEN") == 1
    assert {i["id"] for i in data["items"] if i["team"] == "Edge"} == {"E-1", "E-2", "E-3"}
    assert _digest(path) == before
    assert max(column for _, column in sheet_cells(path, "OKRs")) == XFD
    fine = expected_outputs(data, "Fine")
    cells = sheet_cells(root / "teams" / "fine.xlsx", "OKRs")
    assert {key: cells.get(key) for key in fine} == fine
