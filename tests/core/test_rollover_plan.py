"""Rollover planning (SPEC §8) over generated tabs: what carries, what stays, new Starts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.rollover import NewCycle, archive_name, check_new_cycle, plan_tab, rolled_grid

HEADER = [
    "ID",
    "Type",
    "Title",
    "Parent",
    "Start",
    "Target",
    "Current",
    "Updated",
    "Status",
    "Mine",
]
TYPES = ["Objective", "Key Result", "Note"]


@st.composite
def tabs(draw: st.DrawFn) -> tuple[list[list[object]], set[int]]:
    kinds = draw(st.lists(st.sampled_from(TYPES), max_size=14))
    grid: list[list[object]] = [HEADER]
    for n, kind in enumerate(kinds, start=1):
        if kind == "Note":
            grid.append([None, None, "a note", None, None, None, None, None, None, "keep"])
            continue
        target = draw(st.sampled_from([10, ">= 5", "yes", None]))
        current = draw(st.sampled_from([None, 3, 7.5]))
        grid.append(
            [f"X-{n}", kind, f"t{n}", None, 0, target, current, dt.date(2026, 11, 1), "x", n]
        )
    rows = range(2, len(grid) + 1)
    done = draw(st.sets(st.sampled_from(list(rows)))) if len(grid) > 1 else set()
    return grid, done


def _objective_of(grid: list[list[object]], row: int) -> int | None:
    for above in range(row - 1, 1, -1):
        if grid[above - 1][1] == "Objective":
            return above
    return None


@given(tabs())
def test_what_carries_follows_the_rules(tab: tuple[list[list[object]], set[int]]) -> None:
    grid, done = tab
    plan = plan_tab(grid, done)
    assert plan is not None
    carried, archived = set(plan.rows), {a.row for a in plan.archived}
    filled = {r for r in range(2, len(grid) + 1) if grid[r - 1][0] or grid[r - 1][2]}
    assert carried | archived == filled and not carried & archived
    assert plan.rows == sorted(plan.rows)  # order kept
    for row in carried:
        kind = grid[row - 1][1]
        if kind in ("Objective", "Key Result"):
            assert row not in done
        if kind == "Key Result":
            objective = _objective_of(grid, row)
            assert objective is None or objective in carried
    for row in archived:
        objective = _objective_of(grid, row)
        assert row in done or (objective is not None and objective in done)
    for row, start in plan.starts.items():
        assert grid[row - 1][5] == 10 and start == grid[row - 1][6] is not None


@given(tabs())
def test_the_new_tab_clears_check_ins_and_outputs_keeps_the_rest(
    tab: tuple[list[list[object]], set[int]],
) -> None:
    grid, done = tab
    plan = plan_tab(grid, done)
    assert plan is not None
    new = rolled_grid(grid, plan)
    assert new[0] == HEADER and len(new) == plan.last_row
    for offset, old in enumerate(plan.rows):
        row, before = new[1 + offset], grid[old - 1]
        assert row[6] is None and row[7] is None and row[8] is None  # Current, Updated, Status
        assert row[:4] == before[:4] and row[5] == before[5] and row[9] == before[9]
        assert row[4] == plan.starts.get(old, before[4])
    assert all(all(v is None for v in row) for row in new[1 + len(plan.rows) :])


def test_a_key_result_follows_the_objective_its_parent_names() -> None:
    grid = [
        HEADER,
        ["O-1", "Objective", "a", None, None, None, None, None, "Done", None],
        ["O-2", "Objective", "b", None, None, None, None, None, "On track", None],
        ["K-1", "Key Result", "c", "O-1", 0, 10, 5, None, "On track", None],
        ["K-2", "Key Result", "d", None, 0, 10, 5, None, "On track", None],
    ]
    plan = plan_tab(grid, done_rows={2})
    assert plan is not None
    assert [c.id for c in plan.carried] == ["O-2", "K-2"]


D = dt.date


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        (NewCycle("2027-Q1", D(2026, 12, 31), D(2027, 3, 31)), "must be after the current"),
        (NewCycle("2027-Q1", D(2027, 1, 1), D(2027, 1, 1)), "must be after --start"),
        (NewCycle(" ", D(2027, 1, 1), D(2027, 3, 31)), "must name the new cycle"),
        (NewCycle("2026-q4", D(2027, 1, 1), D(2027, 3, 31)), "current cycle's name"),
    ],
)
def test_bad_new_cycles(new: NewCycle, problem: str) -> None:
    problems = check_new_cycle(new, "2026-Q4", D(2026, 10, 1), D(2026, 12, 31), ["OKRs"])
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    ("tab", "cycle", "expected"),
    [("OKRs", "2026-Q4", "OKRs 2026-Q4"), ("Goals ", "", "Goals 2026-10-01 to 2026-12-31")],
)
def test_archive_names(tab: str, cycle: str, expected: str) -> None:
    assert archive_name(tab, cycle, D(2026, 10, 1), D(2026, 12, 31)) == expected


def test_archive_names_an_excel_tab_can_hold() -> None:
    new = NewCycle("2027-Q1", D(2027, 1, 1), D(2027, 3, 31))
    long = check_new_cycle(
        new, "Q4 of the year 2026", D(2026, 10, 1), D(2026, 12, 31), ["Objectives and KRs"]
    )
    assert any("longer than 31" in p for p in long)
    odd = check_new_cycle(new, "2026/Q4", D(2026, 10, 1), D(2026, 12, 31), ["OKRs"])
    assert any("holds one of" in p for p in odd)
