"""Row safety: a person inserts, deletes or sorts rows between okrtree's read and its write.
Nothing may land on the wrong row: the write is refused (NOT_WRITTEN), and the next run writes
every row right."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.model import STATUS_LABELS, Code
from sync.plan import score_cell

from .conftest import sync, team_keys

SCORES = {"T1-1": 0.45, "T1-2": 0.4, "T1-3": 0.5}


def outputs(emulator: Emulator, key: str) -> dict[str, tuple[object, ...]]:
    """ID -> (Score, Status, Warnings), columns found by their header names."""
    rows = emulator.values(key, "OKRs", render="UNFORMATTED_VALUE")
    header = [str(v) for v in rows[0]]
    where = [header.index(name) for name in ("ID", "Score", "Status", "Warnings")]
    out = {}
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        if cells[where[0]]:
            out[str(cells[where[0]])] = tuple(cells[i] for i in where[1:])
    return out


def _insert_column(emu: Emulator, key: str) -> None:
    from sync.emulator import grid

    with emu.lock:
        grid.insert_dimension(emu.sheet(key, "OKRs"), "COLUMNS", 2, 3, True)


AFTER_DELETE = {"T1-1": 0.4, "T1-2": 0.4}
EDITS: list[tuple[str, Callable[[Emulator, str], None], dict[str, float] | None]] = [
    ("insert a row above", lambda emu, key: emu.insert_rows(key, "OKRs", 3), SCORES),
    ("insert a row at the top", lambda emu, key: emu.insert_rows(key, "OKRs", 2), SCORES),
    ("delete a row", lambda emu, key: emu.delete_rows(key, "OKRs", 4), AFTER_DELETE),
    ("sort by title", lambda emu, key: emu.sort_rows(key, "OKRs", "C"), None),
    (
        "sort by ID descending",
        lambda emu, key: emu.sort_rows(key, "OKRs", "A", ascending=False),
        None,
    ),
    ("insert a column before the outputs", _insert_column, None),
]


def _on_second_call(action: Callable[[], None]) -> Callable[[], None]:
    """A hook body acting on the second request to a spreadsheet (the first is the read)."""
    calls: list[int] = []

    def callback() -> None:
        calls.append(1)
        if len(calls) == 2:
            action()

    return callback


@pytest.mark.parametrize(("what", "edit", "scores"), EDITS, ids=[e[0] for e in EDITS])
def test_rows_moved_between_read_and_write_are_refused_then_the_next_run_writes_right(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    what: str,
    edit: Callable[[Emulator, str], None],
    scores: dict[str, float] | None,
) -> None:
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]
    edited: list[dict[object, object]] = []

    def person() -> None:
        edit(emulator, key)
        edited.append(copy.deepcopy(emulator.sheet(key, "OKRs").cells))

    emulator.before_next(_on_second_call(person), spreadsheet_id=key, times=2)

    outcome = sync(backend(hub))

    refused = [f for f in outcome.computed.result.findings if f.code == Code.NOT_WRITTEN]
    assert [f.team for f in refused] == ["T1"], what
    assert "run again" in refused[0].message
    assert edited and emulator.sheet(key, "OKRs").cells == edited[0]  # nothing written
    others = team_keys(emulator, hub)["T2"]
    assert outputs(emulator, others)["T2-2"][0] == 0.4  # the other teams went on

    again = sync(backend(hub))
    assert not [f for f in again.computed.result.findings if f.code == Code.NOT_WRITTEN]
    items = [i for i in again.computed.result.items if i.team == "T1"]
    expected = {i.id: (score_cell(i.score), STATUS_LABELS[i.status]) for i in items}
    got = outputs(emulator, key)
    assert {k: (v[0] if v[0] != "" else None, v[1]) for k, v in got.items()} == expected
    if scores is not None:
        assert {k: v[0] for k, v in expected.items()} == scores


def test_an_edit_below_the_rows_written_does_not_stop_the_write(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    emulator.before_next(
        lambda: emulator.edit_values(key, "OKRs", "A20", [["notes far below"]]),
        kind="values.batchGet",
        spreadsheet_id=key,
    )
    outcome = sync(backend(hub))
    assert not [f for f in outcome.computed.result.findings if f.code == Code.NOT_WRITTEN]
    assert {k: v[0] for k, v in outputs(emulator, key).items() if k in SCORES} == SCORES


def test_the_check_reads_the_header_and_the_id_column_in_one_request(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    emulator.reset_stats()
    sync(backend(hub))
    to_team = [info.kind for info, _ in emulator.log if info.spreadsheet_id == key]
    assert to_team == ["spreadsheets.get", "values.batchGet", "spreadsheets.batchUpdate"]


@pytest.mark.parametrize("deleted", [4, 2])
def test_rows_deleted_from_a_grid_cut_to_fit_are_rows_moved(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    deleted: int,
) -> None:
    """A tab whose grid ends at its last row: a row deleted before the write leaves the check's
    ID range past the grid, which Google refuses; that is rows moved, not a failing API."""
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    sheet = emulator.sheet(key, "OKRs")
    with emulator.lock:
        sheet.rows = 4  # the header and three rows, nothing below
    emulator.before_next(
        lambda: emulator.delete_rows(key, "OKRs", deleted),
        kind="values.batchGet",
        spreadsheet_id=key,
    )
    outcome = sync(backend(hub))
    [refused] = [f for f in outcome.computed.result.findings if f.code == Code.NOT_WRITTEN]
    assert refused.team == "T1" and "rows moved since the read; run again" in refused.message
    again = sync(backend(hub))
    assert not [f for f in again.computed.result.findings if f.code == Code.NOT_WRITTEN]
