"""Google: a sync reads the hub, asks Drive which spreadsheets changed, and reads only those
(and those holding formulas); its results equal a full read's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.engine import Run, run
from sync.report import result_json
from sync.state import State, decode, encode, state_of

from .conftest import AS_OF, fast_org, team_keys

TEAMS = 6


class Syncs:
    """Syncs of one hub, each starting from the state the one before left (as data)."""

    def __init__(self, backend: Callable[[str], GoogleBackend], hub: str) -> None:
        self.backend = backend
        self.hub = hub
        self.state: State | None = None

    def sync(self, as_of: dt.date = AS_OF, *, full: bool = False) -> Run:
        previous = [] if full or self.state is None else self.state.unpack().snapshots
        outcome = run(self.backend(self.hub), as_of, write=True, previous=previous)
        self.state = decode(encode(state_of(outcome, self.hub)), self.hub)
        return outcome


def sheet_reads(emulator: Emulator) -> dict[str, int]:
    stats = emulator.stats()
    return {
        "sheets": stats.get("spreadsheets.get", 0),
        "drive": stats.get("drive.files.list", 0),
        "writes": stats["writes"],
    }


def test_a_quiet_night_reads_the_hub_and_asks_drive(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub = fast_org(emulator, TEAMS)
    syncs = Syncs(backend, hub)
    syncs.sync()  # the first: everything, and the output cells written
    syncs.sync()  # the sheets it wrote are read again once (their new modifiedTime is unknown)
    emulator.reset_stats()
    syncs.sync()
    assert sheet_reads(emulator) == {"sheets": 1, "drive": 1, "writes": 0}

    keys = list(team_keys(emulator, hub).values())
    emulator.edit_values(keys[2], "OKRs", "I3", [[9]])  # a Current value typed in
    emulator.reset_stats()
    outcome = syncs.sync()
    assert sheet_reads(emulator)["sheets"] == 1 + 1
    kr = next(i for i in outcome.computed.result.items if i.id == "T2-2")
    assert kr.current == 9


def test_sheets_with_formulas_are_always_read(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub = fast_org(emulator, TEAMS)
    keys = list(team_keys(emulator, hub).values())
    emulator.edit_values(keys[1], "OKRs", "I3", [["=2+3"]])  # IMPORTRANGE's stand-in
    syncs = Syncs(backend, hub)
    syncs.sync()
    syncs.sync()
    emulator.reset_stats()
    syncs.sync()
    assert sheet_reads(emulator)["sheets"] == 1 + 1
    assert syncs.state is not None
    assert [s.volatile for s in syncs.state.snapshots] == [i == 1 for i in range(TEAMS)]


def test_without_drive_every_sheet_is_read(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub = fast_org(emulator, TEAMS)
    syncs = Syncs(backend, hub)
    syncs.sync()
    syncs.sync()
    emulator.fail_next(10, status=403, kind="drive.files.list")
    emulator.reset_stats()
    syncs.sync()
    assert sheet_reads(emulator)["sheets"] == 1 + TEAMS


edits = st.lists(
    st.tuples(
        st.integers(0, TEAMS - 1),
        st.sampled_from(["I2", "I3", "E2", "C2", "H3"]),
        st.sampled_from([None, 0, 3, 12, "T0-1", "T1-1", "x", "=1+1"]),
    ),
    max_size=3,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(edits, st.integers(0, 30)), min_size=1, max_size=3))
def test_an_incremental_sync_equals_a_full_read(
    emulator: Emulator, backend: Callable[[str], GoogleBackend], rounds: list[Any]
) -> None:
    emulator.store.spreadsheets.clear()
    hub = fast_org(emulator, TEAMS)
    keys = list(team_keys(emulator, hub).values())
    syncs = Syncs(backend, hub)
    syncs.sync()
    as_of = AS_OF
    for changes, days in rounds:
        for team, cell, value in changes:
            emulator.edit_values(keys[team], "OKRs", cell, [[value]])
        as_of += dt.timedelta(days=days)
        got = result_json(syncs.sync(as_of).computed.result)
        want = result_json(run(backend(hub), as_of).computed.result)  # a full read, no writes
        assert {**got, "writes": None} == {**want, "writes": None}
        assert run(backend(hub), as_of, write=True).computed.result.writes_cells == 0
