"""A sync that recomputes only the teams an edit touched gives what a full sync gives.

Two copies of a generated organisation (objectives aligned to key results of the team above,
dependencies between teams) take the same random edits to team sheets, values and links alike;
one is synced as `okrtree sync --json` does it, the other in full. Their `--json` output, team
workbooks and hub must be equal after every step; a check-in must take the short way.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import sync.cli_run as cli_run
from sync.cli_run import sync_and_record
from sync.lastsync import json_text

from .test_incremental import _cells, _hub_cells

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from make_workspace import make_workspace  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
TEAMS, ROWS = 12, 10
VALUE_COLUMNS = ["Title", "Owner", "Start", "Target", "Current", "Weight", "Updated"]
LINK_COLUMNS = ["ID", "Type", "Parent", "Depends on"]
VALUES = [None, "", 0, 1, 55, 99, 250, -3, "yes", ">= 40", "n/a", dt.date(2026, 10, 2), "T0001-1"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("generated") / "org", TEAMS, ROWS, 1).parent


def shown(workspace: Path, *, full: bool) -> dict[str, Any]:
    result = sync_and_record(str(workspace), AS_OF, full=full, as_json=True)
    assert result.body is not None
    overview = result.overview
    text = json_text(result.body, overview.writes_spreadsheets, overview.writes_cells)
    return dict(json.loads(b"".join(text)))


def synced_pair(pristine: Path, base: Path) -> tuple[Path, Path]:
    """Two copies of `pristine` under `base`, each synced in full once."""
    short, full = base / "short", base / "full"
    for workspace in (short, full):
        shutil.copytree(pristine, workspace)
        shown(workspace, full=True)
    return short, full


def assert_alike(short: Path, full: Path) -> None:
    """`short` synced from its state shows and leaves what `full` synced in full does."""
    assert shown(short, full=False) == shown(full, full=True)
    assert _cells(short) == _cells(full)
    assert _hub_cells(short) == _hub_cells(full)


def edit(workspace: Path, team: int, row: int, column: str, value: object) -> None:
    path = sorted((workspace / "teams").glob("*.xlsx"))[team]
    wb = load_workbook(path)
    sheet = wb["OKRs"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1).value = value
    wb.save(path)


def short_ways(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each sync from here on, whether it took the short way (recomputing a few teams)."""
    taken: list[bool] = []
    short_way = cli_run.delta_sync

    def counted(*args: Any, **kwargs: Any) -> Any:
        done = short_way(*args, **kwargs)
        taken.append(done is not None)
        return done

    monkeypatch.setattr(cli_run, "delta_sync", counted)
    return taken


edits = st.lists(
    st.tuples(
        st.integers(0, TEAMS - 1),
        st.integers(2, ROWS + 1),
        st.sampled_from(VALUE_COLUMNS) | st.sampled_from(LINK_COLUMNS),
        st.sampled_from(VALUES),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits)
@example([(0, 2, "Title", None), (0, 2, "Type", None), (1, 2, "Owner", None)])  # an owner gone
def test_a_recomputed_sync_equals_a_full_one(
    pristine: Path,
    tmp_path_factory: pytest.TempPathFactory,
    edits: list[tuple[int, int, str, object]],
) -> None:
    base = tmp_path_factory.mktemp("pair")
    short, full = synced_pair(pristine, base)
    for team, row, column, value in edits:
        for workspace in (short, full):
            edit(workspace, team, row, column, value)
        assert_alike(short, full)


SHORT_WAY = {  # edits to one key result (row 3: nothing depends on it) that change values only
    "check-ins": ("Current", [99, 3, 40]),
    "a title": ("Title", ["Ship it", "Ship it again"]),
    "an owner": ("Owner", ["", "someone@example.com"]),
    "a target": ("Target", [250, "n/a", ">= 40"]),
    "a weight": ("Weight", [3, 0]),
    "an update": ("Updated", [dt.date(2026, 9, 1), dt.date(2026, 11, 20)]),
}


@pytest.mark.parametrize("case", SHORT_WAY)
def test_a_value_edit_takes_the_short_way(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    column, values = SHORT_WAY[case]
    taken = short_ways(monkeypatch)
    short, full = synced_pair(pristine, tmp_path)
    for value in values:
        for workspace in (short, full):
            edit(workspace, TEAMS - 1, 3, column, value)
        assert_alike(short, full)
    assert taken == [True] * len(values)
    # nothing moved since: the record of the last sync, kept from its pieces, is what shows
    assert shown(short, full=False) == shown(full, full=True)
    assert taken == [True] * len(values)


def test_a_score_rolled_up_into_the_team_above_is_recomputed_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the example organisation a Customer Success objective rolls up into a Northwind key
    result without a Target: both teams are recomputed, and nothing else."""
    from sheets_templates.builder import create_workspace

    taken = short_ways(monkeypatch)
    create_workspace(tmp_path / "example", example=True)
    short, full = synced_pair(tmp_path / "example", tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in (short / "teams").glob("*.xlsx")}
    for current in (110, 104, 108):
        for workspace in (short, full):
            path = workspace / "teams" / "customer-success.xlsx"
            wb = load_workbook(path)
            wb["OKRs"].cell(row=3, column=9).value = current  # Current of CS-2
            wb.save(path)
        assert_alike(short, full)
    assert taken == [True, True, True]
    saved = {
        p.name for p in (short / "teams").glob("*.xlsx") if p.stat().st_mtime_ns != before[p.name]
    }
    assert saved == {"customer-success.xlsx", "northwind.xlsx"}


def test_a_hub_saved_since_is_read_once_the_full_way(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The short way sees from the hub file's stamp alone that someone saved it since, and
    leaves the reading to the full way: the hub is read once, not twice."""
    from sync.backends.xlsx import XlsxBackend

    from .test_incremental import apply_to_hub

    taken = short_ways(monkeypatch)
    short, full = synced_pair(pristine, tmp_path)
    reads: list[Path] = []
    read_hub = XlsxBackend.read_hub

    def counted(self: XlsxBackend) -> Any:
        reads.append(self.hub_path)
        return read_hub(self)

    monkeypatch.setattr(XlsxBackend, "read_hub", counted)
    for workspace in (short, full):
        apply_to_hub(workspace, ("touch hub",))
        edit(workspace, TEAMS - 1, 3, "Current", 77)
    assert_alike(short, full)
    assert taken == [False]
    assert reads.count(short / "hub.xlsx") == 1
