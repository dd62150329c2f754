"""From a computed result and what was read, the minimal writes (pure).

Team tabs: only `Score`, `Status` and `Warnings` of rows that hold an ID or a title, and only
cells whose value changes; missing output columns get a header cell after the last used column.
Hub: each output tab in full, but only when its content differs from what is there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from sheets_templates.definition import HubTab, OutputCol, hub_column_names

from .checkins import plan_checkins
from .compute import Computed, sort_findings
from .logtab import whole_log
from .model import STATUS_LABELS, Finding, Item, ItemType, Team
from .owners import finding_owners
from .rows import SheetRead
from .snapshot import (
    CellChange,
    CellValue,
    HubSnapshot,
    Link,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    hub_tab,
)
from .template import OUTPUT_COLUMNS, Col
from .tree import UNREACHABLE_LABEL
from .values import SERIAL_EPOCH, cell_text, column_letters
from .wording import plural

__all__ = [
    "MAX_CELL_TEXT",
    "MAX_OUTLINE_LEVEL",
    "TREE_INDENT",
    "filled_cells",
    "findings_on_rows",
    "findings_rows",
    "fit_cell",
    "outline_levels",
    "patched_digest",
    "plan_hub",
    "plan_team",
    "plan_teams",
    "score_cell",
    "table_digest",
    "tree_row",
    "trim_blanks",
    "warnings_text",
]

T = TypeVar("T")

TREE_INDENT = "    "  # the Tree column shows depth as leading spaces, the same in every backend
TYPE_LABELS = {ItemType.OBJECTIVE: "Objective", ItemType.KEY_RESULT: "Key Result"}

MAX_OUTLINE_LEVEL = 7  # row grouping levels Excel offers (kept the same on Google)
MAX_CELL_TEXT = 32_767  # characters an Excel cell holds (a Google Sheets cell holds 50,000)
DIGEST_BYTES = 16


def score_cell(score: float | None) -> float | None:
    """What the `Score` cell shows: two decimals, blank for no score.

    >>> score_cell(0.5349), score_cell(None)
    (0.53, None)
    """
    return None if score is None else round(score, 2)


def fit_cell(text: str) -> str:
    """`text` cut to what a spreadsheet cell holds, ending in `…` when cut: Excel reports a
    longer cell as damaged content and Google Sheets refuses it.

    >>> fit_cell("short"), len(fit_cell("x" * 40_000)), fit_cell("x" * 40_000)[-2:]
    ('short', 32767, 'x…')
    """
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def warnings_text(findings: list[Finding]) -> str | None:
    """One `CODE: message` line per finding on a row; when they overflow the cell, the lines
    that fit and how many more the hub's Findings tab lists."""
    lines = [f"{f.code.value}: {f.message}" for f in findings]
    text = "\n".join(lines)
    if len(text) <= MAX_CELL_TEXT:
        return text or None
    size = 0
    for count, line in enumerate(lines):
        more = f"… and {plural(len(lines) - count, 'more finding')}: see the hub's Findings tab"
        if count and size + len(line) + 1 + len(more) > MAX_CELL_TEXT:
            return "\n".join([*lines[:count], more])
        size += len(line) + 1
    return fit_cell(text)


def _comparable(value: CellValue | Link) -> object:
    """A cell reduced to what a person sees, so equal content compares equal across backends."""
    # The common kinds first, by exact type (which mypy narrows): a hub table has a million cells.
    if type(value) is Link:
        value = value.text
    if type(value) is str:
        if not value:
            return None
        return value.replace("\r\n", "\n") if "\r" in value else value
    if type(value) is float:
        return round(value, 9)
    if type(value) is int:
        return round(float(value), 9)
    if value is None:
        return None
    return _comparable_other(value)


def _comparable_other(value: CellValue | Link) -> object:
    if isinstance(value, Link):
        value = value.text
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return float((day - SERIAL_EPOCH).days)
    if isinstance(value, int | float):
        return round(float(value), 9)
    return str(value).replace("\r\n", "\n")


