"""`okrtree rollover` on Google Sheets (the emulator): the same tabs as on a workspace, one
`batchUpdate` per team spreadsheet and one for the hub, and a failed team finished on a re-run."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from sync.backends.gsheets import GoogleBackend
from sync.backends.gsheets_roller import GoogleRoller
from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_roller import XlsxRoller
from sync.emulator import Emulator
from sync.hub import parse_teams
from sync.rollover import NewCycle
from sync.rollover_run import RolloverReport, rollover

from .conftest import kinds, team_keys

END = dt.date(2026, 12, 31)
NEW = NewCycle("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def _roll(backend: GoogleBackend, *, dry_run: bool = False) -> RolloverReport:
    return rollover(backend, GoogleRoller(backend), NEW, END, dry_run=dry_run)


def _shown(value: object) -> str:
    """A cell as text both backends agree on (numbers to 4 places, dates as serials)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime | dt.date):
        base = dt.date(1899, 12, 30)
        day = value.date() if isinstance(value, dt.datetime) else value
        return f"{float((day - base).days):.4f}"
    try:
        return f"{float(str(value)):.4f}"
    except ValueError:
        return str(value)


def _rows(rows: list[list[object]]) -> list[list[str]]:
    out = [[_shown(v) for v in row] for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def test_google_rollover_gives_the_local_tabs(
    emulator: Emulator,
    example_hub: str,
    example_workspace: Path,
    backend: Callable[[str], GoogleBackend],
    tmp_path: Path,
) -> None:
    local = tmp_path / "org"
    shutil.copytree(example_workspace, local)
    xlsx = XlsxBackend(local)
    assert rollover(xlsx, XlsxRoller(xlsx), NEW, END).complete
    keys = team_keys(emulator, example_hub)
    emulator.reset_stats()
    report = _roll(backend(example_hub))
    assert report.complete and report.settings_written
    teams = len(keys)
    assert kinds(emulator) == {
        "spreadsheets.get": 2 * (teams + 1) + teams,  # two reads of all, one tab list a team
        "values.batchGet": 2 * teams,  # the row check before each write
        "spreadsheets.batchUpdate": 2 * teams + 2,  # final sync and rollover; the hub twice
    }
    files = {t.name: t.source for t in parse_teams(XlsxBackend(local).read_hub()).teams}
    for team, key in keys.items():
        wb = load_workbook(local / files[team], data_only=True)
        assert [s.title for s in emulator.spreadsheet(key).sheets] == wb.sheetnames
        for tab in wb.sheetnames:
            google = emulator.values(key, tab, render="UNFORMATTED_VALUE")
            mine = [list(r) for r in wb[tab].iter_rows(values_only=True)]
            assert _rows(google) == _rows(mine), (team, tab)
    settings = {r[0]: r[1] for r in emulator.values(example_hub, "Settings") if r}
    assert (settings["Cycle"], settings["Cycle start"]) == ("2027-Q1", "2027-01-01")


def test_the_archive_is_the_old_tab_itself(
    emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]
) -> None:
    key = team_keys(emulator, example_hub)["Sales"]
    before = emulator.sheet(key, "OKRs")
    old_id, protected = before.sheet_id, len(before.protected_ranges)
    assert _roll(backend(example_hub)).complete
    archive = emulator.sheet(key, "OKRs 2026-Q4")
    assert archive.sheet_id == old_id and len(archive.protected_ranges) == protected
    new = emulator.sheet(key, "OKRs")
    assert new.index == 0 and archive.index == 1
    assert new.conditional_formats == archive.conditional_formats


def test_a_failed_team_is_finished_by_running_again(
    emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]
) -> None:
    key = team_keys(emulator, example_hub)["Data"]
    emulator.fail_next(2, status=403, kind="spreadsheets.batchUpdate", spreadsheet_id=key)
    first = _roll(backend(example_hub))
    assert not first.complete and not first.settings_written
    states = {t.team: t.state for t in first.teams}
    assert states["Data"] == "not_rolled" and states["Sales"] == "rolled"
    assert [s.title for s in emulator.spreadsheet(key).sheets] == ["OKRs"]
    assert {r[0]: r[1] for r in emulator.values(example_hub, "Settings") if r}["Cycle"] == "2026-Q4"
    second = _roll(backend(example_hub))
    states = {t.team: t.state for t in second.teams}
    assert states["Data"] == "rolled" and states["Sales"] == "already_rolled"
    assert second.complete and second.settings_written
    assert [s.title for s in emulator.spreadsheet(key).sheets] == ["OKRs", "OKRs 2026-Q4"]


def test_a_dry_run_writes_nothing(
    emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]
) -> None:
    emulator.reset_stats()
    report = _roll(backend(example_hub), dry_run=True)
    assert report.dry_run and all(t.plan is not None for t in report.teams)
    assert "batchUpdate" not in kinds(emulator)
