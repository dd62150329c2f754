"""The emulator's pure parts: A1 notation, typed input, number formats and field masks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.emulator.a1 import (
    CellBox,
    RangeSyntaxError,
    column_letters,
    column_number,
    format_range,
    parse_cells,
    quote_title,
    split_range,
)
from sync.emulator.cells import (
    date_to_serial,
    format_number,
    formatted_value,
    parse_user_entered,
    raw_value,
    render,
    serial_to_date,
)
from sync.emulator.fieldmask import apply_update, parse_mask, select


@pytest.mark.parametrize(
    ("text", "box"),
    [
        ("A1", CellBox(0, 0, 1, 1)),
        ("B2:C3", CellBox(1, 1, 3, 3)),
        ("C3:B2", CellBox(1, 1, 3, 3)),
        ("A:C", CellBox(0, 0, None, 3)),
        ("2:5", CellBox(1, 0, 5, None)),
        ("A5:C", CellBox(4, 0, None, 3)),
        ("A1:1", CellBox(0, 0, 1, None)),
        ("$A$1:$B$2", CellBox(0, 0, 2, 2)),
        ("AA10", CellBox(9, 26, 10, 27)),
    ],
)
def test_parse_cells(text: str, box: CellBox) -> None:
    assert parse_cells(text) == box


@pytest.mark.parametrize(
    "text", ["", "A", "1", "A0", "A1:B2:C3", "ABCD1", "A1:", "!", "A-1", "1:A", "B:2"]
)
def test_parse_cells_refuses(text: str) -> None:
    with pytest.raises(RangeSyntaxError):
        parse_cells(text)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Sheet1!A1:B2", ("Sheet1", "A1:B2")),
        ("'My Tab'!A:A", ("My Tab", "A:A")),
        ("'It''s'!B2", ("It's", "B2")),
        ("'Only title'", ("Only title", None)),
        ("Teams", (None, "Teams")),
    ],
)
def test_split_range(text: str, parts: tuple[str | None, str | None]) -> None:
    assert split_range(text) == parts


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("My Tab", "'My Tab'"),
        ("A1", "'A1'"),
        ("It's", "'It''s'"),
        ("R1C1", "'R1C1'"),
    ],
)
def test_quote_title(title: str, quoted: str) -> None:
    assert quote_title(title) == quoted


@given(st.integers(min_value=0, max_value=18277))
def test_column_letters_round_trip(index: int) -> None:
    assert column_number(column_letters(index)) == index


@given(
    st.integers(0, 5000),
    st.integers(0, 700),
    st.integers(1, 50),
    st.integers(1, 50),
    st.text(min_size=1, max_size=12).filter(lambda t: "!" not in t),
)
def test_format_then_parse_is_identity(row: int, col: int, h: int, w: int, title: str) -> None:
    box = CellBox(row, col, row + h, col + w)
    back_title, cells = split_range(format_range(title, box))
    assert back_title == title
    assert cells is not None and parse_cells(cells) == box


@pytest.mark.parametrize(
    ("typed", "value", "number_format"),
    [
        ("12", {"numberValue": 12}, None),
        (" -3.5 ", {"numberValue": -3.5}, None),
        ("1,200", {"numberValue": 1200}, {"type": "NUMBER", "pattern": "#,##0"}),
        ("45%", {"numberValue": 0.45}, {"type": "PERCENT", "pattern": "0%"}),
        ("12.5%", {"numberValue": 0.125}, {"type": "PERCENT", "pattern": "0.0%"}),
        ("$3.5", {"numberValue": 3.5}, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}),
        ("true", {"boolValue": True}, None),
        ("FALSE", {"boolValue": False}, None),
        ("2026-11-05", {"numberValue": 46331}, {"type": "DATE", "pattern": "yyyy-mm-dd"}),
        ("11/5/2026", {"numberValue": 46331}, {"type": "DATE", "pattern": "M/d/yyyy"}),
        ("2026-02-30", {"stringValue": "2026-02-30"}, None),
        ("2026/11/05", {"numberValue": 46331}, {"type": "DATE", "pattern": "yyyy/mm/dd"}),
        ("Nov 5, 2026", {"numberValue": 46331}, {"type": "DATE", "pattern": "mmm d, yyyy"}),
        (
            "2026-11-05 12:00",
            {"numberValue": 46331.5},
            {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"},
        ),
        ("=A1+1", {"formulaValue": "=A1+1"}, None),
        ("'=A1", {"stringValue": "=A1"}, None),
        ("done", {"stringValue": "done"}, None),
        (">= 99.9", {"stringValue": ">= 99.9"}, None),
    ],
)
def test_user_entered_parsing(typed: str, value: dict[str, Any], number_format: Any) -> None:
    assert parse_user_entered(typed) == (value, number_format)


@pytest.mark.parametrize(
    ("value", "user_entered", "expected"),
    [
        ("45%", False, {"stringValue": "45%"}),
        ("", True, None),
        (7, False, {"numberValue": 7}),
        (2.0, True, {"numberValue": 2}),
        (True, False, {"boolValue": True}),
        (dt.date(2026, 11, 5), False, {"numberValue": 46331}),
    ],
)
def test_raw_value(value: Any, user_entered: bool, expected: Any) -> None:
    assert raw_value(value, user_entered)[0] == expected


@pytest.mark.parametrize(
    ("entered", "formatted", "unformatted"),
    [
        ({"formulaValue": "=1/3"}, "0.3333333333", 1 / 3),
        ({"formulaValue": "=(2+3)*4"}, "20", 20),
        ({"formulaValue": "=1/0"}, "#DIV/0!", "#DIV/0!"),
        ({"formulaValue": "=#REF!"}, "#REF!", "#REF!"),
        ({"formulaValue": "=na()"}, "#N/A", "#N/A"),
        ({"formulaValue": '=HYPERLINK("https://x.test";"label")'}, "label", "label"),
        ({"formulaValue": "=VLOOKUP(A1,B:C,2)"}, "", ""),
        ({"formulaValue": '=HYPERLINK("u","say ""hi""")'}, 'say "hi"', 'say "hi"'),
        ({"numberValue": 1234567}, "1234567", 1234567),
        ({"numberValue": 1e20}, "1.00E+20", 1e20),
        ({"boolValue": False}, "FALSE", False),
    ],
)
def test_rendering(entered: dict[str, Any], formatted: str, unformatted: Any) -> None:
    cell = {"userEnteredValue": entered}
    assert formatted_value(cell) == formatted
    assert render(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == unformatted


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (0.456, {"type": "PERCENT", "pattern": "0.0%"}, "45.6%"),
        (-1234.5, {"type": "NUMBER", "pattern": "#,##0.00"}, "-1,234.50"),
        (3.5, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}, "$3.50"),
        (46331, {"type": "DATE", "pattern": "dd/mm/yyyy"}, "05/11/2026"),
        (46331, {"type": "DATE", "pattern": "mmm d, yyyy"}, "Nov 5, 2026"),
        (46331.5625, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}, "2026-11-05 13:30"),
        (46331.5625, {"type": "TIME", "pattern": "h:mm am/pm"}, "1:30 PM"),
        (46331.5625, {"type": "TIME", "pattern": "mm:ss"}, "30:00"),
        (46331, {"type": "DATE", "pattern": "dddd d mmmm yy"}, "Thursday 5 November 26"),
        (0.5, None, "0.5"),
    ],
)
def test_number_formats(value: float, number_format: Any, text: str) -> None:
    assert format_number(value, number_format) == text


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)))
def test_date_serial_round_trip(day: dt.date) -> None:
    assert serial_to_date(date_to_serial(day)).date() == day


