"""Every instance reads the newest state before answering: a sync made by another instance,
the worker or the CLI shows at the next request; a cold instance's click costs two reads; and
before any sync a click is refused rather than reading the whole organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import load_workbook

from sync.cli import cli
from sync.emulator import Emulator, make_client, seed_workspace
from sync.google.api import SheetsApi
from sync.google.keys import spreadsheet_url
from sync.google.ratelimit import Quotas
from sync.google.retry import RetryPolicy
from tests.clock import FakeClock

from .conftest import AS_OF, AppFactory, script_client
from .test_google_hub import team_key

NO_AUTH: dict[str, Any] = {"AUTH_MODE": "none"}


def retitle(workspace: Path, item: str, title: str) -> None:
    path = workspace / "teams" / "platform.xlsx"
    wb = load_workbook(path)
    ws = wb["OKRs"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == item)
    ws.cell(row, 3).value = title
    wb.save(path)


def titles(client: Any) -> dict[str, str]:
    return {r["id"]: r["title"] for r in client.get("/api/tree").json["rows"]}


def test_before_any_sync_a_click_is_refused(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(STATE_DIR=str(tmp_path / "empty"), **NO_AUTH)
    response = script_client(app).post("/api/validate", json={"spreadsheet": "teams/sales.xlsx"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "no_state"
    assert "no sync has run yet; an administrator runs one" in response.json["error"]["message"]


def test_another_instance_sees_a_sync_at_its_next_request(
    make_app: AppFactory, workspace: Path, tmp_path: Path
) -> None:
    shared = {"STATE_DIR": str(tmp_path / "shared"), **NO_AUTH}
    first, second = script_client(make_app(**shared)), script_client(make_app(**shared))
    assert first.post("/api/sync").status_code == 200
    assert titles(second)["PLAT-1"] != "Faster everywhere"
    retitle(workspace, "PLAT-1", "Faster everywhere")
    assert first.post("/api/sync").status_code == 200
    assert titles(second)["PLAT-1"] == "Faster everywhere"


def test_serve_sees_a_cli_sync_at_its_next_request(make_app: AppFactory, workspace: Path) -> None:
    served = script_client(make_app(**NO_AUTH))  # the workspace's own state, as `okrtree serve`
    before = titles(served)
    retitle(workspace, "PLAT-1", "Faster everywhere")
    assert titles(served) == before  # nothing synced yet
    result = CliRunner().invoke(cli, ["sync", str(workspace), "--as-of", AS_OF])
    assert result.exit_code in (0, 1), result.output
    assert titles(served)["PLAT-1"] == "Faster everywhere"


def _google_api(emulator: Emulator) -> SheetsApi:
    clock = FakeClock(1000.0)
    emulator.clock = clock
    quotas = Quotas.build(env={}, clock=clock, sleep=clock.sleep)
    retry = RetryPolicy(sleep=clock.sleep, random=lambda: 0.5)
    return SheetsApi(make_client(emulator).http_client, quotas, retry, account="o@x.invalid")


def test_a_cold_instance_click_costs_two_reads(
    make_app: AppFactory, workspace: Path, emulator: Emulator, tmp_path: Path
) -> None:
    hub = seed_workspace(emulator, workspace)
    api = _google_api(emulator)
    config = {"SOURCE": spreadsheet_url(hub), "SHEETS_API": api, "STATE_DIR": str(tmp_path)}
    key = team_key(api, hub, "Sales")
    cold = script_client(make_app(**config, **NO_AUTH))
    emulator.reset_stats()
    assert cold.post("/api/validate", json={"spreadsheet": key}).status_code == 409
    assert emulator.stats()["reads"] == 0  # refused before reading anything

    assert script_client(make_app(**config, **NO_AUTH)).post("/api/sync").status_code == 200
    emulator.reset_stats()
    asked: list[tuple[str, list[str]]] = []
    get_spreadsheet = api.get_spreadsheet

    def recording(key: str, **kwargs: Any) -> Any:
        asked.append((key, list(kwargs.get("ranges", ()))))
        return get_spreadsheet(key, **kwargs)

    api.get_spreadsheet = recording  # type: ignore[method-assign]
    second = script_client(make_app(**config, **NO_AUTH))
    answer = second.post("/api/validate", json={"spreadsheet": key})
    assert answer.status_code == 200
    stats = emulator.stats()
    assert (stats["reads"], stats["writes"]) == (2, 0)
    assert asked[0] == (hub, ["'Teams'", "'Settings'"])  # never the growing output tabs
    assert asked[1][0] == key


def test_a_sync_under_the_hubs_url_shows_where_its_key_is_served(
    make_app: AppFactory, workspace: Path, emulator: Emulator, tmp_path: Path
) -> None:
    """`okrtree sync URL` and `okrtree serve KEY` name one hub: the service takes that state."""
    hub = seed_workspace(emulator, workspace)
    api = _google_api(emulator)
    shared = {"SHEETS_API": api, "STATE_DIR": str(tmp_path), **NO_AUTH}
    by_url = script_client(make_app(SOURCE=spreadsheet_url(hub) + "#gid=0", **shared))
    by_key = script_client(make_app(SOURCE=hub, **shared))
    assert by_key.get("/api/synced").json["synced_at"] is None
    assert by_url.post("/api/sync").status_code == 200
    assert by_key.get("/api/synced").json == by_url.get("/api/synced").json
    key = team_key(api, hub, "Sales")
    assert by_key.post("/api/validate", json={"spreadsheet": key}).status_code == 200
