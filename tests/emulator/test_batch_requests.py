"""batchUpdate requests beyond what gspread's helpers send, and developer metadata."""

from __future__ import annotations

from typing import Any

import gspread
import pytest

from sync.emulator import Emulator


@pytest.fixture
def key(emulator: Emulator) -> str:
    rows = [["ID", "Score"], ["KR1", "0.1"], ["KR2", "0.2"], ["KR3", "0.3"]]
    return emulator.create_spreadsheet("Team D", {"OKRs": rows})


@pytest.fixture
def spreadsheet(gc: gspread.Client, key: str) -> gspread.Spreadsheet:
    return gc.open_by_key(key)


def _batch(spreadsheet: gspread.Spreadsheet, *requests: dict[str, Any]) -> dict[str, Any]:
    return dict(spreadsheet.batch_update({"requests": list(requests)}))


def _tag_rows(spreadsheet: gspread.Spreadsheet) -> None:
    _batch(
        spreadsheet,
        *[
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": "okrtree.row",
                        "metadataValue": item,
                        "location": {
                            "dimensionRange": {
                                "sheetId": 0,
                                "dimension": "ROWS",
                                "startIndex": row,
                                "endIndex": row + 1,
                            }
                        },
                        "visibility": "DOCUMENT",
                    }
                }
            }
            for row, item in ((1, "KR1"), (2, "KR2"), (3, "KR3"))
        ],
    )


def _row_tags(spreadsheet: gspread.Spreadsheet) -> dict[str, int]:
    found = spreadsheet.client.request(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet.id}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "okrtree.row"}}]},
    ).json()
    return {
        m["developerMetadata"]["metadataValue"]: m["developerMetadata"]["location"][
            "dimensionRange"
        ]["startIndex"]
        for m in found.get("matchedDeveloperMetadata", [])
    }


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda e, k: None, {"KR1": 1, "KR2": 2, "KR3": 3}),
        (lambda e, k: e.insert_rows(k, "OKRs", 2), {"KR1": 2, "KR2": 3, "KR3": 4}),
        (lambda e, k: e.insert_rows(k, "OKRs", 4, count=3), {"KR1": 1, "KR2": 2, "KR3": 6}),
        (lambda e, k: e.delete_rows(k, "OKRs", 3), {"KR1": 1, "KR3": 2}),
    ],
)
def test_row_metadata_follows_its_row(
    emulator: Emulator, spreadsheet: gspread.Spreadsheet, key: str, edit: Any, expected: Any
) -> None:
    _tag_rows(spreadsheet)
    edit(emulator, key)
    assert _row_tags(spreadsheet) == expected


@pytest.mark.parametrize(
    ("move", "tags", "ids"),
    [
        ((2, 1, 5), {"KR1": 3, "KR2": 1, "KR3": 2}, ["ID", "KR2", "KR3", "KR1"]),
        ((4, 1, 2), {"KR1": 2, "KR2": 3, "KR3": 1}, ["ID", "KR3", "KR1", "KR2"]),
        ((2, 2, 5), {"KR1": 2, "KR2": 3, "KR3": 1}, ["ID", "KR3", "KR1", "KR2"]),
        ((2, 1, 3), {"KR1": 1, "KR2": 2, "KR3": 3}, ["ID", "KR1", "KR2", "KR3"]),
    ],
)
def test_dragged_rows_take_their_tags(
    emulator: Emulator,
    spreadsheet: gspread.Spreadsheet,
    key: str,
    move: tuple[int, int, int],
    tags: dict[str, int],
    ids: list[str],
) -> None:
    _tag_rows(spreadsheet)
    row, count, before = move
    emulator.move_rows(key, "OKRs", row, count, before=before)
    assert _row_tags(spreadsheet) == tags
    assert spreadsheet.sheet1.col_values(1) == ids


