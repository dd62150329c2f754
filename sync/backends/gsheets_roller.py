"""The Google side of a rollover: one `batchUpdate` per team spreadsheet, one for the hub.

The team's tab itself becomes the archive (renamed: it keeps its values, formats, data
validation, protected ranges, comments and charts as they are); a duplicate of it, inserted at
its place under its old name, becomes the new cycle's tab (the template's formats and dropdowns
come along) and gets the carried rows' values. The three requests apply together or not at all,
after the same row check as a sync.
"""

from __future__ import annotations

from typing import Any

from sheets_templates.definition import HubTab

from ..google.api import GoogleApiError
from ..google.cells import extended_value
from ..model import id_key
from ..rollover import TabRollover, rolled_grid
from ..snapshot import CellValue, Grid, SheetChanges, TeamSnapshot
from .base import WriteRefused
from .gsheets import GoogleBackend
from .gsheets_read import TAB_TITLES_FIELDS, TEAM_FIELDS, Tab, parse_tabs
from .gsheets_write import check_ranges, rows_moved

__all__ = ["GoogleRoller", "roll_requests"]

_MAX_SHEET_ID = 2**31 - 1


class GoogleRoller:
    """`sync.rollover_run.Roller` over Google Sheets, sharing the backend's reads."""

    def __init__(self, backend: GoogleBackend) -> None:
        self.backend = backend
        self._tabs: dict[str, list[Tab]] = {}  # by spreadsheet key, as listed by `tab_names`

    def _listed(self, key: str) -> list[Tab]:
        if key not in self._tabs:
            answer = self.backend.api.get_spreadsheet(key, fields=TAB_TITLES_FIELDS)
            self._tabs[key] = parse_tabs(answer)
        return self._tabs[key]

    def _key(self, snapshot: TeamSnapshot) -> str | None:
        read = self.backend._teams.get((snapshot.source.strip(), snapshot.tab))
        return read.key if read is not None else None

    def tab_names(self, snapshot: TeamSnapshot) -> list[str]:
        key = self._key(snapshot)
        if key is None:
            return []
        try:
            return [tab.title for tab in self._listed(key)]
        except GoogleApiError:
            return []

    def read_tab(self, snapshot: TeamSnapshot, tab: str) -> Grid | None:
        key = self._key(snapshot)
        if key is None:
            return None
        quoted = "'" + tab.replace("'", "''") + "'"
        try:
            tabs = parse_tabs(
                self.backend.api.get_spreadsheet(key, fields=TEAM_FIELDS, ranges=[quoted])
            )
        except GoogleApiError:
            return None
        return tabs[0].grid if tabs else None

    def roll_team(self, roll: TabRollover) -> None:
        read = self.backend._teams.get((roll.source.strip(), roll.tab))
        if read is None:
            raise WriteRefused("it was not read in this run; run again")
        check = SheetChanges(
            roll.team,
            roll.source,
            roll.tab,
            roll.plan.id_column,
            [],
            roll.expected_ids,
            roll.plan.header_row,
        )
        ranges = check_ranges(read.title, check)
        api = self.backend.api
        try:
            header_now, ids_now = api.values_batch_get(read.key, ranges)
            reason = rows_moved(read.grid, check, header_now, ids_now)
            if reason is not None:
                raise WriteRefused(reason)
            titles = self._listed(read.key)
            live = next(t for t in titles if t.sheet_id == read.sheet_id)
            taken = {t.sheet_id for t in titles}
            new_id = next(
                i
                for i in (self.backend.rng.randrange(1, _MAX_SHEET_ID) for _ in range(100))
                if i not in taken
            )
            requests = roll_requests(read.sheet_id, live.index, read.title, new_id, read.grid, roll)
            api.batch_update(read.key, requests, idempotent=False)
        except GoogleApiError as err:
            raise WriteRefused(self.backend._write_problem(err)) from err
        except StopIteration:
            raise WriteRefused("its tab was deleted since the read; run again") from None

    def write_settings(self, cells: dict[tuple[int, int], CellValue]) -> None:
        tab = next(
            (t for t in self.backend._hub_tabs if id_key(t.title) == id_key(HubTab.SETTINGS)),
            None,
        )
        if tab is None:
            raise WriteRefused("the hub has no Settings tab")
        requests: list[dict[str, Any]] = []
        widest = max(c for _, c in cells)
        if widest > tab.columns:
            requests.append(_append(tab.sheet_id, "COLUMNS", widest - tab.columns))
        deepest = max(r for r, _ in cells)
        if deepest > tab.rows:
            requests.append(_append(tab.sheet_id, "ROWS", deepest - tab.rows))
        for (row, column), value in sorted(cells.items()):
            requests.append(_cells(tab.sheet_id, row, column, [[value]]))
        try:
            self.backend.api.batch_update(self.backend.hub_key, requests)
        except GoogleApiError as err:
            raise WriteRefused(self.backend._write_problem(err)) from err


def roll_requests(
    sheet_id: int, index: int, title: str, new_id: int, grid: Grid, roll: TabRollover
) -> list[dict[str, Any]]:
    """Rename the tab to the archive's name, duplicate it back under its own name at its
    place, and write the new cycle's rows into the duplicate."""
    plan = roll.plan
    rows = rolled_grid(grid, plan)[plan.header_row :]
    width = max((len(r) for r in grid), default=0)
    requests: list[dict[str, Any]] = [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "title": roll.archive_tab},
                "fields": "title",
            }
        },
        {
            "duplicateSheet": {
                "sourceSheetId": sheet_id,
                "insertSheetIndex": index,
                "newSheetId": new_id,
                "newSheetName": title,
            }
        },
    ]
    if rows and width:
        padded = [list(r) + [None] * (width - len(r)) for r in rows]
        requests.append(_cells(new_id, plan.header_row + 1, 1, padded))
    return requests


def _cells(sheet_id: int, row: int, column: int, values: list[list[Any]]) -> dict[str, Any]:
    """`updateCells` of values only (formats stay), from 1-based (row, column)."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": column - 1},
            "rows": [
                {
                    "values": [
                        {"userEnteredValue": ev} if (ev := extended_value(v)) is not None else {}
                        for v in cells
                    ]
                }
                for cells in values
            ],
            "fields": "userEnteredValue",
        }
    }


def _append(sheet_id: int, dimension: str, length: int) -> dict[str, Any]:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}
