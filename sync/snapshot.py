"""What a backend reads (snapshots) and what it is asked to write (plans): plain values only.

Data flows one way: a backend reads a `HubSnapshot` and `TeamSnapshot`s, the core computes a
`Result`, the planner turns result + snapshots into `SheetChanges` and `OutputTable`s, and the
backend applies them. Rows and columns are 1-based, as people count them in a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from .model import Team, id_key

__all__ = [
    "Backend",
    "CellChange",
    "CellValue",
    "Grid",
    "HubSnapshot",
    "IncrementalBackend",
    "Link",
    "OutputTable",
    "SheetChanges",
    "TeamSnapshot",
    "WriteRefused",
    "sheet_identity",
    "to_read",
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
    identity: str | None = None
    version: str | None = None
    volatile: bool = False
    handle: dict[str, str | int] = field(default_factory=dict)

    def link(self, row: int) -> str:
        return self.link_template.format(row=row) if self.link_template else ""


def sheet_identity(spreadsheet: str, tab: str) -> str:
    """One key per sheet: the spreadsheet's canonical name (a resolved path, a Google key) and
    the tab compared ignoring case and spaces, blank meaning `OKRs`.

    >>> sheet_identity("/w/a.xlsx", " okrs ") == sheet_identity("/w/a.xlsx", "OKRs")
    True
    """
    return f"{spreadsheet}\n{id_key(' '.join(tab.split()) or 'OKRs')}"


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
    backend can refuse to write when rows moved since the read (row safety).
    """

    team: str
    source: str
    tab: str
    id_column: int
    changes: list[CellChange]
    expected_ids: dict[int, str] = field(default_factory=dict)

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

    @property
    def grown(self) -> bool:
        """Rows (each naming its item) follow the tab's own: it changed, no need to compare."""
        return 0 < self.kept_rows < len(self.rows)


class WriteRefused(Exception):  # noqa: N818 - it is an outcome, not a bug
    """A backend declined to write a spreadsheet; the message says why (becomes NOT_WRITTEN)."""


class Backend(Protocol):
    """What the engine needs from a place where OKRs live (a folder of .xlsx, Google Sheets)."""

    def read_hub(self) -> HubSnapshot:
        """Read the hub; raise `SourceError` when it cannot be read at all."""
        ...

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        """Read each team's OKR tab, in the given order; a failure is a snapshot with `error`."""
        ...

    def write_team(self, changes: SheetChanges) -> None:
        """Apply one team's changes atomically, or raise `WriteRefused` writing nothing."""
        ...

    def write_hub(self, tables: list[OutputTable]) -> int:
        """Replace the given hub output tabs; return the number of cells that changed."""
        ...


class IncrementalBackend(Backend, Protocol):
    """A backend that can tell which team spreadsheets changed since an earlier read."""

    def unchanged(self, previous: list[TeamSnapshot]) -> list[TeamSnapshot]:
        """Of `previous` (snapshots kept from an earlier run, each with its `version`), those whose
        spreadsheet is still what was read; they stand for this run's reads, and writes to them
        are checked as if they had been read now. Called once per run, before `read_teams`."""
        ...

    def versions(self, snapshots: list[TeamSnapshot], *, written: bool = False) -> None:
        """Set `version` on snapshots just read (or, with `written`, just written to and patched
        to match): None when the backend cannot vouch that a later equal version means equal
        content."""
        ...
