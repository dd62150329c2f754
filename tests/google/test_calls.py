"""API calls at the floor, counted by the fake Sheets API through gspread's real client."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator

from .conftest import kinds, sync, team_keys


@pytest.mark.parametrize("teams", [1, 3, 12])
def test_validate_reads_the_hub_once_and_each_team_once(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    teams: int,
) -> None:
    hub = org(teams)
    emulator.reset_stats()
    sync(backend(hub), write=False)
    assert kinds(emulator) == {"spreadsheets.get": 1 + teams}


@pytest.mark.parametrize("teams", [1, 3, 12])
def test_first_sync_writes_each_changed_spreadsheet_once_and_the_hub_once(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    teams: int,
) -> None:
    hub = org(teams)
    emulator.reset_stats()
    outcome = sync(backend(hub))
    assert kinds(emulator) == {
        "spreadsheets.get": 1 + teams,  # hub + one per team
        "values.batchGet": teams,  # the row check before each team write
        "spreadsheets.batchUpdate": teams + 1,  # each team + the hub's output tabs
    }
    assert outcome.computed.result.writes_spreadsheets == teams + 1


@pytest.mark.parametrize("teams", [1, 3])
def test_a_resync_with_nothing_new_writes_nothing(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    teams: int,
) -> None:
    hub = org(teams)
    sync(backend(hub))
    emulator.reset_stats()
    outcome = sync(backend(hub))
    assert kinds(emulator) == {"spreadsheets.get": 1 + teams}
    result = outcome.computed.result
    assert (result.writes_spreadsheets, result.writes_cells) == (0, 0)


def test_one_changed_team_costs_one_check_and_one_write_plus_the_hub(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(4)
    sync(backend(hub))
    key = team_keys(emulator, hub)["T2"]
    emulator.edit_values(key, "OKRs", "I3", [[8]])  # T2-2 Current 4 -> 8
    emulator.reset_stats()
    sync(backend(hub))
    assert kinds(emulator) == {
        "spreadsheets.get": 5,
        "values.batchGet": 1,
        "spreadsheets.batchUpdate": 2,
    }
    writes = [info for info, _ in emulator.log if info.write]
    assert {info.spreadsheet_id for info in writes} == {key, hub}


def test_a_person_editing_an_output_tab_gets_that_tab_alone_rewritten(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    sync(backend(hub))
    findings = emulator.values(hub, "Findings")
    emulator.edit_values(hub, "Findings", "A1", [["typed over by a person"]])
    before = emulator.snapshot()[hub].sheet_by_title("Alignment Tree")
    emulator.reset_stats()
    sync(backend(hub))
    assert kinds(emulator)["spreadsheets.batchUpdate"] == 1  # the hub, to put Findings back
    assert emulator.values(hub, "Findings") == findings
    after = emulator.snapshot()[hub].sheet_by_title("Alignment Tree")
    assert before is not None and after is not None and after.cells == before.cells


def test_an_edited_link_target_is_noticed(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    sync(backend(hub))
    written = backend(hub).read_hub().digests["Alignment Tree"]
    link = emulator.values(hub, "Alignment Tree")[0].index("Link")
    emulator.edit_values(
        hub,
        "Alignment Tree",
        f"{'ABCDEFGHIJKLMNOP'[link]}2",
        [['=HYPERLINK("https://elsewhere.example","Open row 2")']],
    )
    assert backend(hub).read_hub().digests["Alignment Tree"] != written
    emulator.reset_stats()
    sync(backend(hub))
    assert kinds(emulator).get("spreadsheets.batchUpdate") == 1
    cell = emulator.sheet(hub, "Alignment Tree").cells[(1, link)]
    assert "docs.google.com" in cell["userEnteredValue"]["formulaValue"]


def test_no_gspread_metadata_round_trips(
    emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]
) -> None:
    emulator.reset_stats()
    sync(backend(example_hub))
    assert not {"values.get", "drive.files.get", "drive.files.list"} & set(kinds(emulator))
    reads = [info for info, _ in emulator.log if info.kind == "spreadsheets.get"]
    assert len({info.spreadsheet_id for info in reads}) == len(reads) == 17


def test_one_team_again_costs_one_read_one_check_and_one_write(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    from sync.engine import run_team

    from .conftest import AS_OF

    hub = org(3)
    one = backend(hub)
    first = sync(one)
    key = team_keys(emulator, hub)["T1"]
    emulator.edit_values(key, "OKRs", "I3", [[9]])
    emulator.reset_stats()
    again = run_team(one, first, "T1", AS_OF)
    assert kinds(emulator) == {
        "spreadsheets.get": 1,
        "values.batchGet": 1,
        "spreadsheets.batchUpdate": 1,
    }
    assert {info.spreadsheet_id for info, _ in emulator.log} == {key}
    assert next(i for i in again.computed.result.items if i.id == "T1-2").score == 0.9
