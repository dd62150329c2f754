"""Rows appended to a hub log tab in place: the tab's part as okrtree wrote it, with the new
`<row>` elements after its last one and its reference ranges grown to hold them.

A `History` or `Check-ins` tab of 100,000 rows costs seconds to write again whole, and a sync
adds a few rows to it. When the tab's part is exactly what `xlsx_hub_sheet` made (its fixed
start, its last row where the log's rows end, nothing after the data that names a cell but the
filter), the new rows are made by the same code and spliced in; any other part is written whole.
"""

from __future__ import annotations

import datetime as dt
import re

from ..snapshot import OutputTable
from .xlsx_dates import WINDOWS_EPOCH
from .xlsx_hub_sheet import MAIN_NS, REL_NS, sheet_xml
from .xlsx_styles import StyleSheet
from .xlsx_writes import column_letter, column_number

__all__ = ["appended_sheet"]

_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheetPr><outlinePr summaryBelow="0"/><pageSetUpPr fitToPage="1"/></sheetPr>'
).encode()
_DIMENSION = re.compile(rb'<dimension ref="A1:([A-Z]{1,3})([0-9]+)"/>')
_LAST_ROW = re.compile(rb'<row r="([0-9]+)"')
_FILTER = re.compile(rb'</sheetData><autoFilter ref="A1:[A-Z]{1,3}[0-9]+"/>')


def appended_sheet(
    part: bytes, table: OutputTable, book: StyleSheet, epoch: dt.datetime = WINDOWS_EPOCH
) -> bytes | None:
    """`part` with `table.rows` after its `kept_rows` rows, or None when it is not a tab as
    okrtree wrote it with that many rows (then the caller writes the tab whole)."""
    last_row = table.kept_rows + 1  # the header is row 1
    dimension = _DIMENSION.match(part, len(_START))
    if not part.startswith(_START) or dimension is None or int(dimension[2]) != last_row:
        return None
    close = part.rfind(b"</sheetData>")
    after = _FILTER.match(part, close)
    last = _LAST_ROW.match(part, part.rfind(b"<row ", 0, close))
    if after is None or last is None or int(last[1]) != last_row:
        return None
    if b"<hyperlinks>" in part[after.end() :]:
        return None
    made = sheet_xml(table, book, last_row + 1, epoch).sheet  # of its rows to append
    header_end = made.index(b"</row>", made.index(b"<sheetData>")) + len(b"</row>")
    rows = made[header_end : made.index(b"</sheetData>")]
    width = max(
        column_number(dimension[1].decode()),
        len(table.header),
        *(len(row) for row in table.rows),
    )
    reference = f"A1:{column_letter(width)}{last_row + len(table.rows)}".encode()
    return b"".join(
        [
            part[: dimension.start()],
            b'<dimension ref="' + reference + b'"/>',
            part[dimension.end() : close],
            rows,
            b'</sheetData><autoFilter ref="' + reference + b'"/>',
            part[after.end() :],
        ]
    )