def test_move_dimension_request(spreadsheet: gspread.Spreadsheet) -> None:
    source = {"sheetId": 0, "dimension": "ROWS", "startIndex": 3, "endIndex": 4}
    _batch(spreadsheet, {"moveDimension": {"source": source, "destinationIndex": 1}})
    assert spreadsheet.sheet1.col_values(1) == ["ID", "KR3", "KR1", "KR2"]


def test_metadata_search_without_match_is_empty(spreadsheet: gspread.Spreadsheet) -> None:
    assert _row_tags(spreadsheet) == {}


def test_metadata_update_and_delete(spreadsheet: gspread.Spreadsheet) -> None:
    _tag_rows(spreadsheet)
    lookup = {"developerMetadataLookup": {"metadataValue": "KR2"}}
    updated = _batch(
        spreadsheet,
        {
            "updateDeveloperMetadata": {
                "dataFilters": [lookup],
                "developerMetadata": {"metadataValue": "KR2b"},
                "fields": "metadataValue",
            }
        },
    )
    assert updated["replies"][0]["updateDeveloperMetadata"]["developerMetadata"][0][
        "metadataValue"
    ] == ("KR2b")
    deleted = _batch(
        spreadsheet,
        {
            "deleteDeveloperMetadata": {
                "dataFilter": {"developerMetadataLookup": {"metadataKey": "okrtree.row"}}
            }
        },
    )
    assert len(deleted["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]) == 3
    assert _row_tags(spreadsheet) == {}


def test_row_metadata_shows_in_grid_data(spreadsheet: gspread.Spreadsheet) -> None:
    _tag_rows(spreadsheet)
    data = spreadsheet.fetch_sheet_metadata(
        {"ranges": "OKRs!A3", "fields": "sheets.data.rowMetadata.developerMetadata.metadataValue"}
    )
    assert data["sheets"][0]["data"][0]["rowMetadata"] == [
        {"developerMetadata": [{"metadataValue": "KR2"}]}
    ]


def test_duplicate_sheet_and_copy_to(
    gc: gspread.Client, emulator: Emulator, spreadsheet: gspread.Spreadsheet
) -> None:
    reply = _batch(spreadsheet, {"duplicateSheet": {"sourceSheetId": 0, "insertSheetIndex": 0}})
    props = reply["replies"][0]["duplicateSheet"]["properties"]
    assert (props["title"], props["index"]) == ("Copy of OKRs", 0)
    assert [ws.title for ws in spreadsheet.worksheets()] == ["Copy of OKRs", "OKRs"]
    other = gc.open_by_key(emulator.create_spreadsheet("Other", {"Main": [["x"]]}))
    copied = spreadsheet.worksheet("OKRs").copy_to(other.id)
    assert copied["title"] == "Copy of OKRs"
    assert other.worksheet("Copy of OKRs").col_values(1) == ["ID", "KR1", "KR2", "KR3"]


def test_merges_filters_and_borders(spreadsheet: gspread.Spreadsheet) -> None:
    rng = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    solid = {"style": "SOLID"}
    _batch(
        spreadsheet,
        {"mergeCells": {"range": rng, "mergeType": "MERGE_ALL"}},
        {"setBasicFilter": {"filter": {"range": {"sheetId": 0, "startRowIndex": 0}}}},
        {"updateBorders": {"range": rng, "bottom": solid}},
    )
    sheet = spreadsheet.fetch_sheet_metadata({"fields": "sheets(merges,basicFilter)"})["sheets"][0]
    assert sheet["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}
    ]
    assert sheet["basicFilter"] == {"range": {"startRowIndex": 0}}
    cells = spreadsheet.fetch_sheet_metadata(
        {"ranges": "OKRs!A1:B1", "fields": "sheets.data.rowData.values.userEnteredFormat.borders"}
    )["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cells == [{"userEnteredFormat": {"borders": {"bottom": solid}}}] * 2
    _batch(spreadsheet, {"unmergeCells": {"range": rng}}, {"clearBasicFilter": {"sheetId": 0}})
    assert spreadsheet.fetch_sheet_metadata({"fields": "sheets(merges,basicFilter)"}) == {
        "sheets": [{}]
    }


def test_delete_protected_range_and_conditional_rule(spreadsheet: gspread.Spreadsheet) -> None:
    added = _batch(
        spreadsheet,
        {
            "addProtectedRange": {
                "protectedRange": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}}
            }
        },
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [{"sheetId": 0}],
                    "booleanRule": {"condition": {"type": "NOT_BLANK"}, "format": {}},
                }
            }
        },
    )
    protected_id = added["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    removed = _batch(
        spreadsheet,
        {"deleteProtectedRange": {"protectedRangeId": protected_id}},
        {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}},
    )
    assert removed["replies"][1]["deleteConditionalFormatRule"]["rule"]["ranges"] == [{}]
    assert spreadsheet.fetch_sheet_metadata(
        {"fields": "sheets(protectedRanges,conditionalFormats)"}
    ) == {"sheets": [{}]}