@pytest.mark.parametrize(
    ("mask", "tree"),
    [
        ("title", {"title": {}}),
        ("a.b,a.c", {"a": {"b": {}, "c": {}}}),
        (
            "sheets(properties(title,sheetId))",
            {"sheets": {"properties": {"title": {}, "sheetId": {}}}},
        ),
        ("gridProperties/frozenRowCount", {"gridProperties": {"frozenRowCount": {}}}),
        ("a,a.b", {"a": {}}),
    ],
)
def test_parse_mask(mask: str, tree: dict[str, Any]) -> None:
    assert parse_mask(mask) == tree


def test_select_masks_lists_element_wise() -> None:
    value = {"sheets": [{"properties": {"title": "A", "index": 0}, "data": []}], "id": "x"}
    assert select(value, parse_mask("sheets.properties.title")) == {
        "sheets": [{"properties": {"title": "A"}}]
    }


def test_apply_update_sets_and_clears_masked_fields_only() -> None:
    cell = {"userEnteredFormat": {"textFormat": {"bold": True, "italic": True}}, "note": "n"}
    apply_update(
        cell,
        {"userEnteredFormat": {"textFormat": {}}},
        parse_mask("userEnteredFormat.textFormat.bold"),
    )
    assert cell == {"userEnteredFormat": {"textFormat": {"italic": True}}, "note": "n"}
    apply_update(cell, {"note": "m"}, parse_mask("*"))
    assert cell == {"note": "m"}
