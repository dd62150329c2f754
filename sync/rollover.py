"""Closing a cycle and opening the next (SPEC §8), as pure planning over the tabs as read.

Each team tab is archived whole under `<Tab> <old cycle>` and rewritten for the new cycle:
objectives not done carry over with their key results (a done key result stays behind), a
carried numeric key result starts where it ended, and what a check-in or okrtree typed
(`Current`, `Updated`, `Confidence`, `Note`, `Score`, `Status`, `Warnings`) is cleared. Rows that
are not OKR items (a note, a row with an error) are kept as they are, minus those cells.

>>> grid = [["ID", "Type", "Title", "Start", "Target", "Current", "Status"],
...         ["O-1", "Objective", "Grow", None, None, None, "Done"],
...         ["K-1", "KR", "Sell", 0, 10, 10, "Done"],
...         ["O-2", "Objective", "Keep", None, None, None, "At risk"],
...         ["K-2", "KR", "Renew", 0, 10, 4, "At risk"]]
>>> plan = plan_tab(grid, done_rows={2, 3})
>>> plan.rows, plan.starts
([4, 5], {5: 4})
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheets_templates.definition import TEAM_TAB

from .model import ItemType, TargetKind, id_key
from .snapshot import CellValue, Grid
from .template import Col, find_header, parse_type
from .values import BadValue, cell_text, is_blank, parse_target

__all__ = [
    "MAX_TAB_NAME",
    "CarriedRow",
    "NewCycle",
    "TabPlan",
    "TabRollover",
    "already_rolled",
    "archive_name",
    "check_new_cycle",
    "cleared_columns",
    "done_rows_from_labels",
    "plan_tab",
    "rolled_grid",
]

MAX_TAB_NAME = 31  # what Excel accepts; Google takes more, but a workbook must open everywhere
_FORBIDDEN_IN_TAB = set("[]:*?/\\")
# Check-in columns (SPEC §7) by every header spelling, found here too so a tab that has them
# gets them cleared whether or not the reader knows them yet.
_CHECKIN_HEADERS = {"confidence", "forecast", "note", "comment", "check-in note"}
_CLEARED = (Col.CURRENT, Col.UPDATED, Col.SCORE, Col.STATUS, Col.WARNINGS)
_DONE_LABEL = "done"


@dataclass(frozen=True, slots=True)
class NewCycle:
    """The cycle being opened."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class CarriedRow:
    """A row of the old tab that goes into the new one (`id` blank for a row that is no item)."""

    row: int
    id: str
    title: str
    kind: str  # "objective", "key_result" or "other"
    parent: str = ""  # as typed


@dataclass(slots=True)
class TabPlan:
    """One tab's rollover: the old rows kept, in order, and the ones left in the archive.

    `rows` are old row numbers; the i-th lands on row `header_row + 1 + i`. `starts` maps an
    old row to its new `Start`. `last_row` is the last old row holding anything.
    """

    header_row: int
    id_column: int  # 1-based
    rows: list[int]
    carried: list[CarriedRow]
    archived: list[CarriedRow]
    starts: dict[int, CellValue]
    cleared: list[int]  # 1-based columns emptied in carried rows
    last_row: int
    start_column: int | None = None  # 1-based


@dataclass(slots=True)
class TabRollover:
    """What a backend is asked to do for one team: archive `tab` as `archive_tab`, then rewrite
    `tab` by `plan`. `expected_ids` are the IDs read on the rows the plan moves (row check)."""

    team: str
    source: str
    tab: str
    archive_tab: str
    plan: TabPlan
    expected_ids: dict[int, str] = field(default_factory=dict)


def archive_name(tab: str, old_cycle: str, start: dt.date, end: dt.date) -> str:
    """`OKRs 2026-Q4`; a cycle without a name is named by its dates."""
    label = old_cycle.strip() or f"{start.isoformat()} to {end.isoformat()}"
    return f"{tab.strip() or TEAM_TAB} {label}"


def check_new_cycle(
    new: NewCycle, old_name: str, old_start: dt.date, old_end: dt.date, tabs: list[str]
) -> list[str]:
    """Why the new cycle cannot be opened (empty when it can): dates, name, archive tab names."""
    problems = []
    if new.start <= old_end:
        problems.append(
            f"--start {new.start} must be after the current cycle's end ({old_end}); "
            f"give a date from {old_end + dt.timedelta(days=1)}"
        )
    if new.end <= new.start:
        problems.append(f"--end {new.end} must be after --start {new.start}")
    if not new.name.strip():
        problems.append("--cycle must name the new cycle, e.g. 2027-Q1")
    elif id_key(new.name) == id_key(old_name):
        problems.append(f"--cycle {new.name} is the current cycle's name; give the next one")
    for tab in dict.fromkeys(tabs):
        name = archive_name(tab, old_name, old_start, old_end)
        if len(name) > MAX_TAB_NAME:
            problems.append(
                f"the archive tab name {name!r} is longer than {MAX_TAB_NAME} characters; "
                "shorten the hub's Cycle setting or the team's tab name"
            )
        if _FORBIDDEN_IN_TAB & set(name):
            problems.append(f"the archive tab name {name!r} holds one of [ ] : * ? / \\")
    return problems


