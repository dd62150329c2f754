"""The hub's output tabs in Google Sheets, and knowing when they need no rewrite.

All output tabs that changed are written in one `batchUpdate`: a missing tab is added with an
id chosen here (so later requests in the same batch can address it), an existing one is
resized and cleared (its row groups removed); then header, values and formats go in as one
`updateCells` per tab (bold frozen header, 0.00 scores in their row's status colour, coloured
statuses, dates as dates, wrapped and centred columns as template.json says), `HYPERLINK`
formulas open each item's source row, a basic filter is set, and a tree's rows are grouped by
depth (`addDimensionGroup`, one group per run of rows at least that deep) so a reader can
collapse branches. Print layout is not in the Sheets API: Google's print dialog chooses
orientation and scale, and repeats the frozen header row on each page.

Before that, the planner must know whether a tab already shows the wanted table. Comparing
values alone would miss a link whose target changed, so the read tab is turned back into a
table (its `HYPERLINK` cells as `Link`s, from the targets the hub read includes) and its
`table_digest` is handed over as `HubSnapshot.digests`: equal digests mean equal values and
equal link targets, whoever edited what.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from sheets_templates.definition import (
    HEADER_COLOUR,
    INPUT_TABS,
    OUTPUT_TABS,
    OutputCol,
    hub_columns,
    status_colours,
)

from ..google.cells import extended_value, hyperlink_formula, rgb, serial, width_requests
from ..plan import outline_levels, table_digest, trim_blanks
from ..snapshot import CellValue, Link, OutputTable
from ..values import cell_text
from .gsheets_read import Tab

__all__ = [
    "as_table",
    "changed_cells",
    "hub_requests",
    "read_digest",
    "row_groups",
]

_FORMATS = {
    "0.00": {"type": "NUMBER", "pattern": "0.00"},
    "yyyy-mm-dd": {"type": "DATE", "pattern": "yyyy-mm-dd"},
}

_SCORE, _STATUS = OutputCol.SCORE.value, OutputCol.STATUS.value  # plain str: compared per cell
Cell = tuple[object, str | None]  # a cell as it reads back: comparable value, link target
_BLANK: Cell = (None, None)


def _comparable(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, dt.date):
        return ["n", round(serial(value), 9)]
    if isinstance(value, int | float):
        return ["n", round(float(value), 9)]
    return ["s", str(value).replace("\r\n", "\n")]


def _table_cells(table: OutputTable) -> list[list[Cell]]:
    rows: list[Sequence[CellValue | Link]] = [list(table.header), *table.rows]
    return [
        [
            (_comparable(v.text), v.target) if isinstance(v, Link) else (_comparable(v), None)
            for v in row
        ]
        for row in rows
    ]


def _tab_cells(tab: Tab) -> list[list[Cell]]:
    return [
        [(_comparable(v), tab.links.get((r, c))) for c, v in enumerate(row, start=1)]
        for r, row in enumerate(tab.grid, start=1)
    ]


def as_table(tab: Tab) -> OutputTable:
    """A read tab as the table it shows: first row the header, `HYPERLINK` cells as `Link`s."""
    rows: list[list[CellValue | Link]] = []
    for r, row in enumerate(tab.grid, start=1):
        cells: list[CellValue | Link] = []
        for c, value in enumerate(row, start=1):
            target = tab.links.get((r, c))
            cells.append(Link(cell_text(value), target) if target is not None else value)
        rows.append(cells)
    header = [cell_text(v) for v in rows[0]] if rows else []
    return OutputTable(tab.title, header, rows[1:])


def read_digest(tab: Tab) -> str:
    """`table_digest` of what the tab shows now: equal to the planned table's exactly when
    values and link targets are the same."""
    return table_digest(as_table(tab))


def changed_cells(table: OutputTable, tab: Tab | None) -> int:
    """Cells whose value or link target differ between the tab as read and the table; a new
    tab counts at least one (it is a change even when empty)."""
    after = trim_blanks(_table_cells(table), _BLANK)
    before = trim_blanks(_tab_cells(tab), _BLANK) if tab is not None else []
    count = 0
    for r in range(max(len(after), len(before))):
        new = after[r] if r < len(after) else []
        old = before[r] if r < len(before) else []
        for c in range(max(len(new), len(old))):
            if (new[c] if c < len(new) else _BLANK) != (old[c] if c < len(old) else _BLANK):
                count += 1
    return count if tab is not None else max(count, 1)


def _alignments(table: OutputTable) -> dict[str, dict[str, str]]:
    """Each column's wrapping and horizontal alignment from template.json, by name."""
    out: dict[str, dict[str, str]] = {}
    for name, col in hub_columns(table.name).items():
        fmt = {}
        if col.get("wrap"):
            fmt["wrapStrategy"] = "WRAP"
        if col.get("align"):
            fmt["horizontalAlignment"] = str(col["align"]).upper()
        if fmt:
            out[name] = fmt
    return out


