"""What `okrtree add-team` changes, decided from cells alone (pure): the `Teams` row, the
template columns a team tab lacks, and IDs for rows that have none.

The adapter (`sync.addteam`) reads the files, asks here, then writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheets_templates.definition import team_column_names

from .model import Finding, Level, id_key
from .suggest import did_you_mean
from .template import Col, find_header
from .values import cell_text

__all__ = [
    "LEVEL_LABELS",
    "Added",
    "SheetPlan",
    "check_team",
    "choose_prefix",
    "file_name",
    "parse_level",
    "plan_sheet",
]

LEVEL_LABELS = {level: level.value.capitalize() for level in Level}  # as the Teams tab shows it
_NUMBERED = re.compile(r"([A-Za-z][A-Za-z0-9]*)-(\d+)")


@dataclass(slots=True)
class Added:
    """What `add_team` did, for the report."""

    team: str
    level: Level
    parent: str | None
    source: str  # the workbook's path in the workspace, as written in Teams
    tab: str
    hub_row: int
    copied_from: Path | None = None
    created: bool = False
    added_columns: list[str] = field(default_factory=list)
    new_ids: dict[int, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def parse_level(text: str) -> Level | None:
    """
    >>> parse_level("team"), parse_level("Department"), parse_level("squad")
    (<Level.TEAM: 'team'>, <Level.DEPARTMENT: 'department'>, None)
    """
    wanted = id_key(text)
    return next((level for level in Level if level.value == wanted), None)


def file_name(team: str) -> str:
    """The workbook name for a team: lower case, words joined by `-`.

    >>> file_name("EMEA Sales"), file_name("R&D / Labs")
    ('emea-sales.xlsx', 'r-d-labs.xlsx')
    """
    words = re.findall(r"[^\W_]+", team.casefold())
    return "-".join(words or ["team"]) + ".xlsx"


def choose_prefix(team: str, own_ids: Sequence[str], taken: Collection[str]) -> str:
    """The ID prefix for a team: the one its rows already use most, else letters from its name
    (initials of several words, else the first three letters) that no other team uses.

    >>> choose_prefix("Mobile", [], set()), choose_prefix("Customer Success", [], {"cs"})
    ('MOB', 'CS2')
    >>> choose_prefix("Mobile", ["APP-1", "APP-2"], set())
    'APP'
    """
    used = Counter(m.group(1) for m in map(_NUMBERED.fullmatch, own_ids) if m)
    if used:
        return used.most_common(1)[0][0]
    words = re.findall(r"[A-Za-z0-9]+", team)
    base = "".join(w[0] for w in words) if len(words) > 1 else (words or ["T"])[0][:3]
    base = base.upper() if base[:1].isalpha() else f"T{base.upper()}"
    prefix, number = base, 1
    while id_key(prefix) in taken:
        number += 1
        prefix = f"{base}{number}"
    return prefix


@dataclass(slots=True)
class SheetPlan:
    """The edits a team tab needs: header names to add after `last_column` (1-based) in
    `header_row`, and new IDs by row."""

    header_row: int
    last_column: int
    missing_columns: list[str] = field(default_factory=list)
    new_ids: dict[int, str] = field(default_factory=dict)
    prefix: str = ""

    @property
    def needed(self) -> bool:
        return bool(self.missing_columns or self.new_ids)


def plan_sheet(
    grid: Sequence[Sequence[object]], team: str, org_ids: Collection[str], taken_prefixes: set[str]
) -> SheetPlan | None:
    """The plan for a team tab's cells, or None when it has no header with `ID` and `Type`.

    `org_ids` are the IDs already used in the organisation (compared as `id_key`); new IDs
    continue after the highest number in use with the prefix and never repeat one.
    """
    header = find_header(grid)
    if header is None:
        return None
    present = set(header.columns)
    missing = [name for name in team_column_names() if Col(name) not in present]
    id_column = header.columns[Col.ID]
    title_column = header.columns.get(Col.TITLE)
    type_column = header.columns[Col.TYPE]
    rows = list(enumerate(grid[header.row :], start=header.row + 1))

    def cell(cells: Sequence[object], column: int | None) -> str:
        return cell_text(cells[column]) if column is not None and column < len(cells) else ""

    own_ids = [cell(cells, id_column) for _, cells in rows if cell(cells, id_column)]
    prefix = choose_prefix(team, own_ids, taken_prefixes)
    used = {id_key(i) for i in org_ids} | {id_key(i) for i in own_ids}
    highest = max(
        (int(m.group(2)) for m in map(_NUMBERED.fullmatch, own_ids) if m and m.group(1) == prefix),
        default=0,
    )
    plan = SheetPlan(header.row, header.last_column, missing, prefix=prefix)
    number = highest
    for row, cells in rows:
        if cell(cells, id_column) or not (cell(cells, title_column) or cell(cells, type_column)):
            continue
        number += 1
        while id_key(f"{prefix}-{number}") in used:
            number += 1
        plan.new_ids[row] = f"{prefix}-{number}"
    return plan


def check_team(
    name: str, level: Level, parent: str, known: Sequence[str]
) -> tuple[str | None, str | None]:
    """(problem, the parent as the Teams tab spells it): a taken name, or an unknown parent."""
    keys = {id_key(team): team for team in known}
    if id_key(name) in keys:
        return f"team '{keys[id_key(name)]}' is already in the Teams tab", None
    if not parent:
        if level is Level.COMPANY or not known:
            return None, None
        return "give --parent TEAM: the team this one belongs to", None
    if id_key(parent) not in keys:
        return f"no team '{parent}' in the Teams tab.{did_you_mean(parent, known)}", None
    return None, keys[id_key(parent)]
