"""The hub's log tabs (`History`, `Check-ins`) read tolerantly, and rows laid out to append (pure).

People edit these tabs: they delete rows, sort them, add columns of their own. okrtree finds its
columns by name in row 1 (any order, any case), keeps every row and column as it is, and adds
new rows after the last one that holds anything. A tab whose row 1 lacks one of okrtree's
columns cannot be appended to safely; the run says so and leaves it alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sheets_templates.definition import OutputCol, hub_column_names

from .model import Code, Finding, id_key
from .snapshot import CellValue, Grid, Link, OutputTable
from .values import BadValue, cell_text, parse_date, parse_number

__all__ = ["CondensedLog", "LogTab", "read_log", "whole_log"]

_DATE, _ID = OutputCol.DATE.value, OutputCol.ID.value  # plain str: looked up per row


def _normal(text: object) -> str:
    return " ".join(cell_text(text).split()).casefold()


class CondensedLog(list[list[CellValue]]):
    """A log tab in brief (`logcondense.condense`): its header and each ID's latest row, plus
    what it takes to have the whole tab again. `whole()` is the header and every row: `chunks`
    in order, each a grid or the bytes `unpack` turns into one (the first holds the header,
    each later one rows appended since); `body_rows` is how many rows follow the header. A History
    also keeps each item's sparkline by ID key (`sparks`) over the `cycle` (start, end) it was
    condensed for, and the latest date of its rows (`last_day`)."""

    __slots__ = (
        "_whole",
        "added",
        "base",
        "body_rows",
        "chunks",
        "cycle",
        "dropped",
        "last_day",
        "positions",
        "sparks",
        "unpack",
    )

    def __init__(
        self,
        rows: Grid,
        chunks: list[bytes | Grid],
        body_rows: int,
        *,
        unpack: Callable[[bytes], Grid] | None = None,
        sparks: dict[str, str] | None = None,
        cycle: tuple[dt.date, dt.date] | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        super().__init__(rows)
        self.chunks = chunks
        self.body_rows = body_rows
        self.unpack = unpack
        self.sparks = sparks
        self.cycle = cycle
        self.last_day = last_day
        self._whole: Grid | None = None
        # Each ID key's row among the rows after the header, once a reader asked (`LogTab`).
        self.positions: dict[str, int] | None = None
        # When these rows are `base` but its rows at `dropped` (header first), then `added`:
        # a saved state keeps the base as it was and writes only the edits (`after_append`).
        self.base: Grid | None = None
        self.dropped: list[int] = []
        self.added: Grid = []

    def whole(self) -> Grid:
        if self._whole is None:
            whole: Grid = []
            for chunk in self.chunks:
                if isinstance(chunk, bytes):
                    assert self.unpack is not None, "packed rows come with their unpacker"
                    chunk = self.unpack(chunk)
                whole.extend(chunk)
            self._whole = whole
        return self._whole


def whole_log(grid: Grid | None) -> Grid | None:
    """The whole tab behind `grid`: itself, unless it is condensed."""
    return grid.whole() if isinstance(grid, CondensedLog) else grid


@dataclass(slots=True)
class LogTab:
    """A log tab as read: its header and rows untouched, and where okrtree's columns are.

    `columns` is None when the header is unusable (then `problem` says why)."""

    name: str
    header: list[CellValue]
    rows: list[list[CellValue]]
    columns: dict[str, int] | None
    problem: str = ""
    # When `rows` are condensed (`CondensedLog`): the whole tab's rows, and how many there are.
    whole: Callable[[], list[list[CellValue]]] | None = None
    body_rows: int | None = None
    condensed: CondensedLog | None = field(default=None, repr=False)

    @property
    def usable(self) -> bool:
        return self.columns is not None

    def cell(self, row: list[CellValue], column: str) -> CellValue:
        assert self.columns is not None
        index = self.columns[column]
        return row[index] if index < len(row) else None

    def date(self, row: list[CellValue]) -> dt.date | None:
        value = self.cell(row, _DATE)
        if type(value) is dt.datetime:  # the common case, read from a date cell
            return value.date()
        try:
            return parse_date(value)
        except BadValue:
            return None

    def number(self, row: list[CellValue], column: str) -> float | None:
        try:
            return parse_number(self.cell(row, column))
        except BadValue:
            return None

    def id_key(self, row: list[CellValue]) -> str:
        return id_key(cell_text(self.cell(row, _ID)))

    def latest(self, undated: dt.date | None) -> dict[str, int]:
        """Each ID's latest row, by its place in `rows`: by date, a later row winning a tie; a
        row without a date counts as of `undated` (None: not at all)."""
        latest: dict[str, tuple[dt.date, int]] = {}
        for index, row in enumerate(self.rows):
            key = self.id_key(row)
            day = self.date(row) or undated
            if not key or day is None:
                continue
            if key not in latest or day >= latest[key][0]:
                latest[key] = (day, index)
        return {key: index for key, (_, index) in latest.items()}

    def latest_of(self, keys: Iterable[str], undated: dt.date | None) -> dict[str, int]:
        """`latest(undated)` of these keys alone; of a condensed tab (which holds only each
        ID's latest row) without reading every row but once per tab."""
        if self.condensed is None:
            latest = self.latest(undated)
        elif self.condensed.positions is not None:
            latest = self.condensed.positions
        else:
            assert self.columns is not None
            at = self.columns[_ID]
            latest = {
                id_key(cell if type(cell) is str else cell_text(cell)): i
                for i, row in enumerate(self.rows)
                for cell in (row[at] if at < len(row) else None,)
            }
            self.condensed.positions = latest
        return {key: latest[key] for key in keys if key in latest}

    def laid_out(self, values: dict[str, CellValue]) -> list[CellValue | Link]:
        """A new row with each value under its column of this tab's header."""
        assert self.columns is not None
        row: list[CellValue | Link] = [None] * (max(self.columns.values()) + 1)
        for name, value in values.items():
            row[self.columns[name]] = value
        return row

    def table(self, appended: list[list[CellValue | Link]]) -> OutputTable:
        """The whole tab with `appended` after its last row; `kept_rows` marks what was there.
        Of a condensed tab, the rows to append after its own, which are read only if need be."""
        header = [cell_text(v) for v in self.header] if self.header else hub_column_names(self.name)
        if self.whole is not None and self.body_rows is not None:
            whole = self.whole

            def earlier() -> list[list[CellValue | Link]]:
                return [list(row) for row in whole()]

            return OutputTable(
                self.name, header, appended, kept_rows=self.body_rows, earlier=earlier
            )
        kept: list[list[CellValue | Link]] = [list(row) for row in self.rows]
        return OutputTable(self.name, header, [*kept, *appended], kept_rows=len(kept))

    def unusable_finding(self) -> Finding:
        return Finding.on_team(
            Code.NOT_WRITTEN,
            None,
            f"The hub's '{self.name}' tab was not written: {self.problem}. Its rows are kept as "
            f"they are; put back the header {', '.join(hub_column_names(self.name))} in row 1 (or "
            f"rename the tab so okrtree starts a new one) and run sync again.",
        )


def read_log(name: str, grid: Grid | None) -> LogTab:
    """The tab `name` (one of the hub's log tabs) as read; a missing or empty tab is usable."""
    wanted = hub_column_names(name)
    rows = [list(row) for row in (grid or [])]
    while rows and not any(cell_text(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        return LogTab(name, [], [], {column: i for i, column in enumerate(wanted)})
    header, body = rows[0], rows[1:]
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = _normal(cell)
        for column in wanted:
            if text == column.casefold() and column not in found:
                found[column] = index
    missing = [c for c in wanted if c not in found]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        problem = f"row 1 has no {names} column"
        return LogTab(name, header, body, None, problem)
    if not isinstance(grid, CondensedLog):
        return LogTab(name, header, body, found)
    condensed = grid

    def whole() -> list[list[CellValue]]:
        return read_log(name, condensed.whole()).rows

    return LogTab(
        name, header, body, found, whole=whole, body_rows=condensed.body_rows, condensed=condensed
    )
