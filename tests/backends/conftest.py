"""Workbooks for the local backend tests: the template builder plus a little zip surgery."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from sync.backends.xlsx import XlsxBackend
from sync.model import Level, Team

ROWS = [
    {"ID": "CO-1", "Type": "Objective", "Title": "Grow", "Owner": "a@x.example"},
    {
        "ID": "CO-2",
        "Type": "Key Result",
        "Title": "Revenue",
        "Owner": "b@x.example",
        "Start": 0,
        "Target": 10,
        "Current": 4,
        "Updated": dt.date(2026, 11, 20),
    },
    {"ID": "CO-3", "Type": "Key Result", "Title": "Churn", "Start": 9, "Target": 5, "Current": 7},
]
SCORE, STATUS, WARNINGS = 13, 14, 15  # template columns M, N, O


def team(source: str = "team.xlsx", tab: str = "OKRs", name: str = "Core") -> Team:
    return Team(name=name, level=Level.TEAM, parent=None, source=source, tab=tab)


def rezip(path: Path, edits: dict[str, bytes | Callable[[bytes], bytes]]) -> None:
    """Rewrite a workbook's zip: replace or transform members, or add new ones."""
    members: dict[str, bytes] = {}
    if path.exists():
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, edit in edits.items():
        members[name] = edit(members.get(name, b"")) if callable(edit) else edit
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def sheet_xml(edit: Callable[[str], str]) -> Callable[[bytes], bytes]:
    """A zip edit applying `edit` to a sheet's XML text."""

    def apply(data: bytes) -> bytes:
        text = data.decode("utf-8")
        changed = edit(text)
        assert changed != text, "the sheet XML edit matched nothing"
        return changed.encode("utf-8")

    return apply


def cached(cell: str, value: str, kind: str = "") -> Callable[[str], str]:
    """An edit giving formula `cell` a cached result, as Excel leaves it after a save."""
    pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)')
    kind_attr = f' t="{kind}"' if kind else ""
    return lambda text: pattern.sub(rf'<c r="{cell}"\1{kind_attr}><f>\2</f><v>{value}</v>', text)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with a hub and one team workbook `team.xlsx` holding `ROWS`."""
    new_hub_workbook(
        tmp_path / "hub.xlsx",
        teams=[{"Team": "Core", "Level": "Team", "Spreadsheet": "team.xlsx"}],
        settings={"Cycle start": dt.date(2026, 10, 1), "Cycle end": dt.date(2026, 12, 31)},
    )
    new_team_workbook(tmp_path / "team.xlsx", "CO", ROWS)
    return tmp_path


@pytest.fixture
def backend(workspace: Path) -> XlsxBackend:
    return XlsxBackend(workspace)
