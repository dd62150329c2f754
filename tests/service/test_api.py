"""`/api/validate`, `/api/sync` and `/api/tree` on the example organisation."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service.org import find_team, spreadsheet_key
from service.state import Services
from sheets_templates.builder import new_hub_workbook, new_team_workbook
from sheets_templates.example import EXPECTED_WARNINGS, SETTINGS, TEAMS
from sync.backends.base import Backend
from sync.engine import run
from sync.model import Level, Team
from sync.report import result_json
from sync.snapshot import HubSnapshot, OutputTable, SheetChanges, TeamSnapshot
from sync.sources import open_backend

from .conftest import AS_OF, LOCAL_TOKEN, AppFactory, bearer, script_client

AUTH = bearer(LOCAL_TOKEN)
PLATFORM = {"spreadsheet": "teams/platform.xlsx"}
SCORE_COLUMN = 13  # the template's Score column (M)


@pytest.fixture
def local(make_app: AppFactory) -> Flask:
    return make_app(AUTH_MODE="token")


@pytest.fixture
def api(local: Flask) -> FlaskClient:
    return local.test_client()


def services(app: Flask) -> Services:
    found = app.extensions["okrtree"]
    assert isinstance(found, Services)
    return found


def rewrite_team(workspace: Path, name: str, change: dict[str, dict[str, Any]]) -> None:
    """Save team `name`'s workbook with some rows' cells changed (by ID), or rows dropped."""
    team = next(t for t in TEAMS if t.name == name)
    rows = [{**row, **change.get(row["ID"], {})} for row in team.rows]
    rows = [row for row in rows if not row.get("drop")]
    new_team_workbook(workspace / team.source, team_prefix=team.prefix, rows=rows)


# -- validate ---------------------------------------------------------------------------------


def test_validate_answers_for_the_sheet_and_writes_it(api: FlaskClient, workspace: Path) -> None:
    response = api.post("/api/validate", json=PLATFORM, headers=AUTH)
    assert response.status_code == 200
    body = response.json
    assert list(body) == [
        "spreadsheet",
        "team",
        "tab",
        "as_of",
        "items",
        "findings",
        "writes",
        "summary",
    ]
    assert (body["spreadsheet"], body["team"], body["tab"], body["as_of"]) == (
        "teams/platform.xlsx",
        "Platform",
        "OKRs",
        "2026-11-21",
    )
    assert [i["id"] for i in body["items"]] == [f"PLAT-{n}" for n in range(1, 7)]
    assert body["findings"] == [] and body["summary"] == {"error": 0, "warning": 0, "info": 0}
    assert body["writes"]["spreadsheets"] == 1 and body["writes"]["cells"] > 0
    sheet = load_workbook(workspace / "teams" / "platform.xlsx")["OKRs"]
    assert sheet.cell(2, SCORE_COLUMN).value == pytest.approx(0.55)
    assert sheet.cell(2, SCORE_COLUMN + 1).value == "On track"
    assert (
        load_workbook(workspace / "teams" / "sales.xlsx")["OKRs"].cell(2, SCORE_COLUMN).value
        is None
    )

    again = api.post("/api/validate", json=PLATFORM, headers=AUTH)
    assert again.json["writes"] == {"spreadsheets": 0, "cells": 0}
    assert again.json["items"] == body["items"]


@pytest.mark.parametrize("sheet", ["teams/platform.xlsx", "teams/sales.xlsx"])
def test_validate_items_are_the_clis(api: FlaskClient, workspace: Path, sheet: str) -> None:
    """A click's items are the `--json` items of the same run, trends from History included."""
    body = api.post("/api/validate", json={"spreadsheet": sheet}, headers=AUTH).json
    result = run(open_backend(str(workspace)), dt.date.fromisoformat(AS_OF)).computed.result
    items = json.loads(json.dumps(result_json(result)["items"]))
    cli = [i for i in items if i["team"] == body["team"]]
    assert body["items"] == cli
    assert any(len(item["trend"]) >= 3 for item in body["items"])