def cleared_columns(header_cells: list[CellValue], columns: dict[Col, int]) -> list[int]:
    """The 1-based columns a new cycle starts empty."""
    found = {columns[c] + 1 for c in _CLEARED if c in columns}
    for index, cell in enumerate(header_cells):
        if " ".join(cell_text(cell).split()).casefold() in _CHECKIN_HEADERS:
            found.add(index + 1)
    return sorted(found)


def _cell(grid: Grid, row: int, column: int | None) -> CellValue:
    if column is None or row > len(grid):
        return None
    cells = grid[row - 1]
    return cells[column] if column < len(cells) else None


def plan_tab(grid: Grid, done_rows: set[int]) -> TabPlan | None:
    """The rollover of one tab, given the rows whose item is done; None without a header.

    A key result belongs to the objective its `Parent` names in this tab, else to the nearest
    objective above; it carries over when it is not done and its objective does.
    """
    header = find_header(grid)
    if header is None:
        return None
    col = header.columns.get
    rows = range(header.row + 1, len(grid) + 1)
    objective_rows: dict[str, int] = {}
    for r in rows:
        if parse_type(_cell(grid, r, col(Col.TYPE))) is ItemType.OBJECTIVE:
            key = id_key(cell_text(_cell(grid, r, col(Col.ID))))
            if key:
                objective_rows.setdefault(key, r)
    plan = TabPlan(
        header_row=header.row,
        id_column=header.columns[Col.ID] + 1,
        rows=[],
        carried=[],
        archived=[],
        starts={},
        cleared=cleared_columns(list(grid[header.row - 1]), header.columns),
        last_row=header.row,
        start_column=header.columns[Col.START] + 1 if Col.START in header.columns else None,
    )
    carried_objectives: set[int] = set()
    above: int | None = None
    for r in rows:
        if any(not is_blank(v) for v in grid[r - 1]):
            plan.last_row = r
        item_id = cell_text(_cell(grid, r, col(Col.ID)))
        title = cell_text(_cell(grid, r, col(Col.TITLE)))
        if not item_id and not title:
            continue
        kind = parse_type(_cell(grid, r, col(Col.TYPE)))
        if kind is ItemType.OBJECTIVE:
            above = r
            carry = r not in done_rows
            if carry:
                carried_objectives.add(r)
        elif kind is ItemType.KEY_RESULT and item_id:
            named = objective_rows.get(id_key(cell_text(_cell(grid, r, col(Col.PARENT)))))
            objective = named or above
            carry = r not in done_rows and (objective is None or objective in carried_objectives)
        else:  # not an OKR item: kept as typed
            kind, carry = None, True
        parent = cell_text(_cell(grid, r, col(Col.PARENT)))
        entry = CarriedRow(r, item_id, title, kind.value if kind else "other", parent)
        if not carry:
            plan.archived.append(entry)
            continue
        plan.rows.append(r)
        plan.carried.append(entry)
        if kind is ItemType.KEY_RESULT:
            current = _cell(grid, r, col(Col.CURRENT))
            if Col.START in header.columns and not is_blank(current) and _numeric(grid, r, col):
                plan.starts[r] = current
    return plan


def _numeric(grid: Grid, row: int, col: object) -> bool:
    """The key result measures a number from Start to Target (not a threshold or yes/no)."""
    try:
        kind, _ = parse_target(_cell(grid, row, col(Col.TARGET)))  # type: ignore[operator]
    except BadValue:
        return False
    return kind is TargetKind.NUMBER


def done_rows_from_labels(grid: Grid) -> set[int]:
    """Rows whose `Status` cell says Done, as the final sync wrote it (an archive tab)."""
    header = find_header(grid)
    if header is None or Col.STATUS not in header.columns:
        return set()
    column = header.columns[Col.STATUS]
    return {
        r
        for r in range(header.row + 1, len(grid) + 1)
        if cell_text(_cell(grid, r, column)).casefold() == _DONE_LABEL
    }


def already_rolled(archive: Grid, live: Grid) -> bool:
    """The live tab is what rolling the archive over gives: the same IDs in the same order,
    with the check-in columns empty. Then a re-run skips the team instead of rolling it twice."""
    plan = plan_tab(archive, done_rows_from_labels(archive))
    header = find_header(live)
    if plan is None or header is None:
        return False
    wanted = [id_key(c.id) for c in plan.carried if c.id]
    id_col = header.columns[Col.ID]
    found = [
        id_key(cell_text(_cell(live, r, id_col)))
        for r in range(header.row + 1, len(live) + 1)
        if cell_text(_cell(live, r, id_col))
    ]
    if found != wanted:
        return False
    current = header.columns.get(Col.CURRENT)
    return all(is_blank(_cell(live, r, current)) for r in range(header.row + 1, len(live) + 1))


def rolled_grid(grid: Grid, plan: TabPlan) -> Grid:
    """The tab's values after the rollover (rows up to `last_row`; emptied rows as blanks)."""
    out: Grid = [list(row) for row in grid[: plan.header_row]]
    width = max((len(row) for row in grid), default=0)
    start_col = plan.start_column - 1 if plan.start_column is not None else None
    for old in plan.rows:
        row = list(grid[old - 1]) + [None] * (width - len(grid[old - 1]))
        for column in plan.cleared:
            row[column - 1] = None
        if old in plan.starts and start_col is not None:
            row[start_col] = plan.starts[old]
        out.append(row)
    while len(out) < plan.last_row:
        out.append([None] * width)
    return out
