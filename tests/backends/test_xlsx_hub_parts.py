"""Rows replaced or appended in a hub tab okrtree wrote in chunks make the very part, and the
very workbook, that writing the whole tab makes; anything else is written whole, and right."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sheets_templates.definition import hub_column_names
from sync.backends import xlsx_hub_parts, xlsx_hub_sheet
from sync.backends.xlsx_chunks import PartIndex
from sync.backends.xlsx_hub import write_tables
from sync.backends.xlsx_hub_parts import stored_index
from sync.backends.xlsx_package import rels_part, sheet_parts, workbook_part
from sync.snapshot import CellValue, Link, OutputTable, whole_table
from tests.backends.test_xlsx_hub_readback import CELLS, TEXT

TREE = "Alignment Tree"
HEADER = hub_column_names(TREE)
CHUNK = 3  # rows a chunk here, so that a few rows make several chunks
Row = list[CellValue | Link]

PLAIN: st.SearchStrategy[CellValue] = st.one_of(  # as `CELLS`, without links, cheaper to draw
    st.none(),
    TEXT,
    st.sampled_from(["", " lead", "a\r\nb", "x\x01y", "=A1", "On track", True]),
    st.integers(-2_900_000, 2_900_000),
    st.floats(-2.9e6, 2.9e6) | st.sampled_from([float("nan"), 0.1 + 0.2]),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)
LONG_TEXT = TEXT.map(lambda text: f"{text} & a line that wraps <in> a narrow column " * 9)
LINKS = st.builds(
    Link,
    TEXT,
    st.sampled_from(["a.xlsx#'OKRs'!A2", "b b.xlsx#'OKRs'!A7", "https://example.com/x", "#'T'!A1"]),
)
BY_COLUMN = {
    "Depth": st.one_of(st.none(), st.integers(0, 9)),
    "Score": st.one_of(st.none(), st.floats(0, 1)),
    "Status": st.sampled_from([None, "On track", "At risk", "Off track", "Done", "elsewise"]),
    "Link": st.one_of(st.none(), LINKS),
    "Warnings": st.one_of(PLAIN, LONG_TEXT),
}
FREE_COLUMNS = [name for name in HEADER if name not in ("Score", "Status", "Link")]
ROWS = st.tuples(*(BY_COLUMN.get(name, PLAIN) for name in HEADER)).map(list)
RAGGED_ROWS = st.builds(lambda row, extra: row + extra, ROWS, st.lists(CELLS, max_size=2))


class Earlier:
    """A tab's own rows, counting how often a writer asks for them (only a whole write does)."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.calls = 0

    def __call__(self) -> list[Row]:
        self.calls += 1
        return [list(row) for row in self.rows]


@pytest.fixture(scope="module", autouse=True)
def small_chunks() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_hub_sheet, "CHUNK_ROWS", CHUNK)
        patch.setattr(xlsx_hub_parts, "CHUNK_ROWS", CHUNK)
        yield


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = tmp_path_factory.mktemp("parts") / "org"
    create_workspace(org)
    return org / "hub.xlsx"


def _part_name(path: Path, tab: str) -> str:
    with zipfile.ZipFile(path) as archive:
        sheets = sheet_parts(archive, workbook_part(archive))
        return next(s.part for s in sheets if s.name == tab)


def _members(path: Path, tab: str) -> tuple[bytes, bytes | None, bytes]:
    """The tab's part, its relationships and the styles, after checking every CRC."""
    part = _part_name(path, tab)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        rels = rels_part(part)
        return (
            archive.read(part),
            archive.read(rels) if rels in archive.namelist() else None,
            archive.read("xl/styles.xml"),
        )


def _shown(path: Path, tab: str) -> list[list[object]]:
    """Each cell of the tab as openpyxl shows it: value, link target, format, fill."""
    with warnings.catch_warnings():  # a number out of a date's range, in a date column
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(path)
    try:
        return [
            [
                (
                    c.value,
                    c.hyperlink.target if c.hyperlink else None,
                    c.hyperlink.location if c.hyperlink else None,
                    c.number_format,
                    c.fill.fgColor.rgb,
                )
                for c in row
            ]
            for row in book[tab].iter_rows()
        ]
    finally:
        book.close()


def _write(source: Path, target: Path, table: OutputTable, parts: dict[str, PartIndex]) -> Path:
    _indexed(source, target, table, parts)
    return target


