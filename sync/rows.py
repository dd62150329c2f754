"""Reading one team's OKR tab into items and cell findings (pure).

Only this team's own rows are judged here; links between rows (parents, dependencies, duplicate
IDs across teams) are judged once the whole organisation is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .model import Code, Finding, Item, ItemType, TargetKind, Team
from .snapshot import CellValue, Grid
from .template import (
    HEADER_SEARCH_ROWS,
    REQUIRED_COLUMNS,
    Col,
    Header,
    closest_header,
    find_header,
    parse_type,
)
from .values import (
    BadValue,
    cell_text,
    parse_confidence,
    parse_date,
    parse_number,
    parse_target,
    parse_yes_no,
)

__all__ = ["READ_CODES", "SheetRead", "read_team_sheet", "split_dependencies"]

# What reading one tab finds: every other finding needs the whole organisation.
READ_CODES = frozenset(
    {
        Code.TEMPLATE_MISSING_COLUMN,
        Code.MISSING_ID,
        Code.INVALID_TYPE,
        Code.INVALID_NUMBER,
        Code.INVALID_DATE,
    }
)

_DEPENDENCY_SEPARATORS = re.compile(r"[,;\r\n]+")
_Parsed = TypeVar("_Parsed")


@dataclass(slots=True)
class SheetRead:
    """A team tab as read: its header (None when unusable), items in row order, findings, and
    the ID text of every non-blank row (what the writer re-checks before writing)."""

    header: Header | None
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    row_ids: dict[int, str] = field(default_factory=dict)


def split_dependencies(value: object) -> list[str]:
    """`Depends on` tokens, trimmed, separated by `,` `;` or new lines.

    >>> split_dependencies("ENG-1; team:Platform,\\nOPS-2")
    ['ENG-1', 'team:Platform', 'OPS-2']
    """
    if value is None:  # most rows depend on nothing
        return []
    return [t.strip() for t in _DEPENDENCY_SEPARATORS.split(cell_text(value)) if t.strip()]


def _quote(value: CellValue) -> str:
    text = cell_text(value)
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def _missing_columns(team: Team, grid: Grid, header: Header | None) -> str:
    """Which required header cells a tab lacks, in the row a person most likely meant."""
    lead = f"Team {team.name}, tab '{team.tab}'"
    below = find_header(grid[HEADER_SEARCH_ROWS:]) if header is None else None
    if below is not None and not below.missing(REQUIRED_COLUMNS):
        row = below.row + HEADER_SEARCH_ROWS
        return (
            f"{lead}: the header is on row {row}, below the first {HEADER_SEARCH_ROWS} rows "
            f"okrtree looks in; delete {row - HEADER_SEARCH_ROWS} of the rows above it and run "
            "again."
        )
    header = header or closest_header(grid)
    missing = header.missing(REQUIRED_COLUMNS) if header else list(REQUIRED_COLUMNS)
    where = f"row {header.row}" if header else f"the first {HEADER_SEARCH_ROWS} rows"
    names = ", ".join(f"'{c.value}'" for c in missing)
    return (
        f"{lead}: no {names} column in {where}; add the missing header cells (see the "
        "template) and run again."
    )


def read_team_sheet(team: Team, grid: Grid) -> SheetRead:
    """Items and cell findings of one team's tab; a tab without the required columns is skipped."""
    header = find_header(grid)
    if header is None or header.missing(REQUIRED_COLUMNS):
        message = f"{_missing_columns(team, grid, header)} This team was skipped."
        finding = Finding.on_team(Code.TEMPLATE_MISSING_COLUMN, team.name, message)
        return SheetRead(None, findings=[finding])
    read = SheetRead(header)
    reader = _RowReader(team, header, read.findings)
    objective_above: int | None = None
    for number in range(header.row + 1, len(grid) + 1):
        item = reader.read(grid[number - 1], number, read.row_ids)
        if item is None:
            continue
        if item.type is ItemType.OBJECTIVE:
            objective_above = number
        else:
            item.objective_above = objective_above
        read.items.append(item)
    return read


