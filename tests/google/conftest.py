"""The Google path against the fake Sheets API: gspread's real client, the in-process emulator,
a clock that only moves when slept on, and organisations seeded from local workspaces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gspread
import pytest
from gspread.http_client import HTTPClient

from sheets_templates.builder import (
    create_workspace,
    new_hub_workbook,
    new_team_workbook,
    team_column_names,
)
from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator, make_client, seed_workspace
from sync.engine import Run, run
from sync.google.api import SheetsApi
from sync.google.ratelimit import Quotas
from sync.google.retry import RetryPolicy
from tests.clock import FakeClock

AS_OF = dt.date(2026, 11, 21)
CYCLE = {
    "Cycle": "2026-Q4",
    "Cycle start": dt.date(2026, 10, 1),
    "Cycle end": dt.date(2026, 12, 31),
}
ACCOUNT = "okrtree@emulator.invalid"


class RecordingHTTPClient(HTTPClient):
    """gspread's HTTP client, keeping every request body it sends (to look at the JSON)."""

    bodies: list[tuple[str, Any]]

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not hasattr(self, "bodies"):
            self.bodies = []
        self.bodies.append((endpoint, kwargs.get("json")))
        return super().request(method, endpoint, *args, **kwargs)


@pytest.fixture
def clock(emulator: Emulator) -> FakeClock:
    """One fake clock for okrtree's limiter and retries and for the emulator's quotas."""
    fake = FakeClock(1000.0)
    emulator.clock = fake
    return fake


@pytest.fixture
def client(emulator: Emulator) -> gspread.Client:
    return make_client(emulator, http_client=RecordingHTTPClient)


@pytest.fixture
def api(client: gspread.Client, clock: FakeClock) -> SheetsApi:
    quotas = Quotas.build(env={}, clock=clock, sleep=clock.sleep)
    retry = RetryPolicy(sleep=clock.sleep, random=lambda: 0.5)
    return SheetsApi(client.http_client, quotas, retry, account=ACCOUNT)


@pytest.fixture
def backend(api: SheetsApi) -> Callable[[str], GoogleBackend]:
    return lambda hub: GoogleBackend(hub, api)


def sync(backend: GoogleBackend, write: bool = True, history: bool = False) -> Run:
    return run(backend, AS_OF, write=write, history=history)


def kinds(emulator: Emulator) -> dict[str, int]:
    """Request counts by kind, without the totals."""
    return {k: v for k, v in emulator.stats().items() if k not in ("total", "reads", "writes")}


def make_org(root: Path, teams: dict[str, list[dict[str, Any]]]) -> Path:
    """A workspace with one Team-level team per entry (the first is the Company)."""
    rows = []
    for i, (name, okrs) in enumerate(teams.items()):
        source = f"teams/{name.lower()}.xlsx"
        new_team_workbook(root / source, rows=okrs)
        level, parent = ("Company", "") if i == 0 else ("Team", next(iter(teams)))
        rows.append({"Team": name, "Level": level, "Parent team": parent, "Spreadsheet": source})
    new_hub_workbook(root / "hub.xlsx", teams=rows, settings=CYCLE)
    return root


def small_team(prefix: str, parent: str = "") -> list[dict[str, Any]]:
    return [
        {
            "ID": f"{prefix}-1",
            "Type": "Objective",
            "Title": f"{prefix} goal",
            "Parent": parent,
            "Owner": "o@x.example",
            "Why now": "because",
        },
        {
            "ID": f"{prefix}-2",
            "Type": "Key Result",
            "Title": "Count",
            "Owner": "o@x.example",
            "Start": 0,
            "Target": 10,
            "Current": 4,
            "Updated": dt.date(2026, 11, 20),
        },
        {
            "ID": f"{prefix}-3",
            "Type": "Key Result",
            "Title": "Rate",
            "Owner": "o@x.example",
            "Start": 9,
            "Target": 5,
            "Current": 7,
            "Updated": dt.date(2026, 11, 20),
        },
    ]


@pytest.fixture
def org(tmp_path: Path, emulator: Emulator) -> Callable[[int], str]:
    """Seed an organisation of `n` small teams into the emulator; returns the hub key."""

    def build(n: int) -> str:
        teams = {"Company": small_team("CO")}
        teams |= {f"T{i}": small_team(f"T{i}", "CO-1") for i in range(1, n)}
        root = make_org(tmp_path / f"org{n}", teams)
        return seed_workspace(emulator, root)

    return build


@pytest.fixture(scope="session")
def example_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "org"
    create_workspace(root, example=True)
    return root


@pytest.fixture
def example_hub(emulator: Emulator, example_workspace: Path) -> str:
    return seed_workspace(emulator, example_workspace)


def team_keys(emulator: Emulator, hub: str) -> dict[str, str]:
    """Team name -> spreadsheet key, from the seeded hub's Teams tab."""
    rows = emulator.values(hub, "Teams")
    column = rows[0].index("Spreadsheet")
    return {row[0]: row[column].split("/d/")[1].split("/")[0] for row in rows[1:] if row}


HEADER = team_column_names()


def fast_org(emulator: Emulator, teams: int, settings: dict[str, Any] | None = None) -> str:
    """An organisation of `teams` small teams made directly in the emulator (quick for many)."""
    rows = [["Team", "Level", "Parent team", "Spreadsheet", "Tab"]]
    for i in range(teams):
        prefix = f"T{i}"
        parent = "" if i == 0 else "T0-1"
        okrs = [
            HEADER,
            [
                f"{prefix}-1",
                "Objective",
                "Goal",
                "o@x.example",
                parent,
                "",
                "",
                "",
                "",
                "",
                "",
                "now",
            ],
            [
                f"{prefix}-2",
                "Key Result",
                "Count",
                "o@x.example",
                "",
                "",
                0,
                10,
                4,
                "",
                "2026-11-20",
            ],
        ]
        key = emulator.create_spreadsheet(f"team {i}", {"OKRs": okrs})
        level = "Company" if i == 0 else "Team"
        url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
        rows.append([f"Team {i}", level, "" if i == 0 else "Team 0", url, "OKRs"])
    values = {**CYCLE, **(settings or {})}
    settings_rows = [[k, v.isoformat() if isinstance(v, dt.date) else v] for k, v in values.items()]
    return emulator.create_spreadsheet("hub", {"Teams": rows, "Settings": settings_rows})
