"""Replacing a workbook keeps what identifies it: links, mode, owner, and a person's later save."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.backends import xlsx_patch, xlsx_safety
from sync.backends.base import WriteRefused
from sync.backends.xlsx import XlsxBackend
from sync.snapshot import CellChange, SheetChanges

from .conftest import SCORE, team


def _score(cell_value: float, source: str = "team.xlsx") -> SheetChanges:
    return SheetChanges("Core", source, "OKRs", 1, [CellChange(2, SCORE, cell_value)], {2: "CO-1"})


def test_a_symlink_is_written_through_and_stays_a_link(workspace: Path) -> None:
    real = workspace / "teams" / "core.xlsx"
    real.parent.mkdir()
    (workspace / "team.xlsx").rename(real)
    real.chmod(0o604)
    link = workspace / "team.xlsx"
    link.symlink_to(Path("teams") / "core.xlsx")
    backend = XlsxBackend(workspace)
    backend.read_teams([team()])
    backend.write_team(_score(0.5))
    assert link.is_symlink() and os.readlink(link) == str(Path("teams") / "core.xlsx")
    assert load_workbook(real)["OKRs"].cell(2, SCORE).value == 0.5
    assert real.stat().st_mode & 0o777 == 0o604
    assert sorted(p.name for p in real.parent.iterdir()) == ["core.xlsx"]


def test_a_file_of_another_owner_is_refused_when_its_owner_cannot_be_kept(
    workspace: Path, backend: XlsxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "team.xlsx"
    before = path.read_bytes()
    backend.read_teams([team()])
    keep_owner = xlsx_safety._keep_owner

    def owned_by_another_user(temporary: Path, info: os.stat_result) -> None:
        fields = list(info)
        fields[4] += 1  # st_uid
        keep_owner(temporary, os.stat_result(fields))

    monkeypatch.setattr(xlsx_safety, "_keep_owner", owned_by_another_user)
    monkeypatch.setattr(xlsx_safety.os, "chown", _permission_denied)
    with pytest.raises(WriteRefused, match="belongs to another user"):
        backend.write_team(_score(0.5))
    assert path.read_bytes() == before
    assert sorted(p.name for p in workspace.iterdir() if ".okrtree-" in p.name) == []


def _permission_denied(*args: Any) -> None:
    raise PermissionError(1, "Operation not permitted")


def test_a_save_while_writing_wins_over_okrtree(
    workspace: Path, backend: XlsxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "team.xlsx"
    backend.read_teams([team()])
    patch = xlsx_patch.copy_package

    def person_saves_meanwhile(*args: Any) -> None:
        patch(*args)
        wb = load_workbook(path)
        wb["OKRs"]["C2"] = "typed by a person"
        wb.save(path)

    monkeypatch.setattr(xlsx_patch, "copy_package", person_saves_meanwhile)
    with pytest.raises(WriteRefused, match="team.xlsx changed since it was read; run again"):
        backend.write_team(_score(0.5))
    ws = load_workbook(path)["OKRs"]
    assert ws["C2"].value == "typed by a person" and ws.cell(2, SCORE).value is None


def test_leftovers_of_a_killed_run_are_removed_by_the_next_writing_run(workspace: Path) -> None:
    (workspace / "teams").mkdir()
    leftovers = [
        workspace / ".hub.xlsx.okrtree-k1l2.tmp",
        workspace / "teams" / ".core.xlsx.okrtree-x9.tmp",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"PK half")
    kept = [workspace / "notes.tmp", workspace / ".hub.xlsx.other.tmp"]
    for other in kept:
        other.write_text("mine")
    backend = XlsxBackend(workspace)
    with backend.exclusive():
        assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in kept)


def test_disk_full_while_writing_leaves_the_workbook_and_no_temporary_file(
    workspace: Path, backend: XlsxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "team.xlsx"
    before = path.read_bytes()
    backend.read_teams([team()])

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", disk_full)
    with pytest.raises(WriteRefused, match=r"could not be saved \(No space left on device\)"):
        backend.write_team(_score(0.5))
    assert path.read_bytes() == before
    assert [p.name for p in workspace.iterdir() if ".okrtree-" in p.name] == []