def test_a_range_ending_past_the_grid_is_clamped(
    emulator: Emulator, spreadsheet: gspread.Spreadsheet, key: str
) -> None:
    bold = {"userEnteredFormat": {"textFormat": {"bold": True}}}
    rng = {"sheetId": 0, "startRowIndex": 998, "endRowIndex": 1003}
    _batch(spreadsheet, {"repeatCell": {"range": rng, "cell": bold, "fields": "userEnteredFormat"}})
    sheet = emulator.sheet(key, "OKRs")
    assert sheet.rows == 1000
    assert max(r for r, _ in sheet.cells) == 999


def test_append_cells_and_hidden_rows(spreadsheet: gspread.Spreadsheet) -> None:
    _batch(
        spreadsheet,
        {
            "appendCells": {
                "sheetId": 0,
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "KR4"}}]}],
                "fields": "userEnteredValue",
            }
        },
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        },
    )
    assert spreadsheet.sheet1.col_values(1) == ["ID", "KR1", "KR2", "KR3", "KR4"]
    meta = spreadsheet.fetch_sheet_metadata(
        {"ranges": "OKRs!A1:A3", "fields": "sheets.data.rowMetadata.hiddenByUser"}
    )["sheets"][0]["data"][0]["rowMetadata"]
    assert meta == [{}, {"hiddenByUser": True}, {}]


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"deleteSheet": {"sheetId": 42}}, "No grid with id: 42"),
        ({"deleteProtectedRange": {"protectedRangeId": 7}}, "No protected range with id: 7"),
        (
            {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0}}},
            "not possible to delete all non-frozen rows",
        ),
        (
            {
                "repeatCell": {
                    "range": {"startRowIndex": 1000, "startColumnIndex": 0, "endColumnIndex": 2},
                    "cell": {},
                    "fields": "*",
                }
            },
            r"^APIError: \[400\]: Invalid requests\[0\]\.repeatCell: Range \(OKRs!A1001:B\) "
            "exceeds grid limits. Max rows: 1000, max columns: 26$",
        ),
        ({"createDeveloperMetadata": {"developerMetadata": {"metadataKey": "k"}}}, "location"),
    ],
)
def test_bad_requests_name_the_problem(
    spreadsheet: gspread.Spreadsheet, request_body: dict[str, Any], message: str
) -> None:
    with pytest.raises(gspread.exceptions.APIError, match=message) as caught:
        _batch(spreadsheet, request_body)
    assert caught.value.code == 400


@pytest.mark.parametrize(("inherit_from_before", "source_row"), [(True, 1), (False, 2)])
def test_inserted_rows_inherit_format_and_validation(
    emulator: Emulator,
    spreadsheet: gspread.Spreadsheet,
    key: str,
    inherit_from_before: bool,
    source_row: int,
) -> None:
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Done"}]}}
    rng = {"sheetId": 0, "startRowIndex": source_row, "endRowIndex": source_row + 1}
    _batch(
        spreadsheet,
        {"setDataValidation": {"range": rng, "rule": rule}},
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 3},
                "inheritFromBefore": inherit_from_before,
            }
        },
    )
    inserted = emulator.sheet(key, "OKRs").cells[(2, 0)]
    assert inserted == {"dataValidation": rule}


