"""A hub saved with the 1904 date system gets its History and Check-ins dates counted from 1904,
so they read back as the days written, whether written whole or appended."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, MAC_EPOCH, WINDOWS_EPOCH

from sheets_templates.builder import create_workspace
from sheets_templates.definition import hub_column_names
from sync.backends.xlsx_dates import workbook_epoch
from sync.backends.xlsx_hub import write_tables
from sync.backends.xlsx_hub_readback import as_read
from sync.backends.xlsx_read import WorkbookReader
from sync.snapshot import CellValue, Link, OutputTable

DAY = dt.date(2026, 11, 21)


@pytest.fixture(params=[False, True], ids=["1900", "1904"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    create_workspace(tmp_path / "org")
    path = tmp_path / "org" / "hub.xlsx"
    if request.param:
        book = load_workbook(path)
        book.epoch = CALENDAR_MAC_1904
        book.save(path)
        book.close()
    return path


def _read(path: Path, tab: str) -> list[list[CellValue]]:
    with WorkbookReader(path, "hub.xlsx") as book:
        return book.grid(tab)


def test_log_dates_read_back_as_written_in_either_date_system(hub: Path, tmp_path: Path) -> None:
    header = [*hub_column_names("History"), "Checked"]  # a column of one's own: no date format
    first: list[list[CellValue | Link]] = [[DAY, "CO-1", 0.5, "On track", DAY]]
    whole = OutputTable("History", header, first)
    written = tmp_path / "whole.xlsx"
    write_tables(hub, [whole], written)
    later = DAY + dt.timedelta(days=1)
    added: list[list[CellValue | Link]] = [[later, "CO-1", 0.75, "On track", later]]
    appended = OutputTable("History", header, added, kept_rows=1, earlier=lambda: first)
    grown = tmp_path / "grown.xlsx"
    write_tables(written, [appended], grown)
    epoch = workbook_epoch(grown)
    assert epoch == (MAC_EPOCH if workbook_epoch(hub) == MAC_EPOCH else WINDOWS_EPOCH)
    rows = _read(grown, "History")
    assert [row[0] for row in rows[1:]] == [dt.datetime(2026, 11, 21), dt.datetime(2026, 11, 22)]
    assert rows == as_read(OutputTable("History", header, [*first, *added]), epoch)


@given(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31))
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    | st.times()
    | st.timedeltas(dt.timedelta(days=-1000), dt.timedelta(days=1000)),
    st.sampled_from(["windows", "mac"]),
)
def test_a_serial_is_what_openpyxl_writes(value: object, system: str) -> None:
    from openpyxl.utils.datetime import to_excel

    from sync.backends import xlsx_dates

    ours = xlsx_dates.MAC_EPOCH if system == "mac" else xlsx_dates.WINDOWS_EPOCH
    assert ours == (MAC_EPOCH if system == "mac" else WINDOWS_EPOCH)
    assert xlsx_dates.serial(value, ours) == to_excel(value, ours)  # type: ignore[arg-type]
