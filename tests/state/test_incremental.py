"""A sync that reads only what changed gives what a full read gives, after any edits.

Two copies of one workspace take the same random edits; after each step one is synced as
`okrtree sync` does it, from its saved state (reading only the workbooks whose size, time and
digest moved, the hub's log tabs only when a person saved the hub, nothing at all when nothing
moved on the same date), the other with a full read. Their results and writes must be equal, and
so must the workbooks they leave.
"""

from __future__ import annotations

import datetime as dt
import json
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
from sync.cli_run import sync_and_record
from sync.engine import Run, run
from sync.hub import parse_teams
from sync.lastsync import json_text
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


def sync(workspace: Path, as_of: dt.date, *, full: bool, history: bool = False) -> Run:
    """A sync that reads everything (with `full`), or one from the saved state, and saves."""
    store = open_state_store(str(workspace))
    previous = None if full else store.load()
    outcome = run(
        open_backend(str(workspace)),
        as_of,
        write=True,
        history=history,
        previous=previous.unpack().snapshots if previous is not None else [],
    )
    store.save(state_of(outcome, str(workspace)))
    return outcome


def okrtree_sync(workspace: Path, as_of: dt.date, history: bool) -> dict[str, Any]:
    """`okrtree sync --json [--history]`, as it prints it."""
    shown = sync_and_record(str(workspace), as_of, history=history, as_json=True)
    assert shown.body is not None
    overview = shown.overview
    text = b"".join(json_text(shown.body, overview.writes_spreadsheets, overview.writes_cells))
    return dict(json.loads(text))


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
    elif kind == "rename" and path.exists():
        path.rename(path.with_name(f"{name}-old.xlsx"))
    elif kind == "restore":
        shutil.copyfile(_path(pristine, name), path)