def _same(existing: CellValue, wanted: CellValue) -> bool:
    if isinstance(wanted, float) and isinstance(existing, str):
        try:
            existing = float(existing.strip())
        except ValueError:
            return False
    return _comparable(existing) == _comparable(wanted)


def _last_used(row: list[CellValue]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] not in (None, ""):
            return index + 1
    return 0


def _free_columns(snapshot: TeamSnapshot, header_row: int, after: int, count: int) -> list[int]:
    """`count` 1-based columns past `after` holding nothing in any row, nor under a merged cell
    that reaches the header row or below: nothing is overwritten, and every cell is writable."""
    used = max((_last_used(row) for row in snapshot.grid or []), default=0)
    merged = max(
        (right for _, _, bottom, right in snapshot.merged if bottom >= header_row), default=0
    )
    first = max(after, used, merged) + 1
    return list(range(first, first + count))


def plan_team(
    team: Team,
    snapshot: TeamSnapshot,
    read: SheetRead,
    items_by_row: dict[int, Item],
    findings_by_row: dict[int, list[Finding]],
) -> SheetChanges | None:
    """The cell changes that bring one team tab in line with the result (None when nothing)."""
    header = read.header
    assert header is not None and snapshot.grid is not None
    grid = snapshot.grid
    repeated = [(c, header.repeated[c]) for c in OUTPUT_COLUMNS if c in header.repeated]
    if repeated:
        column, places = repeated[0]
        *others, last = [column_letters(p + 1) for p in places]
        return SheetChanges(
            team.name,
            snapshot.source,
            snapshot.tab,
            header.columns[Col.ID] + 1,
            [],
            header_row=header.row,
            refused=(
                f"tab {snapshot.tab!r} has more than one column headed {column.value} "
                f"({', '.join(others)} and {last}), so okrtree cannot tell which one is its "
                f"own; rename the column that is not (or delete it)"
            ),
        )
    changes: list[CellChange] = []
    columns = {c: header.columns[c] + 1 for c in OUTPUT_COLUMNS if c in header.columns}
    missing = [c for c in OUTPUT_COLUMNS if c not in columns]
    for column, position in zip(
        missing,
        _free_columns(snapshot, header.row, header.last_column, len(missing)),
        strict=True,
    ):
        columns[column] = position
        changes.append(CellChange(header.row, position, column.value))
    touched: set[int] = {header.row} if missing else set()
    outputs = (columns[Col.SCORE], columns[Col.STATUS], columns[Col.WARNINGS])
    for row in read.row_ids:
        item = items_by_row.get(row)
        findings = findings_by_row.get(row)
        wanted: tuple[CellValue, CellValue, CellValue] = (
            score_cell(item.score) if item else None,
            STATUS_LABELS[item.status] if item else None,
            warnings_text(findings) if findings else None,
        )
        cells = grid[row - 1]
        for position, value in zip(outputs, wanted, strict=True):
            existing = cells[position - 1] if position <= len(cells) else None
            if not _same(existing, value):
                changes.append(CellChange(row, position, value))  # type: ignore[arg-type]
                touched.add(row)
    if not changes:
        return None
    id_index = header.columns[Col.ID]
    expected = {
        row: cell_text(grid[row - 1][id_index]) if id_index < len(grid[row - 1]) else ""
        for row in touched
    }
    return SheetChanges(
        team.name, snapshot.source, snapshot.tab, id_index + 1, changes, expected, header.row
    )


