"""Spreadsheets okrtree may not open, cannot find or may not edit: a finding that says whom to
share with and how, for that team only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.errors import SourceError
from sync.google.api import SheetsApi
from sync.model import Code

from .conftest import ACCOUNT, CYCLE, HEADER, sync, team_keys


def findings(outcome: object, code: Code) -> list[tuple[str | None, str]]:
    result = outcome.computed.result  # type: ignore[attr-defined]
    return [(f.team, f.message) for f in result.findings if f.code == code]


def test_an_unshared_spreadsheet_names_the_account_to_share_with(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(3)
    emulator.set_access(team_keys(emulator, hub)["T1"], readable=False)
    outcome = sync(backend(hub))
    [(team, message)] = findings(outcome, Code.SPREADSHEET_UNREADABLE)
    assert team == "T1"
    assert f"share it with {ACCOUNT} (Viewer to validate, Editor to sync)" in message
    assert outcome.computed.result.writes_spreadsheets == 3  # the others go on


def test_without_a_known_account_the_message_still_says_what_to_do(
    emulator: Emulator, org: Callable[[int], str], api: SheetsApi
) -> None:
    hub = org(2)
    emulator.set_access(team_keys(emulator, hub)["T1"], readable=False)
    api.account = None
    outcome = sync(GoogleBackend(hub, api), write=False)
    [(_, message)] = findings(outcome, Code.SPREADSHEET_UNREADABLE)
    assert "share it with the account okrtree runs as" in message


def test_a_deleted_spreadsheet_is_unreadable(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    emulator.set_access(team_keys(emulator, hub)["T1"], exists=False)
    [(team, message)] = findings(sync(backend(hub), write=False), Code.SPREADSHEET_UNREADABLE)
    assert team == "T1" and "does not exist or was deleted" in message


def test_a_view_only_spreadsheet_is_not_written(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    emulator.set_access(team_keys(emulator, hub)["T1"], writable=False)
    outcome = sync(backend(hub))
    [(team, message)] = findings(outcome, Code.NOT_WRITTEN)
    assert team == "T1" and f"share it with {ACCOUNT} (Editor)" in message
    assert not findings(outcome, Code.SPREADSHEET_UNREADABLE)


@pytest.mark.parametrize("warning_only", [False, True])
def test_output_columns_protected_against_okrtree_are_not_written(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    warning_only: bool,
) -> None:
    """A protected range okrtree's account may not edit refuses the write, as Google refuses
    it; a warning-only one (the template's) does not bind a script."""
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]
    sheet = emulator.sheet(key, "OKRs")
    score = HEADER.index("Score")
    cells = {"sheetId": sheet.sheet_id, "startColumnIndex": score, "endColumnIndex": score + 3}
    sheet.protected_ranges.append(
        {"protectedRangeId": 7, "range": cells} | ({"warningOnly": True} if warning_only else {})
    )
    emulator.set_access(key, enforce_protection=True)
    before = emulator.values(key, "OKRs")
    outcome = sync(backend(hub))
    refused = findings(outcome, Code.NOT_WRITTEN)
    if warning_only:
        assert refused == [] and emulator.values(key, "OKRs") != before
        return
    [(team, message)] = refused
    assert team == "T1" and "a protected range covers cells okrtree writes" in message
    assert emulator.values(key, "OKRs") == before
    assert outcome.computed.result.writes_spreadsheets == 3  # the others and the hub


def _hub(emulator: Emulator, sources: list[tuple[str, str]]) -> str:
    rows = [["Team", "Level", "Spreadsheet", "Tab"]]
    rows += [[f"Team {i}", "Team", source, tab] for i, (source, tab) in enumerate(sources)]
    settings = [[k, v.isoformat() if hasattr(v, "isoformat") else v] for k, v in CYCLE.items()]
    return emulator.create_spreadsheet("hub", {"Teams": rows, "Settings": settings})


@pytest.mark.parametrize(
    ("source", "tab", "says"),
    [
        ("teams/sales.xlsx", "OKRs", "is not a Google Sheets URL or key"),
        ("", "OKRs", "has no spreadsheet; paste its URL"),
        ("KEY", "Objectives", "has no tab 'Objectives' (it has: OKRs)"),
        ("KEY", " okrs ", None),  # another case and stray spaces still find the tab
    ],
)
def test_sources_and_tabs_that_do_not_fit(
    emulator: Emulator,
    backend: Callable[[str], GoogleBackend],
    source: str,
    tab: str,
    says: str | None,
) -> None:
    key = emulator.create_spreadsheet("team", {"OKRs": [HEADER, ["A-1", "Objective", "Go"]]})
    source = source.replace("KEY", f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0")
    outcome = sync(backend(_hub(emulator, [(source, tab)])), write=False)
    unreadable = findings(outcome, Code.SPREADSHEET_UNREADABLE)
    if says is None:
        assert unreadable == []
    else:
        [(_, message)] = unreadable
        assert says in message


def test_a_hub_that_cannot_be_opened_stops_the_run(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(1)
    emulator.set_access(hub, readable=False)
    with pytest.raises(SourceError, match=f"cannot be opened: share it with {ACCOUNT}"):
        sync(backend(hub), write=False)
    emulator.set_access(hub, exists=False)
    with pytest.raises(SourceError, match="does not exist; check the URL or key"):
        sync(backend(hub), write=False)


@pytest.mark.parametrize("tab", ["Équipe's OKRs", "Q4: OKRs!", "A1", "2026/Q4 (draft)"])
def test_awkward_tab_titles_are_read_checked_and_written(
    emulator: Emulator, backend: Callable[[str], GoogleBackend], tab: str
) -> None:
    okrs = [
        HEADER,
        ["A-1", "Objective", "Go", "o@x.example", "", "", "", "", "", "", "", "now"],
        ["A-2", "Key Result", "Count", "o@x.example", "", "", 0, 10, 5, "", "2026-11-20"],
    ]
    key = emulator.create_spreadsheet("team", {"Notes": [["x"]], tab: okrs})
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    outcome = sync(backend(_hub(emulator, [(url, tab)])))
    result = outcome.computed.result
    assert not findings(outcome, Code.SPREADSHEET_UNREADABLE)
    assert not findings(outcome, Code.NOT_WRITTEN)
    assert result.writes_spreadsheets == 2
    assert emulator.values(key, tab, render="UNFORMATTED_VALUE")[2][12] == 0.5
    assert emulator.values(key, "Notes") == [["x"]]
