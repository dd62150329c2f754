"""A re-sync with nothing to do: what it shows equals a full read's, and it touches no file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import EXAMPLE_AS_OF, run_cli


def _stamps(org: Path) -> dict[Path, int]:
    return {
        p: p.stat().st_mtime_ns for p in org.rglob("*") if p.is_file() and p.name != "sync.lock"
    }


def _ghost(org: Path) -> None:
    """A team whose workbook is missing (an error finding), for a run that exits 1."""
    hub = load_workbook(org / "hub.xlsx")
    hub["Teams"].append(["Ghost", "Team", "Northwind", "teams/ghost.xlsx"])
    hub.save(org / "hub.xlsx")


@pytest.mark.parametrize("options", [[], ["--json"], ["--verbose"], ["--history", "--json"]])
@pytest.mark.parametrize("missing_workbook", [False, True])
def test_a_quiet_resync_shows_what_a_full_read_shows_and_saves_nothing(
    org: Path, options: list[str], missing_workbook: bool
) -> None:
    if missing_workbook:
        _ghost(org)
    command = ["sync", str(org), "--as-of", EXAMPLE_AS_OF, *options]
    first = run_cli(*command)
    before = _stamps(org)
    quiet = run_cli(*command)
    assert _stamps(org) == before  # nothing read back into the state, nothing written
    full = run_cli(*command, "--full")
    assert quiet == full
    assert quiet[0] == (1 if missing_workbook else 0) == first[0]


def _shown(args: list[str]) -> dict[str, Any]:
    """The run's --json object, but its writes (a run after the writes shows none)."""
    status, out, _ = run_cli(*args)
    shown = dict(json.loads(out))
    shown.pop("writes")
    return {"status": status, **shown}


def test_a_new_date_or_a_created_workbook_is_no_quiet_resync(org: Path) -> None:
    _ghost(org)
    command = ["sync", str(org), "--as-of", EXAMPLE_AS_OF, "--json"]
    assert _shown(command)["teams"][-1]["ok"] is False
    (org / "teams" / "ghost.xlsx").write_bytes((org / "teams" / "sales.xlsx").read_bytes())
    created = _shown(command)
    assert created["teams"][-1]["ok"] is True  # the new workbook was read
    assert created == _shown([*command, "--full"])
    later = ["sync", str(org), "--as-of", "2026-12-01", "--json"]
    moved = _shown(later)
    assert moved["as_of"] == "2026-12-01"
    assert moved == _shown([*later, "--full"])
