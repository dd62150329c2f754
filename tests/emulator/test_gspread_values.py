"""Values through gspread's real code path: reads, writes, render options, appends, errors."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from gspread.utils import (
    DateTimeOption,
    Dimension,
    InsertDataOption,
    ValueInputOption,
    ValueRenderOption,
)

from sync.emulator import Emulator

OKRS = [
    ["ID", "Type", "Title", "Target", "Current"],
    ["O1", "Objective", "Grow", "", ""],
    ["KR1", "KR", "Revenue", "1,200", "45%"],
]


@pytest.fixture
def key(emulator: Emulator) -> str:
    return emulator.create_spreadsheet("Team A", {"OKRs": OKRS, "Notes": []})


def test_open_by_key_lists_tabs_in_order(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    assert spreadsheet.title == "Team A"
    assert [ws.title for ws in spreadsheet.worksheets()] == ["OKRs", "Notes"]
    assert spreadsheet.worksheet("OKRs").id == 0


def test_get_all_values_formatted_and_unformatted(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    assert ws.get_all_values() == OKRS
    raw = ws.get_all_values(value_render_option=ValueRenderOption.unformatted)
    assert raw[2][3:] == [1200, 0.45]


def test_empty_tab_answers_without_values(gc: gspread.Client, key: str) -> None:
    answer = gc.open_by_key(key).values_get("Notes")
    assert answer == {"range": "Notes!A1:Z1000", "majorDimension": "ROWS"}


def test_batch_get_returns_one_value_range_per_range(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    first, second, empty = ws.batch_get(["A1:B1", "C3", "H1:H5"])
    assert first == [["ID", "Type"]]
    assert second == [["Revenue"]]
    assert empty == []
    assert first.range == "OKRs!A1:B1"


@pytest.mark.parametrize(
    ("typed", "option", "formatted", "unformatted"),
    [
        ("12", ValueInputOption.user_entered, "12", 12),
        ("12", ValueInputOption.raw, "12", "12"),
        ("1,200", ValueInputOption.user_entered, "1,200", 1200),
        ("45%", ValueInputOption.user_entered, "45%", 0.45),
        ("$3.5", ValueInputOption.user_entered, "$3.50", 3.5),
        ("TRUE", ValueInputOption.user_entered, "TRUE", True),
        ("=2/4", ValueInputOption.user_entered, "0.5", 0.5),
        ("=2/4", ValueInputOption.raw, "=2/4", "=2/4"),
        (
            '=HYPERLINK("https://x.test/row/5","Row 5")',
            ValueInputOption.user_entered,
            "Row 5",
            "Row 5",
        ),
        ("'0042", ValueInputOption.user_entered, "0042", "0042"),
        ("hello", ValueInputOption.user_entered, "hello", "hello"),
    ],
)
def test_update_parses_input_like_the_sheets_ui(
    gc: gspread.Client,
    key: str,
    typed: str,
    option: ValueInputOption,
    formatted: str,
    unformatted: Any,
) -> None:
    ws = gc.open_by_key(key).worksheet("Notes")
    ws.update([[typed]], "B2", value_input_option=option)
    assert ws.get("B2") == [[formatted]]
    assert ws.get("B2", value_render_option=ValueRenderOption.unformatted) == [[unformatted]]


def test_formula_render_option_returns_the_formula(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("Notes")
    ws.update(
        [['=HYPERLINK("https://x.test","go")', "=1+1"]],
        "A1",
        value_input_option=ValueInputOption.user_entered,
    )
    assert ws.get("A1:B1", value_render_option=ValueRenderOption.formula) == [
        ['=HYPERLINK("https://x.test","go")', "=1+1"]
    ]


@pytest.mark.parametrize(
    ("date_option", "expected"),
    [(DateTimeOption.serial_number, 46331), (DateTimeOption.formatted_string, "2026-11-05")],
)
def test_dates_render_as_serial_or_text(
    gc: gspread.Client, key: str, date_option: DateTimeOption, expected: Any
) -> None:
    ws = gc.open_by_key(key).worksheet("Notes")
    ws.update([["2026-11-05"]], "A1", value_input_option=ValueInputOption.user_entered)
    assert ws.get(
        "A1",
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=date_option,
    ) == [[expected]]
    assert ws.get("A1") == [["2026-11-05"]]


def test_update_reports_google_counts(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("Notes")
    answer = ws.update([["a", None, "c"], [None, None, "f"]], "B2")
    assert answer == {
        "spreadsheetId": key,
        "updatedRange": "Notes!B2:D3",
        "updatedRows": 2,
        "updatedColumns": 2,
        "updatedCells": 3,
    }


def test_empty_string_empties_a_cell_and_null_leaves_it(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    ws.update([["", None]], "A1")
    assert ws.get("A1:B1") == [["", "Type"]]


def test_batch_update_writes_every_range(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    answer = ws.batch_update(
        [{"range": "F1", "values": [["Score"]]}, {"range": "F3", "values": [[0.53]]}]
    )
    assert answer["totalUpdatedCells"] == 2
    assert ws.col_values(6) == ["Score", "", "0.53"]


def test_append_row_goes_after_the_table(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    answer = ws.append_row(["KR2", "KR", "Churn"])
    assert answer["tableRange"] == "OKRs!A1:E3"
    assert answer["updates"]["updatedRange"] == "OKRs!A4:C4"
    assert ws.row_values(4) == ["KR2", "KR", "Churn"]


def test_append_to_a_full_grid_grows_it(gc: gspread.Client, emulator: Emulator) -> None:
    key = emulator.create_spreadsheet("Tiny", {"T": [["a"]]})
    ws = gc.open_by_key(key).sheet1
    ws.resize(rows=1, cols=1)
    ws.append_rows([["b"], ["c"]])
    assert emulator.sheet(key, "T").rows == 3
    assert ws.col_values(1) == ["a", "b", "c"]


def test_append_with_insert_rows_pushes_rows_down(gc: gspread.Client, emulator: Emulator) -> None:
    key = emulator.create_spreadsheet("Gap", {"T": [["h"], ["1"], [], ["below"]]})
    ws = gc.open_by_key(key).sheet1
    ws.append_row(["2"], insert_data_option=InsertDataOption.insert_rows, table_range="A1")
    assert ws.col_values(1) == ["h", "1", "2", "", "below"]


def test_clear_and_batch_clear_remove_values(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    ws.batch_clear(["A3:B3"])
    assert ws.row_values(3) == ["", "", "Revenue", "1,200", "45%"]
    ws.clear()
    assert "values" not in gc.open_by_key(key).values_get("OKRs")


def test_columns_major_dimension(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    assert ws.get("A1:B3", major_dimension=Dimension.cols) == [
        ["ID", "O1", "KR1"],
        ["Type", "Objective", "KR"],
    ]


@pytest.mark.parametrize(
    ("rng", "message"),
    [
        ("'Nope'!A1", "Unable to parse range: 'Nope'!A1"),
        ("OKRs!A1:ZZZZ2", "Unable to parse range: OKRs!A1:ZZZZ2"),
        ("OKRs!A1:A2000", "exceeds grid limits. Max rows: 1000, max columns: 26"),
    ],
)
def test_bad_ranges_answer_400(gc: gspread.Client, key: str, rng: str, message: str) -> None:
    with pytest.raises(gspread.exceptions.APIError, match=message) as caught:
        gc.open_by_key(key).values_get(rng)
    assert caught.value.code == 400


@pytest.mark.parametrize(
    ("rng", "rows", "message"),
    [
        ("Notes!A999", [["a"], ["b"], ["c"]], r"within range \[Notes!A999\], .* to row \[1001\]"),
        ("Notes!Z1", [["a", "b"]], r"within range \[Notes!Z1\], .* to column \[AA\]"),
        ("Notes!A1001", [["a"]], r"Range \(Notes!A1001\) exceeds grid limits. Max rows: 1000"),
        ("'Notes'!Y1:AB1", [["a"]], r"Range \(Notes!Y1:AB1\) exceeds grid limits"),
    ],
)
def test_value_writes_never_grow_the_grid(
    gc: gspread.Client, emulator: Emulator, key: str, rng: str, rows: list[list[str]], message: str
) -> None:
    with pytest.raises(gspread.exceptions.APIError, match=message):
        gc.open_by_key(key).values_update(
            rng, params={"valueInputOption": "RAW"}, body={"values": rows}
        )
    assert (emulator.sheet(key, "Notes").rows, emulator.sheet(key, "Notes").cols) == (1000, 26)
    assert emulator.values(key, "Notes") == []


def test_batch_clear_past_the_grid_names_the_range(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).worksheet("OKRs")
    with pytest.raises(
        gspread.exceptions.APIError, match=r"Invalid range\[1\]: Range \(OKRs!A1001:ZZ\)"
    ):
        ws.batch_clear(["A1:A2", "A1001:ZZ"])
    assert ws.acell("A1").value == "ID"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"valueRenderOption": "PRETTY"}, r"Invalid value at 'value_render_option'"),
        ({"dateTimeRenderOption": "ISO"}, r"Invalid value at 'date_time_render_option'"),
        ({"majorDimension": "DIAGONAL"}, r"Invalid value at 'major_dimension'"),
    ],
)
def test_bad_render_options_answer_400(
    gc: gspread.Client, key: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(gspread.exceptions.APIError, match=message):
        gc.open_by_key(key).values_get("OKRs!A1", params=params)


def test_writing_outside_a_bounded_range_is_refused(gc: gspread.Client, key: str) -> None:
    with pytest.raises(gspread.exceptions.APIError, match=r"tried writing to column \[C\]"):
        gc.open_by_key(key).values_update(
            "OKRs!A1:B1", params={"valueInputOption": "RAW"}, body={"values": [[1, 2, 3]]}
        )


def test_quoted_tab_names_round_trip(gc: gspread.Client, emulator: Emulator) -> None:
    key = emulator.create_spreadsheet("Q", {"Team's OKRs: Q4": [["x"]]})
    ws = gc.open_by_key(key).sheet1
    assert ws.get_all_values() == [["x"]]
    ws.update([["y"]], "B1")
    assert gc.open_by_key(key).values_get("'Team''s OKRs: Q4'!A1:B1")["values"] == [["x", "y"]]