def _cell(
    value: CellValue | Link,
    column: str,
    formats: dict[str, dict[str, str]],
    alignments: dict[str, dict[str, str]],
    status: object,
) -> dict:
    data: dict[str, Any] = {}
    fmt: dict[str, Any] = {}
    if isinstance(value, Link):
        data["userEnteredValue"] = {"formulaValue": hyperlink_formula(value.target, value.text)}
    else:
        entered = extended_value(value)
        if entered is not None:
            data["userEnteredValue"] = entered
            fmt |= alignments.get(column, {})
        number = entered.get("numberValue") if entered else None
        if column in formats and (number is not None or isinstance(value, dt.date)):
            fmt["numberFormat"] = formats[column]
        colours = status_colours()
        if column == _SCORE and isinstance(number, int | float) and not isinstance(number, bool):
            if isinstance(status, str) and status in colours:  # the row's status colour
                fmt["backgroundColor"] = rgb(colours[status])
        if column == _STATUS and isinstance(value, str) and value in colours:
            fmt["backgroundColor"] = rgb(colours[value])
    if fmt:
        data["userEnteredFormat"] = fmt
    return data


def _rows(table: OutputTable) -> list[dict[str, Any]]:
    spec = hub_columns(table.name)
    formats = {
        name: _FORMATS[col["number_format"]]
        for name, col in spec.items()
        if col.get("number_format") in _FORMATS
    }
    formats.setdefault(OutputCol.SCORE, _FORMATS["0.00"])
    alignments = _alignments(table)
    header = {"textFormat": {"bold": True}, "backgroundColor": rgb(HEADER_COLOUR)}
    rows = [
        {
            "values": [
                {"userEnteredValue": {"stringValue": name}, "userEnteredFormat": header}
                for name in table.header
            ]
        }
    ]
    names = list(table.header)
    at_status = names.index(OutputCol.STATUS) if OutputCol.STATUS in names else -1
    for values in table.rows:
        status = values[at_status] if 0 <= at_status < len(values) else None
        cells = [
            _cell(v, names[i] if i < len(names) else "", formats, alignments, status)
            for i, v in enumerate(values)
        ]
        rows.append({"values": cells})
    return rows


def row_groups(table: OutputTable) -> list[tuple[int, int]]:
    """A tree's row groups as 0-based [start, end) sheet rows: for each depth d >= 1, every
    run of rows at depth d or deeper, so each branch collapses under the row above it.

    >>> table = OutputTable("Alignment Tree", ["Tree", "Depth"], [["a", 0], ["b", 1], ["c", 2]])
    >>> row_groups(table)
    [(2, 4), (3, 4)]
    """
    depths = outline_levels(table)
    groups = []
    for depth in range(1, max(depths, default=0) + 1):
        start = None
        for index, value in enumerate([*depths, 0]):
            if value >= depth and start is None:
                start = index
            elif value < depth and start is not None:
                groups.append((start + 1, index + 1))  # + 1: the header row
                start = None
    return groups


