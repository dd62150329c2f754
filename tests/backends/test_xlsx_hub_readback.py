"""A written hub log tab read back equals `as_read` of the table, for any cells it can vouch for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sheets_templates.builder import create_workspace
from sheets_templates.definition import hub_column_names
from sync.backends.xlsx_hub import write_tables
from sync.backends.xlsx_hub_readback import as_read
from sync.backends.xlsx_read import WorkbookReader
from sync.snapshot import CellValue, Link, OutputTable

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
CELLS: st.SearchStrategy[CellValue | Link] = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(["", " lead", "trail ", "a\r\nb", "x\x01y", "1.5", "=A1", "On track"]),
    st.booleans(),
    # within the serial numbers of dates: the reader cannot take a larger one in a date column
    st.integers(-2_900_000, 2_900_000),
    st.floats(-2.9e6, 2.9e6) | st.sampled_from([float("nan"), float("inf"), 0.1 + 0.2]),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)),
    st.builds(Link, TEXT, st.just("https://example.com/x")),
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = tmp_path_factory.mktemp("readback") / "org"
    create_workspace(org)
    return org / "hub.xlsx"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["History", "Check-ins"]),
    extra=st.lists(st.sampled_from(["Mine", "", "date", "Reviewed"]), max_size=2),
    rows=st.lists(st.lists(CELLS, max_size=12), max_size=6),
)
def test_a_written_log_tab_reads_back_as_as_read_says(
    hub: Path,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    extra: list[str],
    rows: list[list[CellValue | Link]],
) -> None:
    table = OutputTable(name, [*hub_column_names(name), *extra], rows)
    expected = as_read(table)
    target = tmp_path_factory.mktemp("written") / "hub.xlsx"
    write_tables(hub, [table], target)
    with WorkbookReader(target, "hub.xlsx") as book:
        grid = book.grid(name)
    event("vouched" if expected is not None else "read")
    if expected is not None:
        assert grid == expected


def test_a_time_of_day_in_a_date_column_is_not_vouched_for() -> None:
    columns = hub_column_names("History")
    table = OutputTable("History", columns, [[dt.datetime(2026, 11, 1, 9, 30)]])
    assert as_read(table) is None
    table = OutputTable("History", columns, [[dt.date(2026, 11, 1), "A-1", 0.5]])
    assert as_read(table) == [columns, [dt.datetime(2026, 11, 1), "A-1", 0.5]]


def test_large_whole_numbers_read_back_as_the_reader_keeps_them(hub: Path, tmp_path: Path) -> None:
    numbers: list[CellValue | Link] = [10**15 - 1, 10**15, 10**16, 1.5e15, -(10**15)]
    table = OutputTable(
        "Check-ins", [*hub_column_names("Check-ins"), "Mine"], [[None] * 9 + [n] for n in numbers]
    )
    write_tables(hub, [table], tmp_path / "hub.xlsx")
    with WorkbookReader(tmp_path / "hub.xlsx", "hub.xlsx") as book:
        assert book.grid("Check-ins") == as_read(table)
