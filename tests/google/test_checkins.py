"""SPEC §7 on the Google path: Check-ins appended inside the one hub write, counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gspread
import pytest

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator

from .conftest import kinds, sync, team_keys


def _hub_requests(client: gspread.Client, hub: str) -> list[list[dict[str, Any]]]:
    bodies = getattr(client.http_client, "bodies", [])
    return [body["requests"] for url, body in bodies if hub in url and url.endswith(":batchUpdate")]


def test_a_check_in_is_one_append_inside_the_one_hub_write(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    client: gspread.Client,
) -> None:
    hub = org(3)
    sync(backend(hub))
    first = emulator.values(hub, "Check-ins")
    assert first[0] == "Date ID Team Owner Current Score Status Confidence Note".split()
    assert sorted(row[1] for row in first[1:]) == ["CO-2", "CO-3", "T1-2", "T1-3", "T2-2", "T2-3"]
    key = team_keys(emulator, hub)["T2"]
    emulator.edit_values(key, "OKRs", "I3", [[8]])  # T2-2 Current 4 -> 8
    emulator.edit_values(key, "OKRs", "P3:Q3", [["High", "signed two more"]])
    emulator.edit_values(hub, "Check-ins", "J1", [["Mine"]])  # a column of a person's own
    emulator.reset_stats()
    client.http_client.bodies = []  # type: ignore[attr-defined]
    sync(backend(hub))
    assert kinds(emulator) == {
        "spreadsheets.get": 4,
        "values.batchGet": 1,
        "spreadsheets.batchUpdate": 2,  # T2 and the hub
    }
    [requests] = _hub_requests(client, hub)
    appends = [r for r in requests if "appendCells" in r]
    assert len(appends) == 1 and len(appends[0]["appendCells"]["rows"]) == 1
    after = emulator.values(hub, "Check-ins")
    assert after[: len(first)] == [[*first[0], "Mine"], *first[1:]]
    [added] = after[len(first) :]
    assert added[1:5] == ["T2-2", "T2", "o@x.example", "8"]
    assert added[7:9] == ["9", "signed two more"]


def test_nothing_moved_means_no_append(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    sync(backend(hub))
    emulator.reset_stats()
    sync(backend(hub))
    assert "spreadsheets.batchUpdate" not in kinds(emulator)


@pytest.mark.parametrize("after", [False, True], ids=["not applied", "answer lost"])
def test_a_failed_hub_write_never_appends_twice(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    after: bool,
) -> None:
    hub = org(2)
    sync(backend(hub))
    before = emulator.values(hub, "Check-ins")
    emulator.edit_values(team_keys(emulator, hub)["T1"], "OKRs", "I3", [[9]])
    emulator.fail_next(
        1, status=500, kind="spreadsheets.batchUpdate", spreadsheet_id=hub, after=after
    )
    result = sync(backend(hub)).computed.result
    assert not [f for f in result.findings if f.code == "NOT_WRITTEN"]
    rows = emulator.values(hub, "Check-ins")
    assert rows[: len(before)] == before and [r[1] for r in rows[len(before) :]] == ["T1-2"]
    emulator.reset_stats()
    sync(backend(hub))
    assert "spreadsheets.batchUpdate" not in kinds(emulator)


def test_an_unusable_check_ins_header_is_left_alone_and_said(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    sync(backend(hub))
    emulator.edit_values(hub, "Check-ins", "B1", [["Who"]])
    edited = emulator.values(hub, "Check-ins")
    emulator.edit_values(team_keys(emulator, hub)["T1"], "OKRs", "I3", [[9]])
    result = sync(backend(hub)).computed.result
    assert emulator.values(hub, "Check-ins") == edited
    assert any(f.code == "NOT_WRITTEN" and "'ID'" in f.message for f in result.findings)
