"""What a backend reads (snapshots) and what it is asked to write (plans): plain values only.

Data flows one way: a backend reads a `HubSnapshot` and `TeamSnapshot`s, the core computes a
`Result`, the planner turns result + snapshots into `SheetChanges` and `OutputTable`s, and the
backend applies them. Rows and columns are 1-based, as people count them in a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sheets_templates.definition import TEAM_TAB

from .model import id_key

__all__ = [
    "CellChange",
    "CellValue",
    "Grid",
    "HubSnapshot",
    "Link",
    "OutputTable",
    "SheetChanges",
    "TeamSnapshot",
    "find_tab",
    "hub_tab",
    "sheet_identity",
    "to_read",
    "whole_table",
]

# What a cell holds once read: formulas arrive as their cached (computed) values.
CellValue = str | int | float | bool | dt.datetime | dt.date | None
Grid = list[
    list[CellValue]
]  # grid[r][c] is the cell at row r + 1, column c + 1; rows may be ragged


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that shows `text` and opens `target` (a URL, or a local `file.xlsx#'Tab'!A12`)."""

    text: str
    target: str


@dataclass(slots=True)
class HubSnapshot:
    """The hub as read: every tab's values by tab name (input tabs and okrtree's output tabs)."""

    source: str
    tabs: dict[str, Grid]
    # Digests (`sync.plan.table_digest`) of output tabs exactly as okrtree last wrote them, given
    # only when the backend knows a tab was not edited since; such a tab need not be read back.
    digests: dict[str, str] = field(default_factory=dict)
    # The hub file's version (as `TeamSnapshot.version`) at which `tabs` holds its log tabs
    # (`History`, `Check-ins`) exactly: a later run may take them from here while it is unchanged.
    version: str | None = None


@dataclass(slots=True)
class TeamSnapshot:
    """One team's OKR tab as read, or why it could not be read.

    `link_template` turns a row number into a link to that row: `template.format(row=12)`.
    `unwritable` is set when the backend already knows it must not write this spreadsheet
    (open in an editor, content the writer would lose); the reason is said to the user.
    `merged` holds the tab's merged cells as (top row, left column, bottom row, right column):
    okrtree never places a column of its own under one.
    `identity` (`sheet_identity`) is the same for two teams registered on the same sheet: the
    later one is then skipped, unread. None when the spreadsheet could not be located.

    For a later sync that reads only what changed (`IncrementalBackend`): `version` names the
    file's content when it was read (None: read it again next time), `volatile` marks a tab whose
    values change without the file changing (formulas such as IMPORTRANGE), and `handle` is what
    the backend needs to write the tab without reading it again (plain JSON values).
    """

    team: str
    source: str
    tab: str
    grid: Grid | None = None
    error: str | None = None
    link_template: str = ""
    unwritable: str | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    identity: str | None = None
    version: str | None = None
    volatile: bool = False
    handle: dict[str, str | int] = field(default_factory=dict)

    def link(self, row: int) -> str:
        return self.link_template.format(row=row) if self.link_template else ""


def sheet_identity(spreadsheet: str, tab: str) -> str:
    """One key per sheet: the spreadsheet's canonical name (a resolved path, a Google key) and
    the tab compared ignoring case and spaces, blank meaning the template's team tab (`OKRs`).

    >>> sheet_identity("/w/a.xlsx", " okrs ") == sheet_identity("/w/a.xlsx", "OKRs")
    True
    """
    return f"{spreadsheet}\n{id_key(' '.join(tab.split()) or TEAM_TAB)}"


def find_tab(titles: list[str], wanted: str) -> str | None:
    """The title matching the team tab `wanted` (blank: the template's team tab): exact, else
    the only one equal ignoring case and surrounding spaces."""
    wanted = wanted.strip() or TEAM_TAB
    if wanted in titles:
        return wanted
    matches = [t for t in titles if id_key(t) == id_key(wanted)]
    return matches[0] if len(matches) == 1 else None


