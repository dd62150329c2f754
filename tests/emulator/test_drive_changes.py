"""Drive's change feed and ``modifiedTime`` queries, the shapes of Drive v3: every write moves
the file's ``modifiedTime`` and lands in ``changes.list``; reads never do."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import gspread
import pytest
import requests

from sync.emulator import Emulator

DRIVE = "https://www.googleapis.com/drive/v3"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def key(emulator: Emulator) -> str:
    rows = [["ID", "Score"], ["KR1", "0.5"], ["KR2", "0.9"]]
    return emulator.create_spreadsheet("Team A", {"OKRs": rows})


@pytest.fixture
def other(emulator: Emulator) -> str:
    return emulator.create_spreadsheet("Team B", {"OKRs": [["ID"], ["KR9"]]})


def start(session: requests.Session) -> str:
    answer = session.get(f"{DRIVE}/changes/startPageToken")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"kind", "startPageToken"} and body["kind"] == "drive#startPageToken"
    return str(body["startPageToken"])


def feed(session: requests.Session, token: str, **params: Any) -> dict[str, Any]:
    answer = session.get(f"{DRIVE}/changes", params={"pageToken": token, **params})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def modified(session: requests.Session, key: str) -> dict[str, Any]:
    answer = session.get(f"{DRIVE}/files/{key}", params={"fields": "modifiedTime,version"})
    return dict(answer.json())


def _by_filter(gc: gspread.Client, key: str) -> None:
    gc.open_by_key(key).values_batch_update(
        {"valueInputOption": "RAW", "data": [{"range": "OKRs!C1", "values": [["x"]]}]}
    )
    gc.http_client.request(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values:batchUpdateByDataFilter",
        json={
            "valueInputOption": "RAW",
            "data": [{"dataFilter": {"a1Range": "OKRs!D1"}, "values": [["y"]]}],
        },
    )


WRITES: dict[str, Callable[[gspread.Client, Emulator, str], Any]] = {
    "values.update": lambda gc, emu, key: gc.open_by_key(key).sheet1.update([["x"]], "C2"),
    "values.append": lambda gc, emu, key: gc.open_by_key(key).sheet1.append_row(["KR3", "0.1"]),
    "values.batchUpdate": lambda gc, emu, key: gc.open_by_key(key).sheet1.batch_update(
        [{"range": "C1:C2", "values": [["a"], ["b"]]}]
    ),
    "values.clear": lambda gc, emu, key: gc.open_by_key(key).sheet1.batch_clear(["B2"]),
    "spreadsheets.batchUpdate": lambda gc, emu, key: gc.open_by_key(key).sheet1.format(
        "A1", {"textFormat": {"bold": True}}
    ),
    "add a tab": lambda gc, emu, key: gc.open_by_key(key).add_worksheet("Notes", 5, 5),
    "batchUpdateByDataFilter": lambda gc, emu, key: _by_filter(gc, key),
    "a person types": lambda gc, emu, key: emu.edit_values(key, "OKRs", "B2", [["0.7"]]),
    "a person sorts": lambda gc, emu, key: emu.sort_rows(key, "OKRs", "B", ascending=False),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_moves_modified_time_and_lands_in_the_feed_once(
    gc: gspread.Client,
    emulator: Emulator,
    session: requests.Session,
    key: str,
    other: str,
    write: str,
) -> None:
    token = start(session)
    before = modified(session, key)
    WRITES[write](gc, emulator, key)
    after = modified(session, key)
    assert RFC3339_MS.match(after["modifiedTime"])
    assert after["modifiedTime"] > before["modifiedTime"]
    assert int(after["version"]) > int(before["version"])
    answer = feed(session, token, fields="*")
    assert [c["fileId"] for c in answer["changes"]] == [key]
    change = answer["changes"][0]
    assert change["file"]["modifiedTime"] == after["modifiedTime"]
    assert change["removed"] is False and change["kind"] == "drive#change"
    assert int(answer["newStartPageToken"]) > int(token)
    assert "nextPageToken" not in answer
    assert feed(session, answer["newStartPageToken"])["changes"] == []


def test_repeated_writes_to_one_file_are_one_change_in_its_latest_state(
    gc: gspread.Client, session: requests.Session, key: str, other: str
) -> None:
    token = start(session)
    ws = gc.open_by_key(key).sheet1
    for n in range(3):
        ws.update([[n]], "C2")
    gc.open_by_key(other).sheet1.update([["z"]], "B1")
    ws.update([["last"]], "C2")
    changes = feed(session, token, fields="changes(fileId,file(modifiedTime))")["changes"]
    assert [c["fileId"] for c in changes] == [other, key]  # in the order of latest change
    assert changes[1]["file"]["modifiedTime"] == modified(session, key)["modifiedTime"]


def test_reads_leave_the_feed_and_modified_time_alone(
    gc: gspread.Client, session: requests.Session, key: str
) -> None:
    token = start(session)
    before = modified(session, key)
    spreadsheet = gc.open_by_key(key)
    spreadsheet.sheet1.get_all_values()
    spreadsheet.values_batch_get(["OKRs!A1:B3"])
    spreadsheet.fetch_sheet_metadata()
    gc.list_spreadsheet_files()
    assert modified(session, key) == before
    answer = feed(session, token)
    assert answer == {"kind": "drive#changeList", "newStartPageToken": token, "changes": []}


def test_default_change_shape(emulator: Emulator, session: requests.Session, key: str) -> None:
    token = start(session)
    emulator.edit_values(key, "OKRs", "A4", [["KR3"]])
    change = feed(session, token)["changes"][0]
    assert set(change) == {"kind", "changeType", "type", "time", "removed", "fileId", "file"}
    assert change["file"] == {
        "kind": "drive#file",
        "id": key,
        "name": "Team A",
        "mimeType": SPREADSHEET_MIME,
    }
    assert change["changeType"] == "file" and RFC3339_MS.match(change["time"])


@pytest.mark.parametrize(
    ("fields", "change_keys", "top_keys"),
    [
        ("changes(fileId),newStartPageToken", {"fileId"}, {"changes", "newStartPageToken"}),
        (
            "nextPageToken,newStartPageToken,changes(fileId,file(modifiedTime))",
            {"fileId", "file"},
            {"changes", "newStartPageToken"},
        ),
        ("changes/fileId,changes/removed", {"fileId", "removed"}, {"changes"}),
    ],
)
def test_fields_mask_the_feed(
    emulator: Emulator,
    session: requests.Session,
    key: str,
    fields: str,
    change_keys: set[str],
    top_keys: set[str],
) -> None:
    token = start(session)
    emulator.edit_values(key, "OKRs", "A4", [["KR3"]])
    answer = feed(session, token, fields=fields)
    assert set(answer) == top_keys
    assert set(answer["changes"][0]) == change_keys
    if "file" in change_keys:
        assert set(answer["changes"][0]["file"]) == {"modifiedTime"}


@pytest.mark.parametrize(("files", "size"), [(5, 2), (4, 4), (7, 3), (1, 1)])
def test_feed_pages_cover_every_change_once(
    emulator: Emulator, session: requests.Session, files: int, size: int
) -> None:
    token = start(session)
    keys = [emulator.create_spreadsheet(f"Team {n}") for n in range(files)]
    seen: list[str] = []
    pages = 0
    while True:
        answer = feed(session, token, pageSize=size)
        pages += 1
        seen += [c["fileId"] for c in answer["changes"]]
        assert len(answer["changes"]) <= size
        if "nextPageToken" not in answer:
            assert "newStartPageToken" in answer
            break
        assert "newStartPageToken" not in answer
        token = answer["nextPageToken"]
    assert seen == keys
    assert pages == -(-files // size)


@pytest.mark.parametrize(
    ("loss", "removed"),
    [
        (lambda emu, s, key: s.delete(f"{DRIVE}/files/{key}"), True),
        (lambda emu, s, key: emu.set_access(key, readable=False), True),
        (lambda emu, s, key: emu.set_access(key, exists=False), True),
        (lambda emu, s, key: emu.set_access(key, writable=False), False),
    ],
)
def test_losing_a_file_is_a_removed_change(
    emulator: Emulator,
    session: requests.Session,
    key: str,
    loss: Callable[[Emulator, requests.Session, str], Any],
    removed: bool,
) -> None:
    token = start(session)
    loss(emulator, session, key)
    changes = feed(session, token, fields="*")["changes"]
    assert [(c["fileId"], c["removed"]) for c in changes] == [(key, removed)]
    assert ("file" in changes[0]) is not removed
    kept = feed(session, token, includeRemoved="false")["changes"]
    assert [c["fileId"] for c in kept] == ([] if removed else [key])


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "required"),
        ({"pageToken": "abc"}, "invalid"),
        ({"pageToken": "999999999"}, "invalid"),
        ({"pageToken": "1001", "pageSize": "0"}, "invalid"),
        ({"pageToken": "1001", "pageSize": "1001"}, "invalid"),
    ],
)
def test_bad_feed_requests_answer_400_in_drive_shape(
    session: requests.Session, params: dict[str, str], reason: str
) -> None:
    answer = session.get(f"{DRIVE}/changes", params=params)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 400 and error["errors"][0]["reason"] == reason


def test_feed_calls_are_counted_as_reads(
    emulator: Emulator, session: requests.Session, key: str
) -> None:
    emulator.reset_stats()
    token = start(session)
    feed(session, token)
    feed(session, token)
    stats = emulator.stats()
    assert stats["drive.changes.getStartPageToken"] == 1
    assert stats["drive.changes.list"] == 2
    assert stats["reads"] == 3 and stats["writes"] == 0


def test_own_writes_show_in_modified_by_me_time(
    gc: gspread.Client, emulator: Emulator, session: requests.Session, key: str
) -> None:
    fields = {"fields": "modifiedTime,modifiedByMeTime,lastModifyingUser(me)"}
    assert "modifiedByMeTime" not in session.get(f"{DRIVE}/files/{key}", params=fields).json()
    gc.open_by_key(key).sheet1.update([["x"]], "C2")
    mine = session.get(f"{DRIVE}/files/{key}", params=fields).json()
    assert mine["modifiedByMeTime"] == mine["modifiedTime"]
    assert mine["lastModifyingUser"] == {"me": True}
    emulator.edit_values(key, "OKRs", "C3", [["y"]])
    theirs = session.get(f"{DRIVE}/files/{key}", params=fields).json()
    assert theirs["modifiedByMeTime"] == mine["modifiedTime"] < theirs["modifiedTime"]
    assert theirs["lastModifyingUser"] == {"me": False}


# -- files.list on modifiedTime ---------------------------------------------------------------

MOMENTS = {
    "Old": dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
    "Edge": dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC),
    "New": dt.datetime(2026, 11, 21, 10, 0, 0, 1000, tzinfo=dt.UTC),
}


@pytest.fixture
def dated(emulator: Emulator) -> dict[str, str]:
    keys = {}
    for name, moment in MOMENTS.items():
        keys[name] = emulator.create_spreadsheet(name)
        emulator.spreadsheet(keys[name]).modified_time = moment
    return keys


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("modifiedTime > '2026-11-21T10:00:00.000Z'", ["New"]),
        ("modifiedTime >= '2026-11-21T10:00:00.000Z'", ["Edge", "New"]),
        ("modifiedTime = '2026-11-21T10:00:00Z'", ["Edge"]),
        ("modifiedTime != '2026-11-21T10:00:00Z'", ["New", "Old"]),
        ("modifiedTime < '2026-11-21T10:00:00'", ["Old"]),  # no offset: UTC
        ("modifiedTime <= '2026-11-21T11:00:00+01:00'", ["Edge", "Old"]),
        (
            f"mimeType = '{SPREADSHEET_MIME}' and modifiedTime > '2026-11-21T00:00:00Z'",
            ["Edge", "New"],
        ),
        ("mimeType = 'application/vnd.google-apps.document'", []),
        ("modifiedTime > '2026-11-19T00:00:00Z' and name contains 'd'", ["Edge", "Old"]),
    ],
)
def test_list_filters_on_modified_time(
    session: requests.Session, dated: dict[str, str], query: str, names: list[str]
) -> None:
    answer = session.get(f"{DRIVE}/files", params={"q": query, "fields": "files(name)"})
    assert answer.status_code == 200, answer.text
    assert sorted(f["name"] for f in answer.json()["files"]) == names


@pytest.mark.parametrize(
    "query",
    ["modifiedTime > 'yesterday'", "modifiedTime > 2026-11-21", "modifiedTime ~ '2026-11-21'"],
)
def test_bad_time_queries_answer_400(
    session: requests.Session, dated: dict[str, str], query: str
) -> None:
    answer = session.get(f"{DRIVE}/files", params={"q": query})
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0]["location"] == "q"


@pytest.mark.parametrize(("files", "size"), [(5, 2), (3, 3), (4, 1)])
def test_list_pages_with_fields(
    emulator: Emulator, session: requests.Session, files: int, size: int
) -> None:
    keys = [emulator.create_spreadsheet(f"Team {n}") for n in range(files)]
    params: dict[str, Any] = {
        "pageSize": size,
        "fields": "nextPageToken,files(id,modifiedTime)",
        "q": f"mimeType = '{SPREADSHEET_MIME}'",
    }
    seen: list[str] = []
    while True:
        page = session.get(f"{DRIVE}/files", params=params).json()
        assert all(set(f) == {"id", "modifiedTime"} for f in page["files"])
        assert all(RFC3339_MS.match(f["modifiedTime"]) for f in page["files"])
        seen += [f["id"] for f in page["files"]]
        if "nextPageToken" not in page:
            break
        params["pageToken"] = page["nextPageToken"]
    assert seen == keys


@pytest.mark.parametrize("size", ["0", "1001", "many"])
def test_list_page_size_out_of_range_answers_400(session: requests.Session, size: str) -> None:
    assert session.get(f"{DRIVE}/files", params={"pageSize": size}).status_code == 400
