"""Injected trouble: quota errors with Retry-After, server errors, latency, a person editing
between two calls, unshared files, and the request counts that prove what was sent."""

from __future__ import annotations

import threading
import time
from typing import Any

import gspread
import pytest
import requests

from sync.emulator import Emulator, make_client

VALUES_URL = "https://sheets.googleapis.com/v4/spreadsheets/{key}/values/Tab!A1"


@pytest.fixture
def key(emulator: Emulator) -> str:
    rows = [["ID", "Score"], ["KR1", ""], ["KR2", ""], ["KR3", ""]]
    return emulator.create_spreadsheet("Team C", {"Tab": rows})


def test_429_carries_retry_after_and_google_body(
    emulator: Emulator, session: requests.Session, key: str
) -> None:
    emulator.fail_next(status=429, retry_after=7)
    answer = session.get(VALUES_URL.format(key=key))
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"
    assert answer.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert session.get(VALUES_URL.format(key=key)).status_code == 200


@pytest.mark.parametrize(
    ("status", "google_status"),
    [(429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL"), (503, "UNAVAILABLE")],
)
def test_faults_reach_gspread_as_api_errors(
    emulator: Emulator, gc: gspread.Client, key: str, status: int, google_status: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.fail_next(2, status=status)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as caught:
            ws.get_all_values()
        assert caught.value.code == status
        assert caught.value.error["status"] == google_status
    assert ws.get_all_values()[0] == ["ID", "Score"]


def test_faulted_requests_are_counted_but_not_run(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.fail_next(status=503, kind="write")
    with pytest.raises(gspread.exceptions.APIError):
        ws.update([["0.5"]], "B2")
    assert emulator.values(key, "Tab")[1] == ["KR1"]
    assert emulator.stats()["values.update"] == 1


@pytest.mark.parametrize(
    ("kind", "failing"),
    [
        ("values.update", "update"),
        ("write", "update"),
        ("read", "read"),
        ("values.get", "read"),
        ("spreadsheets.*", "metadata"),
    ],
)
def test_faults_only_hit_matching_kinds(
    emulator: Emulator, gc: gspread.Client, key: str, kind: str, failing: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.fail_next(status=500, kind=kind)
    calls = {
        "update": lambda: ws.update([["x"]], "C1"),
        "read": lambda: ws.get("A1"),
        "metadata": lambda: gc.open_by_key(key).fetch_sheet_metadata(),
    }
    for name, call in calls.items():
        if name == failing:
            with pytest.raises(gspread.exceptions.APIError):
                call()
        else:
            call()


def test_faults_can_target_one_spreadsheet(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    other = emulator.create_spreadsheet("Other", {"Tab": [["x"]]})
    emulator.fail_next(status=429, spreadsheet_id=key)
    assert gc.open_by_key(other).sheet1.get_all_values() == [["x"]]
    with pytest.raises(gspread.exceptions.APIError):
        gc.open_by_key(key)


@pytest.mark.parametrize(
    ("kind", "metric"), [("read", "Read requests"), ("write", "Write requests")]
)
def test_quota_answers_429_until_the_window_passes(
    emulator: Emulator, session: requests.Session, key: str, kind: str, metric: str
) -> None:
    now = [1000.0]
    emulator.clock = lambda: now[0]
    emulator.set_quota(2, kind=kind, window=60)
    url = VALUES_URL.format(key=key)

    def call() -> requests.Response:
        if kind == "read":
            return session.get(url)
        return session.put(url, params={"valueInputOption": "RAW"}, json={"values": [["x"]]})

    assert [call().status_code for _ in range(2)] == [200, 200]
    now[0] += 20
    refused = call()
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "40"
    assert metric in refused.json()["error"]["message"]
    now[0] += 40
    assert call().status_code == 200


def test_lost_response_still_commits(emulator: Emulator, gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.fail_next(status=503, kind="values.append", after=True)
    with pytest.raises(gspread.exceptions.APIError):
        ws.append_row(["KR4"])
    ws.append_row(["KR4"])
    assert ws.col_values(1)[-2:] == ["KR4", "KR4"]


def test_unknown_kinds_are_refused(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="unknown request kind 'values.upsert'"):
        emulator.fail_next(kind="values.upsert")


def test_backoff_client_retries_through_a_429(
    emulator: Emulator, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(gspread.http_client.time, "sleep", waits.append)
    gc = make_client(emulator, http_client=gspread.BackOffHTTPClient)
    emulator.fail_next(2, status=429, kind="values.get")
    assert gc.open_by_key(key).sheet1.acell("A2").value == "KR1"
    assert len(waits) == 2
    assert emulator.stats()["values.get"] == 3


def test_latency_is_applied_per_matching_request(emulator: Emulator, key: str) -> None:
    slept: list[float] = []
    emulator.sleep = slept.append
    emulator.add_latency(0.25, kind="read")
    emulator.add_latency(0.5, kind="values.get")
    ws = make_client(emulator).open_by_key(key).worksheet("Tab")
    assert slept == [0.25, 0.25]
    slept.clear()
    ws.get("A1")
    ws.update([["x"]], "C1")
    assert slept == [0.75]


def test_latency_really_waits(key: str, emulator: Emulator) -> None:
    emulator.sleep = time.sleep
    emulator.add_latency(0.05)
    gc = make_client(emulator)
    started = time.perf_counter()
    gc.open_by_key(key)
    assert time.perf_counter() - started >= 0.05


def test_row_inserted_between_read_and_write(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    rows = ws.get_all_values()
    target = next(i for i, r in enumerate(rows, start=1) if r[0] == "KR2")
    hook = emulator.before_next(
        lambda: emulator.insert_rows(key, "Tab", 2), kind="write", spreadsheet_id=key
    )
    ws.update([["0.7"]], f"B{target}")
    assert [c.kind for c in hook.calls] == ["values.update"]
    # The score meant for KR2 lands next to KR1: the hazard a safe writer must detect.
    assert emulator.values(key, "Tab") == [["ID", "Score"], [], ["KR1", "0.7"], ["KR2"], ["KR3"]]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda e, k: e.insert_rows(k, "Tab", 3, count=2), ["ID", "KR1", "", "", "KR2", "KR3"]),
        (lambda e, k: e.delete_rows(k, "Tab", 2), ["ID", "KR2", "KR3"]),
        (
            lambda e, k: e.sort_rows(k, "Tab", "A", ascending=False),
            ["ID", "KR3", "KR2", "KR1"],
        ),
        (lambda e, k: e.edit_values(k, "Tab", "A5", [["KR4"]]), ["ID", "KR1", "KR2", "KR3", "KR4"]),
    ],
)
def test_person_edits_are_seen_by_the_next_read(
    emulator: Emulator, gc: gspread.Client, key: str, edit: Any, expected: list[str]
) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.before_next(lambda: edit(emulator, key), kind="values.get")
    assert ws.col_values(1) == expected


def test_whole_sheet_rules_survive_row_edits(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    rule = {"ranges": [{"sheetId": 0}], "booleanRule": {"condition": {"type": "NOT_BLANK"}}}
    gc.open_by_key(key).batch_update({"requests": [{"addConditionalFormatRule": {"rule": rule}}]})
    emulator.insert_rows(key, "Tab", 2)
    emulator.delete_rows(key, "Tab", 2)
    assert emulator.sheet(key, "Tab").conditional_formats[0]["ranges"] == [{}]


def test_inserted_rows_move_protected_ranges(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    gc.open_by_key(key).sheet1.add_protected_range("B2:B4")
    emulator.insert_rows(key, "Tab", 1)
    protected = emulator.sheet(key, "Tab").protected_ranges[0]["range"]
    assert (protected["startRowIndex"], protected["endRowIndex"]) == (2, 5)


@pytest.mark.parametrize(
    ("access", "open_error", "write_code", "drive_code"),
    [
        ({"exists": False}, gspread.exceptions.SpreadsheetNotFound, None, 404),
        ({"readable": False}, PermissionError, None, 404),
        ({"writable": False}, None, 403, 200),
        ({}, None, None, 200),
    ],
)
def test_access_control(
    emulator: Emulator,
    gc: gspread.Client,
    session: requests.Session,
    key: str,
    access: dict[str, bool],
    open_error: Any,
    write_code: int | None,
    drive_code: int,
) -> None:
    ws = gc.open_by_key(key).sheet1
    emulator.set_access(key, **access)
    drive = session.get(f"https://www.googleapis.com/drive/v3/files/{key}")
    assert drive.status_code == drive_code
    assert (key in [f["id"] for f in gc.list_spreadsheet_files()]) == (drive_code == 200)
    if open_error is not None:
        with pytest.raises(open_error):
            gc.open_by_key(key)
        return
    if write_code is not None:
        with pytest.raises(gspread.exceptions.APIError, match="does not have permission") as err:
            ws.update([["x"]], "C1")
        assert err.value.code == write_code
    else:
        ws.update([["x"]], "C1")
        assert ws.acell("C1").value == "x"


def test_missing_spreadsheet_is_googles_404(session: requests.Session) -> None:
    answer = session.get("https://sheets.googleapis.com/v4/spreadsheets/nope")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }


def test_counts_by_kind(emulator: Emulator, gc: gspread.Client, key: str) -> None:
    spreadsheet = gc.open_by_key(key)
    assert emulator.stats() == {"spreadsheets.get": 1, "total": 1, "reads": 1, "writes": 0}
    emulator.reset_stats()
    ws = spreadsheet.get_worksheet(0)
    ws.get_all_values()
    ws.batch_get(["A1", "B1"])
    ws.update([["x"]], "C1")
    ws.freeze(rows=1)
    assert emulator.stats() == {
        "spreadsheets.get": 1,
        "values.get": 1,
        "values.batchGet": 1,
        "values.update": 1,
        "spreadsheets.batchUpdate": 1,
        "total": 5,
        "reads": 3,
        "writes": 2,
    }
    emulator.reset_stats()
    assert emulator.stats() == {"total": 0, "reads": 0, "writes": 0}


def test_log_keeps_kind_and_status(emulator: Emulator, gc: gspread.Client, key: str) -> None:
    emulator.fail_next(status=500, kind="values.get")
    ws = gc.open_by_key(key).sheet1
    with pytest.raises(gspread.exceptions.APIError):
        ws.get("A1")
    assert [(info.kind, info.write, status) for info, status in emulator.log] == [
        ("spreadsheets.get", False, 200),
        ("spreadsheets.get", False, 200),
        ("values.get", False, 500),
    ]
    assert emulator.log[-1][0].spreadsheet_id == key


def test_snapshot_shows_whether_anything_changed(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    before = emulator.snapshot()
    ws = gc.open_by_key(key).sheet1
    ws.get_all_values()
    assert emulator.snapshot() == before
    ws.update([["0.5"]], "B2")
    assert emulator.snapshot() != before


def test_paused_holds_answers_until_released(
    emulator: Emulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    answers: list[Any] = []
    with emulator.paused():
        reader = threading.Thread(target=lambda: answers.append(ws.acell("A2").value))
        reader.start()
        reader.join(timeout=0.2)
        assert reader.is_alive() and answers == []
    reader.join(timeout=5)
    assert answers == ["KR1"]


def test_stats_endpoint(emulator: Emulator, session: requests.Session, key: str) -> None:
    session.get(VALUES_URL.format(key=key))
    stats = session.get("https://sheets.googleapis.com/_emulator/stats").json()
    assert stats == {"values.get": 1, "total": 1, "reads": 1, "writes": 0}


def test_the_session_refuses_other_hosts(session: requests.Session) -> None:
    with pytest.raises(requests.ConnectionError, match="does not go online"):
        session.get("https://oauth2.googleapis.com/token")