def _indexed(
    source: Path, target: Path, table: OutputTable, parts: dict[str, PartIndex]
) -> dict[str, PartIndex]:
    """`write_tables`, checking that each index returned stands for its part as written."""
    chunked = write_tables(source, [table], target, parts=parts)
    with zipfile.ZipFile(target) as archive:
        for part, index in chunked.items():
            assert stored_index(archive.getinfo(part), index)
    return chunked


def _same_as_whole(changed: Path, whole: Path, tab: str) -> None:
    assert _members(changed, tab) == _members(whole, tab)
    assert _shown(changed, tab) == _shown(whole, tab)


def _pair(
    hub: Path, folder: Path, table: OutputTable, kept: list[Row]
) -> tuple[Path, dict[str, PartIndex], Earlier]:
    """The hub with `kept` written whole in `table`'s tab, its part indexes, and the rows."""
    own = OutputTable(table.name, table.header, kept)
    before = folder / "before.xlsx"
    return before, write_tables(hub, [own], before), Earlier(kept)


def _replacing(
    positions: list[int], rows: list[Row], earlier: Earlier, header: list[str] = HEADER
) -> OutputTable:
    return OutputTable(TREE, header, rows, earlier=earlier, replaces=positions, digest="d")


def _whole(table: OutputTable) -> OutputTable:
    return whole_table(dataclasses.replace(table, earlier=Earlier(table.earlier())))  # type: ignore[misc]


def _places(kept: list[Row]) -> st.SearchStrategy[list[int]]:
    """Places of rows to replace, a place perhaps twice (the last row given for it wins)."""
    return st.lists(st.integers(0, len(kept) - 1), min_size=1, max_size=4)


SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(kept=st.lists(ROWS, min_size=1, max_size=8), data=st.data())
def test_rows_replaced_with_their_links_kept_are_written_in_place_as_a_whole_write_would(
    hub: Path, tmp_path_factory: pytest.TempPathFactory, kept: list[Row], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("in-place")
    before, parts, earlier = _pair(hub, folder, OutputTable(TREE, HEADER, []), kept)
    positions = data.draw(_places(kept))
    rows = []
    for at in positions:  # new values but for the link, the status and the score
        row = list(kept[at])
        for name in data.draw(st.lists(st.sampled_from(FREE_COLUMNS), max_size=5)):
            row[HEADER.index(name)] = data.draw(BY_COLUMN.get(name, PLAIN))
        rows.append(row)
    table = _replacing(positions, rows, earlier)
    patched = _write(before, folder / "patched.xlsx", table, parts)
    assert earlier.calls == 0  # in place
    whole = _write(before, folder / "whole.xlsx", _whole(table), {})
    _same_as_whole(patched, whole, TREE)


@SETTINGS
@given(kept=st.lists(RAGGED_ROWS, min_size=1, max_size=8), data=st.data())
def test_any_rows_replaced_make_what_a_whole_write_makes(
    hub: Path, tmp_path_factory: pytest.TempPathFactory, kept: list[Row], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("any")
    before, parts, earlier = _pair(hub, folder, OutputTable(TREE, HEADER, []), kept)
    positions = data.draw(_places(kept))
    rows = data.draw(st.lists(RAGGED_ROWS, min_size=len(positions), max_size=len(positions)))
    for at, row in zip(positions, rows, strict=True):
        if data.draw(st.booleans()):  # keep the row's link, as most changes do
            link = HEADER.index("Link")
            row[link] = kept[at][link] if link < len(kept[at]) else None
    table = _replacing(positions, rows, earlier)
    patched = _write(before, folder / "patched.xlsx", table, parts)
    whole = _write(before, folder / "whole.xlsx", _whole(table), {})
    event("in place" if earlier.calls == 0 else "written whole")
    if earlier.calls == 0:  # in place: the part as a whole write makes it
        _same_as_whole(patched, whole, TREE)
    else:
        assert _shown(patched, TREE) == _shown(whole, TREE)


LOG_ROWS = st.lists(st.one_of(PLAIN, LONG_TEXT), max_size=9)


@SETTINGS
@given(
    name=st.sampled_from(["History", "Check-ins"]),
    kept=st.lists(LOG_ROWS, max_size=7),
    added=st.lists(LOG_ROWS, min_size=1, max_size=4),
    indexed=st.booleans(),
)
def test_rows_appended_to_a_log_are_written_in_place_as_a_whole_write_would(
    hub: Path,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    kept: list[Row],
    added: list[Row],
    indexed: bool,
) -> None:
    folder = tmp_path_factory.mktemp("append")
    header = hub_column_names(name)
    before, parts, earlier = _pair(hub, folder, OutputTable(name, header, []), kept)
    table = OutputTable(name, header, added, kept_rows=len(kept), earlier=earlier)
    # Without an index (a part written in one piece) the rows are spliced in, and the part is
    # then compressed in chunks for the next rows.
    appended = folder / "appended.xlsx"
    chunked = _indexed(before, appended, table, parts if indexed else {})
    assert earlier.calls == 0
    assert set(chunked) == set(parts)
    whole = _write(before, folder / "whole.xlsx", _whole(table), {})
    _same_as_whole(appended, whole, name)


def _tree(count: int) -> list[Row]:
    statuses = ["On track", "At risk", "Off track"]
    return [
        [f"item {i}", i % 3, f"T-{i}", "Key Result", "Core", "a@x.example", i / count]
        + [statuses[i % 3], None, None, Link(f"row {i}", f"team.xlsx#'OKRs'!A{i + 2}"), None]
        for i in range(count)
    ]


def _renamed(row: Row, title: str) -> Row:
    return [title, *row[1:]]


def _saved_by_openpyxl(path: Path) -> None:
    book = load_workbook(path)
    book.save(path)
    book.close()


def _garbled(parts: dict[str, PartIndex]) -> dict[str, PartIndex]:
    """Each index with its row chunks' CRCs wrong (the part's own still right)."""
    return {
        part: dataclasses.replace(
            index,
            chunks=(
                index.chunks[0],
                *(dataclasses.replace(c, crc=c.crc ^ 1) for c in index.row_chunks),
                *index.chunks[-2:],
            ),
        )
        for part, index in parts.items()
    }


FALLBACKS = {
    "saved by openpyxl since": (_saved_by_openpyxl, lambda p: p, lambda r: r),
    "no index": (lambda path: None, lambda p: {}, lambda r: r),
    "a garbled index": (lambda path: None, _garbled, lambda r: r),
    "a changed link": (
        lambda path: None,
        lambda p: p,
        lambda r: [*r[:10], Link("moved", "elsewhere.xlsx#'OKRs'!A9"), *r[11:]],
    ),
}


@pytest.mark.parametrize("case", FALLBACKS)
def test_what_cannot_be_written_in_place_is_written_whole(tmp_path: Path, case: str) -> None:
    edit_hub, edit_parts, edit_row = FALLBACKS[case]
    create_workspace(tmp_path / "org")
    kept = _tree(10)
    before, parts, earlier = _pair(tmp_path / "org" / "hub.xlsx", tmp_path, _whole_tree(), kept)
    edit_hub(before)
    table = _replacing([4], [edit_row(_renamed(kept[4], "renamed"))], earlier)
    written = _write(before, tmp_path / "written.xlsx", table, edit_parts(parts))
    assert earlier.calls == 1  # written whole
    whole = _write(before, tmp_path / "whole.xlsx", _whole(table), {})
    _same_as_whole(written, whole, TREE)
    assert _shown(written, TREE)[5][0][0] == "renamed"


def test_a_status_no_row_had_yet_is_written_in_place(tmp_path: Path) -> None:
    """Every status's colour is in the workbook once the tab is written: a row turning Done
    for the first time needs no new format."""
    create_workspace(tmp_path / "org")
    kept = _tree(10)
    before, parts, earlier = _pair(tmp_path / "org" / "hub.xlsx", tmp_path, _whole_tree(), kept)
    table = _replacing([4], [[*kept[4][:6], 0.25, "Done", *kept[4][8:]]], earlier)
    written = _write(before, tmp_path / "written.xlsx", table, parts)
    assert earlier.calls == 0  # in place
    whole = _write(before, tmp_path / "whole.xlsx", _whole(table), {})
    _same_as_whole(written, whole, TREE)
    assert _shown(written, TREE)[5][7][0] == "Done"


def test_the_same_rows_replaced_in_place_first_show_as_expected(tmp_path: Path) -> None:
    create_workspace(tmp_path / "org")
    kept = _tree(10)
    before, parts, earlier = _pair(tmp_path / "org" / "hub.xlsx", tmp_path, _whole_tree(), kept)
    table = _replacing([4], [_renamed(kept[4], "renamed")], earlier)
    written = _write(before, tmp_path / "written.xlsx", table, parts)
    assert earlier.calls == 0
    shown = _shown(written, TREE)
    assert shown[5][0][0] == "renamed" and shown[5][10][1] == "team.xlsx"
    assert [row[0][0] for row in shown[1:]] == [
        "renamed" if i == 4 else f"item {i}" for i in range(10)
    ]


def _whole_tree() -> OutputTable:
    return OutputTable(TREE, HEADER, [])
