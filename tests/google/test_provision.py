"""`init --google`: the hub and team spreadsheets made from the template, as it says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_templates import template
from sheets_templates.builder import DATA_ROWS, create_workspace
from sheets_templates.example import EXPECTED_WARNINGS, TEAMS
from sync.backends.gsheets import GoogleBackend
from sync.backends.xlsx import XlsxBackend
from sync.emulator import Emulator, make_client
from sync.engine import run
from sync.google.api import SheetsApi
from sync.google.provision import Provisioned, create_organisation
from sync.google.ratelimit import Quotas
from sync.report import result_json

from .conftest import AS_OF, kinds, sync

NAMES = [c["name"] for c in template()["team_columns"]]


@pytest.fixture(scope="module")
def made() -> tuple[Emulator, Provisioned, dict[str, int]]:
    """The example organisation, provisioned once for the tests that only look at it."""
    emulator = Emulator()
    api = SheetsApi(make_client(emulator).http_client, Quotas.build(10**6, 10**6, env={}))
    org = create_organisation(
        api, "Northwind", share=["ana@x.example", "raj@x.example"], example=True
    )
    return emulator, org, kinds(emulator)


@pytest.fixture
def example(made: tuple[Emulator, Provisioned, dict[str, int]]) -> Provisioned:
    return made[1]


@pytest.fixture
def looked_at(made: tuple[Emulator, Provisioned, dict[str, int]]) -> Emulator:
    return made[0]


def test_each_spreadsheet_costs_two_requests_and_one_per_share(
    made: tuple[Emulator, Provisioned, dict[str, int]],
) -> None:
    emulator, example, counts = made
    spreadsheets = len(TEAMS) + 1
    assert counts == {
        "spreadsheets.create": spreadsheets,
        "spreadsheets.batchUpdate": spreadsheets,
        "drive.permissions.create": 2 * spreadsheets,
    }
    for key in [example.hub_key, *example.teams.values()]:
        emails = {p.get("emailAddress") for p in emulator.spreadsheet(key).permissions}
        assert {"ana@x.example", "raj@x.example"} <= emails


def test_team_tabs_follow_the_template(looked_at: Emulator, example: Provisioned) -> None:
    emulator = looked_at
    key = example.teams["Sales"]
    sheet = emulator.sheet(key, "OKRs")
    assert emulator.spreadsheet(key).title == "Northwind - Sales"
    assert [s.title for s in emulator.spreadsheet(key).sheets] == ["OKRs"]
    values = emulator.values(key, "OKRs")
    assert values[0] == NAMES
    assert values[1][:3] == ["SAL-1", "Objective", "Win the mid-market"]
    assert sheet.frozen_rows == 1 and sheet.rows >= DATA_ROWS + 1 and sheet.cols == len(NAMES)
    header = sheet.cells[(0, 0)]
    assert header["userEnteredFormat"]["textFormat"]["bold"] is True
    assert "SAL-1" in header["note"]
    assert "okrtree" in sheet.cells[(0, NAMES.index("Score"))]["note"]
    rule = sheet.cells[(5, NAMES.index("Type"))]["dataValidation"]
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == [
        "Objective",
        "Key Result",
    ]
    assert rule["strict"] is False  # a warning: KR and Obj can still be typed
    [protected] = sheet.protected_ranges
    assert protected["warningOnly"] is True
    assert (protected["range"]["startColumnIndex"], protected["range"]["endColumnIndex"]) == (
        NAMES.index("Score"),
        NAMES.index("Warnings") + 1,
    )
    conditions = [r["booleanRule"]["condition"]["type"] for r in sheet.conditional_formats]
    assert conditions.count("TEXT_EQ") == len(template()["status_colours"])
    assert conditions.count("CUSTOM_FORMULA") == len(template()["status_colours"])
    updated = sheet.cells[(1, NAMES.index("Updated"))]
    assert updated["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert emulator.values(key, "OKRs")[2][NAMES.index("Target")] == "1,200"  # text stays text


def test_the_hub_lists_every_team_with_its_new_spreadsheet(
    looked_at: Emulator, example: Provisioned
) -> None:
    emulator = looked_at
    teams = emulator.values(example.hub_key, "Teams")
    assert teams[0] == [c["name"] for c in template()["hub_tabs"]["Teams"]["columns"]]
    assert [row[0] for row in teams[1:]] == [t.name for t in TEAMS]
    urls = {row[0]: row[3] for row in teams[1:]}
    assert urls == {
        name: f"https://docs.google.com/spreadsheets/d/{key}/edit"
        for name, key in example.teams.items()
    }
    settings = dict((row[0], row[1]) for row in emulator.values(example.hub_key, "Settings"))
    assert settings["Cycle"] == "2026-Q4" and settings["Cycle start"] == "2026-10-01"
    level = emulator.sheet(example.hub_key, "Teams").cells[(3, 1)]["dataValidation"]
    assert len(level["condition"]["values"]) == 4


def test_sync_works_on_what_was_made(
    emulator: Emulator, api: SheetsApi, backend: Callable[[str], GoogleBackend]
) -> None:
    example = create_organisation(api, "Northwind", example=True)
    outcome = sync(backend(example.hub_url))
    result = outcome.computed.result
    assert [(f.code.value, f.id) for f in result.findings] == EXPECTED_WARNINGS
    assert result.writes_spreadsheets == len(TEAMS) + 1


def test_the_example_judges_as_the_local_example_does(
    emulator: Emulator, api: SheetsApi, backend: Callable[[str], GoogleBackend], tmp_path: Path
) -> None:
    """`init --google --example` and `init --example` make the same organisation: the same
    items, findings and trends (the hub's History and Check-ins come with it)."""
    create_workspace(tmp_path / "org", example=True)
    local = run(XlsxBackend(tmp_path / "org"), AS_OF, write=False).computed.result
    example = create_organisation(api, "Northwind", example=True)
    google = sync(backend(example.hub_url), write=False).computed.result
    assert result_json(google)["items"] == result_json(local)["items"]
    assert result_json(google)["findings"] == result_json(local)["findings"]
    assert any(len(item["trend"]) > 3 for item in result_json(google)["items"])
    checkins = emulator.values(example.hub_key, "Check-ins")
    book = load_workbook(tmp_path / "org" / "hub.xlsx", read_only=True)
    try:
        assert len(checkins) == book["Check-ins"].max_row
    finally:
        book.close()


def test_a_blank_organisation_has_one_team(emulator: Emulator, api: SheetsApi) -> None:
    made = create_organisation(api, "Acme")
    assert list(made.teams) == ["My team"]
    assert emulator.values(made.teams["My team"], "OKRs") == [NAMES]
    cycle = dict((r[0], r[1]) for r in emulator.values(made.hub_key, "Settings"))["Cycle"]
    assert cycle.startswith("20") and "-Q" in cycle
    assert "drive.permissions.create" not in kinds(emulator)


def test_warnings_wrap_in_new_team_tabs(looked_at: Emulator, example: Provisioned) -> None:
    sheet = looked_at.sheet(example.teams["Sales"], "OKRs")
    warnings = sheet.cells[(3, NAMES.index("Warnings"))]
    assert warnings["userEnteredFormat"]["wrapStrategy"] == "WRAP"
