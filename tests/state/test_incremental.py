"""A sync that reads only what changed gives what a full read gives, after any edits.

Two copies of one workspace take the same random edits; after each step one is synced from
its saved state (reading only the workbooks whose size, time and digest moved), the other with
a full read. Their results and writes must be equal, and so must the workbooks they leave.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.backends.base import Backend
from sync.engine import Run, run
from sync.hub import parse_teams
from sync.report import result_json
from sync.snapshot import TeamSnapshot
from sync.sources import open_backend
from sync.state import open_state_store, state_of

AS_OF = dt.date(2026, 11, 21)
TEAM_FILES = ["platform", "sales", "engineering", "security", "northwind", "mobile"]
COLUMNS = {"Title": 3, "Parent": 5, "Depends on": 6, "Target": 8, "Current": 9, "Updated": 11}
VALUES = [None, "", "ENG-2", "PLAT-1", "CO-9", 0, 7.5, 100, "yes", "42%", dt.date(2026, 11, 1)]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pristine") / "org"
    create_workspace(directory, example=True)
    return directory


def sync(workspace: Path, as_of: dt.date, *, full: bool) -> Run:
    """What `okrtree sync` does: read what changed since the state (all with `full`), save."""
    store = open_state_store(str(workspace))
    previous = None if full else store.load()
    outcome = run(
        open_backend(str(workspace)),
        as_of,
        write=True,
        previous=previous.snapshots if previous is not None else [],
    )
    store.save(state_of(outcome, str(workspace)))
    return outcome


def _path(workspace: Path, name: str) -> Path:
    return workspace / "teams" / f"{name}.xlsx"


def apply(workspace: Path, pristine: Path, step: tuple[Any, ...]) -> None:
    kind, name = step[0], step[1]
    path = _path(workspace, name)
    if kind == "edit":
        if not path.exists():
            return
        row, column, value = step[2:]
        wb = load_workbook(path)
        ws = wb["OKRs"]
        ws.cell(row=min(row, ws.max_row + 1), column=COLUMNS[column]).value = value
        wb.save(path)
    elif kind == "touch" and path.exists():
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    elif kind == "same bytes" and path.exists():
        path.write_bytes(path.read_bytes())
    elif kind == "delete":
        path.unlink(missing_ok=True)
    elif kind == "restore":
        shutil.copyfile(_path(pristine, name), path)


steps = st.one_of(
    st.tuples(
        st.just("edit"),
        st.sampled_from(TEAM_FILES),
        st.integers(2, 8),
        st.sampled_from(sorted(COLUMNS)),
        st.sampled_from(VALUES),
    ),
    st.tuples(
        st.sampled_from(["touch", "same bytes", "delete", "restore"]), st.sampled_from(TEAM_FILES)
    ),
)


def _cells(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for path in sorted((workspace / "teams").glob("*.xlsx")):
        wb = load_workbook(path, read_only=True)
        out[path.name] = [tuple(r) for r in wb["OKRs"].iter_rows(values_only=True)]
        wb.close()
    return out


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.lists(steps, max_size=3), st.integers(0, 20)), min_size=1, max_size=3))
def test_an_incremental_sync_equals_a_full_one(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, rounds: list[Any]
) -> None:
    base = tmp_path_factory.mktemp("pair")
    incremental, full = base / "incremental", base / "full"
    shutil.copytree(pristine, incremental)
    shutil.copytree(pristine, full)
    as_of = AS_OF
    sync(incremental, as_of, full=True)
    sync(full, as_of, full=True)
    for edits, days in rounds:
        for step in edits:
            apply(incremental, pristine, step)
            apply(full, pristine, step)
        as_of += dt.timedelta(days=days)
        got = result_json(sync(incremental, as_of, full=False).computed.result)
        want = result_json(sync(full, as_of, full=True).computed.result)
        assert got == want
        assert _cells(incremental) == _cells(full)


class Counting:
    """Which team sheets a backend was asked to read."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.read: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read_teams(self, teams: list[Any]) -> list[TeamSnapshot]:
        self.read.extend(t.name for t in teams)
        return self.inner.read_teams(teams)


def test_only_changed_workbooks_are_read(pristine: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "org"
    shutil.copytree(pristine, workspace)
    source = str(workspace)
    store = open_state_store(source)

    def counted_sync() -> list[str]:
        backend = Counting(open_backend(source))
        previous = store.load()
        outcome = run(
            backend,  # type: ignore[arg-type]
            AS_OF,
            write=True,
            previous=previous.snapshots if previous else [],
        )
        store.save(state_of(outcome, source))
        return backend.read

    teams = [t.name for t in parse_teams(open_backend(source).read_hub()).teams]
    assert counted_sync() == teams  # no state yet: everything
    assert counted_sync() == []  # its own writes are known: nothing to read
    apply(workspace, pristine, ("touch", "sales"))
    apply(workspace, pristine, ("same bytes", "mobile"))
    assert counted_sync() == []  # the digest confirms they did not change
    apply(workspace, pristine, ("edit", "platform", 3, "Current", 700))
    assert counted_sync() == ["Platform"]