def hub_tab(tabs: dict[str, Grid], name: str) -> Grid | None:
    """The grid of hub tab `name` among `tabs` (the first title equal to it ignoring case and
    surrounding spaces), or None."""
    wanted = id_key(name)
    return next((grid for title, grid in tabs.items() if id_key(title) == wanted), None)


def to_read(identities: list[str | None]) -> list[int]:
    """Indexes of the teams worth reading: all but those on a sheet an earlier team claimed
    (the core makes those DUPLICATE_SHEET). Unknown identities are always read.

    >>> to_read(["a", None, "b", "a", None])
    [0, 1, 2, 4]
    """
    claimed: set[str] = set()
    wanted = []
    for index, identity in enumerate(identities):
        if identity is None or identity not in claimed:
            wanted.append(index)
            if identity is not None:
                claimed.add(identity)
    return wanted


@dataclass(frozen=True, slots=True)
class CellChange:
    row: int
    column: int
    value: str | float | int | None  # None clears the cell


@dataclass(slots=True)
class SheetChanges:
    """The minimal writes for one team tab.

    `expected_ids` maps each row the changes touch to the ID text read there (`id_column`), so a
    backend can refuse to write when rows moved since the read (row safety); `header_row` is
    where the tab's header was read, for a backend that checks it did not change either.
    `refused` says why the tab must not be written at all, when the plan already knows it.
    """

    team: str
    source: str
    tab: str
    id_column: int
    changes: list[CellChange]
    expected_ids: dict[int, str] = field(default_factory=dict)
    header_row: int = 1
    refused: str | None = None

    @property
    def cell_count(self) -> int:
        return len(self.changes)


@dataclass(slots=True)
class OutputTable:
    """A hub output tab in full: `header` then `rows`. Cells may be `Link`s.

    Backends style it by column name: `Tree` is indented by the `Depth` column, `Status` is
    coloured, `Score` gets a 0.00 format, `Link` cells open the source row.
    """

    name: str
    header: list[str]
    rows: list[list[CellValue | Link]]
    # `sync.plan.table_digest`, kept once computed: a run compares and records a million-cell
    # table's digest up to three times. A table is not changed once made.
    digest: str | None = field(default=None, compare=False, repr=False)
    # The first `kept_rows` rows are the tab's own, as read: a backend that can append (Google)
    # writes only the rows after them, and never rewrites those (the `Check-ins` log).
    kept_rows: int = 0
    # Set for a long log known only in brief (`sync.logcondense`): then `rows` are only the rows
    # to append after the tab's `kept_rows` own ones, which `earlier()` reads when a backend
    # writes the tab whole (`whole_table`).
    earlier: Callable[[], list[list[CellValue | Link]]] | None = field(
        default=None, compare=False, repr=False
    )
    # Set, with `earlier`, for a tab known only by the rows that changed since okrtree last
    # wrote it (`sync.delta`): `rows` then replace the rows at these positions (0-based, after
    # the header) of the `earlier()` ones, which keep their number and order; `filled` counts
    # the non-blank cells of the whole tab, so that its writes count as a whole tab's would.
    replaces: list[int] | None = None
    filled: int = 0

    @property
    def grown(self) -> bool:
        """Rows (each naming its item) follow the tab's own: it changed, no need to compare."""
        if self.earlier is not None:
            return bool(self.rows)
        return 0 < self.kept_rows < len(self.rows)


def whole_table(table: OutputTable) -> OutputTable:
    """`table` with every row of it, its own ones read when it holds only rows to append or
    to replace."""
    if table.earlier is None:
        return table
    kept = table.earlier()
    if table.replaces is not None:
        for at, row in zip(table.replaces, table.rows, strict=True):
            kept[at] = row
        return OutputTable(table.name, table.header, kept)
    return OutputTable(table.name, table.header, [*kept, *table.rows], kept_rows=len(kept))