def plan_teams(
    computed: Computed, teams: list[Team], snapshots: list[TeamSnapshot]
) -> list[tuple[TeamSnapshot, SheetChanges]]:
    """Every team tab that needs writes, in Teams order."""
    items_by_place = {(i.team, i.row): i for i in computed.result.items}
    findings_by_place = findings_on_rows(computed.result.findings)
    plans = []
    for team, snapshot in zip(teams, snapshots, strict=True):
        read = computed.sheets.get(team.name)
        if read is None:
            continue
        rows = read.row_ids
        changes = plan_team(
            team,
            snapshot,
            read,
            {r: items_by_place[(team.name, r)] for r in rows if (team.name, r) in items_by_place},
            {
                r: findings_by_place[(team.name, r)]
                for r in rows
                if (team.name, r) in findings_by_place
            },
        )
        if changes is not None:
            plans.append((snapshot, changes))
    return plans


def findings_on_rows(findings: list[Finding]) -> dict[tuple[str, int], list[Finding]]:
    """The findings on each team sheet row, by (team, row), in their order."""
    on_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.row is not None and finding.team is not None:
            on_row[(finding.team, finding.row)].append(finding)
    return on_row


def _link(snapshot: TeamSnapshot | None, row: int | None) -> Link | None:
    if snapshot is None or not snapshot.link_template:
        return None
    row = row or 1
    return Link(f"Open row {row}", snapshot.link(row))


def tree_table(computed: Computed, snapshots: dict[str, TeamSnapshot]) -> OutputTable:
    """The `Alignment Tree` tab: `Warnings` counts an item's findings (SPEC §5) and `First
    warning` shows the first of them as the item's own `Warnings` cell begins."""
    on_row = findings_on_rows(computed.result.findings)
    columns = hub_column_names(HubTab.ALIGNMENT_TREE)
    rows: list[list[CellValue | Link]] = []
    for entry in computed.tree:
        item = entry.item
        if item is None:
            rows.append([UNREACHABLE_LABEL, *[None] * (len(columns) - 1)])
            continue
        findings = on_row.get((item.team, item.row), [])
        rows.append(tree_row(item, entry.depth, findings, snapshots.get(item.team)))
    return OutputTable(HubTab.ALIGNMENT_TREE.value, columns, rows)


def tree_row(
    item: Item, depth: int, findings: list[Finding], snapshot: TeamSnapshot | None
) -> list[CellValue | Link]:
    """An item's row of the `Alignment Tree` tab, with the findings on its own row."""
    return [
        fit_cell(TREE_INDENT * depth + (item.title or item.id)),
        depth,
        item.id,
        TYPE_LABELS[item.type],
        item.team,
        item.owner or None,
        score_cell(item.score),
        STATUS_LABELS[item.status],
        len(findings),
        warnings_text(findings[:1]),
        _link(snapshot, item.row),
        item.spark or None,
    ]


def outline_levels(table: OutputTable) -> list[int]:
    """Each row's outline level in a tree table: its `Depth`, at most `MAX_OUTLINE_LEVEL` (0
    where blank; all 0 in a table without one), for grouping rows into collapsible branches."""
    if OutputCol.DEPTH not in table.header:
        return [0] * len(table.rows)
    at = table.header.index(OutputCol.DEPTH)
    return [
        min(depth, MAX_OUTLINE_LEVEL)
        if at < len(row) and type(depth := row[at]) is int and depth > 0
        else 0
        for row in table.rows
    ]


def findings_table(computed: Computed, snapshots: dict[str, TeamSnapshot]) -> OutputTable:
    result = computed.result
    return findings_rows(result.findings, finding_owners(result), snapshots)


def findings_rows(
    findings: list[Finding], owners: list[str | None], snapshots: dict[str, TeamSnapshot]
) -> OutputTable:
    """The `Findings` tab: a row per finding, with its owner (`owners`, one per finding)."""
    rows: list[list[CellValue | Link]] = [
        [
            f.severity.value,
            f.code.value,
            f.id,
            f.team,
            owner,
            fit_cell(f.message),
            _link(snapshots.get(f.team or ""), f.row),
        ]
        for f, owner in zip(findings, owners, strict=True)
    ]
    return OutputTable(HubTab.FINDINGS.value, hub_column_names(HubTab.FINDINGS), rows)


