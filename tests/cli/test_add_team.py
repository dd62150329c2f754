"""`okrtree add-team`: a team registered in Teams, with a new or brought-in workbook."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from sheets_templates.builder import team_column_names

from .conftest import EXAMPLE_AS_OF, Invoke

OWN_HEADER = ["Objective / KR", "ID", "Type", "Title", "Target", "Current", "Notes"]


def own_workbook(
    path: Path, *, chart: bool = False, ids: bool = False, prefix: str = "APP"
) -> Path:
    """A team's own sheet: a title row, its own header, rows with and without IDs."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Q4"
    sheet.append(["Mobile OKRs, Q4"])
    sheet.append(OWN_HEADER)
    rows = [
        ["", f"{prefix}-7" if ids else None, "Objective", "Ship the app", None, None, "ours"],
        ["", f"{prefix}-8" if ids else None, "KR", "Store rating from 3 to 4.5", 4.5, 4.1, None],
        ["", f"{prefix}-2", "KR", "Crash-free sessions", ">= 99.5", 99.7, None],
    ]
    for row in rows:
        sheet.append(row)
    if chart:
        bars = BarChart()
        bars.add_data(Reference(sheet, min_col=5, min_row=3, max_row=5))
        sheet.add_chart(bars, "J2")
    book.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def teams_rows(org: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(org / "hub.xlsx")["Teams"].iter_rows(values_only=True))