def _group_requests(kind: str, sheet_id: int, spans: list[tuple[int, int]]) -> list[dict]:
    """`addDimensionGroup` or `deleteDimensionGroup` requests over row spans."""
    return [
        {kind: {"range": {"sheetId": sheet_id, "dimension": "ROWS"} | _span(start, end)}}
        for start, end in spans
    ]


def _span(start: int, end: int) -> dict[str, int]:
    return {"startIndex": start, "endIndex": end}


def _new_index(order: list[str], name: str) -> int:
    """Just after the input tabs and the output tabs that come before `name`."""
    before = [*INPUT_TABS, *OUTPUT_TABS[: OUTPUT_TABS.index(name)]] if name in OUTPUT_TABS else []
    folded = [t.casefold() for t in order]
    present = [folded.index(t.casefold()) for t in before if t.casefold() in folded]
    return max(present) + 1 if present else len(order)


def _widths(table: OutputTable, sheet_id: int) -> list[dict[str, Any]]:
    spec = hub_columns(table.name)
    return width_requests(sheet_id, [spec.get(name, {}).get("width") for name in table.header])


def _append(table: OutputTable, sheet_id: int) -> dict[str, Any]:
    """The rows after the tab's own, added after its last row with data: what is there is never
    rewritten (a log a person sorted or extended stays as they left it)."""
    added = _rows(table)[1 + table.kept_rows :]
    fields = "userEnteredValue,userEnteredFormat"
    return {"appendCells": {"sheetId": sheet_id, "rows": added, "fields": fields}}


def hub_requests(
    tables: list[OutputTable], tabs: list[Tab], rng: random.Random | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """The `batchUpdate` requests replacing `tables` in a hub whose tabs are `tabs`; and
    whether they add a tab (such a batch must not be resent blindly)."""
    rng = rng or random.Random()
    by_title = {t.title.casefold(): t for t in tabs}
    order = [t.title for t in sorted(tabs, key=lambda t: t.index)]
    taken = {t.sheet_id for t in tabs}
    requests: list[dict[str, Any]] = []
    adds = False
    for table in tables:
        tab = by_title.get(table.name.casefold())
        if tab is not None and table.kept_rows:
            requests.append(_append(table, tab.sheet_id))
            continue
        rows = max(len(table.rows) + 1, 2)  # a frozen header needs a row below it
        columns = max(len(table.header), max((len(r) for r in table.rows), default=0), 1)
        size = {"rowCount": rows, "columnCount": columns, "frozenRowCount": 1}
        if tab is None:
            sheet_id = rng.randrange(1, 2**31 - 1)
            while sheet_id in taken:
                sheet_id = rng.randrange(1, 2**31 - 1)
            taken.add(sheet_id)
            index = _new_index(order, table.name)
            order.insert(index, table.name)
            props = {"sheetId": sheet_id, "title": table.name, "index": index}
            requests.append({"addSheet": {"properties": props | {"gridProperties": size}}})
            requests.extend(_widths(table, sheet_id))
            adds = True
        else:
            sheet_id = tab.sheet_id
            # each deletion lowers every row in its range by one level: all gone at the end
            requests.extend(_group_requests("deleteDimensionGroup", sheet_id, tab.row_groups))
            requests.append(
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": table.name}
                        | {"gridProperties": size},
                        "fields": "title,gridProperties.rowCount,gridProperties.columnCount,"
                        "gridProperties.frozenRowCount",
                    }
                }
            )
            requests.append(
                {
                    "updateCells": {
                        "range": {"sheetId": sheet_id},
                        "fields": "userEnteredValue,userEnteredFormat,note,dataValidation",
                    }
                }
            )
        requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                    "rows": _rows(table),
                    "fields": "userEnteredValue,userEnteredFormat",
                }
            }
        )
        grid = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": rows}
        grid |= {"startColumnIndex": 0, "endColumnIndex": columns}
        requests.append({"setBasicFilter": {"filter": {"range": grid}}})
        requests.extend(_group_requests("addDimensionGroup", sheet_id, row_groups(table)))
    return requests, adds
