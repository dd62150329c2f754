"""The emulator's memory: spreadsheets, their tabs and cells, kept as the API describes them.

Cells live in a sparse dict keyed by 0-based ``(row, column)`` and hold ``CellData`` dicts
(see :mod:`sync.emulator.cells`). Everything a response needs is derived here, so the WSGI app
only routes and serialises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import cells as cellmod
from .a1 import (
    CellBox,
    RangeSyntaxError,
    cell_name,
    column_letters,
    format_range,
    parse_cells,
    quote_title,
    split_range,
)
from .clock import ChangeClock, rfc3339
from .clock import now as _now
from .errors import bad_request, grid_limits, unparsable_range

__all__ = [
    "DEFAULT_PROPERTIES",
    "Sheet",
    "Spreadsheet",
    "grid_range_a1",
    "grid_range_json",
    "rfc3339",
]

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"

_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _theme() -> dict[str, Any]:
    colors = [
        ("TEXT", {}),
        ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
        ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
        ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
        ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
        ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
        ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
        ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
        ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
    ]
    return {
        "primaryFontFamily": "Arial",
        "themeColors": [{"colorType": k, "color": {"rgbColor": c}} for k, c in colors],
    }


DEFAULT_PROPERTIES: dict[str, Any] = {
    "locale": "en_US",
    "autoRecalc": "ON_CHANGE",
    "timeZone": "Etc/GMT",
    "defaultFormat": _DEFAULT_FORMAT,
    "spreadsheetTheme": _theme(),
}


def grid_range_json(sheet_id: int, box: CellBox) -> dict[str, int]:
    """A ``GridRange`` as Google prints it: ``sheetId`` 0 and open ends left out."""
    out: dict[str, int] = {"sheetId": sheet_id} if sheet_id else {}
    if box.row1 is not None:
        out |= {"startRowIndex": box.row0, "endRowIndex": box.row1}
    if box.col1 is not None:
        out |= {"startColumnIndex": box.col0, "endColumnIndex": box.col1}
    return out


def grid_range_a1(box: CellBox) -> str:
    """A GridRange in A1 as Google's messages print it, open sides left open (``A1001:B``)."""
    start = cell_name(box.row0, box.col0)
    if box.row1 is None and box.col1 is None:
        return start
    if box.row1 is None:
        assert box.col1 is not None
        return f"{start}:{column_letters(box.col1 - 1)}"
    if box.col1 is None:
        return f"{start}:{box.row1}"
    return f"{start}:{cell_name(box.row1 - 1, box.col1 - 1)}"


