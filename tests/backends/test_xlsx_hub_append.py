"""Rows appended to a log tab in place make the very part writing the whole tab makes; any part
okrtree did not write that way is written whole instead."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sheets_templates.definition import hub_column_names
from sync.backends.xlsx_hub import write_tables
from sync.backends.xlsx_hub_append import appended_sheet
from sync.backends.xlsx_package import sheet_parts, workbook_part
from sync.backends.xlsx_styles import STYLES_PART, StyleSheet
from sync.snapshot import CellValue, Link, OutputTable
from tests.backends.test_xlsx_hub_readback import CELLS

rows_of = st.lists(st.lists(CELLS, max_size=11), max_size=5)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = tmp_path_factory.mktemp("append") / "org"
    create_workspace(org)
    return org / "hub.xlsx"


def _part(path: Path, tab: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        sheets = sheet_parts(archive, workbook_part(archive))
        return archive.read(next(s.part for s in sheets if s.name == tab))


def _styles(path: Path) -> StyleSheet:
    with zipfile.ZipFile(path) as archive:
        return StyleSheet(archive.read(STYLES_PART))


def _no_links(rows: list[list[CellValue | Link]]) -> list[list[CellValue | Link]]:
    return [[None if isinstance(v, Link) else v for v in row] for row in rows]  # logs link nowhere


def _written(hub: Path, target: Path, table: OutputTable) -> Path:
    write_tables(hub, [table], target)
    return target


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["History", "Check-ins"]),
    extra=st.lists(st.sampled_from(["Mine", "Reviewed"]), max_size=1),
    kept=rows_of,
    added=rows_of.filter(bool),
)
def test_appending_in_place_makes_the_part_writing_the_whole_tab_makes(
    hub: Path,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    extra: list[str],
    kept: list[list[CellValue | Link]],
    added: list[list[CellValue | Link]],
) -> None:
    kept, added = _no_links(kept), _no_links(added)
    header = [*hub_column_names(name), *extra]
    folder = tmp_path_factory.mktemp("pair")
    before = _written(hub, folder / "before.xlsx", OutputTable(name, header, kept))
    whole = OutputTable(name, header, [*kept, *added], kept_rows=len(kept))
    after = _written(before, folder / "whole.xlsx", whole)
    appending = OutputTable(name, header, added, kept_rows=len(kept), earlier=lambda: kept)
    styles = _styles(before)
    assert appended_sheet(_part(before, name), appending, styles) is not None  # in place
    spliced = _written(before, folder / "spliced.xlsx", appending)
    assert _part(spliced, name) == _part(after, name)
    with zipfile.ZipFile(spliced) as one, zipfile.ZipFile(after) as other:
        assert one.read(STYLES_PART) == other.read(STYLES_PART)
    book = load_workbook(spliced, read_only=True)  # a reader takes it
    assert book[name].max_row == 1 + len(kept) + len(added)
    book.close()


def test_a_part_okrtree_did_not_write_so_is_not_appended_to(hub: Path, tmp_path: Path) -> None:
    header = hub_column_names("History")
    rows: list[list[CellValue | Link]] = [["2026-10-01", "CO-1", 0.5, "On track"]]
    written = _written(hub, tmp_path / "hub.xlsx", OutputTable("History", header, rows))
    styles = _styles(written)
    part = _part(written, "History")
    table = OutputTable("History", header, rows, kept_rows=1, earlier=lambda: rows)
    assert appended_sheet(part, table, styles) is not None
    wrong_count = OutputTable("History", header, rows, kept_rows=2, earlier=lambda: rows)
    assert appended_sheet(part, wrong_count, styles) is None  # rows were added or removed
    book = load_workbook(written)
    book.save(tmp_path / "saved.xlsx")  # as a person's spreadsheet program saves it
    assert appended_sheet(_part(tmp_path / "saved.xlsx", "History"), table, styles) is None
    link = b'<hyperlinks><hyperlink ref="B2" location="Teams!A1"/></hyperlinks>'
    linked = part.replace(b"<pageMargins", link + b"<pageMargins")
    assert appended_sheet(linked, table, styles) is None  # a cell that names a row
