"""A messy real workspace end to end: what people really do to a template, read right, written
back only in the output columns, and a second sync that saves nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from sync.cli import cli

AS_OF = "2026-11-21"


def make_messy_workspace(root: Path) -> None:
    root.mkdir()
    hub = Workbook()
    teams = hub.active
    teams.title = "Teams"
    teams.append(["team ", "LEVEL", "Parent Team", "spreadsheet", "tab", "owner"])
    teams.append(["Ventes ", "company", None, "ventes.xlsx", None, None])
    teams.append(["データ", "Team", "Ventes", "data.xlsx", "Objectifs", None])
    settings = hub.create_sheet("Settings")
    for row in [
        ["Key", "Value"],
        ["cycle", "2026-Q4"],
        ["Cycle Start", dt.date(2026, 10, 1)],
        ["CYCLE END", "2026-12-31"],
        ["Stale after days", "14"],
    ]:
        settings.append(row)
    hub.save(root / "hub.xlsx")

    ventes = Workbook()
    sheet = ventes.active
    sheet.title = "OKRs"
    sheet["A1"] = "Ventes — Q4 objectives"
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    # banner, a blank row, then a shuffled, aliased header with an extra column of formulas
    sheet.append([])
    sheet.append(
        [
            "Notes",
            "Aligns to",
            "Title",
            " id ",
            "TYPE",
            "Champion",
            "Baseline",
            "Target",
            "Actual",
            "Last check-in",
            "weight",
        ]
    )
    sheet.append(["=LEN(C4)", None, "Grow revenue", "ÉQUIPE-1 ", "Obj", "ana@x.example"])
    sheet.append(
        [
            "=LEN(C5)",
            None,
            "Revenue from 0 to 1,200",
            "équipe-1.1",
            "kr",
            "ana@x.example",
            "0",
            "1,200",
            " 600 ",
            "2026-11-15",
            None,
        ]
    )
    sheet.append([])
    sheet.append(
        [
            None,
            None,
            "Conversion",
            "ÉQUIPE-1.2",
            "Key result",
            "bo@x.example",
            "10%",
            "30%",
            "25%",
            dt.datetime(2026, 11, 20),
            "2",
        ]
    )
    sheet["J7"].number_format = "yyyy-mm-dd"
    sheet["C4"].comment = Comment("keep this comment", "ana")
    sheet["C4"].fill = PatternFill("solid", fgColor="FFEEAA")
    for row in range(8, 3008):  # thousands of junk rows: spaces and empty strings
        sheet.cell(row, 3, " ")
        sheet.cell(row, 4, "")
    ventes.create_sheet("Notes")["A1"] = "another tab, untouched"
    ventes.save(root / "ventes.xlsx")

    data = Workbook()
    tab = data.active
    tab.title = "Objectifs"
    tab.append(
        [
            "ID",
            "Type",
            "Title",
            "Parent",
            "Owner",
            "Target",
            "Current",
            "Updated",
            "Depends on",
            "Score",
        ]
    )
    tab.append(["データ-1", "Objective", "Clean data", "équipe-1.2 ", None])
    tab.append(
        [
            "データ-1.1",
            "KR",
            "Pipelines green",
            None,
            "kim@x.example",
            ">= 99%",
            "99.5%",
            "2026-11-20",
            "ÉQUIPE-1.1",
        ]
    )
    data.save(root / "data.xlsx")


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    make_messy_workspace(tmp_path / "org")
    return tmp_path / "org"


def run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    outcome = CliRunner().invoke(cli, [*args, "--as-of", AS_OF, "--json"])
    assert outcome.stderr == ""
    return outcome.exit_code, json.loads(outcome.stdout)


def test_messy_workspace_is_read_right(messy: Path) -> None:
    code, data = run("validate", str(messy))
    assert code == 0, data["findings"]
    items = {i["id"]: i for i in data["items"]}
    assert {k: (v["type"], v["parent"], v["row"]) for k, v in items.items()} == {
        "ÉQUIPE-1": ("objective", None, 4),
        "équipe-1.1": ("key_result", "ÉQUIPE-1", 5),
        "ÉQUIPE-1.2": ("key_result", "ÉQUIPE-1", 7),
        "データ-1": ("objective", "ÉQUIPE-1.2", 2),
        "データ-1.1": ("key_result", "データ-1", 3),
    }
    assert items["équipe-1.1"]["score"] == pytest.approx(0.5)
    assert items["ÉQUIPE-1.2"]["score"] == pytest.approx(0.75)
    assert items["ÉQUIPE-1"]["score"] == pytest.approx((0.5 + 0.75 * 2) / 3)
    assert items["データ-1.1"]["score"] == 1.0 and items["データ-1.1"]["status"] == "on_track"
    assert items["データ-1.1"]["depends_on"] == ["ÉQUIPE-1.1"]
    assert [(t["name"], t["level"], t["ok"]) for t in data["teams"]] == [
        ("Ventes", "company", True),
        ("データ", "team", True),
    ]
    assert data["findings"] == []


def _cells(path: Path) -> dict[tuple[str, str], object]:
    book = load_workbook(path)
    return {
        (ws.title, c.coordinate): (
            c.value,
            c.number_format,
            c.fill.fgColor.rgb,
            c.font.b,
            c.comment.text if c.comment else None,
        )
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
    }


def test_sync_writes_only_output_columns_and_resync_saves_nothing(messy: Path) -> None:
    before = {name: _cells(messy / name) for name in ("ventes.xlsx", "data.xlsx")}
    code, first = run("sync", str(messy))
    assert code == 0 and first["writes"]["spreadsheets"] == 3
    after = {name: _cells(messy / name) for name in ("ventes.xlsx", "data.xlsx")}
    ventes_changed = {
        k
        for k in set(before["ventes.xlsx"]) | set(after["ventes.xlsx"])
        if before["ventes.xlsx"].get(k) != after["ventes.xlsx"].get(k)
    }
    assert {col for tab, ref in ventes_changed for col in [ref.rstrip("0123456789")]} == {
        "L",
        "M",
        "N",
    }
    assert {tab for tab, _ in ventes_changed} == {"OKRs"}
    book = load_workbook(messy / "ventes.xlsx")
    okrs = book["OKRs"]
    assert [okrs.cell(3, c).value for c in (12, 13, 14)] == ["Score", "Status", "Warnings"]
    assert [okrs.cell(5, c).value for c in (12, 13)] == [0.5, "On track"]
    assert okrs["A4"].value == "=LEN(C4)" and okrs["C4"].comment.text == "keep this comment"
    assert "A1:F1" in {str(r) for r in okrs.merged_cells.ranges}
    assert book["Notes"]["A1"].value == "another tab, untouched"
    data_tab = load_workbook(messy / "data.xlsx")["Objectifs"]
    # an existing Score column is used where it is; Status and Warnings come after it
    assert [data_tab.cell(1, c).value for c in (10, 11, 12)] == ["Score", "Status", "Warnings"]
    stamps = {p: p.stat().st_mtime_ns for p in messy.glob("*.xlsx")}
    code, again = run("sync", str(messy))
    assert code == 0 and again["writes"] == {"spreadsheets": 0, "cells": 0}
    assert {p: p.stat().st_mtime_ns for p in messy.glob("*.xlsx")} == stamps