@dataclass
class Sheet:
    """One tab: grid properties plus sparse cells and the objects anchored to it."""

    sheet_id: int
    title: str
    index: int = 0
    rows: int = 1000
    cols: int = 26
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    tab_color: dict[str, Any] | None = None
    cells: dict[tuple[int, int], cellmod.Cell] = field(default_factory=dict)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    col_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    row_depths: dict[int, int] = field(default_factory=dict)  # how many row groups hold a row

    def properties(self) -> dict[str, Any]:
        """``SheetProperties`` as the API prints them (zero counts omitted)."""
        grid: dict[str, Any] = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        if self.tab_color:
            props["tabColorStyle"] = {"rgbColor": self.tab_color}
            props["tabColor"] = self.tab_color
        return {k: v for k, v in props.items() if v or k in ("sheetId", "index")}

    def to_json(self) -> dict[str, Any]:
        """The ``Sheet`` resource without grid data."""
        out: dict[str, Any] = {"properties": self.properties()}
        if self.merges:
            out["merges"] = [dict(m) for m in self.merges]
        if self.conditional_formats:
            out["conditionalFormats"] = [dict(c) for c in self.conditional_formats]
        if self.protected_ranges:
            out["protectedRanges"] = [dict(p) for p in self.protected_ranges]
        if self.basic_filter:
            out["basicFilter"] = dict(self.basic_filter)
        if any(self.row_depths.values()):
            out["rowGroups"] = self.row_groups()
        on_sheet = [d for d in self.developer_metadata if d["location"]["locationType"] == "SHEET"]
        if on_sheet:
            out["developerMetadata"] = [dict(d) for d in on_sheet]
        return out

    def row_groups(self) -> list[dict[str, Any]]:
        """``DimensionGroup``s as Google lists them: for each depth, every run of rows held
        by at least that many groups (adding and deleting groups only moves these counts)."""
        groups = []
        for depth in range(1, max(self.row_depths.values(), default=0) + 1):
            start = None
            for row in range(self.rows + 1):
                inside = self.row_depths.get(row, 0) >= depth and row < self.rows
                if inside and start is None:
                    start = row
                elif not inside and start is not None:
                    span = {"sheetId": self.sheet_id, "dimension": "ROWS"}
                    span |= {"startIndex": start, "endIndex": row}
                    groups.append({"range": span, "depth": depth, "collapsed": False})
                    start = None
        return groups

    def label(self, cells: str) -> str:
        """``Title!cells`` as Google names a range in its messages."""
        return f"{quote_title(self.title)}!{cells}"

    def check_box(self, box: CellBox, cells: str | None = None) -> CellBox:
        """Bound an A1 box to this grid; reaching past the edge is "exceeds grid limits".

        Reads and clears are refused when any part lies outside; ``cells`` is the A1 text
        the caller sent, which the message repeats.
        """
        bounded = box.bounded(self.rows, self.cols)
        assert bounded.row1 is not None and bounded.col1 is not None
        if bounded.row1 > self.rows or bounded.col1 > self.cols or box.row0 >= self.rows:
            text = cells or format_range(self.title, bounded).split("!", 1)[1]
            raise grid_limits(self.label(text), self.rows, self.cols)
        return bounded

    def clamp_grid_range(self, box: CellBox) -> CellBox:
        """A batchUpdate GridRange: refused only when it starts past the grid, else clamped.

        This is what the API does for ``repeatCell`` and its kin: a range that begins inside
        and ends outside applies to the cells that exist, and the grid does not grow.
        """
        if box.row0 >= self.rows or box.col0 >= self.cols:
            raise grid_limits(self.label(grid_range_a1(box)), self.rows, self.cols)
        return CellBox(
            box.row0,
            box.col0,
            self.rows if box.row1 is None else min(box.row1, self.rows),
            self.cols if box.col1 is None else min(box.col1, self.cols),
        )

    def ensure_size(self, rows: int, cols: int) -> None:
        """Grow the grid so that ``rows`` x ``cols`` fit, as value writes and appends do."""
        self.rows = max(self.rows, rows)
        self.cols = max(self.cols, cols)

    def read(self, box: CellBox, value_option: str, date_option: str) -> list[list[Any]]:
        """Values in ``box`` row by row, trailing empties trimmed exactly as Google trims them."""
        assert box.row1 is not None and box.col1 is not None
        last_col: dict[int, int] = {}
        for (r, c), cell in self.cells.items():
            if box.row0 <= r < box.row1 and box.col0 <= c < box.col1 and not cellmod.is_blank(cell):
                last_col[r] = max(c, last_col.get(r, c))
        if not last_col:
            return []
        rows: list[list[Any]] = []
        for r in range(box.row0, max(last_col) + 1):
            if r not in last_col:
                rows.append([])
                continue
            values = []
            for c in range(box.col0, last_col[r] + 1):
                found = self.cells.get((r, c))
                if found is None or cellmod.is_blank(found):
                    values.append("")
                else:
                    values.append(cellmod.render(found, value_option, date_option))
            rows.append(values)
        return rows

    def set_value(self, row: int, col: int, value: Any, user_entered: bool) -> None:
        """Write one value from a ``values`` call; ``""`` empties the cell but keeps its format."""
        entered, implied = cellmod.raw_value(value, user_entered)
        cell = self.cells.setdefault((row, col), {})
        if entered is None:
            cell.pop("userEnteredValue", None)
        else:
            cell["userEnteredValue"] = entered
        if implied:
            cell.setdefault("userEnteredFormat", {})["numberFormat"] = dict(implied)
        if not cell:
            del self.cells[(row, col)]

    def clear_values(self, box: CellBox) -> None:
        """Remove values (not formats) in ``box``, as ``values:clear`` does."""
        assert box.row1 is not None and box.col1 is not None
        for key in list(self.cells):
            r, c = key
            if box.row0 <= r < box.row1 and box.col0 <= c < box.col1:
                cell = self.cells[key]
                cell.pop("userEnteredValue", None)
                if not cell:
                    del self.cells[key]


