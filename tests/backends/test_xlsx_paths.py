"""SPEC §10: every `Spreadsheet` path resolves inside the workspace; the same sheet twice is
DUPLICATE_SHEET on the later team, which is neither read nor written."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_paths import PathRefused, workbook_path
from sync.engine import run
from sync.model import Code

from .conftest import ROWS, team

AS_OF = dt.date(2026, 11, 21)


def _outside(tmp_path: Path) -> Path:
    """A workbook next to the workspace, not in it."""
    path = tmp_path / "outside.xlsx"
    new_team_workbook(path, "OUT", [{"ID": "OUT-1", "Type": "Objective", "Title": "x"}])
    return path


def _link(name: str, to: Callable[[Path], Path], then: str = "") -> Callable[[Path], str]:
    """A link `name` in the workspace to `to(workspace)`; the source is `name` + `then`."""

    def make(workspace: Path) -> str:
        os.symlink(to(workspace), workspace / name)
        return name + then

    return make


REFUSED: list[tuple[str, Callable[[Path], str], str]] = [
    ("parent folder", lambda w: "../outside.xlsx", r"leads outside the workspace folder"),
    ("deeper, then out", lambda w: "teams/../../outside.xlsx", r"leads outside the workspace"),
    ("absolute", lambda w: str(w.parent / "outside.xlsx"), r"is an absolute path, outside"),
    ("windows absolute", lambda w: "C:\\okrs\\team.xlsx", r"is an absolute path"),
    (
        "link to a file outside",
        _link("linked.xlsx", lambda w: w.parent / "outside.xlsx"),
        r"linked.xlsx is a symbolic link to .*outside.xlsx, outside the workspace",
    ),
    (
        "link to a folder outside",
        _link("teams", lambda w: w.parent, "/outside.xlsx"),
        r"teams/outside.xlsx is a symbolic link to .*, outside the workspace",
    ),
    ("link loop", _link("loop.xlsx", lambda w: w / "loop.xlsx"), r"loop.xlsx cannot be followed"),
    (
        "backslashes",
        lambda w: "teams\\core.xlsx",
        r"teams\\core.xlsx not found in the workspace \(separate folders with /, as in "
        r"teams/core.xlsx\)",
    ),
    ("not a workbook name", lambda w: "notes.txt", r"notes.txt is not an .xlsx workbook"),
    (
        "a named pipe",
        lambda w: os.mkfifo(w / "pipe.xlsx") or "pipe.xlsx",
        r"pipe.xlsx is not a file but a pipe, socket or device",
    ),
]


@pytest.mark.parametrize(("make", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_paths_outside_the_workspace_are_refused_and_never_read(
    tmp_path: Path, make: Callable[[Path], str], message: str
) -> None:
    _outside(tmp_path)
    workspace = tmp_path / "org"
    workspace.mkdir()
    (workspace / "notes.txt").write_text("x")
    source = make(workspace)
    with pytest.raises(PathRefused, match=message):
        workbook_path(workspace, source)
    [snap] = XlsxBackend(workspace).read_teams([team(source)])
    assert snap.grid is None and snap.error is not None and re.search(message, snap.error)


def test_a_link_inside_the_workspace_is_followed_to_its_target(workspace: Path) -> None:
    (workspace / "teams").mkdir()
    os.symlink(workspace / "team.xlsx", workspace / "teams" / "core.xlsx")
    assert workbook_path(workspace, "teams/core.xlsx") == (workspace / "team.xlsx").resolve()
    [snap] = XlsxBackend(workspace).read_teams([team("teams/core.xlsx")])
    assert snap.error is None and snap.grid is not None and snap.grid[1][0] == "CO-1"


def _org(root: Path, teams: list[tuple[str, str, str]]) -> Path:
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[
            {"Team": name, "Level": "Team", "Spreadsheet": source, "Tab": tab}
            for name, source, tab in teams
        ],
        settings={"Cycle start": dt.date(2026, 10, 1), "Cycle end": dt.date(2026, 12, 31)},
    )
    new_team_workbook(root / "team.xlsx", "CO", ROWS)
    return root


@pytest.mark.parametrize(
    ("second", "duplicate"),
    [
        (("team.xlsx", "OKRs"), True),
        (("./team.xlsx", " okrs "), True),
        (("sub/../team.xlsx", "OKRS"), True),
        (("link.xlsx", ""), True),
        (("hard.xlsx", "OKRs"), True),
        (("copy.xlsx", "OKRs"), False),
        (("team.xlsx", "Other"), False),
    ],
    ids=[
        "same",
        "spelled differently",
        "through a folder",
        "through a link",
        "through a hard link",
        "copy",
        "other tab",
    ],
)
def test_the_same_sheet_twice_is_duplicate_sheet_on_the_later_team(
    tmp_path: Path, second: tuple[str, str], duplicate: bool
) -> None:
    root = _org(tmp_path, [("Core", "team.xlsx", "OKRs"), ("Mobile", *second)])
    (root / "sub").mkdir()
    os.symlink(root / "team.xlsx", root / "link.xlsx")
    os.link(root / "team.xlsx", root / "hard.xlsx")
    (root / "copy.xlsx").write_bytes((root / "team.xlsx").read_bytes())
    result = run(XlsxBackend(root), AS_OF).computed.result
    found = [(f.team, f.message) for f in result.findings if f.code is Code.DUPLICATE_SHEET]
    if duplicate:
        assert [team for team, _ in found] == ["Mobile"]
        assert "already the sheet of team Core" in found[0][1]
        assert [s.ok for s in result.teams] == [True, False]
        assert {i.team for i in result.items} == {"Core"}
    else:
        assert found == []


def test_a_duplicate_sheet_is_written_once_for_its_first_team(tmp_path: Path) -> None:
    root = _org(tmp_path, [("Core", "team.xlsx", "OKRs"), ("Mobile", "link.xlsx", "OKRs")])
    os.symlink(root / "team.xlsx", root / "link.xlsx")
    outcome = run(XlsxBackend(root), AS_OF, write=True)
    assert outcome.computed.result.writes_spreadsheets == 2  # the team workbook and the hub
    assert (root / "link.xlsx").is_symlink()
    assert not any(s.grid for s in outcome.snapshots if s.team == "Mobile")
