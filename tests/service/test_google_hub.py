"""The service on a Google hub: the example organisation served by the fake Sheets API, reached
through gspread's real client. A click is validated by spreadsheet key or URL and costs at most
two reads and one write once a sync has saved the state."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from flask import Flask

from service.state import services_of
from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator, make_client, seed_workspace
from sync.google.api import SheetsApi
from sync.google.keys import spreadsheet_key, spreadsheet_url
from sync.google.ratelimit import Quotas
from sync.google.retry import RetryPolicy
from sync.hub import parse_teams
from tests.clock import FakeClock

from .conftest import AppFactory, script_client


@pytest.fixture
def emulator() -> Emulator:
    emulator = Emulator()
    emulator.sleep = lambda seconds: None
    emulator.clock = FakeClock(1000.0)
    return emulator


@pytest.fixture
def api(emulator: Emulator) -> SheetsApi:
    clock = emulator.clock
    assert isinstance(clock, FakeClock)
    quotas = Quotas.build(env={}, clock=clock, sleep=clock.sleep)
    retry = RetryPolicy(sleep=clock.sleep, random=lambda: 0.5)
    return SheetsApi(make_client(emulator).http_client, quotas, retry, account="okrtree@x.invalid")


@pytest.fixture
def hub(emulator: Emulator, workspace: Path) -> str:
    return seed_workspace(emulator, workspace)


@pytest.fixture
def google_app(make_app: AppFactory, api: SheetsApi, hub: str) -> Flask:
    return make_app(SOURCE=spreadsheet_url(hub), SHEETS_API=api, AUTH_MODE="none")


def team_key(api: SheetsApi, hub: str, name: str) -> str:
    teams = parse_teams(GoogleBackend(hub, api).read_hub()).teams
    source = next(t.source for t in teams if t.name == name)
    key = spreadsheet_key(source)
    assert key is not None
    return key


def test_validate_by_key_or_url(google_app: Flask, api: SheetsApi, hub: str) -> None:
    key = team_key(api, hub, "Platform")
    client = script_client(google_app)
    assert client.post("/api/sync").status_code == 200  # the state
    for asked in (key, spreadsheet_url(key), f"https://docs.google.com/spreadsheets/d/{key}/"):
        response = client.post("/api/validate", json={"spreadsheet": asked})
        assert response.status_code == 200, response.json
        assert (response.json["team"], response.json["spreadsheet"]) == ("Platform", asked)
    refused = client.post("/api/validate", json={"spreadsheet": hub})  # the hub is no team
    assert refused.json["error"]["code"] == "unregistered_spreadsheet"


def test_a_click_costs_two_reads_and_one_write(
    google_app: Flask, api: SheetsApi, hub: str, emulator: Emulator
) -> None:
    client = script_client(google_app)
    key = team_key(api, hub, "Sales")
    assert client.post("/api/sync").status_code == 200  # the state
    emulator.reset_stats()
    first = client.post("/api/validate", json={"spreadsheet": key})
    assert first.status_code == 200
    counts = emulator.stats()
    assert counts["reads"] == 2 and counts["writes"] == 0  # the sync already wrote it
    emulator.reset_stats()
    assert client.post("/api/validate", json={"spreadsheet": key}).status_code == 200
    assert emulator.stats()["reads"] == 2


@pytest.mark.parametrize("given", [True, False])
def test_the_app_opens_every_backend_with_its_one_client(
    make_app: AppFactory, api: SheetsApi, hub: str, given: bool
) -> None:
    extra = {"SHEETS_API": api} if given else {"CREDENTIALS": "anonymous"}
    app = make_app(SOURCE=spreadsheet_url(hub), AUTH_MODE="none", **extra)
    organisation = services_of(app).organisation
    first, second = organisation.backend(), organisation.backend()
    assert isinstance(first, GoogleBackend) and isinstance(second, GoogleBackend)
    assert first is not second and first.api is second.api
    assert (first.api is api) is given


def test_the_tree_of_a_google_hub_links_to_rows(google_app: Flask) -> None:
    rows = google_app.test_client().get("/api/tree").json["rows"]
    assert len(rows) == 76
    assert all(r["link"].startswith("https://docs.google.com/spreadsheets/d/") for r in rows)
    plat1 = next(r for r in rows if r["id"] == "PLAT-1")
    assert plat1["link"].endswith("range=A2")
    page = google_app.test_client().get("/tree?team=Platform").text
    assert f'<a class="id" href="{escape(plat1["link"])}" target="_blank" rel="noopener"' in page