@dataclass
class Spreadsheet:
    """A spreadsheet (a Drive file too), with access flags for the caller."""

    spreadsheet_id: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    permissions: list[dict[str, Any]] = field(default_factory=list)
    created_time: dt.datetime = field(default_factory=_now)
    modified_time: dt.datetime = field(default_factory=_now)
    version: int = 1
    exists: bool = True
    readable: bool = True
    writable: bool = True
    enforce_protection: bool = False
    trashed: bool = False
    modified_by_me_time: dt.datetime | None = None
    clock: ChangeClock = field(default_factory=ChangeClock, repr=False, compare=False)
    change_id: int = 0
    change_time: dt.datetime = field(default_factory=_now)

    def touch(self, now: dt.datetime | None = None, *, by_me: bool = True) -> None:
        """Record a change of content: ``modifiedTime`` moves forward (by at least 1 ms),
        ``version`` goes up and Drive's change feed gets an entry, so a client comparing any
        of them before and after a write sees every change. ``by_me`` is a write through the
        API by the emulator's account; a person's edit in the UI is not."""
        moment = now or _now()
        floor = self.modified_time + dt.timedelta(milliseconds=1)
        self.modified_time = max(moment, floor)
        if by_me:
            self.modified_by_me_time = self.modified_time
        self.version += 1
        self.mark_changed(self.modified_time)

    def mark_changed(self, moment: dt.datetime | None = None) -> None:
        """An entry in Drive's change feed without a new ``modifiedTime`` (sharing, access)."""
        self.change_id = self.clock.tick()
        self.change_time = moment or _now()

    def properties(self) -> dict[str, Any]:
        """``SpreadsheetProperties`` as Google prints them for a new file."""
        props = dict(DEFAULT_PROPERTIES)
        props["locale"] = self.locale
        props["timeZone"] = self.time_zone
        return {"title": self.title} | props

    def reindex(self) -> None:
        """Keep ``index`` equal to each tab's position."""
        self.sheets.sort(key=lambda s: s.index)
        for i, sheet in enumerate(self.sheets):
            sheet.index = i

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        """The tab with that ``sheetId``; Google's 400 when there is none."""
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise bad_request(f"No grid with id: {sheet_id}")

    def grid_range(self, rng: dict[str, Any]) -> tuple[Sheet, CellBox]:
        """A request's ``GridRange`` as its tab and a box, open sides left open."""
        box = CellBox(
            int(rng.get("startRowIndex", 0)),
            int(rng.get("startColumnIndex", 0)),
            rng.get("endRowIndex"),
            rng.get("endColumnIndex"),
        )
        return self.sheet_by_id(int(rng.get("sheetId", 0))), box

    def sheet_by_title(self, title: str) -> Sheet | None:
        """The tab with that title, compared case-insensitively as Sheets does."""
        for sheet in self.sheets:
            if sheet.title.lower() == title.lower():
                return sheet
        return None

    def resolve(self, text: str) -> tuple[Sheet, CellBox]:
        """An A1 range (tab optional) to a tab and an unbounded box; 400 when unparsable."""
        try:
            title, cells = split_range(text)
        except RangeSyntaxError as err:
            raise unparsable_range(text) from err
        if title is None:
            assert cells is not None
            sheet = self.sheet_by_title(cells)
            if sheet is not None:
                return sheet, CellBox(0, 0, None, None)
            title, sheet = None, self.sheets[0]
        else:
            found = self.sheet_by_title(title)
            if found is None:
                raise unparsable_range(text)
            sheet = found
        if cells is None:
            return sheet, CellBox(0, 0, None, None)
        try:
            return sheet, parse_cells(cells)
        except RangeSyntaxError as err:
            raise unparsable_range(text) from err

    def echo(self, sheet: Sheet, box: CellBox) -> str:
        """The ``range`` string Google returns for a bounded box."""
        return format_range(sheet.title, box)

    def to_json(self) -> dict[str, Any]:
        """The ``Spreadsheet`` resource without grid data."""
        out: dict[str, Any] = {
            "spreadsheetId": self.spreadsheet_id,
            "properties": self.properties(),
            "sheets": [s.to_json() for s in sorted(self.sheets, key=lambda s: s.index)],
        }
        if self.developer_metadata:
            out["developerMetadata"] = [dict(d) for d in self.developer_metadata]
        out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"
        return out

    def drive_file(self) -> dict[str, Any]:
        """The Drive ``File`` resource, with every field gspread asks for."""
        return {
            "kind": "drive#file",
            "id": self.spreadsheet_id,
            "name": self.title,
            "mimeType": SPREADSHEET_MIME,
            "createdTime": rfc3339(self.created_time),
            "modifiedTime": rfc3339(self.modified_time),
            "version": str(self.version),
            "trashed": self.trashed,
            "modifiedByMe": self.modified_by_me_time is not None,
        } | self._modifiers()

    def _modifiers(self) -> dict[str, Any]:
        """``modifiedByMeTime`` (only once the caller wrote) and ``lastModifyingUser``."""
        mine = self.modified_by_me_time == self.modified_time
        out: dict[str, Any] = {
            "lastModifyingUser": {
                "kind": "drive#user",
                "displayName": "okrtree" if mine else "Editor",
                "me": mine,
            }
        }
        if self.modified_by_me_time is not None:
            out["modifiedByMeTime"] = rfc3339(self.modified_by_me_time)
        return out
