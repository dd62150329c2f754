"""The state as data: a run survives the round trip, and anything else is refused by name."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_templates.definition import hub_column_names
from sync.engine import Run
from sync.logtab import CondensedLog, read_log
from sync.report import result_json
from sync.snapshot import HubSnapshot, TeamSnapshot
from sync.state import SCHEMA, BadState, State, decode, encode, state_of
from sync.state.members import join, split

SOURCE = "org"


def test_a_run_survives_the_round_trip(full_run: Run) -> None:
    data = encode(state_of(full_run, SOURCE, taken=1000.0))
    loaded = decode(data, SOURCE)
    assert loaded.taken == 1000.0 and loaded.as_of == full_run.computed.result.as_of
    assert result_json(loaded.run().computed.result) == result_json(full_run.computed.result)
    assert [s.grid for s in loaded.snapshots] == [s.grid for s in full_run.snapshots]


def test_only_the_input_tabs_of_the_hub_are_kept(full_run: Run) -> None:
    full_run.hub.tabs["History"] = [["Date", "ID"], [dt.date(2026, 11, 1), "CO-1"]]
    full_run.hub.tabs["Findings"] = [["Severity"]]
    kept = decode(encode(state_of(full_run, SOURCE)), SOURCE).hub.tabs
    assert sorted(kept) == ["Check-ins", "History", "Settings", "Teams"]  # trends and check-ins


def test_refused_writes_are_kept_with_the_run(full_run: Run) -> None:
    from sync.model import Code, Finding

    refused = Finding.on_team(Code.NOT_WRITTEN, "Sales", "locked")
    full_run.computed.result.findings.append(refused)
    loaded = decode(encode(state_of(full_run, SOURCE)), SOURCE)
    assert refused in loaded.run().computed.result.findings


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),  # a date cell holding 0 reads as midnight
    st.timedeltas(),
)


SETTINGS = [["Cycle start", dt.date(2026, 10, 1)], ["Cycle end", dt.date(2026, 12, 31)]]
names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=10)


boxes = st.lists(st.tuples(*[st.integers(1, 16_384)] * 4), max_size=3)


@given(st.lists(st.lists(cells, max_size=6), max_size=6), names.map(str.strip).filter(bool), boxes)
def test_any_grid_and_names_survive(
    grid: list[list[object]], name: str, merged: list[tuple[int, int, int, int]]
) -> None:
    snap = TeamSnapshot(
        name, f"{name}.xlsx", "OKRs", grid=grid, merged=merged, version="v", handle={"a": 1}
    )
    teams = [["Team", "Spreadsheet"], [name, f"{name}.xlsx"]]
    hub = HubSnapshot(SOURCE, {"Teams": teams, "Settings": SETTINGS, "Other": grid})
    loaded = decode(encode(State(SOURCE, dt.date(2026, 1, 2), 5.0, hub, [snap])), SOURCE)
    assert loaded.unpack().snapshots == [snap] and loaded.hub.tabs == hub.tabs
    kinds = [[type(c) for c in row] for row in loaded.snapshots[0].grid or []]
    assert kinds == [[type(c) for c in row] for row in grid]


def _document(full_run: Run, **changes: object) -> bytes:
    text, members = split(encode(state_of(full_run, SOURCE)))
    document = json.loads(text)
    document.update(changes)
    return join(json.dumps(document), members)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "not a state this version wrote"),
        (b"\x80\x04\x95pickle", "not a state this version wrote"),
        (gzip.compress(b"[1, 2]", mtime=0), "not the sizes it says"),
        (gzip.compress(b"{not json", mtime=0), "not a state this version wrote"),
        (join("[1, 2]", []), "not a state object"),
        (join("{not json", []), "not a state this version wrote"),
    ],
    ids=["empty", "pickle", "sizes only", "not JSON", "a list", "a document not JSON"],
)
def test_foreign_bytes_are_refused(data: bytes, why: str) -> None:
    with pytest.raises(BadState, match=why):
        decode(data, SOURCE)


def test_another_schema_or_source_is_refused(full_run: Run) -> None:
    with pytest.raises(BadState, match=f"schema {SCHEMA + 1}, this version reads {SCHEMA}"):
        decode(_document(full_run, schema=SCHEMA + 1), SOURCE)
    with pytest.raises(BadState, match="state of 'elsewhere'"):
        decode(_document(full_run, source="elsewhere"), SOURCE)
    with pytest.raises(BadState, match="damaged"):
        decode(_document(full_run, teams=[{"team": "x", "grid": "no"}]), SOURCE)
    with pytest.raises(BadState, match="damaged"):
        decode(_document(full_run, as_of="yesterday"), SOURCE)


KEY = "1X1fH-ZM9TBrKrmGsNmjQ8mT3OA94HhblZa_QFPiyCEs"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (KEY, f"https://docs.google.com/spreadsheets/d/{KEY}/edit"),
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", KEY),
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing", f" {KEY} "),
        ("org", "./org/"),
        ("org", str(Path("org").resolve())),
    ],
    ids=["key-then-url", "url-then-key", "shared-url-then-key", "dot-slash", "absolute"],
)
def test_the_same_source_spelt_another_way_reads_the_state(
    full_run: Run, written: str, read: str
) -> None:
    """`okrtree sync URL` and `okrtree serve KEY` (or `org` and `./org/`) share one store
    path, so each must take the other's state rather than ignore it."""
    loaded = decode(encode(state_of(full_run, written, taken=1000.0)), read)
    assert loaded.taken == 1000.0 and loaded.source == read