def test_validate_shows_only_that_teams_findings(api: FlaskClient) -> None:
    body = api.post("/api/validate", json={"spreadsheet": "teams/mobile.xlsx"}, headers=AUTH).json
    assert body["team"] == "Mobile"
    assert [(f["code"], f["id"], f["row"]) for f in body["findings"]] == [
        ("CONFIDENCE_GAP", "MOB-4", 5),
        ("UNACKNOWLEDGED_DEPENDENCY", "MOB-1", 2),
    ]
    assert body["summary"] == {"error": 0, "warning": 2, "info": 0}
    assert {i["team"] for i in body["items"]} == {"Mobile"}


class Counting:
    """A backend that records every read and write it is asked for."""

    def __init__(self, inner: Backend, log: list[str]) -> None:
        self.inner = inner
        self.log = log

    def read_hub(self) -> HubSnapshot:
        self.log.append("read hub")
        return self.inner.read_hub()

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        self.log.extend(f"read {t.name}" for t in teams)
        return self.inner.read_teams(teams)

    def write_team(self, changes: SheetChanges) -> None:
        self.log.append(f"write {changes.team}")
        self.inner.write_team(changes)

    def write_hub(self, tables: list[OutputTable]) -> int:
        self.log.append("write hub")
        return self.inner.write_hub(tables)


def test_a_click_costs_two_reads_on_a_cold_instance(local: Flask) -> None:
    log: list[str] = []
    services(local).organisation.backend_for = lambda source: Counting(open_backend(source), log)
    api = local.test_client()
    api.post("/api/validate", json=PLATFORM, headers=AUTH)
    assert log == ["read hub", "read Platform", "write Platform"]  # the rest from the state

    log.clear()
    api.post("/api/validate", json={"spreadsheet": "teams/sales.xlsx"}, headers=AUTH)
    assert log == ["read hub", "read Sales", "write Sales"]
    log.clear()
    api.post("/api/validate", json={"spreadsheet": "teams/sales.xlsx"}, headers=AUTH)
    assert log == ["read hub", "read Sales"]


def test_validate_judges_against_the_last_sync(api: FlaskClient, workspace: Path) -> None:
    api.post("/api/validate", json=PLATFORM, headers=AUTH)  # judged against the state
    rewrite_team(workspace, "Engineering", {"ENG-2": {"drop": True}})
    codes = [
        f["code"] for f in api.post("/api/validate", json=PLATFORM, headers=AUTH).json["findings"]
    ]
    assert "UNKNOWN_PARENT" not in codes  # ENG-2 is still there as of the last sync
    assert api.post("/api/sync", json={}, headers=AUTH).status_code == 200
    findings = api.post("/api/validate", json=PLATFORM, headers=AUTH).json["findings"]
    assert [(f["code"], f["id"]) for f in findings] == [("UNKNOWN_PARENT", "PLAT-1")]


def test_validate_reads_the_teams_tab_fresh(api: FlaskClient, workspace: Path) -> None:
    api.post("/api/validate", json=PLATFORM, headers=AUTH)
    teams = [t.hub_row() for t in TEAMS if t.name != "Platform"]
    new_hub_workbook(workspace / "hub.xlsx", teams=teams, settings=SETTINGS)
    response = api.post("/api/validate", json=PLATFORM, headers=AUTH)
    assert response.json["error"]["code"] == "unregistered_spreadsheet"


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"data": "spreadsheet=x", "content_type": "application/x-www-form-urlencoded"}, "form"),
        ({"data": "{not json", "content_type": "application/json"}, "broken JSON"),
        ({"json": ["teams/platform.xlsx"]}, "a list"),
        ({"json": {}}, "no spreadsheet"),
        ({"json": {"spreadsheet": 7}}, "a number"),
        ({"json": {"spreadsheet": None}}, "null"),
        ({"json": {"spreadsheet": ""}}, "empty"),
        ({"json": {"spreadsheet": "   "}}, "blank"),
        ({"json": {"spreadsheet": "x" * 2049}}, "too long"),
    ],
)
def test_validate_needs_a_spreadsheet(api: FlaskClient, kwargs: dict[str, Any], why: str) -> None:
    response = api.post("/api/validate", headers=AUTH, **kwargs)
    assert response.status_code == 400, why
    assert response.json["error"]["code"] == "invalid_request"
    assert "spreadsheet" in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("registered", "asked", "found"),
    [
        ("teams/sales.xlsx", "teams/sales.xlsx", True),
        ("teams/sales.xlsx", " teams/sales.xlsx ", True),
        ("teams/sales.xlsx", "teams/Sales.xlsx", False),
        ("teams/sales.xlsx", "sales.xlsx", False),
        ("https://docs.google.com/spreadsheets/d/1AbC-9_x/edit#gid=0", "1AbC-9_x", True),
        ("1AbC-9_x", "https://docs.google.com/spreadsheets/d/1AbC-9_x/edit", True),
        ("https://docs.google.com/spreadsheets/d/1AbC-9_x", "1abc-9_x", False),
        ("1AbC-9_x", "1AbC-9_", False),
        ("1AbC-9_x", "", False),
    ],
)
def test_spreadsheets_are_matched_by_key(registered: str, asked: str, found: bool) -> None:
    teams = [Team("Other", Level.TEAM, None, "other.xlsx"), Team("T", Level.TEAM, None, registered)]
    assert (find_team(teams, asked) is teams[1]) is found


