"""The Google path shares the core's reading rules: the same spreadsheet and tab for two teams is
DUPLICATE_SHEET on the later one (never read, never written), and a column of the team's own is
never read as OKR data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.model import Code

from .conftest import CYCLE, HEADER, sync

_OKRS = [
    HEADER,
    ["CO-1", "Objective", "Grow", "o@x.example", "", "", "", "", "", "", "", "now"],
    ["CO-2", "Key Result", "Count", "o@x.example", "", "", 0, 10, 4, "", "2026-11-20"],
]


def _hub(emulator: Emulator, teams: list[list[Any]]) -> str:
    settings = [[k, v.isoformat() if isinstance(v, dt.date) else v] for k, v in CYCLE.items()]
    return emulator.create_spreadsheet(
        "hub", {"Teams": [["Team", "Level", "Spreadsheet", "Tab"], *teams], "Settings": settings}
    )


@pytest.mark.parametrize(
    ("second", "tab", "duplicate"),
    [
        ("{url}", "OKRs", True),
        ("{key}", " okrs ", True),
        ("{url}#gid=0", "", True),
        ("{other}", "OKRs", False),
    ],
    ids=["same url", "key and tab spelled differently", "url with gid, blank tab", "other"],
)
def test_the_same_sheet_twice_is_duplicate_sheet_and_read_once(
    emulator: Emulator,
    backend: Callable[[str], GoogleBackend],
    second: str,
    tab: str,
    duplicate: bool,
) -> None:
    key = emulator.create_spreadsheet("core", {"OKRs": _OKRS})
    other = emulator.create_spreadsheet("copy", {"OKRs": [HEADER]})
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    source = second.format(url=url, key=key, other=other)
    hub = _hub(emulator, [["Core", "Company", url, "OKRs"], ["Mobile", "Team", source, tab]])
    emulator.reset_stats()
    outcome = sync(backend(hub))
    result = outcome.computed.result
    found = [f for f in result.findings if f.code is Code.DUPLICATE_SHEET]
    assert [f.team for f in found] == (["Mobile"] if duplicate else [])
    reads = [i.kind for i, _ in emulator.log if i.spreadsheet_id == key and not i.write]
    assert reads.count("spreadsheets.get") == 1  # the later team on it is not read
    assert [s.ok for s in result.teams] == [True, not duplicate]
    if duplicate:
        assert "already the sheet of team Core" in found[0].message
        assert not any(s.grid for s in outcome.snapshots if s.team == "Mobile")
        assert emulator.values(key, "OKRs")[0][-5:-2] == ["Score", "Status", "Warnings"]


def test_a_column_of_the_teams_own_is_never_read(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    header = ["ID", "Type", "Title", "Parent", "Why now", "Priority"]
    key = emulator.create_spreadsheet(
        "core", {"OKRs": [header, ["CO-1", "Objective", "Grow", "", "now", "High, CO-9"]]}
    )
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    result = sync(backend(_hub(emulator, [["Core", "Company", url, "OKRs"]])), write=False)
    findings = result.computed.result.findings
    assert [(f.code, f.id) for f in findings] == [(Code.NO_KEY_RESULTS, "CO-1")]
    assert [i.depends_on for i in result.computed.result.items] == [[]]


@pytest.mark.parametrize(
    ("formula", "shown"),
    [("=1/0", "#DIV/0!"), ("=#REF!", "#REF!"), ("=NA()", "#N/A")],
)
@pytest.mark.parametrize("column", ["Target", "Current"])
def test_a_formula_error_is_that_rows_invalid_number(
    emulator: Emulator,
    backend: Callable[[str], GoogleBackend],
    formula: str,
    shown: str,
    column: str,
) -> None:
    """An error cell reads as its text, as the Sheets API gives it and a workbook caches it."""
    rows = [list(row) for row in _OKRS]
    rows[2][HEADER.index(column)] = formula
    key = emulator.create_spreadsheet("core", {"OKRs": rows})
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    fine = emulator.create_spreadsheet("fine", {"OKRs": [HEADER, *_OKRS[1:2]]})
    hub = _hub(emulator, [["Core", "Company", url, "OKRs"], ["Fine", "Team", fine, "OKRs"]])
    result = sync(backend(hub)).computed.result
    [bad] = [f for f in result.findings if f.code is Code.INVALID_NUMBER]
    assert bad.id == "CO-2" and f"column {column}: '{shown}' is not a number" in bad.message
    assert [t.ok for t in result.teams] == [True, True]
    assert emulator.values(key, "OKRs")[2][HEADER.index("Warnings")].startswith("INVALID_NUMBER")


@pytest.mark.parametrize("typed", ["3/4/2026", "2026-11-20", "Nov 5, 2026", "2026-11-20 13:30"])
@pytest.mark.parametrize("column", ["Start", "Target", "Current"])
def test_a_date_typed_into_a_number_column_is_a_date_not_a_number(
    emulator: Emulator, backend: Callable[[str], GoogleBackend], typed: str, column: str
) -> None:
    """Sheets turns `3/4/2026` into a date cell; read as its serial number (46085) it would score
    nonsense. It is a date, as the same cell in a workbook is: INVALID_NUMBER."""
    rows = [list(row) for row in _OKRS]
    rows[2][HEADER.index(column)] = typed
    rows[2][HEADER.index("Updated")] = "11/20/2026"
    key = emulator.create_spreadsheet("core", {"OKRs": rows})
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    result = sync(backend(_hub(emulator, [["Core", "Company", url, "OKRs"]])), write=False)
    findings = result.computed.result.findings
    assert [(f.code, f.id) for f in findings] == [(Code.INVALID_NUMBER, "CO-2")]
    assert f"column {column}: " in findings[0].message and "is a date, not a number" in (
        findings[0].message
    )
    [kr] = [i for i in result.computed.result.items if i.id == "CO-2"]
    assert kr.score is None and kr.updated == dt.date(2026, 11, 20)


def test_an_id_sheets_made_a_date_is_read_and_written_like_any_id(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    """`2026-11-20` typed as an ID becomes a date cell; the row check before writing reads it
    as a serial number, and must still know it for the ID that was read."""
    rows = [list(row) for row in _OKRS]
    rows[2][0] = "2026-11-20"
    key = emulator.create_spreadsheet("core", {"OKRs": rows})
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    hub = _hub(emulator, [["Core", "Company", url, "OKRs"]])
    first = sync(backend(hub)).computed.result
    assert "2026-11-20" in [i.id for i in first.items]
    assert not [f for f in first.findings if f.code is Code.NOT_WRITTEN]
    assert emulator.values(key, "OKRs")[2][HEADER.index("Score")] == "0.4"
    assert sync(backend(hub)).computed.result.writes_cells == 0