@pytest.mark.parametrize(
    ("written", "read"),
    [(KEY, KEY[:-1] + "x"), ("org", "other-org"), (KEY, "org")],
    ids=["another-key", "another-folder", "key-and-folder"],
)
def test_another_source_spelt_alike_is_refused(full_run: Run, written: str, read: str) -> None:
    with pytest.raises(BadState, match="it is the state of"):
        decode(encode(state_of(full_run, written)), read)


def test_snapshots_that_do_not_follow_the_teams_tab_are_refused(full_run: Run) -> None:
    with pytest.raises(BadState, match="do not follow its Teams tab"):
        decode(_document(full_run, teams=[]), SOURCE)
    with pytest.raises(BadState, match="damaged.*Settings"):
        no_settings = {"source": SOURCE, "tabs": {"Teams": [["Team", "Spreadsheet"]]}}
        decode(_document(full_run, hub=no_settings), SOURCE)


def test_the_state_is_compact(full_run: Run, workspace: Path) -> None:
    data = encode(state_of(full_run, SOURCE))
    workbooks = sum(p.stat().st_size for p in workspace.rglob("*.xlsx"))
    assert len(data) < workbooks / 5


@given(st.lists(st.lists(cells, max_size=5), max_size=8), st.sampled_from(["History", "Check-ins"]))
def test_a_log_tab_comes_back_whole_however_often_it_is_saved(
    body: list[list[object]], title: str
) -> None:
    log = [hub_column_names(title), *body]
    snap = TeamSnapshot("A", "a.xlsx", "OKRs", grid=[])
    teams = [["Team", "Spreadsheet"], ["A", "a.xlsx"]]
    hub = HubSnapshot(SOURCE, {"Teams": teams, "Settings": SETTINGS, title: log})
    loaded = decode(encode(State(SOURCE, dt.date(2026, 11, 2), 5.0, hub, [snap])), SOURCE)
    kept = loaded.hub.tabs[title]
    whole = [log[0], *read_log(title, log).rows]  # the blank rows that end it dropped
    assert isinstance(kept, CondensedLog) and len(kept) <= len(log)
    assert kept.whole() == whole
    again = decode(encode(loaded), SOURCE).hub.tabs[title]  # saved again as loaded
    assert isinstance(again, CondensedLog) and again.whole() == whole and again == kept


check_in_rows = st.lists(
    st.tuples(
        st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 31)) | st.none(),
        st.sampled_from(["A-1", "A-2", "B-1", "b-1", "C-9"]),
        st.floats(0, 100, allow_nan=False) | st.none(),
    ).map(lambda r: [r[0], r[1], "A", None, r[2]]),
    max_size=6,
)


@given(check_in_rows, st.lists(check_in_rows, min_size=1, max_size=4))
def test_a_log_appended_to_and_saved_each_time_keeps_its_latest_rows(
    first: list[list[object]], appends: list[list[list[object]]]
) -> None:
    """Saved as its first rows and the edits since, a log comes back as it was in memory."""
    from sync.logcondense import after_append

    title = "Check-ins"
    teams = [["Team", "Spreadsheet"], ["A", "a.xlsx"]]
    snap = TeamSnapshot("A", "a.xlsx", "OKRs", grid=[])
    header = hub_column_names(title)
    hub = HubSnapshot(SOURCE, {"Teams": teams, "Settings": SETTINGS, title: [header, *first]})
    state = decode(encode(State(SOURCE, dt.date(2026, 11, 2), 5.0, hub, [snap])), SOURCE)
    for rows in appends:
        log = state.hub.tabs[title]
        assert isinstance(log, CondensedLog)
        grown = after_append(title, log, [list(r) + [None] * (len(header) - 5) for r in rows])
        state.hub.tabs[title] = grown
        state = decode(encode(state), SOURCE)
        loaded = state.hub.tabs[title]
        assert isinstance(loaded, CondensedLog)
        assert list(loaded) == list(grown) and loaded.whole() == grown.whole()