def filled_cells(rows: Iterable[Sequence[CellValue | Link]]) -> int:
    """The cells that show something."""
    return sum(1 for row in rows for value in row if value is not None and value != "")


def trim_blanks(rows: Iterable[list[T]], blank: T) -> list[list[T]]:
    """`rows` without the `blank` cells that end each row and the empty rows that end the table
    (the rows are shortened in place).

    >>> trim_blanks([[1, None], [None], []], None)
    [[1]]
    """
    out = []
    for values in rows:
        while values and values[-1] == blank:
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return out


def _trimmed(rows: Iterable[Sequence[CellValue | Link]]) -> list[list[object]]:
    """Rows as a person sees them: comparable values, no trailing blanks, no trailing blank rows."""
    return trim_blanks(([_comparable(v) for v in row] for row in rows), None)


def table_digest(table: OutputTable) -> str:
    """A fingerprint of what a table shows, link targets included (computed once per table):
    the sum of its rows' (`row_digest`), so that replacing a few rows changes it by theirs."""
    if table.digest is None:
        total = row_digest(table.name, -1, table.header)
        for position, row in enumerate(table.rows):
            total += row_digest(table.name, position, row)
        table.digest = digest_text(total)
    return table.digest


def row_digest(name: str, position: int, row: Sequence[CellValue | Link]) -> int:
    """One row's part of `table_digest` (-1: the header); 0 for a blank row, so that blank rows
    ending a table count for nothing, as they show nothing."""
    content = trim_blanks([[_comparable(v) for v in row]], None)
    if not content:
        return 0
    targets = [v.target for v in row if isinstance(v, Link)]
    text = json.dumps([name, position, content[0], targets], default=str, ensure_ascii=False)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=DIGEST_BYTES).digest())


def digest_text(total: int) -> str:
    """A sum of row digests as a table's digest."""
    return f"{total % (1 << (8 * DIGEST_BYTES)):0{2 * DIGEST_BYTES}x}"


def patched_digest(
    digest: str,
    name: str,
    replaced: Iterable[tuple[int, Sequence[CellValue | Link], Sequence[CellValue | Link]]],
) -> str:
    """The digest of a table whose rows at these positions changed from the first row given
    to the second (`digest` being the table's before)."""
    total = int(digest, 16)
    for position, before, after in replaced:
        total += row_digest(name, position, after) - row_digest(name, position, before)
    return digest_text(total)


def _unchanged(table: OutputTable, hub: HubSnapshot) -> bool:
    digest = hub.digests.get(table.name)
    if digest is not None:
        return digest == table_digest(table)
    existing = whole_log(hub.tabs.get(table.name))
    return existing is not None and _trimmed(existing) == _trimmed([table.header, *table.rows])


def plan_hub(
    computed: Computed, hub: HubSnapshot, snapshots: list[TeamSnapshot], history: bool
) -> list[OutputTable]:
    """The hub output tabs whose content changes (History only with `history`; Check-ins
    when a key result moved). A log tab whose header is unusable is left alone and said in
    the run's findings, which the Findings tab then shows."""
    by_team = {s.team: s for s in snapshots}
    result = computed.result
    logs: list[OutputTable] = []
    refused: list[Finding] = []
    if history and computed.history is not None:
        if computed.history.table is not None:
            logs.append(computed.history.table)
        elif computed.history.finding is not None:
            refused.append(computed.history.finding)
    checkins, appended = plan_checkins(
        result.items, result.as_of, hub_tab(hub.tabs, HubTab.CHECK_INS)
    )
    if not checkins.usable:
        refused.append(checkins.unusable_finding())
    elif appended:
        logs.append(checkins.table(appended))
    if refused:
        result.findings = sort_findings([*result.findings, *refused])
    tree = tree_table(computed, by_team)
    computed.tree_filled = filled_cells(tree.rows)
    tables = [tree, findings_table(computed, by_team), *logs]
    return [t for t in tables if t.grown or not _unchanged(t, hub)]
