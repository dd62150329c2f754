"""The loopback server answers the same paths as the in-process transport."""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
import requests

from sync.emulator import Emulator, RunningServer, make_client, start

TITLES = ["Tab", "Team's OKRs", "Q4: goals/targets", "🌵 cactus", "A1"]


@pytest.fixture
def server(emulator: Emulator) -> Iterator[RunningServer]:
    with start(emulator) as running:
        yield running


@pytest.fixture
def remote(server: RunningServer) -> Iterator[gspread.Client]:
    client = make_client(endpoint=server.url)
    yield client
    client.http_client.session.close()


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("transport", ["in-process", "loopback"])
def test_tab_titles_survive_both_transports(
    emulator: Emulator, gc: gspread.Client, remote: gspread.Client, title: str, transport: str
) -> None:
    key = emulator.create_spreadsheet("Titles", {title: [["ID", "Score"], ["KR1", ""]]})
    client = gc if transport == "in-process" else remote
    ws = client.open_by_key(key).worksheet(title)
    ws.update([["0.4"]], "B2")
    ws.append_row(["KR2", "0.6"])
    ws.batch_clear(["B3"])
    assert ws.get_all_values() == [["ID", "Score"], ["KR1", "0.4"], ["KR2", ""]]


def test_stats_and_unknown_paths(emulator: Emulator, server: RunningServer) -> None:
    key = emulator.create_spreadsheet("S", {"Tab": [["x"]]})
    with requests.Session() as http:
        assert http.get(f"{server.url}/v4/spreadsheets/{key}/values/Tab!A1", timeout=5).json()[
            "values"
        ] == [["x"]]
        missing = http.get(f"{server.url}/v4/nothing/here", timeout=5)
        stats = http.get(f"{server.url}/_emulator/stats", timeout=5).json()
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"
    assert stats == {"values.get": 1, "total": 1, "reads": 1, "writes": 0}


def test_injected_429_reaches_a_remote_client(
    emulator: Emulator, remote: gspread.Client, server: RunningServer
) -> None:
    key = emulator.create_spreadsheet("S", {"Tab": [["x"]]})
    emulator.fail_next(status=429, retry_after=3)
    with pytest.raises(gspread.exceptions.APIError) as caught:
        remote.open_by_key(key)
    assert caught.value.code == 429
    assert caught.value.response.headers["Retry-After"] == "3"
    assert server.port > 0 and server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v4/spreadsheets/{key}/values/Tab!A:B", [["x"]]),
        ("/v4/spreadsheets/{key}/values/Tab!A1:B1", [["x"]]),
        ("/v4/spreadsheets/{key}/values/'Tab'!A:A", [["x"]]),
        ("/v4/spreadsheets/{key}/values/Tab", [["x"]]),
    ],
)
def test_unencoded_ranges_route(
    emulator: Emulator, server: RunningServer, path: str, expected: list[list[str]]
) -> None:
    key = emulator.create_spreadsheet("S", {"Tab": [["x"]]})
    with requests.Session() as http:
        answer = http.get(server.url + path.format(key=key), timeout=5)
    assert answer.json()["values"] == expected