def apply_to_hub(workspace: Path, step: tuple[Any, ...]) -> None:
    """A person's save of hub.xlsx: an input tab edited, a log tab tidied, or only touched."""
    hub = workspace / "hub.xlsx"
    kind = step[0]
    if kind == "touch hub":
        info = hub.stat()
        os.utime(hub, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        return
    wb = load_workbook(hub)
    if kind == "team parent":
        row, parent = step[1:]
        wb["Teams"].cell(row=row, column=3).value = parent
    elif kind == "setting":
        key, value = step[1:]
        sheet = wb["Settings"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == key)
        sheet.cell(row=row, column=2).value = value
    else:
        tab, change = step[1:]
        sheet = wb[tab]
        if change == "delete a row" and sheet.max_row > 1:
            sheet.delete_rows(2)
        elif change == "sort":
            rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
            for number, values in enumerate(reversed(rows), start=2):
                for column, value in enumerate(values, start=1):
                    sheet.cell(row=number, column=column).value = value
        elif change == "add a column":
            sheet.cell(row=1, column=sheet.max_column + 1).value = "Mine"
            sheet.cell(row=2, column=sheet.max_column).value = "a remark"
        elif change == "a row of one's own":
            sheet.append([dt.date(2026, 11, 2), "SAL-2", 0.1, "Off track"])
    wb.save(hub)


steps = st.one_of(
    st.tuples(
        st.just("edit"),
        st.sampled_from(TEAM_FILES),
        st.integers(2, 8),
        st.sampled_from(sorted(COLUMNS)),
        st.sampled_from(VALUES),
    ),
    st.tuples(
        st.sampled_from(["touch", "same bytes", "delete", "rename", "restore"]),
        st.sampled_from(TEAM_FILES),
    ),
)
hub_steps = st.one_of(
    st.tuples(st.just("touch hub")),
    st.tuples(st.just("team parent"), st.integers(3, 8), st.sampled_from([None, "Northwind"])),
    st.tuples(st.just("setting"), st.just("Stale after days"), st.sampled_from([7, 30])),
    st.tuples(
        st.just("setting"),
        st.just("Cycle end"),
        st.sampled_from([dt.date(2026, 12, 15), dt.date(2027, 1, 31)]),
    ),
    st.tuples(
        st.just("log"),
        st.sampled_from(["History", "Check-ins"]),
        st.sampled_from(["delete a row", "sort", "add a column", "a row of one's own"]),
    ),
)


def _cells(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for path in sorted((workspace / "teams").glob("*.xlsx")):
        wb = load_workbook(path, read_only=True)
        out[path.name] = [tuple(r) for r in wb["OKRs"].iter_rows(values_only=True)]
        wb.close()
    return out


def _hub_cells(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(workspace / "hub.xlsx", read_only=True)
    out = {t: [tuple(r) for r in wb[t].iter_rows(values_only=True)] for t in wb.sheetnames}
    wb.close()
    return out


rounds = st.lists(
    st.tuples(
        st.just([]) | st.lists(steps, max_size=2),  # nothing moved, often
        st.just([]) | st.lists(hub_steps, max_size=1),
        st.sampled_from([0, 0, 1, 20]),  # days on; the same date most often
        st.booleans(),  # --history
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds)
def test_an_incremental_sync_equals_a_full_one(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, rounds: list[Any]
) -> None:
    base = tmp_path_factory.mktemp("pair")
    incremental, full = base / "incremental", base / "full"
    shutil.copytree(pristine, incremental)
    shutil.copytree(pristine, full)
    as_of = AS_OF
    okrtree_sync(incremental, as_of, False)
    sync(full, as_of, full=True)
    for edits, hub_edits, days, history in rounds:
        for step in edits:
            apply(incremental, pristine, step)
            apply(full, pristine, step)
        for step in hub_edits:
            apply_to_hub(incremental, step)
            apply_to_hub(full, step)
        as_of += dt.timedelta(days=days)
        got = okrtree_sync(incremental, as_of, history)
        want = result_json(sync(full, as_of, full=True, history=history).computed.result)
        assert got == want
        assert _cells(incremental) == _cells(full)
        assert _hub_cells(incremental) == _hub_cells(full)


EDITS: list[tuple[Any, ...]] = [
    (),  # nothing: the same date shows the last sync's outcome
    ("edit", "platform", 3, "Current", 700),
    ("touch", "sales"),
    ("delete", "mobile"),
    ("rename", "security"),
    ("touch hub",),
    ("team parent", 4, None),
    ("setting", "Stale after days", 7),
    ("setting", "Cycle end", dt.date(2027, 1, 31)),
    ("log", "History", "delete a row"),
    ("log", "History", "sort"),
    ("log", "History", "a row of one's own"),
    ("log", "Check-ins", "delete a row"),
    ("log", "Check-ins", "add a column"),
]


@pytest.mark.parametrize("step", EDITS, ids=lambda step: " ".join(map(str, step)) or "none")
@pytest.mark.parametrize(("days", "history"), [(0, False), (1, False), (0, True)])
def test_each_change_gives_what_a_full_read_gives(
    pristine: Path, tmp_path: Path, step: tuple[Any, ...], days: int, history: bool
) -> None:
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    shutil.copytree(pristine, incremental)
    shutil.copytree(pristine, full)
    okrtree_sync(incremental, AS_OF, False)
    sync(full, AS_OF, full=True)
    for workspace in (incremental, full):
        if step and step[0] in {"edit", "touch", "delete", "rename"}:
            apply(workspace, pristine, step)
        elif step:
            apply_to_hub(workspace, step)
    as_of = AS_OF + dt.timedelta(days=days)
    for _ in range(2):  # the change, then nothing more on the same date
        got = okrtree_sync(incremental, as_of, history)
        want = result_json(sync(full, as_of, full=True, history=history).computed.result)
        assert got == want
        assert _cells(incremental) == _cells(full)
        assert _hub_cells(incremental) == _hub_cells(full)


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
            previous=previous.unpack().snapshots if previous else [],
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