def test_spreadsheet_key_reads_google_urls() -> None:
    url = "https://docs.google.com/spreadsheets/d/1mQ7eXkTz9pL2aB4cD6eF8gH/edit?usp=sharing"
    assert spreadsheet_key(url) == "1mQ7eXkTz9pL2aB4cD6eF8gH"


# -- sync -------------------------------------------------------------------------------------


def _history_rows(workspace: Path) -> int:
    hub = load_workbook(workspace / "hub.xlsx", read_only=True)
    try:
        return int(hub["History"].max_row)
    finally:
        hub.close()


def test_sync_answers_in_numbers(api: FlaskClient, workspace: Path) -> None:
    history = _history_rows(workspace)  # the example's quarter
    response = api.post("/api/sync", json={}, headers=AUTH)
    assert response.status_code == 200
    assert response.json == {
        "as_of": "2026-11-21",
        "teams": 16,
        "items": 76,
        "summary": {"error": 0, "warning": len(EXPECTED_WARNINGS), "info": 0},
        "writes": response.json["writes"],
    }
    assert response.json["writes"]["spreadsheets"] == 17  # every team and the hub
    hub = load_workbook(workspace / "hub.xlsx", read_only=True)
    tabs = hub.sheetnames
    hub.close()
    assert "Alignment Tree" in tabs and _history_rows(workspace) == history  # no --history
    again = api.post("/api/sync", headers=AUTH)  # no body at all is fine too
    assert again.json["writes"] == {"spreadsheets": 0, "cells": 0}


def test_one_sync_at_a_time(local: Flask, api: FlaskClient) -> None:
    with services(local).organisation.sync_lock.hold():
        response = api.post("/api/sync", json={}, headers=AUTH)
        nightly = api.get("/tasks/nightly", headers=AUTH)
        assert api.post("/api/validate", json=PLATFORM, headers=AUTH).status_code == 200
    assert response.status_code == 409 and nightly.status_code == 409
    assert response.json["error"]["code"] == "sync_running"
    assert "already running" in response.json["error"]["message"]
    assert response.headers["Retry-After"] == "60"
    assert api.post("/api/sync", json={}, headers=AUTH).status_code == 200


def test_the_lock_is_shared_by_apps_on_one_source(make_app: AppFactory) -> None:
    first, second = make_app(AUTH_MODE="none"), make_app(AUTH_MODE="none")
    with services(first).organisation.sync_lock.hold():
        assert script_client(second).post("/api/sync").status_code == 409


