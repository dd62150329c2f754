"""`okrtree emulator`: the fake API on a free loopback port, seeded from a workspace, and every
okrtree command sent there by OKRTREE_SHEETS_ENDPOINT."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from sheets_templates.builder import create_workspace
from sync.cli import cli


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`okrtree emulator --port 0 --from WORKSPACE` in its own process: (base URL, hub key)."""
    workspace = tmp_path / "org"
    create_workspace(workspace, example=True)
    log = tmp_path / "emulator.log"
    with (
        log.open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-m", "sync", "emulator", "--port", "0", "--from", str(workspace)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=Path(__file__).parents[2],
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        ) as process,
    ):
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not any(line.startswith("Hub key:") for line in lines):
                line = process.stdout.readline()
                if not line:
                    pytest.fail(f"the emulator stopped: {log.read_text()}")
                lines.append(line.strip())
            url = lines[0].split(" on ", 1)[1]
            hub = next(line for line in lines if line.startswith("Hub key:")).split(": ", 1)[1]
            yield url, hub
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_a_cli_run_against_the_served_emulator(served: tuple[str, str]) -> None:
    url, hub = served
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
    env = {"OKRTREE_SHEETS_ENDPOINT": url, "OKRTREE_CREDENTIALS": "anonymous"}
    outcome = CliRunner(env=env).invoke(cli, ["sync", hub, "--as-of", "2026-11-21", "--json"])
    assert outcome.exit_code == 0, outcome.stderr
    data = json.loads(outcome.stdout)
    assert data["writes"]["spreadsheets"] == 17 and len(data["teams"]) == 16
    stats = requests.get(f"{url}/_emulator/stats", timeout=10).json()
    assert stats["spreadsheets.get"] == 17
    assert stats["values.batchGet"] == 16
    assert stats["spreadsheets.batchUpdate"] == 17
    tree = CliRunner(env=env).invoke(cli, ["tree", hub, "--as-of", "2026-11-21"])
    assert tree.exit_code == 0 and "CO-1" in tree.stdout
    again = requests.get(f"{url}/_emulator/stats", timeout=10).json()
    assert again["spreadsheets.get"] == 34 and again["writes"] == stats["writes"]


def test_the_endpoint_must_be_a_url() -> None:
    env = {"OKRTREE_SHEETS_ENDPOINT": "localhost:1", "OKRTREE_CREDENTIALS": "anonymous"}
    outcome = CliRunner(env=env).invoke(cli, ["validate", "1" + "b" * 43])
    assert outcome.exit_code == 2
    assert "OKRTREE_SHEETS_ENDPOINT" in outcome.stderr and outcome.stderr.count("\n") == 1


def test_init_google_through_the_endpoint(tmp_path: Path) -> None:
    from sync.emulator import Emulator, start

    emulator = Emulator()
    with start(emulator) as running:
        env = {"OKRTREE_SHEETS_ENDPOINT": running.url, "OKRTREE_CREDENTIALS": "anonymous"}
        made = CliRunner(env=env).invoke(
            cli, ["init", "--google", "--title", "Acme", "--share", "ana@x.example"]
        )
        assert made.exit_code == 0, made.stderr
        hub_url = made.stdout.split("the hub: ", 1)[1].split()[0]
        assert hub_url.startswith("https://docs.google.com/spreadsheets/d/")
        synced = CliRunner(env=env).invoke(cli, ["sync", hub_url, "--json"])
        assert synced.exit_code == 0, synced.stderr
        assert len(emulator.store.spreadsheets) == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["init", "--google"], "--title"),
        (["init", "--google", "--title", "X", "somewhere"], "drop DIRECTORY"),
        (["init"], "give DIRECTORY"),
        (["init", "dir", "--title", "X"], "go with --google"),
    ],
)
def test_init_option_mistakes(args: list[str], says: str) -> None:
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 2 and says in outcome.stderr


@pytest.mark.parametrize("command", [["emulator"], ["init"], ["validate"]])
def test_help_has_an_example(command: list[str]) -> None:
    outcome = CliRunner().invoke(cli, [*command, "--help"])
    assert outcome.exit_code == 0 and "Example:" in outcome.stdout
    if command != ["emulator"]:
        assert "--credentials" in outcome.stdout
