"""The calamine reader gives the values openpyxl's value reader gives, cell for cell."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sync.backends.xlsx_cells import read_sheet
from sync.backends.xlsx_read import WorkbookReader
from sync.snapshot import CellValue

_values = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e15),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
    ).filter(lambda t: not t.startswith("=") and t.strip() == t),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
_grids = st.lists(st.lists(_values, max_size=6), max_size=6)


@settings(max_examples=40, deadline=None)
@given(grid=_grids, merge=st.booleans())
def test_calamine_reads_what_openpyxl_reads(grid: list[list[CellValue]], merge: bool) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    if merge:
        ws.merge_cells("B2:C3")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "t.xlsx"
        wb.save(path)
        expected_book = load_workbook(path, read_only=True, data_only=True)
        expected = read_sheet(expected_book, expected_book["OKRs"])
        expected_book.close()
        with WorkbookReader(path, "t.xlsx") as book:
            got = book.grid("OKRs")
    assert _trimmed(got) == _trimmed(expected)


def _trimmed(grid: list[list[CellValue]]) -> list[list[tuple[str, CellValue]]]:
    """Cells with their types (4 == 4.0 in Python, not on a sheet), rows without trailing
    blanks, and no trailing empty rows (both readers' shape)."""
    rows = []
    for row in grid:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        rows.append([(type(value).__name__, value) for value in row[:end]])
    while rows and not rows[-1]:
        rows.pop()
    return rows
