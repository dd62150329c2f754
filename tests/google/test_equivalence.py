"""The same cells give the same results in both backends: one organisation run through the
local backend and, served by the fake Sheets API, through the Google backend, via the real
command line; the JSON must match except for where each team lives (`teams[].source`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.cli import cli
from sync.emulator import Emulator, RunningServer, seed_workspace, start

from .messy import make_hub_team_org, make_messy_org

AS_OF = "2026-11-21"
BUILDERS: dict[str, Callable[[Path], Any]] = {
    "example": lambda root: create_workspace(root, example=True),
    "messy": make_messy_org,
    "a team in the hub": make_hub_team_org,
}


@pytest.fixture
def server() -> Iterator[tuple[Emulator, RunningServer]]:
    emulator = Emulator()
    with start(emulator) as running:
        yield emulator, running


def okrtree(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    outcome = CliRunner(env=env).invoke(cli, [*args, "--as-of", AS_OF, "--json"])
    assert outcome.stderr == "", outcome.stderr
    return outcome.exit_code, json.loads(outcome.stdout)


def without_sources(data: dict[str, Any]) -> dict[str, Any]:
    return data | {"teams": [team | {"source": None} for team in data["teams"]]}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_local_and_google_agree(
    tmp_path: Path, server: tuple[Emulator, RunningServer], name: str
) -> None:
    emulator, running = server
    local = tmp_path / "local"
    BUILDERS[name](local)
    google = tmp_path / "google"
    shutil.copytree(local, google)
    hub = seed_workspace(emulator, google)
    env = {
        "OKRTREE_SHEETS_ENDPOINT": running.url,
        "OKRTREE_CREDENTIALS": "anonymous",
        "OKRTREE_READS_PER_MINUTE": "100000",
        "OKRTREE_WRITES_PER_MINUTE": "100000",
    }
    for command in ("validate", "sync", "sync"):
        local_code, local_json = okrtree(command, str(local))
        google_code, google_json = okrtree(command, hub, env=env)
        assert google_code == local_code
        assert without_sources(google_json) == without_sources(local_json), command
        sources = [t["source"] for t in google_json["teams"]]
        assert all(s.startswith("https://docs.google.com/spreadsheets/d/") for s in sources)
    assert local_json["writes"] == {"spreadsheets": 0, "cells": 0}  # the second sync
    if name == "messy":
        assert local_code == 1 and len(local_json["findings"]) >= 8
    trends = _trend_column(emulator.values(hub, "Alignment Tree"))
    book = load_workbook(local / "hub.xlsx", read_only=True)
    try:
        rows = [list(row) for row in book["Alignment Tree"].iter_rows(values_only=True)]
    finally:
        book.close()
    assert _trend_column(rows) == trends  # the same sparklines in both hubs
    assert name != "example" or sum(1 for t in trends if len(t) >= 3) > 50


def _trend_column(rows: list[list[Any]]) -> list[str]:
    column = rows[0].index("Trend")
    return [str(row[column] or "") if column < len(row) else "" for row in rows[1:]]