class _RowReader:
    """Turns one row into an Item, adding a finding for every cell it cannot read."""

    def __init__(self, team: Team, header: Header, findings: list[Finding]) -> None:
        self.team = team
        self.findings = findings
        # Rows are cut or padded to `width` + 1 cells; a column the tab lacks reads that last,
        # always blank cell, never a cell of the team's own (SPEC §2: only recognised headers).
        self.width = max(header.columns.values()) + 1
        at = {column: header.columns.get(column, self.width) for column in Col}
        # Positions as plain attributes, read without a method call or a dict look-up each:
        # 100,000 rows read ten columns each.
        self.id_at, self.title_at, self.type_at = at[Col.ID], at[Col.TITLE], at[Col.TYPE]
        self.owner_at, self.parent_at, self.depends_at = (
            at[Col.OWNER],
            at[Col.PARENT],
            at[Col.DEPENDS_ON],
        )
        self.weight_at, self.why_now_at = at[Col.WEIGHT], at[Col.WHY_NOW]
        self.start_at, self.target_at = at[Col.START], at[Col.TARGET]
        self.current_at, self.updated_at = at[Col.CURRENT], at[Col.UPDATED]
        self.confidence_at, self.note_at = at[Col.CONFIDENCE], at[Col.NOTE]

    def add(self, code: Code, row: int, item_id: str | None, message: str) -> None:
        self.findings.append(Finding.on_row(code, self.team.name, row, item_id, message))

    def bad_cell(
        self, code: Code, row: int, item_id: str, column: Col, value: CellValue, problem: str
    ) -> None:
        self.add(
            code,
            row,
            item_id,
            f"Team {self.team.name}, row {row} ({item_id}), column {column.value}: "
            f"{_quote(value)} {problem}.",
        )

    def read(self, cells: list[CellValue], row: int, row_ids: dict[int, str]) -> Item | None:
        width = self.width
        if len(cells) > width:
            cells = cells[:width]
        cells = [*cells, *([None] * (width + 1 - len(cells)))]
        item_id = cell_text(cells[self.id_at])
        title = cell_text(cells[self.title_at])
        if not item_id and not title:
            return None
        row_ids[row] = item_id
        if not item_id:
            self.add(
                Code.MISSING_ID,
                row,
                None,
                f"Team {self.team.name}, row {row}: '{title}' has no ID; type a unique ID "
                "(for example the team prefix and a number) in the ID column.",
            )
            return None
        type_cell = cells[self.type_at]
        item_type = parse_type(type_cell)
        if item_type is None:
            self.bad_cell(
                Code.INVALID_TYPE,
                row,
                item_id,
                Col.TYPE,
                type_cell,
                "is not a type; type Objective or Key Result. The row is left out",
            )
            return None
        item = Item(
            id=item_id,
            type=item_type,
            team=self.team.name,
            row=row,
            title=title,
            owner=cell_text(cells[self.owner_at]),
            parent_text=cell_text(cells[self.parent_at]),
            depends_on=split_dependencies(cells[self.depends_at]),
        )
        item.weight = self._weight(cells, row, item_id)
        if item_type is ItemType.OBJECTIVE:
            item.why_now = cell_text(cells[self.why_now_at])
        else:
            self._measure(item, cells)
        return item

    def _weight(self, cells: list[CellValue], row: int, item_id: str) -> float:
        value = cells[self.weight_at]
        try:
            weight = parse_number(value)
        except BadValue as err:
            self.bad_cell(
                Code.INVALID_NUMBER, row, item_id, Col.WEIGHT, value, f"{err}; it counts as 1"
            )
            return 1.0
        if weight is None:
            return 1.0
        if weight < 0:
            self.bad_cell(
                Code.INVALID_NUMBER,
                row,
                item_id,
                Col.WEIGHT,
                value,
                "is negative; type a weight of 0 or more. It counts as 1",
            )
            return 1.0
        return weight

    def _measure(self, item: Item, cells: list[CellValue]) -> None:
        """Start, Target, Current and Updated of a key result; the target decides how Current
        reads (yes/no or a number). Findings come in column order."""
        start = self._measured(item, cells[self.start_at], Col.START, parse_number)
        item.start = start or 0.0
        target = self._measured(item, cells[self.target_at], Col.TARGET, parse_target)
        if target is not None:
            item.target_kind, item.target = target
        read_current = parse_yes_no if item.target_kind is TargetKind.YES_NO else parse_number
        item.current = self._measured(item, cells[self.current_at], Col.CURRENT, read_current)
        value = cells[self.updated_at]
        try:
            item.updated = parse_date(value)
        except BadValue as err:
            self.bad_cell(Code.INVALID_DATE, item.row, item.id, Col.UPDATED, value, str(err))
        value = cells[self.confidence_at]
        try:
            item.confidence = parse_confidence(value)
        except BadValue as err:
            self.bad_cell(
                Code.INVALID_NUMBER,
                item.row,
                item.id,
                Col.CONFIDENCE,
                value,
                f"{err}; until then it counts as not given",
            )
        item.note = cell_text(cells[self.note_at])

    def _measured(
        self, item: Item, value: CellValue, column: Col, parse: Callable[[CellValue], _Parsed]
    ) -> _Parsed | None:
        """One measurement cell; unreadable leaves the key result without a score."""
        try:
            return parse(value)
        except BadValue as err:
            item.has_number_error = True
            self.bad_cell(
                Code.INVALID_NUMBER,
                item.row,
                item.id,
                column,
                value,
                f"{err}; until then the key result has no score",
            )
            return None
