"""The planner and the engine: minimal writes, row placement, NOT_WRITTEN, quiet re-sync."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest

from sync.engine import read_and_compute, run, run_team
from sync.errors import SourceError
from sync.model import Code
from sync.plan import plan_hub, plan_teams, table_digest
from sync.snapshot import CellChange
from tests.orgs import AS_OF, HEADER, MemoryBackend, Org, grid, kr, obj


def example() -> Org:
    return Org(
        {
            "Co": [obj("O"), kr("O.1", target=100, current=60), kr("O.2", target=100, current="x")],
            "Eng": grid(
                [
                    obj("E", parent="O.1"),
                    kr("E.1", target=10, current=5, owner=None),
                    {"Title": "no id"},
                    {},
                    obj("E", title="dup"),
                ],
                header=[*HEADER, "Notes", "Score"],
            ),
        },
        levels={"Eng": "Team"},
        parents={"Eng": "Co"},
    )


def test_first_sync_writes_outputs_and_appends_missing_columns() -> None:
    backend = MemoryBackend(example())
    result = run(backend, AS_OF, write=True).computed.result
    by_team = {c.team: c for c in backend.team_writes}
    co = by_team["Co"]
    header = [c for c in co.changes if c.row == 1]
    assert header == [
        CellChange(1, 15, "Score"),
        CellChange(1, 16, "Status"),
        CellChange(1, 17, "Warnings"),
    ]
    assert CellChange(3, 15, 0.6) in co.changes and CellChange(3, 16, "On track") in co.changes
    assert any(
        c.row == 4 and c.column == 17 and str(c.value).startswith("INVALID_NUMBER: ")
        for c in co.changes
    )
    eng = by_team["Eng"]
    # Eng has Score in column 16 after an unknown column; Status and Warnings come after it
    assert {c.column for c in eng.changes if c.row == 1} == {17, 18}
    assert {c.column for c in eng.changes if c.row > 1} <= {16, 17, 18}
    assert {c.row for c in eng.changes} == {1, 2, 3, 4, 6}  # row 5 is blank: left alone
    missing_id = [c for c in eng.changes if c.row == 4]
    assert missing_id == [CellChange(4, 18, f"MISSING_ID: {_message(result, Code.MISSING_ID)}")]
    assert eng.expected_ids == {1: "ID", 2: "E", 3: "E.1", 4: "", 6: "E"}
    assert result.writes_spreadsheets == 3 and result.writes_cells == sum(
        len(c.changes) for c in backend.team_writes
    ) + sum(len(t.rows) for t in backend.hub_writes[0])


def _message(result: object, code: Code) -> str:
    return next(f.message for f in result.findings if f.code is code)  # type: ignore[attr-defined]


def test_a_second_sync_writes_nothing() -> None:
    backend = MemoryBackend(example())
    run(backend, AS_OF, write=True)
    first_writes = len(backend.team_writes)
    again = run(backend, AS_OF, write=True).computed.result
    assert len(backend.team_writes) == first_writes
    assert len(backend.hub_writes) == 1
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)


def test_only_changed_cells_are_planned() -> None:
    org = example()
    backend = MemoryBackend(org)
    run(backend, AS_OF, write=True)
    backend.grids["Co"][2][8] = 100  # O.1 current 60 -> 100: done
    computed = run(backend, AS_OF).computed
    plans = plan_teams(
        computed,
        [t.team for t in computed.result.teams],
        backend.read_teams([t.team for t in computed.result.teams]),
    )
    assert [(s.team, c) for s, p in plans for c in p.changes] == [
        ("Co", CellChange(2, 15, 1.0)),
        ("Co", CellChange(2, 16, "Done")),
        ("Co", CellChange(3, 15, 1.0)),
        ("Co", CellChange(3, 16, "Done")),
    ]


def test_validate_writes_nothing() -> None:
    backend = MemoryBackend(example())
    result = run(backend, AS_OF).computed.result
    assert backend.team_writes == [] and backend.hub_writes == []
    assert (result.writes_spreadsheets, result.writes_cells) == (0, 0)


def test_a_refused_spreadsheet_becomes_not_written_and_the_rest_goes_on() -> None:
    backend = MemoryBackend(example())
    backend.refuse["Eng"] = "it is open in an editor (lock file .~lock.eng.xlsx#)"
    result = run(backend, AS_OF, write=True).computed.result
    assert [c.team for c in backend.team_writes] == ["Co"]
    refused = [f for f in result.findings if f.code is Code.NOT_WRITTEN]
    assert [(f.team, f.id) for f in refused] == [("Eng", None)]
    assert "open in an editor" in refused[0].message
    findings_tab = backend.hub.tabs["Findings"]
    assert any(row[1] == "NOT_WRITTEN" for row in findings_tab[1:])


def test_history_records_change_and_replaces_the_same_date() -> None:
    backend = MemoryBackend(example())
    day = AS_OF + dt.timedelta(days=1)
    run(backend, AS_OF, write=True, history=True)
    run(backend, day, write=True, history=True)  # nothing moved: nothing recorded
    backend.grids["Co"][2][8] = 100  # O.1 is done, and so is O
    run(backend, day, write=True, history=True)
    backend.grids["Co"][2][8] = 80  # the same date again: its rows are replaced
    run(backend, day, write=True, history=True)
    history = backend.hub.tabs["History"]
    assert history[0] == ["Date", "ID", "Score", "Status"]
    first = [row[1] for row in history[1:] if row[0] == AS_OF]
    assert first == ["O", "O.1", "O.2", "E", "E.1"]
    assert [row for row in history[1:] if row[0] == day] == [
        [day, "O", 0.8, "On track"],
        [day, "O.1", 0.8, "On track"],
    ]


def test_run_team_rereads_one_team_and_writes_only_it() -> None:
    backend = MemoryBackend(example())
    previous = run(backend, AS_OF, write=True)
    reads: list[list[str]] = []
    original = backend.read_teams

    def counting(teams: list) -> list:  # type: ignore[type-arg]
        reads.append([t.name for t in teams])
        return original(teams)

    backend.read_teams = counting  # type: ignore[method-assign]
    backend.grids["Co"][2][8] = 100  # O.1 is now done
    backend.grids["Eng"][2][8] = 10  # changed too, but Eng is not the team being validated
    writes_before = len(backend.team_writes)
    current = run_team(backend, previous, "co", AS_OF)
    assert reads == [["Co"]]
    assert [c.team for c in backend.team_writes[writes_before:]] == ["Co"]
    statuses = {i.id: i.status.value for i in current.computed.result.items}
    assert statuses["O.1"] == "done"
    assert statuses["E.1"] == previous_status(previous, "E.1")  # judged from the last snapshot


def previous_status(previous: object, item_id: str) -> str:
    items = previous.computed.result.items  # type: ignore[attr-defined]
    return next(i.status.value for i in items if i.id == item_id)


def test_run_team_refuses_an_unknown_team() -> None:
    backend = MemoryBackend(example())
    previous = run(backend, AS_OF)
    with pytest.raises(SourceError, match="'Ops' is not in the hub's Teams tab"):
        run_team(backend, previous, "Ops", AS_OF)


def test_hub_tabs_vouched_by_digest_need_not_be_read_back() -> None:
    backend = MemoryBackend(example())
    first = run(backend, AS_OF, write=True)
    tables = {t.name: t for t in backend.hub_writes[0]}
    hub = first.hub
    hub.tabs = {k: v for k, v in hub.tabs.items() if k in ("Teams", "Settings")}
    hub.digests = {name: table_digest(table) for name, table in tables.items()}
    assert plan_hub(first.computed, hub, first.snapshots, history=False) == []
    hub.digests["Findings"] = "edited since"
    assert [t.name for t in plan_hub(first.computed, hub, first.snapshots, False)] == ["Findings"]


def test_a_refused_hub_becomes_not_written_after_the_teams_are_written() -> None:
    backend = MemoryBackend(example())
    backend.refuse["hub"] = "it is open in an editor"
    result = run(backend, AS_OF, write=True).computed.result
    assert {c.team for c in backend.team_writes} == {"Co", "Eng"}
    refused = [f for f in result.findings if f.code is Code.NOT_WRITTEN]
    assert [(f.team, f.id) for f in refused] == [(None, None)]
    assert "hub.xlsx was not written: it is open in an editor" in refused[0].message
    assert result.writes_spreadsheets == 2


class _Watching(MemoryBackend):
    """Notes whether the collector runs while the engine reads the teams."""

    collecting: list[bool]

    def read_teams(self, teams: list[Any]) -> list[Any]:
        self.collecting.append(gc.isenabled())
        return super().read_teams(teams)


@pytest.mark.parametrize("entry", ["run", "sync", "run_team", "read_and_compute"])
def test_the_engine_pauses_the_collector_while_it_works_and_then_gives_it_back(
    entry: str,
) -> None:
    backend = _Watching(example())
    backend.collecting = []
    earlier = run(backend, AS_OF) if entry == "run_team" else None
    backend.collecting.clear()
    calls = {
        "run": lambda: run(backend, AS_OF),
        "sync": lambda: run(backend, AS_OF, write=True, history=True),
        "run_team": lambda: run_team(backend, earlier, "Eng", AS_OF),
        "read_and_compute": lambda: read_and_compute(backend, AS_OF),
    }
    assert gc.isenabled()
    calls[entry]()
    assert backend.collecting == [False] and gc.isenabled()


def test_the_pure_core_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the core must not pause the garbage collector")

    monkeypatch.setattr(gc, "disable", refuse)
    assert example().compute().result.items


@pytest.mark.parametrize("above", [0, 1, 3])
def test_team_writes_carry_the_header_row_they_were_planned_from(above: int) -> None:
    rows = [obj("O"), kr("O.1", target=10, current=5)]
    tab = [[f"Q4 goals, line {n}"] for n in range(above)] + grid(rows)
    backend = MemoryBackend(Org({"Co": tab}))
    run(backend, AS_OF, write=True)
    (written,) = backend.team_writes
    assert written.header_row == above + 1
    assert {c.row for c in written.changes if isinstance(c.value, str) and c.value == "Score"} == {
        above + 1
    }


LONGEST = "T" * 32_767  # the longest text an Excel cell holds


@pytest.mark.parametrize(
    "rows",
    [
        [obj("O"), kr("O.1", target=1, depends=", ".join(f"NOPE-{i}" for i in range(400)))],
        [obj("O"), kr("O.1", target=1), {"Type": "Key Result", "Title": LONGEST}],
        [obj("O"), obj("O.2", parent="O", title=LONGEST, why="x", depends="NOPE")],
    ],
    ids=["400 findings on a row", "a title as long as a cell holds", "deep long title"],
)
def test_no_text_planned_for_a_cell_is_longer_than_a_spreadsheet_cell_holds(
    rows: list[dict[str, Any]],
) -> None:
    backend = MemoryBackend(Org({"Co": rows}))
    run(backend, AS_OF, write=True)
    written = [c.value for w in backend.team_writes for c in w.changes]
    written += [v for tables in backend.hub_writes for t in tables for row in t.rows for v in row]
    texts = [v if isinstance(v, str) else getattr(v, "text", "") for v in written]
    assert max(len(text) for text in texts) <= 32_767
    assert any(text.endswith("…") or "see the hub's Findings tab" in text for text in texts)
    again = run(backend, AS_OF, write=True).computed.result
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)


@pytest.mark.parametrize(
    ("header", "name", "letters"),
    [
        (["ID", "Type", "Title", "Status", "Parent", "Score", "Status"], "Status", "D and G"),
        (
            ["ID", "Type", "Title", "Parent", "Score", "Status", "Warnings", " score "],
            "Score",
            "E and H",
        ),
        (
            ["ID", "Type", "Title", "Parent", "Warnings", "Warnings", "Warnings"],
            "Warnings",
            "E, F and G",
        ),
    ],
    ids=["a Status of the team's own", "a second Score at the right", "three Warnings"],
)
def test_an_output_column_headed_twice_is_written_in_neither_place(
    header: list[str], name: str, letters: str
) -> None:
    eng = grid([obj("E", why="x"), kr("E.1", target=10, current=5)], header)
    for row in eng[1:]:
        row[3] = row[3] if header[3] != "Status" else "In progress"  # the team's own column
    org = Org({"Co": [obj("O"), kr("O.1", target=10, current=5)], "Eng": eng})
    backend = MemoryBackend(org)
    result = run(backend, AS_OF, write=True).computed.result
    assert [c.team for c in backend.team_writes] == ["Co"]
    [refused] = [f for f in result.findings if f.code is Code.NOT_WRITTEN]
    assert refused.team == "Eng"
    assert f"more than one column headed {name} ({letters})" in refused.message
