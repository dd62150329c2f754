"""A sync that recomputes only the teams an edit touched gives what a full sync gives.

Two copies of a generated organisation (objectives aligned to key results of the team above,
dependencies between teams) take the same random edits to team sheets, values and links alike;
one is synced as `okrtree sync --json` does it, the other in full. Their `--json` output, team
workbooks and hub must be equal after every step, and value edits must take the short way.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
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


def edit(workspace: Path, team: int, row: int, column: str, value: object) -> None:
    path = sorted((workspace / "teams").glob("*.xlsx"))[team]
    wb = load_workbook(path)
    sheet = wb["OKRs"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1).value = value
    wb.save(path)


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
def test_a_recomputed_sync_equals_a_full_one(
    pristine: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[int, int, str, object]],
) -> None:
    taken: list[bool] = []
    short_way = cli_run.delta_sync

    def counted(*args: Any, **kwargs: Any) -> Any:
        done = short_way(*args, **kwargs)
        taken.append(done is not None)
        return done

    monkeypatch.setattr(cli_run, "delta_sync", counted)
    base = tmp_path_factory.mktemp("pair")
    short, full = base / "short", base / "full"
    shutil.copytree(pristine, short)
    shutil.copytree(pristine, full)
    shown(short, full=True)
    shown(full, full=True)
    for team, row, column, value in edits:
        for workspace in (short, full):
            edit(workspace, team, row, column, value)
        assert shown(short, full=False) == shown(full, full=True)
        assert _cells(short) == _cells(full)
        assert _hub_cells(short) == _hub_cells(full)
    if all(column in VALUE_COLUMNS and column != "Weight" for _, _, column, _ in edits[:1]):
        assert taken[:1] == [True] or edits[0][3] is None


def test_a_check_in_takes_the_short_way(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[bool] = []
    short_way = cli_run.delta_sync

    def counted(*args: Any, **kwargs: Any) -> Any:
        done = short_way(*args, **kwargs)
        taken.append(done is not None)
        return done

    monkeypatch.setattr(cli_run, "delta_sync", counted)
    short, full = tmp_path / "short", tmp_path / "full"
    shutil.copytree(pristine, short)
    shutil.copytree(pristine, full)
    shown(short, full=True)
    shown(full, full=True)
    for current in (99, 3, 40):
        for workspace in (short, full):
            edit(workspace, TEAMS - 1, 3, "Current", current)
        assert shown(short, full=False) == shown(full, full=True)
        assert _cells(short) == _cells(full)
        assert _hub_cells(short) == _hub_cells(full)
    assert taken == [True, True, True]
    # nothing moved since: the record of the last sync, kept from its pieces, is what shows
    assert shown(short, full=False) == shown(full, full=True)
    assert taken == [True, True, True]