HOLD_LOCK = """
import sys, pathlib
from service.locks import SyncLock
with SyncLock(sys.argv[1], pathlib.Path(sys.argv[2])).hold():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_the_lock_holds_across_processes(make_app: AppFactory, tmp_path: Path) -> None:
    state = tmp_path / "state"
    app = make_app(AUTH_MODE="none", STATE_DIR=str(state))
    source = services(app).config.source
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, source, str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        assert script_client(app).post("/api/sync").status_code == 409
    finally:
        other.communicate("\n", timeout=30)
    assert script_client(app).post("/api/sync").status_code == 200


# -- tree -------------------------------------------------------------------------------------


def test_tree_json_lists_every_item_depth_first(api: FlaskClient, workspace: Path) -> None:
    response = api.get("/api/tree", headers=AUTH)
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    assert body["as_of"] == "2026-11-21" and body["cycle"]["name"] == "2026-Q4"
    assert body["teams"][:3] == ["Northwind", "Engineering", "Sales"]
    rows = body["rows"]
    assert len(rows) == 76 and {r["type"] for r in rows} == {"objective", "key_result"}
    assert set(rows[0]) == {
        "id", "title", "type", "team", "owner", "depth", "score",
        "status", "warnings", "parent", "row", "link",
    }  # fmt: skip
    # a local workbook's rows link to the workbook's file (a browser cannot open a row in it)
    hub = load_workbook(workspace / "hub.xlsx", read_only=True)
    try:
        files = {
            t: (workspace / f).absolute().as_uri()
            for t, _, _, f, *_ in hub["Teams"].iter_rows(2, values_only=True)
        }
    finally:
        hub.close()
    assert all(r["link"] == files[r["team"]] for r in rows)
    assert len({r["link"] for r in rows}) == 16
    assert (rows[0]["id"], rows[0]["depth"], rows[0]["parent"]) == ("CO-1", 0, None)
    assert (rows[1]["id"], rows[1]["depth"], rows[1]["parent"]) == ("CO-2", 1, "CO-1")
    by_id = {r["id"]: r for r in rows}
    assert by_id["SUP-4"]["warnings"] == 1 and by_id["SUP-1"]["warnings"] == 0
    assert sum(r["warnings"] for r in rows) == len(EXPECTED_WARNINGS)
    for parent, child in zip(rows, rows[1:], strict=False):
        assert child["depth"] <= parent["depth"] + 1


def test_tree_json_is_cached_compressed_and_conditional(api: FlaskClient) -> None:
    plain = api.get("/api/tree", headers=AUTH)
    zipped = api.get("/api/tree", headers={**AUTH, "Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.data)) == plain.json
    assert zipped.headers["Vary"] == "Accept-Encoding"
    etag = plain.headers["ETag"]
    unchanged = api.get("/api/tree", headers={**AUTH, "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""


def test_tree_follows_syncs(api: FlaskClient, workspace: Path) -> None:
    before = api.get("/api/tree", headers=AUTH)
    rewrite_team(workspace, "Mobile", {"MOB-4": {"Current": "done"}})
    assert api.get("/api/tree", headers=AUTH).headers["ETag"] == before.headers["ETag"]
    api.post("/api/sync", json={}, headers=AUTH)
    after = api.get("/api/tree", headers=AUTH)
    assert after.headers["ETag"] != before.headers["ETag"]
    score = {r["id"]: r["score"] for r in after.json["rows"]}
    assert score["MOB-4"] == 1.0


def test_tree_json_marks_alignment_cycles(make_app: AppFactory, tmp_path: Path) -> None:
    org = tmp_path / "cyclic"
    rows = [
        {"ID": "A-1", "Type": "Objective", "Title": "Root", "Why now": "launch"},
        {"ID": "A-2", "Type": "Objective", "Title": "Loop one", "Parent": "A-3"},
        {"ID": "A-3", "Type": "Objective", "Title": "Loop two", "Parent": "A-2"},
        {"ID": "A-4", "Type": "Objective", "Title": "Under the loop", "Parent": "A-3"},
    ]
    new_team_workbook(org / "a.xlsx", rows=rows)
    team = {"Team": "A", "Level": "Company", "Spreadsheet": "a.xlsx", "Tab": "OKRs"}
    new_hub_workbook(org / "hub.xlsx", teams=[team], settings=SETTINGS)
    body = make_app(SOURCE=str(org), AUTH_MODE="none").test_client().get("/api/tree").json
    assert [(r["type"], r["id"], r["depth"]) for r in body["rows"]] == [
        ("objective", "A-1", 0),
        ("marker", None, 0),
        ("objective", "A-2", 0),
        ("objective", "A-3", 0),
        ("objective", "A-4", 1),
    ]
    assert body["rows"][1]["title"] == "Unreachable (alignment cycle)"
    assert body["rows"][2]["warnings"] == 1  # the PARENT_CYCLE finding on the smallest ID