def _post(spreadsheet: gspread.Spreadsheet, action: str, body: dict[str, Any]) -> dict[str, Any]:
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet.id}/values:{action}"
    return dict(spreadsheet.client.request("post", url, json=body).json())


def _kr(item: str) -> dict[str, Any]:
    return {"developerMetadataLookup": {"metadataKey": "okrtree.row", "metadataValue": item}}


def test_writes_by_row_metadata_follow_moved_rows(
    emulator: Emulator, spreadsheet: gspread.Spreadsheet, key: str
) -> None:
    _tag_rows(spreadsheet)
    emulator.insert_rows(key, "OKRs", 2)
    emulator.delete_rows(key, "OKRs", 4)
    answer = _post(
        spreadsheet,
        "batchUpdateByDataFilter",
        {
            "valueInputOption": "RAW",
            "data": [
                {"dataFilter": _kr("KR1"), "values": [[None, "0.9"]]},
                {"dataFilter": _kr("KR3"), "values": [[None, "0.7"]]},
                {"dataFilter": _kr("KR2"), "values": [[None, "lost"]]},
            ],
        },
    )
    assert [r["updatedRange"] for r in answer["responses"]] == ["OKRs!A3:B3", "OKRs!A4:B4"]
    assert answer["totalUpdatedCells"] == 2
    assert emulator.values(key, "OKRs") == [["ID", "Score"], [], ["KR1", "0.9"], ["KR3", "0.7"]]


def test_sorting_moves_contents_not_row_tags(
    emulator: Emulator, spreadsheet: gspread.Spreadsheet, key: str
) -> None:
    _tag_rows(spreadsheet)
    emulator.sort_rows(key, "OKRs", "A", ascending=False)
    assert _row_tags(spreadsheet) == {"KR1": 1, "KR2": 2, "KR3": 3}
    assert spreadsheet.sheet1.col_values(1) == ["ID", "KR3", "KR2", "KR1"]


def test_reads_and_clears_by_filter(spreadsheet: gspread.Spreadsheet) -> None:
    _tag_rows(spreadsheet)
    got = _post(
        spreadsheet,
        "batchGetByDataFilter",
        {
            "dataFilters": [
                _kr("KR2"),
                {"a1Range": "OKRs!A1:B1"},
                {"gridRange": {"sheetId": 0, "startRowIndex": 3, "endRowIndex": 4}},
                _kr("nobody"),
            ]
        },
    )
    assert [(v["valueRange"]["range"], v["valueRange"]["values"]) for v in got["valueRanges"]] == [
        ("OKRs!A3:Z3", [["KR2", "0.2"]]),
        ("OKRs!A1:B1", [["ID", "Score"]]),
        ("OKRs!A4:Z4", [["KR3", "0.3"]]),
    ]
    assert got["valueRanges"][0]["dataFilters"] == [_kr("KR2")]
    cleared = _post(spreadsheet, "batchClearByDataFilter", {"dataFilters": [_kr("KR2")]})
    assert cleared["clearedRanges"] == ["OKRs!A3:Z3"]
    assert spreadsheet.sheet1.col_values(1) == ["ID", "KR1", "", "KR3"]


def test_writes_by_filter_must_fit_the_row(spreadsheet: gspread.Spreadsheet) -> None:
    _tag_rows(spreadsheet)
    with pytest.raises(
        gspread.exceptions.APIError, match=r"Invalid data\[0\]: .*tried writing to row"
    ):
        _post(
            spreadsheet,
            "batchUpdateByDataFilter",
            {
                "valueInputOption": "RAW",
                "data": [{"dataFilter": _kr("KR1"), "values": [["a"], ["b"]]}],
            },
        )