def test_a_new_team_gets_a_template_workbook(org: Path, invoke: Invoke) -> None:
    code, out, err = invoke(
        "add-team", str(org), "--team", "Mobile Apps", "--level", "team",
        "--parent", "engineering", "--owner", "mia@x.example",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        f"Added Mobile Apps (Team, under Engineering) to {org}/hub.xlsx, Teams row 18.",
        "Workbook: teams/mobile-apps.xlsx (new from the template), tab OKRs.",
    ]
    assert teams_rows(org)[-1] == (
        "Mobile Apps", "Team", "Engineering", "teams/mobile-apps.xlsx", "OKRs", "mia@x.example"
    )  # fmt: skip
    header = [c.value for c in load_workbook(org / "teams" / "mobile-apps.xlsx")["OKRs"][1]]
    assert header == team_column_names()
    _, out, _ = invoke("validate", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    data = json.loads(out)
    assert data["teams"][-1]["name"] == "Mobile Apps" and data["teams"][-1]["ok"] is True


def test_an_own_workbook_is_copied_with_columns_and_ids_added(
    org: Path, tmp_path: Path, invoke: Invoke
) -> None:
    mine = own_workbook(tmp_path / "mobile okrs.xlsx")
    before = digest(mine)
    code, out, err = invoke(
        "add-team", str(org), "--team", "Mobile Apps", "--level", "Team",
        "--parent", "Engineering", "--from", str(mine),
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert digest(mine) == before  # the person's own file is left as it was
    added = [n for n in team_column_names() if n not in OWN_HEADER]
    assert f"Added columns: {', '.join(added)}." in out
    assert "Filled 2 missing IDs: row 3 APP-3, row 4 APP-4." in out
    copy = load_workbook(org / "teams" / "mobile-apps.xlsx")["Q4"]
    assert [c.value for c in copy[2]] == [*OWN_HEADER, *added]
    assert [copy.cell(r, 2).value for r in (3, 4, 5)] == ["APP-3", "APP-4", "APP-2"]
    assert copy.cell(3, 7).value == "ours" and copy["A1"].value == "Mobile OKRs, Q4"
    assert teams_rows(org)[-1][3:5] == ("teams/mobile-apps.xlsx", "Q4")
    code, out, _ = invoke("sync", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    data = json.loads(out)
    assert {i["id"] for i in data["items"] if i["team"] == "Mobile Apps"} == {
        "APP-2", "APP-3", "APP-4"
    }  # fmt: skip
    assert not [f for f in data["findings"] if f["code"] == "DUPLICATE_ID"]


def test_ids_never_repeat_one_in_use_elsewhere(org: Path, tmp_path: Path, invoke: Invoke) -> None:
    mine = own_workbook(tmp_path / "mobile.xlsx", prefix="MOB")
    # The example's Mobile team numbers MOB-1 to MOB-4; the new rows must not reuse them.
    code, out, _ = invoke(
        "add-team", str(org), "--team", "Mobile Web", "--level", "Team",
        "--parent", "Engineering", "--from", str(mine),
    )  # fmt: skip
    assert code == 0 and "row 3 MOB-5, row 4 MOB-6" in out
    _, out, _ = invoke("validate", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert codes.count("DUPLICATE_ID") == 1  # MOB-2, typed by hand in both sheets


def test_a_complete_workbook_is_copied_byte_for_byte(
    org: Path, tmp_path: Path, invoke: Invoke
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "OKRs"
    sheet.append(team_column_names())
    sheet.append(["APP-1", "Objective", "Ship it"])
    mine = tmp_path / "app.xlsx"
    book.save(mine)
    code, out, _ = invoke(
        "add-team", str(org), "--team", "App", "--level", "Team", "--parent", "Engineering",
        "--from", str(mine),
    )  # fmt: skip
    assert code == 0 and "Added columns" not in out and "Filled" not in out
    assert digest(org / "teams" / "app.xlsx") == digest(mine)


def test_a_workbook_inside_the_workspace_is_registered_in_place(org: Path, invoke: Invoke) -> None:
    mine = own_workbook(org / "teams" / "apps.xlsx", ids=True)
    code, out, _ = invoke(
        "add-team", str(org), "--team", "Apps", "--level", "Team", "--parent", "Engineering",
        "--from", str(mine),
    )  # fmt: skip
    assert code == 0 and "(registered in place)" in out
    assert teams_rows(org)[-1][3] == "teams/apps.xlsx"
    assert sorted(p.name for p in (org / "teams").iterdir() if p.name.startswith("app")) == [
        "apps.xlsx"
    ]


def test_a_workbook_openpyxl_would_damage_is_refused_and_nothing_written(
    org: Path, tmp_path: Path, invoke: Invoke
) -> None:
    mine = own_workbook(tmp_path / "charted.xlsx", chart=True)
    hub_before = digest(org / "hub.xlsx")
    code, out, err = invoke(
        "add-team", str(org), "--team", "Charts", "--level", "Team", "--parent", "Engineering",
        "--from", str(mine),
    )  # fmt: skip
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "charts" in err and "Add them by hand" in err
    assert digest(org / "hub.xlsx") == hub_before
    assert not (org / "teams" / "charts.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--team", "Sales", "--level", "Team", "--parent", "Northwind"], "already in the Teams"),
        (["--team", "X", "--level", "Squad", "--parent", "Sales"], "'Squad' is no level"),
        (["--team", "X", "--level", "Team", "--parent", "Sles"], "Did you mean Sales?"),
        (["--team", "X", "--level", "Team"], "give --parent TEAM"),
        (["--team", "X", "--level", "Team", "--parent", "Sales", "--from", "x.csv"], ".xlsx"),
    ],
)
def test_mistakes_exit_2_and_write_nothing(
    org: Path, invoke: Invoke, args: list[str], says: str
) -> None:
    hub_before = digest(org / "hub.xlsx")
    code, out, err = invoke("add-team", str(org), *args)
    assert code == 2 and out == "" and says in err and err.count("\n") == 1
    assert digest(org / "hub.xlsx") == hub_before


def test_a_sheet_without_id_and_type_is_refused(org: Path, tmp_path: Path, invoke: Invoke) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Goal", "Progress"])
    book.save(tmp_path / "plain.xlsx")
    code, _, err = invoke(
        "add-team", str(org), "--team", "Plain", "--level", "Team", "--parent", "Sales",
        "--from", str(tmp_path / "plain.xlsx"),
    )  # fmt: skip
    assert code == 2 and "no tab has a header row with ID and Type" in err
