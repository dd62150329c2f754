"""Through the local backend: the index of each part written in chunks is recorded beside the
digests and stands while hub.xlsx is the file okrtree saved; rows that replace some are written
in place and vouched for by the digest they came with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_chunks import Chunk, PartIndex, RowChunk
from sync.backends.xlsx_safety import FileStamp
from sync.backends.xlsx_state import STATE_FILE, load_parts, save_state
from sync.plan import table_digest
from sync.snapshot import OutputTable, whole_table
from tests.backends.test_xlsx_hub_parts import HEADER, TREE, Earlier, Row, _renamed, _tree


def _replacing(kept: list[Row], at: int, title: str) -> tuple[OutputTable, Earlier]:
    earlier = Earlier(kept)
    table = OutputTable(TREE, HEADER, [_renamed(kept[at], title)], earlier=earlier, replaces=[at])
    table.digest = table_digest(whole_table(table))
    earlier.calls = 0
    return table, earlier


def _titles(path: Path) -> list[object]:
    book = load_workbook(path, read_only=True)
    try:
        return [row[0] for row in book[TREE].iter_rows(min_row=2, values_only=True)]
    finally:
        book.close()


def _written_whole(org: Path, kept: list[Row]) -> XlsxBackend:
    """A workspace whose tree okrtree wrote whole, and a backend that has read its hub."""
    create_workspace(org)
    backend = XlsxBackend(org)
    backend.read_hub()
    backend.write_hub([OutputTable(TREE, HEADER, kept)])
    backend = XlsxBackend(org)
    assert TREE in backend.read_hub().digests
    return backend


def test_rows_replaced_through_the_backend_are_written_in_place_and_vouched_for(
    tmp_path: Path,
) -> None:
    org, kept = tmp_path / "org", _tree(5_000)
    backend = _written_whole(org, kept)
    [index] = json.loads((org / STATE_FILE).read_text(encoding="utf-8"))["parts"].values()
    assert len(index["chunks"]) == 1 + 5 + 2  # the head, 1,000 rows at a time, the ends
    table, earlier = _replacing(kept, 4_321, "renamed")
    table.filled = 12_345
    assert backend.write_hub([table]) == len(HEADER) + 12_345  # counted as a whole tab
    assert earlier.calls == 0  # in place
    assert XlsxBackend(org).read_hub().digests[TREE] == table.digest
    titles = _titles(org / "hub.xlsx")
    assert titles[4_321] == "renamed" and titles[:4_321] == [r[0] for r in kept[:4_321]]
    # A save by another program voids the index: the tab is written whole, and right.
    book = load_workbook(org / "hub.xlsx")
    book.save(org / "hub.xlsx")
    book.close()
    backend = XlsxBackend(org)
    assert TREE in backend.read_hub().tabs
    kept[4_321] = _renamed(kept[4_321], "renamed")
    table, earlier = _replacing(kept, 7, "again")
    backend.write_hub([table])
    assert earlier.calls == 1  # written whole
    assert _titles(org / "hub.xlsx")[4_320:4_322] == ["item 4320", "renamed"]
    assert _titles(org / "hub.xlsx")[7] == "again"


def test_rows_that_replace_some_without_the_whole_tab_digest_leave_the_tab_unvouched(
    tmp_path: Path,
) -> None:
    org, kept = tmp_path / "org", _tree(10)
    backend = _written_whole(org, kept)
    table = OutputTable(TREE, HEADER, [_renamed(kept[3], "renamed")], replaces=[3])
    table.earlier = Earlier(kept)
    assert backend.write_hub([table]) == len(HEADER)  # written, its cells counted as a tab's
    assert table.digest is None  # no digest made of the one row
    assert TREE not in XlsxBackend(org).read_hub().digests
    assert _titles(org / "hub.xlsx")[3] == "renamed"


INDEX = PartIndex(
    ("ID", "Note"),
    (
        Chunk(0, 10, 100, 1),
        Chunk(10, 20, 300, 2, RowChunk(2, 1_000, 3, 2)),
        Chunk(30, 5, 40, 3),
        Chunk(35, 6, 60, 4),
    ),
    12345,
)


@pytest.mark.parametrize(
    "parts",
    [
        None,
        [],
        {"p": None},
        {"p": {"header": ["ID"], "crc": 1}},  # no chunks
        {"p": {"header": [1], "crc": 1, "chunks": [[0, 1, 1, 1, 0, 0, 0, 0]] * 3}},
        {"p": {"header": [], "crc": 1, "chunks": [[0, 1, 1, 1, 0, 0, 0]] * 3}},  # 7 fields
        {"p": {"header": [], "crc": 1, "chunks": [[0, 1, 1, 1, 0, 0, 0, -1]] * 3}},
        {"p": {"header": [], "crc": 1, "chunks": [[0, 1, 1, 1, 0, 0, 0, 0]] * 3}},  # overlap
        {"p": {"header": [], "crc": 1, "chunks": [[0, 1, 1, 1, 0, 0, 0, 0]]}},  # too few
    ],
)
def test_a_garbled_index_is_no_index(tmp_path: Path, parts: object) -> None:
    (tmp_path / "hub.xlsx").write_bytes(b"hub")
    stamp = FileStamp.of(tmp_path / "hub.xlsx")
    save_state(tmp_path, stamp, {}, {"good": INDEX})
    path = tmp_path / STATE_FILE
    record = json.loads(path.read_text(encoding="utf-8"))
    assert load_parts(tmp_path, stamp) == {"good": INDEX}
    record["parts"] = parts if not isinstance(parts, dict) else {**record["parts"], **parts}
    path.write_text(json.dumps(record), encoding="utf-8")
    expected = {"good": INDEX} if isinstance(parts, dict) else {}
    assert load_parts(tmp_path, stamp) == expected
    assert load_parts(tmp_path, FileStamp(stamp.mtime_ns + 1, stamp.size)) == {}  # another file
