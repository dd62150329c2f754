"""Runs that overlap: two syncs at once lose nothing, a person's save of the hub during a sync
wins, and a sync killed at any moment leaves openable workbooks and a clean next run."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from sync.backends.xlsx import XlsxBackend
from sync.cli import cli
from tests.corpus.cases import SETTINGS, okr_rows, team_row

from .helpers import AS_OF, okrtree, sheet_cells, strict_json

EARLY, LATE = "2026-10-10", "2026-12-28"  # early in the cycle all is on track, late it is not
HUB_TABS = ("History",)


def _workspace(root: Path, teams: int) -> Path:
    sources = {f"Team {n}": f"teams/t{n}.xlsx" for n in range(teams)}
    for n, source in enumerate(sources.values()):
        new_team_workbook(root / source, f"T{n}", okr_rows(f"T{n}", f"plan {n}"))
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[team_row(name, source) for name, source in sources.items()],
        settings=SETTINGS,
    )
    return root


def _rows(root: Path, tab: str) -> list[tuple[Any, ...]]:
    cells = sheet_cells(root / "hub.xlsx", tab)
    last_row = max((r for r, _ in cells), default=0)
    last_col = max((c for _, c in cells), default=0)
    return [
        tuple(cells.get((r, c)) for c in range(1, last_col + 1)) for r in range(1, last_row + 1)
    ]


def _snapshot_sync(root: Path, as_of: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sync", "sync", str(root), "--snapshot", "--as-of", as_of, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_snapshot_syncs_started_together_lose_no_history_rows(tmp_path: Path) -> None:
    pristine = _workspace(tmp_path / "pristine", teams=6)
    one_after_other = {}
    for order in ((EARLY, LATE), (LATE, EARLY)):
        root = tmp_path / "-".join(order)
        shutil.copytree(pristine, root)
        for as_of in order:
            assert okrtree("sync", str(root), "--snapshot", as_of=as_of).code == 0
        one_after_other[order] = {tab: _rows(root, tab) for tab in HUB_TABS}
    assert one_after_other[(EARLY, LATE)] != one_after_other[(LATE, EARLY)]
    assert len(one_after_other[(EARLY, LATE)]["History"]) == 1 + 2 * 18  # every item, twice

    for attempt in range(3):
        root = tmp_path / f"together-{attempt}"
        shutil.copytree(pristine, root)
        runs = [_snapshot_sync(root, as_of) for as_of in (EARLY, LATE)]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0, err
            strict_json(out)
        together = {tab: _rows(root, tab) for tab in HUB_TABS}
        assert together in one_after_other.values(), f"attempt {attempt} lost rows"


def _person_saves(hub: Path) -> None:
    """A person adds an owner in the Teams tab and saves (any program; openpyxl here)."""
    wb = load_workbook(hub)
    wb["Teams"]["F2"] = "lead@x.example"
    wb.save(hub)


@pytest.mark.parametrize("moment", ["before_team_writes", "as_the_hub_write_starts"])
def test_a_hub_saved_by_a_person_during_a_sync_is_not_reverted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    root = _workspace(tmp_path / "org", teams=3)
    hub = root / "hub.xlsx"
    seam = "write_team" if moment == "before_team_writes" else "write_hub"
    original = getattr(XlsxBackend, seam)
    saved: list[bool] = []

    def person_first(self: XlsxBackend, *args: Any) -> Any:
        if not saved:
            _person_saves(hub)
            saved.append(True)
        return original(self, *args)

    monkeypatch.setattr(XlsxBackend, seam, person_first)
    result = CliRunner().invoke(cli, ["sync", str(root), "--as-of", AS_OF, "--json"])

    assert saved, f"the sync never called {seam}"
    data = strict_json(result.output)
    hub_refusals = [f for f in data["findings"] if f["code"] == "NOT_WRITTEN" and f["team"] is None]
    assert len(hub_refusals) == 1
    assert "changed since" in hub_refusals[0]["message"]
    assert sheet_cells(hub, "Teams")[(2, 6)] == "lead@x.example"
    book = load_workbook(hub, read_only=True)
    try:
        assert "Alignment Tree" not in book.sheetnames
    finally:
        book.close()
    for n in range(3):  # the team workbooks were still written
        assert sheet_cells(root / "teams" / f"t{n}.xlsx", "OKRs").get((2, 14))


def _files(root: Path) -> set[Path]:
    """Every file in the workspace outside okrtree's own `.okrtree` folder."""
    return {
        p.relative_to(root) for p in root.rglob("*") if p.is_file() and ".okrtree" not in p.parts
    }


def _outputs(root: Path, files: set[Path]) -> dict[str, Any]:
    state = {str(f): sheet_cells(root / f, "OKRs") for f in files if f.name != "hub.xlsx"}
    for tab in ("Alignment Tree", "Findings"):
        state[tab] = _rows(root, tab)
    return state


def test_a_sync_killed_at_random_moments_leaves_openable_workbooks_and_a_clean_next_run(
    tmp_path: Path,
) -> None:
    pristine = _workspace(tmp_path / "pristine", teams=40)
    files = _files(pristine)
    clean = tmp_path / "clean"
    shutil.copytree(pristine, clean)
    started = time.perf_counter()
    reference = okrtree("sync", str(clean))
    duration = time.perf_counter() - started
    assert reference.code == 0, reference.stderr

    root = tmp_path / "killed"
    shutil.copytree(pristine, root)
    rng = random.Random(8)
    checked: dict[Path, tuple[int, int]] = {}
    for _ in range(8):
        run = subprocess.Popen(
            [sys.executable, "-m", "sync", "sync", str(root), "--as-of", AS_OF],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its worker processes die with it
        )
        time.sleep(rng.uniform(0.2, duration))
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        for f in _files(root):  # each workbook a kill could have touched opens
            stamp = (root / f).stat()
            if f.suffix == ".xlsx" and checked.get(f) != (stamp.st_mtime_ns, stamp.st_size):
                load_workbook(root / f).close()
                checked[f] = (stamp.st_mtime_ns, stamp.st_size)

    after = okrtree("sync", str(root))

    assert after.code in (0, 1), after.stderr
    assert _files(root) == files, "temporary files were left behind"
    for key in ("items", "findings", "teams"):
        assert after.data[key] == reference.data[key]
    assert _outputs(root, files) == _outputs(clean, files)
