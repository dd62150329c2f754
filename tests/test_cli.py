"""The `okrtree` command line through its real entry point, on real workspaces."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.cli import cli

AS_OF = "2026-11-21"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli") / "org"
    create_workspace(directory, example=True)
    return directory


def invoke(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(cli, list(args))
    return outcome.exit_code, outcome.stdout, outcome.stderr


COMMANDS = cli.list_commands(click.Context(cli))  # the lazily imported ones included


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    code, out, _ = invoke(*command, "--help")
    assert code == 0
    assert "Example:" in out and "okrtree " in out


def test_validate_json_follows_the_contract(example: Path) -> None:
    code, out, err = invoke("validate", str(example), "--as-of", AS_OF, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"as_of", "cycle", "teams", "items", "findings", "writes"}
    assert data["as_of"] == AS_OF
    assert data["cycle"] == {
        "name": "2026-Q4",
        "start": "2026-10-01",
        "end": "2026-12-31",
        "expected": 0.5604,
        "ended": False,
    }
    assert len(data["teams"]) >= 15
    assert {t["level"] for t in data["teams"]} == {"company", "department", "team", "individual"}
    assert set(data["teams"][0]) == {"name", "level", "parent", "source", "ok"}
    assert set(data["items"][0]) == {
        "id",
        "type",
        "team",
        "title",
        "owner",
        "parent",
        "depends_on",
        "score",
        "progress",
        "status",
        "row",
        "confidence",
        "note",
        "trend",
    }
    assert {i["type"] for i in data["items"]} == {"objective", "key_result"}
    assert data["writes"] == {"spreadsheets": 0, "cells": 0}
    assert all(f["severity"] == "warning" for f in data["findings"])
    assert data["findings"] == sorted(
        data["findings"], key=lambda f: (f["code"], (f["id"] or "").lower())
    )


def test_sync_then_resync_writes_nothing_and_saves_no_file(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    code, out, _ = invoke("sync", str(org), "--as-of", AS_OF, "--json")
    first = json.loads(out)
    assert code == 0 and first["writes"]["spreadsheets"] >= 16 and first["writes"]["cells"] > 0
    stamps = {p: p.stat().st_mtime_ns for p in org.rglob("*.xlsx")}
    code, out, _ = invoke("sync", str(org), "--as-of", AS_OF, "--json")
    assert code == 0 and json.loads(out)["writes"] == {"spreadsheets": 0, "cells": 0}
    assert {p: p.stat().st_mtime_ns for p in org.rglob("*.xlsx")} == stamps


def test_tree_draws_every_item(example: Path) -> None:
    code, out, _ = invoke("tree", str(example), "--as-of", AS_OF)
    _, listing, _ = invoke("validate", str(example), "--as-of", AS_OF, "--json")
    assert code == 0
    for item in json.loads(listing)["items"]:
        assert item["id"] in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "no-such-folder"], "no such workspace folder"),
        (["validate", "{example}", "--as-of", "21/11/2026"], "not a date; use YYYY-MM-DD"),
        (["sync", "{example}", "--bogus"], "No such option"),
        (["validate"], "Missing argument"),
        (["init", "{example}"], "not empty"),
    ],
)
def test_a_run_that_cannot_proceed_exits_2_with_one_line(
    example: Path, args: list[str], message: str
) -> None:
    code, out, err = invoke(*[a.format(example=example) for a in args])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("okrtree: ") and message in err
    assert "Traceback" not in err


def test_hub_without_settings_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    hub = org / "hub.xlsx"
    workbook = load_workbook(hub)
    del workbook["Settings"]
    workbook.save(hub)
    stamps = {p: p.stat().st_mtime_ns for p in org.rglob("*.xlsx")}
    code, out, err = invoke("sync", str(org), "--as-of", AS_OF)
    assert code == 2 and out == "" and "no 'Settings' tab" in err and err.count("\n") == 1
    assert {p: p.stat().st_mtime_ns for p in org.rglob("*.xlsx")} == stamps


def test_errors_exit_1(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    hub = load_workbook(org / "hub.xlsx")
    hub["Teams"].append(["Ghost team", "Team", "Northwind", "teams/ghost.xlsx"])
    hub.save(org / "hub.xlsx")
    code, out, _ = invoke("validate", str(org), "--as-of", AS_OF, "--json")
    data = json.loads(out)
    assert code == 1
    assert [(f["code"], f["team"]) for f in data["findings"] if f["severity"] == "error"] == [
        ("SPREADSHEET_UNREADABLE", "Ghost team")
    ]
    assert data["teams"][-1] == {
        "name": "Ghost team",
        "level": "team",
        "parent": "Northwind",
        "source": "teams/ghost.xlsx",
        "ok": False,
    }


def test_init_blank_workspace_validates(tmp_path: Path) -> None:
    code, out, _ = invoke("init", str(tmp_path / "blank"))
    assert code == 0 and "hub.xlsx" in out
    code, out, err = invoke("validate", str(tmp_path / "blank"), "--json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert [t["ok"] for t in data["teams"]] == [True]
    assert (data["items"], data["findings"]) == ([], [])
