"""batchUpdate and Drive through gspread: tabs, formats, freezing, validation, protection,
row edits, metadata, files and sharing."""

from __future__ import annotations

from typing import Any

import gspread
import pytest

from sync.emulator import Emulator


@pytest.fixture
def key(emulator: Emulator) -> str:
    rows = [["ID", "Score"], ["KR3", "0.2"], ["KR1", "0.9"], ["KR2", ""]]
    return emulator.create_spreadsheet("Team B", {"OKRs": rows})


def _sheet_json(gc: gspread.Client, key: str, fields: str = "sheets") -> dict[str, Any]:
    return dict(gc.open_by_key(key).fetch_sheet_metadata({"fields": fields}))


def test_add_and_delete_worksheet(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    ws = spreadsheet.add_worksheet("Findings", rows=10, cols=6)
    assert ws.id != 0 and ws.row_count == 10 and ws.col_count == 6
    assert [w.title for w in spreadsheet.worksheets()] == ["OKRs", "Findings"]
    spreadsheet.del_worksheet(ws)
    assert [w.title for w in spreadsheet.worksheets()] == ["OKRs"]


def test_duplicate_tab_title_is_refused(gc: gspread.Client, key: str) -> None:
    with pytest.raises(
        gspread.exceptions.APIError, match='A sheet with the name "okrs" already exists'
    ):
        gc.open_by_key(key).add_worksheet("okrs", rows=1, cols=1)


def test_last_tab_cannot_be_deleted(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    with pytest.raises(gspread.exceptions.APIError, match="remove all the sheets"):
        spreadsheet.del_worksheet(spreadsheet.sheet1)


def test_format_is_stored_with_colour_styles(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.format("A1:B1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 1}})
    data = gc.open_by_key(key).fetch_sheet_metadata(
        {
            "ranges": "OKRs!B1",
            "fields": "sheets.data.rowData.values(userEnteredFormat,formattedValue)",
        }
    )
    cell = data["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["formattedValue"] == "Score"
    assert cell["userEnteredFormat"] == {
        "textFormat": {"bold": True},
        "backgroundColor": {"red": 1},
        "backgroundColorStyle": {"rgbColor": {"red": 1}},
    }


def test_freeze_and_resize_show_in_grid_properties(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.freeze(rows=1, cols=1)
    ws.resize(rows=50, cols=8)
    props = gc.open_by_key(key).sheet1._properties
    assert props["gridProperties"] == {
        "rowCount": 50,
        "columnCount": 8,
        "frozenRowCount": 1,
        "frozenColumnCount": 1,
    }


def test_shrinking_the_grid_drops_cells(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.resize(rows=2)
    assert ws.get_all_values() == [["ID", "Score"], ["KR3", "0.2"]]


def test_add_validation_lands_on_every_cell(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.add_validation(
        "C2:C3",
        gspread.utils.ValidationConditionType.one_of_list,
        ["Done", "On track"],
        showCustomUi=True,
    )
    data = _sheet_json(gc, key, "sheets.data.rowData.values.dataValidation")
    rows = data["sheets"][0]["data"][0]["rowData"]
    rules = [rows[r]["values"][2]["dataValidation"]["condition"]["type"] for r in (1, 2)]
    assert rules == ["ONE_OF_LIST", "ONE_OF_LIST"]


def test_protected_range_is_listed_on_the_sheet(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.add_protected_range("B1:B4", description="written by okrtree")
    protected = _sheet_json(gc, key, "sheets.protectedRanges")["sheets"][0]["protectedRanges"]
    assert protected[0]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 4,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }
    assert protected[0]["description"] == "written by okrtree"


def test_enforced_protection_refuses_writes(
    gc: gspread.Client, emulator: Emulator, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.add_protected_range("B1:B4")
    emulator.set_access(key, enforce_protection=True)
    with pytest.raises(gspread.exceptions.APIError, match="protected cell"):
        ws.update([["x"]], "B2")
    ws.update([["fine"]], "C2")
    assert ws.acell("C2").value == "fine"


def test_insert_and_delete_rows_move_cells(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.insert_row(["NEW", "1"], index=2)
    assert ws.col_values(1) == ["ID", "NEW", "KR3", "KR1", "KR2"]
    ws.delete_rows(3)
    assert ws.col_values(1) == ["ID", "NEW", "KR1", "KR2"]
    assert ws.row_count == 1000


def test_insert_columns_shift_right(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.insert_cols([["Owner", "ann"]], col=2)
    assert ws.row_values(1) == ["ID", "Owner", "Score"]
    assert ws.col_count == 27


def test_sort_range(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.sort((1, "asc"), range="A2:B4")
    assert ws.col_values(1) == ["ID", "KR1", "KR2", "KR3"]


def test_conditional_format_and_developer_metadata(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    rule = {
        "ranges": [{"sheetId": 0, "startRowIndex": 1, "endRowIndex": 4}],
        "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Off track"}]},
            "format": {"backgroundColor": {"red": 1}},
        },
    }
    answer = spreadsheet.batch_update(
        {
            "requests": [
                {"addConditionalFormatRule": {"rule": rule, "index": 0}},
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "okrtree.version",
                            "metadataValue": "1",
                            "location": {"spreadsheet": True},
                        }
                    }
                },
            ]
        }
    )
    created = answer["replies"][1]["createDeveloperMetadata"]["developerMetadata"]
    assert created["metadataKey"] == "okrtree.version" and created["metadataId"] > 0
    data = spreadsheet.fetch_sheet_metadata(
        {"fields": "developerMetadata,sheets.conditionalFormats"}
    )
    assert data["developerMetadata"][0]["metadataValue"] == "1"
    assert data["sheets"][0]["conditionalFormats"][0]["ranges"] == [
        {"startRowIndex": 1, "endRowIndex": 4}
    ]


def test_failed_batch_changes_nothing(gc: gspread.Client, emulator: Emulator, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    with pytest.raises(gspread.exceptions.APIError, match="No grid with id: 99"):
        spreadsheet.batch_update(
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "Kept?"}}},
                    {"deleteSheet": {"sheetId": 99}},
                ]
            }
        )
    assert [s.title for s in emulator.spreadsheet(key).sheets] == ["OKRs"]


def test_unknown_request_kind_is_refused(gc: gspread.Client, key: str) -> None:
    with pytest.raises(gspread.exceptions.APIError, match='Unknown name "teleport"'):
        gc.open_by_key(key).batch_update({"requests": [{"teleport": {}}]})


def test_update_title_and_drive_metadata(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    spreadsheet.update_title("Team B (2026-Q4)")
    assert gc.get_file_drive_metadata(key)["name"] == "Team B (2026-Q4)"
    assert spreadsheet.get_lastUpdateTime().endswith("Z")


def test_create_list_copy_share_delete(gc: gspread.Client, emulator: Emulator, key: str) -> None:
    created = gc.create("Hub")
    assert created.sheet1.title == "Sheet1"
    assert sorted(f["name"] for f in gc.list_spreadsheet_files()) == ["Hub", "Team B"]
    assert [s.id for s in gc.openall("Hub")] == [created.id]
    copied = gc.copy(key, title="Team B copy")
    assert copied.sheet1.get_all_values() == gc.open_by_key(key).sheet1.get_all_values()
    created.share("lead@example.com", perm_type="user", role="writer", notify=False)
    roles = [(p["role"], p.get("emailAddress")) for p in created.list_permissions()]
    assert ("writer", "lead@example.com") in roles
    gc.del_spreadsheet(created.id)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key(created.id)
    assert created.id not in emulator.store.spreadsheets


def test_open_by_title(gc: gspread.Client, key: str) -> None:
    assert gc.open("Team B").id == key
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open("Nobody")


def test_spreadsheets_create_endpoint(session: Any) -> None:
    answer = session.post(
        "https://sheets.googleapis.com/v4/spreadsheets",
        json={"properties": {"title": "Raw"}, "sheets": [{"properties": {"title": "Teams"}}]},
    ).json()
    assert answer["properties"]["title"] == "Raw"
    assert [s["properties"]["title"] for s in answer["sheets"]] == ["Teams"]


def test_tab_helpers_round_trip(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    second = spreadsheet.add_worksheet("Findings", rows=5, cols=5)
    third = spreadsheet.add_worksheet("Tree", rows=5, cols=5)
    second.update_title("All findings")
    second.update_tab_color("#FF8000")
    third.hide()
    spreadsheet.reorder_worksheets([third, spreadsheet.sheet1, second])
    props = {
        s["properties"]["title"]: s["properties"]
        for s in spreadsheet.fetch_sheet_metadata()["sheets"]
    }
    assert [t for t, _ in sorted(props.items(), key=lambda kv: kv[1]["index"])] == [
        "Tree",
        "OKRs",
        "All findings",
    ]
    assert props["Tree"]["hidden"] is True
    assert props["All findings"]["tabColorStyle"] == {"rgbColor": {"red": 1, "green": 128 / 255}}


@pytest.mark.parametrize(("index", "order"), [(0, "BAC"), (2, "ABC"), (3, "ACB")])
def test_moving_a_tab_counts_positions_before_the_move(
    gc: gspread.Client, emulator: Emulator, index: int, order: str
) -> None:
    key = emulator.create_spreadsheet("Order", {"A": [], "B": [], "C": []})
    spreadsheet = gc.open_by_key(key)
    spreadsheet.worksheet("B").update_index(index)
    assert "".join(ws.title for ws in spreadsheet.worksheets()) == order


def test_notes_and_hidden_rows(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.update_note("B2", "set by okrtree")
    assert ws.get_note("B2") == "set by okrtree"
    ws.hide_rows(1, 2)
    meta = gc.open_by_key(key).fetch_sheet_metadata(
        {"ranges": "OKRs!A1:A3", "fields": "sheets.data.rowMetadata.hiddenByUser"}
    )
    assert meta["sheets"][0]["data"][0]["rowMetadata"] == [{}, {"hiddenByUser": True}, {}]


def test_freezing_every_row_is_refused(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.resize(rows=3)
    with pytest.raises(gspread.exceptions.APIError, match="freeze all visible rows"):
        ws.freeze(rows=3)


def test_every_change_moves_modified_time_and_version(gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)

    def drive() -> tuple[str, str]:
        meta = spreadsheet.client.request(
            "get",
            f"https://www.googleapis.com/drive/v3/files/{key}",
            params={"fields": "modifiedTime,version"},
        ).json()
        return meta["modifiedTime"], meta["version"]

    first = drive()
    spreadsheet.sheet1.get_all_values()
    assert drive() == first
    spreadsheet.sheet1.update([["x"]], "C1")
    second = drive()
    spreadsheet.sheet1.update([["y"]], "C1")
    third = drive()
    assert first < second < third
    assert int(first[1]) < int(second[1]) < int(third[1])


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["Hub", "Team B", "Team C"]),
        ('mimeType="application/vnd.google-apps.spreadsheet"', ["Hub", "Team B", "Team C"]),
        ("name = 'Hub'", ["Hub"]),
        ("name contains 'team' and trashed = false", ["Team B", "Team C"]),
        ("name != 'Hub'", ["Team B", "Team C"]),
        ("'folder-1' in parents and name = 'Team C'", ["Team C"]),
    ],
)
def test_drive_list_filters(
    emulator: Emulator, session: Any, key: str, query: str, names: list[str]
) -> None:
    emulator.create_spreadsheet("Hub")
    emulator.create_spreadsheet("Team C")
    answer = session.get(
        "https://www.googleapis.com/drive/v3/files", params={"q": query, "fields": "files(name)"}
    ).json()
    assert sorted(f["name"] for f in answer["files"]) == names


def test_drive_list_pages(emulator: Emulator, session: Any, key: str) -> None:
    for n in range(4):
        emulator.create_spreadsheet(f"Extra {n}")
    url = "https://www.googleapis.com/drive/v3/files"
    first = session.get(url, params={"pageSize": 3}).json()
    second = session.get(url, params={"pageSize": 3, "pageToken": first["nextPageToken"]}).json()
    assert len(first["files"]) == 3 and len(second["files"]) == 2
    assert "nextPageToken" not in second


def test_bad_drive_query_is_refused(session: Any, key: str) -> None:
    answer = session.get("https://www.googleapis.com/drive/v3/files", params={"q": "size > 3"})
    assert answer.status_code == 400
