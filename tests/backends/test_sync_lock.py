"""One sync at a time per workspace, through the real entry point."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.backends.xlsx_lock import LOCK_FILE, WAIT_ENV, workspace_lock
from sync.cli import cli


@pytest.fixture
def org(tmp_path: Path) -> Path:
    directory = tmp_path / "org"
    create_workspace(directory, example=True)
    return directory


def _history_dates(org: Path) -> set[dt.date]:
    ws = load_workbook(org / "hub.xlsx")["History"]
    return {row[0].date() for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}


def test_two_snapshot_syncs_started_together_lose_no_history(org: Path) -> None:
    days = ["2026-10-20", "2026-12-20"]  # far apart: the later run records what moved
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "sync", "sync", str(org), "--snapshot", "--as-of", day],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for day in days
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert all(run.returncode in (0, 1) for run in runs), errors
    assert {dt.date.fromisoformat(day) for day in days} <= _history_dates(org)


def test_a_second_sync_waits_then_exits_2_naming_the_running_one(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WAIT_ENV, "0.3")
    before = (org / "hub.xlsx").read_bytes()
    with workspace_lock(org):
        outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", "2026-11-21"])
        validated = CliRunner().invoke(cli, ["validate", str(org), "--as-of", "2026-11-21"])
    assert outcome.exit_code == 2
    [line] = outcome.stderr.splitlines()
    assert f"another okrtree sync of {org} is running (pid {os.getpid()}, since " in line
    assert "kill" in line and str(LOCK_FILE) in line
    assert (org / "hub.xlsx").read_bytes() == before
    assert validated.exit_code in (0, 1)  # reading needs no lock


def test_a_lock_left_by_a_dead_process_is_taken_over(org: Path) -> None:
    lock = org / LOCK_FILE
    lock.parent.mkdir(exist_ok=True)
    lock.write_text("999999 2026-01-01T00:00:00+00:00\n")
    outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", "2026-11-21"])
    assert outcome.exit_code in (0, 1), outcome.stderr
    assert "Alignment Tree" in load_workbook(org / "hub.xlsx").sheetnames
    assert lock.read_text() == ""  # released


@pytest.mark.parametrize("delay", [0.3, 0.9, 1.6])
def test_a_sync_killed_at_any_point_leaves_openable_workbooks_and_a_clean_next_run(
    org: Path, delay: float
) -> None:
    running = subprocess.Popen(
        [sys.executable, "-m", "sync", "sync", str(org), "--snapshot", "--as-of", "2026-11-21"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    running.kill()
    running.wait()
    for workbook in org.rglob("*.xlsx"):
        with zipfile.ZipFile(workbook) as archive:
            assert archive.testzip() is None
        load_workbook(workbook).close()
    outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", "2026-11-21"])
    assert outcome.exit_code in (0, 1), outcome.stderr
    assert [p for p in org.rglob("*") if ".okrtree-" in p.name] == []
