"""A messy organisation as people really keep one, for the local-versus-Google comparison:
banner rows, a shuffled aliased header, text numbers, formulas with cached results, blank
rows, Unicode IDs, an odd Teams header, settings typed as text, and a few honest errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

from sheets_templates.builder import new_hub_workbook, new_team_workbook, team_column_names
from tests.backends.conftest import cached, rezip, sheet_xml


def make_messy_org(root: Path) -> Path:
    root.mkdir(parents=True)
    hub = Workbook()
    teams = hub.active
    assert teams is not None
    teams.title = "Teams"
    teams.append(["team ", "LEVEL", "Parent Team", "spreadsheet", "tab", "owner"])
    teams.append(["Ventes ", "company", None, "ventes.xlsx", None, None])
    teams.append([None, None, None, None, None, None])
    teams.append(["データ", "Team", "Ventes", "data.xlsx", "Objectifs", None])
    teams.append(["Ops", None, "Ventes", "ops.xlsx", "OKRs", "ops@x.example"])
    settings = hub.create_sheet("Settings")
    for row in [
        ["Key", "Value"],
        ["cycle", "2026-Q4"],
        ["Cycle Start", dt.date(2026, 10, 1)],
        ["CYCLE END", "2026-12-31"],
        ["Stale after days", "14"],
        ["Max key results per objective", 4],
    ]:
        settings.append(row)
    hub.save(root / "hub.xlsx")

    ventes = Workbook()
    sheet = ventes.active
    assert sheet is not None
    sheet.title = "OKRs"
    sheet["A1"] = "Ventes — objectifs du trimestre"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    header = ["Notes", "Aligns to", "Title", " id ", "TYPE", "Champion", "Baseline", "Target"]
    sheet.append([*header, "Actual", "Last check-in", "weight"])
    sheet.append(["=2+3", None, "Grow revenue", "ÉQUIPE-1 ", "Obj", "ana@x.example"])
    sheet.append(
        [
            None,
            None,
            "Revenue from 0 to 1,200",
            "équipe-1.1",
            "kr",
            "ana@x.example",
            "0",
            "1,200",
            "=300*2",
            "2026-11-15",
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
    sheet.append(
        [
            None,
            None,
            "Launch in Lyon",
            "ÉQUIPE-1.3",
            "KR",
            None,
            None,
            "yes",
            True,
            dt.date(2026, 11, 18),
        ]
    )
    sheet.append(
        [
            None,
            None,
            "Cost per lead",
            "ÉQUIPE-1.4",
            "KeyResult",
            "cy@x.example",
            "$90",
            "$60",
            " $72 ",
            "2026-11-19",
            0,
        ]
    )
    sheet.append([None, None, "A title nobody numbered"])
    sheet.append([None, None, "Churn", "ÉQUIPE-1.5", "KR", "cy@x.example", 9, 5, "lots"])
    sheet.append(
        [None, None, "Partners", "ÉQUIPE-1.6", "KR", "cy@x.example", 0, 4, "(1)", "2026-10-01"]
    )
    ventes.create_sheet("Notes")["A1"] = "another tab, untouched"
    ventes.save(root / "ventes.xlsx")
    rezip(root / "ventes.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(_cached_results)})

    data = Workbook()
    tab = data.active
    assert tab is not None
    tab.title = "Objectifs"
    tab.append(
        [
            "ID",
            "Type",
            "Title",
            "Parent",
            "Score",
            "Owner",
            "Target",
            "Current",
            "Updated",
            "Depends on",
            "Weight",
        ]
    )
    tab.append(["データ-1", "Objective", "Clean data", "équipe-1.2 ", None, "kim@x.example"])
    tab.append(
        [
            "データ-1.1",
            "KR",
            "Pipelines green",
            None,
            None,
            "kim@x.example",
            ">= 99%",
            "99.5%",
            "2026-11-20",
            "ÉQUIPE-1.1; team:Ops",
        ]
    )
    tab.append([])
    tab.append(
        ["ÉQUIPE-1.1", "KR", "A duplicate", None, None, "kim@x.example", 10, 5, "2026-11-20"]
    )
    tab.append(
        [
            "データ-1.2",
            "KR",
            "Lineage documented",
            None,
            None,
            "kim@x.example",
            "done",
            "no",
            "05/11/2026",
            None,
            "0",
        ]
    )
    tab.append(
        [
            "データ-1.3",
            "KR",
            "Tables migrated",
            None,
            None,
            "kim@x.example",
            40,
            "=SUM(20,6)",
            dt.date(2026, 11, 19),
        ]
    )
    data.save(root / "data.xlsx")
    rezip(root / "data.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(cached("H7", "26"))})

    new_team_workbook(
        root / "ops.xlsx",
        rows=[
            {"ID": "OPS-1", "Type": "Objective", "Title": "Run smoothly", "Parent": "NOPE-1"},
            {
                "ID": "OPS-2",
                "Type": "Key Result",
                "Title": "Uptime",
                "Owner": "ops@x.example",
                "Target": ">= 99.9",
                "Current": 99.95,
                "Updated": dt.date(2026, 11, 20),
            },
        ],
    )
    return root


def _cached_results(text: str) -> str:
    """The formula results Excel would have saved: A4 = 5, I5 = 600."""
    return cached("I5", "600")(cached("A4", "5")(text))


def make_hub_team_org(root: Path) -> Path:
    """A small organisation whose second team keeps its OKRs in a tab of the hub itself."""
    rows = [
        {"ID": "CO-1", "Type": "Objective", "Title": "Grow", "Owner": "a@x.example"},
        {
            "ID": "CO-2",
            "Type": "Key Result",
            "Title": "Deals",
            "Owner": "a@x.example",
            "Start": 0,
            "Target": 10,
            "Current": 4,
            "Updated": dt.date(2026, 11, 20),
        },
    ]
    new_team_workbook(root / "teams" / "company.xlsx", rows=rows)
    teams = [
        {"Team": "Company", "Level": "Company", "Spreadsheet": "teams/company.xlsx"},
        {
            "Team": "Ops",
            "Level": "Team",
            "Parent team": "Company",
            "Spreadsheet": "hub.xlsx",
            "Tab": "Ops OKRs",
        },
    ]
    settings = {
        "Cycle": "2026-Q4",
        "Cycle start": dt.date(2026, 10, 1),
        "Cycle end": dt.date(2026, 12, 31),
    }
    new_hub_workbook(root / "hub.xlsx", teams=teams, settings=settings)
    hub = load_workbook(root / "hub.xlsx")
    tab = hub.create_sheet("Ops OKRs")
    names = team_column_names()
    tab.append(names)
    for row in (
        {"ID": "OPS-1", "Type": "Objective", "Title": "Run", "Parent": "CO-1"},
        {
            "ID": "OPS-2",
            "Type": "KR",
            "Title": "Uptime",
            "Owner": "o@x.example",
            "Target": ">= 99.9",
            "Current": 99.95,
            "Updated": dt.date(2026, 11, 20),
        },
    ):
        tab.append([row.get(name) for name in names])
    hub.save(root / "hub.xlsx")
    return root
