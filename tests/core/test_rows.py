"""SPEC §2: a cell is read only under a header okrtree recognises, wherever other columns stand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.model import Code, Level, Team
from sync.rows import read_team_sheet
from sync.snapshot import CellValue, Grid
from sync.template import find_header

TEAM = Team(name="Core", level=Level.TEAM, parent=None, source="core.xlsx")
HEADER = ["ID", "Type", "Title", "Parent", "Owner", "Start", "Target", "Current"]
ROWS: Grid = [
    ["CO-1", "Objective", "Grow", None, "a@x.example", None, None, None],
    ["CO-2", "Key Result", "Revenue", None, "b@x.example", 0, 10, 4],
    ["CO-3", "KR", "Churn", "CO-1", None, 9, "<= 5", "7"],
]
_junk = st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 5), st.just("CO-1, team:X"))
_own_names = st.sampled_from(["Priority", "Notes", "", "Size", "Depends", "Weights"])


def _read(grid: Grid) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    read = read_team_sheet(TEAM, grid)
    items = [
        (
            i.id,
            i.type,
            i.title,
            i.owner,
            i.parent_text,
            tuple(i.depends_on),
            i.weight,
            i.start,
            i.target,
            i.target_kind,
            i.current,
            i.updated,
            i.why_now,
            i.row,
        )
        for i in read.items
    ]
    return items, [(f.code, f.id, f.message) for f in read.findings]


@given(
    at=st.lists(st.integers(0, len(HEADER)), min_size=1, max_size=4),
    names=st.lists(_own_names, min_size=4, max_size=4),
    junk=st.lists(_junk, min_size=12, max_size=12),
)
def test_columns_of_the_teams_own_change_nothing(
    at: list[int], names: list[str], junk: list[CellValue]
) -> None:
    header: list[CellValue] = list(HEADER)
    rows = [list(r) for r in ROWS]
    for n, position in enumerate(sorted(at, reverse=True)):
        header.insert(position, names[n])
        for r, row in enumerate(rows):
            row.insert(position, junk[(n * 3 + r) % len(junk)])
    assert find_header([header]) is not None
    assert _read([header, *rows]) == _read([list(HEADER), *ROWS])


def test_a_date_in_updated_is_read_only_under_its_header() -> None:
    grid: Grid = [[*HEADER, "Reviewed"], [*ROWS[1], dt.datetime(2026, 11, 1)]]
    [item] = read_team_sheet(TEAM, grid).items
    assert item.updated is None


@pytest.mark.parametrize(
    ("grid", "says"),
    [
        ([["ID", "Kind", "Title", "Parent"], ROWS[0]], "no 'Type' column in row 1"),
        ([["Q4"], ["ID", "Title", "Owner"], ROWS[0]], "no 'Type', 'Parent' column in row 2"),
        ([["ID", "Type", "Title"], ROWS[0]], "no 'Parent' column in row 1"),
        ([["Notes"], ["x", "y"]], "no 'ID', 'Type', 'Title', 'Parent' column in the first 10"),
        ([["Q4"]] * 11 + [HEADER, *ROWS], "header is on row 12, below the first 10 rows"),
    ],
    ids=["one renamed", "two missing under a title", "found", "none at all", "too far down"],
)
def test_a_tab_without_the_required_columns_is_told_which_ones(grid: Grid, says: str) -> None:
    read = read_team_sheet(TEAM, grid)
    [finding] = read.findings
    assert finding.code is Code.TEMPLATE_MISSING_COLUMN and read.header is None
    assert says in finding.message
