"""Finding the header row and reading the template's columns."""

from __future__ import annotations

import pytest

from sync.model import ItemType
from sync.template import Col, find_header, parse_type


@pytest.mark.parametrize(
    ("grid", "row", "columns"),
    [
        (
            [["ID", "Type", "Title", "Parent"]],
            1,
            {Col.ID: 0, Col.TYPE: 1, Col.TITLE: 2, Col.PARENT: 3},
        ),
        (
            [["Q4 OKRs"], [], ["id", " TYPE ", "title", "aligns to"]],
            3,
            {Col.ID: 0, Col.TYPE: 1, Col.TITLE: 2, Col.PARENT: 3},
        ),
        (
            [["Parent", "Notes", "Title", "Type", "ID"]],
            1,
            {Col.PARENT: 0, Col.TITLE: 2, Col.TYPE: 3, Col.ID: 4},
        ),
        (
            [["ID", "Type", "Champion", "Baseline", "Actual", "Last check-in", "Dependencies"]],
            1,
            {
                Col.ID: 0,
                Col.TYPE: 1,
                Col.OWNER: 2,
                Col.START: 3,
                Col.CURRENT: 4,
                Col.UPDATED: 5,
                Col.DEPENDS_ON: 6,
            },
        ),
        # the canonical name wins over an alias, wherever it stands
        ([["ID", "Type", "Champion", "Owner"]], 1, {Col.ID: 0, Col.TYPE: 1, Col.OWNER: 3}),
        (
            [["ID", "Type", "Why  now", "  Depends ON "]],
            1,
            {Col.ID: 0, Col.TYPE: 1, Col.WHY_NOW: 2, Col.DEPENDS_ON: 3},
        ),
        ([[None] * 3] * 9 + [["ID", "Type"]], 10, {Col.ID: 0, Col.TYPE: 1}),
    ],
)
def test_header_is_found_by_name(
    grid: list[list[object]], row: int, columns: dict[Col, int]
) -> None:
    header = find_header(grid)
    assert header is not None
    assert header.row == row
    assert header.columns == columns


@pytest.mark.parametrize(
    "grid",
    [
        [],
        [["ID", "Title", "Parent"]],  # no Type
        [[None]] * 10 + [["ID", "Type"]],  # below the first ten rows
        [["Identifier", "Kind"]],
    ],
)
def test_no_header(grid: list[list[object]]) -> None:
    assert find_header(grid) is None


def test_last_column_counts_unknown_headers() -> None:
    header = find_header([["ID", "Type", "Title", "Parent", "My notes", None, "Extra"]])
    assert header is not None and header.last_column == 7


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Objective", ItemType.OBJECTIVE),
        ("o", ItemType.OBJECTIVE),
        ("OBJ", ItemType.OBJECTIVE),
        (" objective ", ItemType.OBJECTIVE),
        ("Key Result", ItemType.KEY_RESULT),
        ("KR", ItemType.KEY_RESULT),
        ("key result", ItemType.KEY_RESULT),
        ("KeyResult", ItemType.KEY_RESULT),
        ("kr", ItemType.KEY_RESULT),
        ("Goal", None),
        ("", None),
        (None, None),
        (1, None),
    ],
)
def test_parse_type(cell: object, expected: ItemType | None) -> None:
    assert parse_type(cell) is expected
