"""A condensed log gives a run what the whole log would: the same sparklines, the same new
check-ins, and the whole tab again whenever one is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.checkins import plan_checkins
from sync.history import plan_history
from sync.logcondense import after_append, condense
from sync.logtab import CondensedLog, read_log
from sync.snapshot import Grid, whole_table
from tests.orgs import CYCLE, Org, kr, obj

ORG = Org(
    {
        "Co": [
            obj("O"),
            kr("O.1", target=10, current=4),
            kr("O.2", target=10, current=7, confidence=8, note="fine"),
            kr("O.3", target=10),
        ]
    }
)
IDS = ["O", "O.1", "o.1 ", "O.2", "O.3", "", None, "GONE"]
days = st.one_of(
    st.dates(CYCLE[0] - dt.timedelta(days=20), CYCLE[1] + dt.timedelta(days=20)),
    st.datetimes(dt.datetime(2026, 9, 20), dt.datetime(2027, 1, 10)),
    st.sampled_from([None, "2026-10-15", "not a date"]),
)
numbers = st.one_of(
    st.floats(0, 1.2, allow_nan=False), st.integers(0, 10), st.sampled_from([None, "0.5", "x"])
)


def _shuffled_header(names: list[str], extra: bool, order: list[int]) -> list[Any]:
    header: list[Any] = [names[i] for i in order]
    return [*header, "Mine"] if extra else header


def _logs(names: list[str], row: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[Grid]:
    """A log tab as people leave it: okrtree's columns in any order, maybe one of their own,
    rows in any order, blank rows, and once in a while a header okrtree cannot use."""
    header = st.builds(
        _shuffled_header,
        st.just(names),
        st.booleans(),
        st.permutations(range(len(names))),
    ) | st.just(names[1:])
    return st.builds(
        lambda head, body: [head, *[r[: len(head)] for r in body]],
        header,
        st.lists(row | st.just([]), max_size=40),
    )


history_rows = st.lists(st.one_of(days, st.sampled_from(IDS), numbers), min_size=4, max_size=5)
checkin_rows = st.lists(
    st.one_of(days, st.sampled_from(IDS), numbers, st.sampled_from(["fine", "", "late"])),
    min_size=9,
    max_size=10,
)
HISTORY = ["Date", "ID", "Score", "Status"]
CHECK_INS = ["Date", "ID", "Team", "Owner", "Current", "Score", "Status", "Confidence", "Note"]


def _condensed(title: str, grid: Grid) -> CondensedLog | None:
    return condense(title, grid, CYCLE)


@settings(max_examples=60)
@given(_logs(HISTORY, history_rows))
def test_a_condensed_history_gives_every_item_the_same_sparkline(grid: Grid) -> None:
    condensed = _condensed("History", grid)
    assert (condensed is None) == (not read_log("History", grid).usable)
    whole = ORG.compute().result
    plan_history(whole, grid, False)
    if condensed is None:
        return
    brief = ORG.compute().result
    plan_history(brief, condensed, False)
    assert [i.spark for i in brief.items] == [i.spark for i in whole.items]
    assert any(i.trend for i in whole.items) or not any(i.spark for i in whole.items)


@settings(max_examples=60)
@given(_logs(CHECK_INS, checkin_rows))
def test_a_condensed_checkins_tab_finds_the_same_check_ins_and_keeps_every_row(
    grid: Grid,
) -> None:
    condensed = _condensed("Check-ins", grid)
    assert (condensed is None) == (not read_log("Check-ins", grid).usable)
    if condensed is None:
        return
    result = ORG.compute().result
    whole_log, whole_rows = plan_checkins(result.items, result.as_of, grid)
    brief_log, brief_rows = plan_checkins(result.items, result.as_of, condensed)
    assert brief_rows == whole_rows
    brief_table, whole_table_ = brief_log.table(brief_rows), whole_log.table(whole_rows)
    assert brief_table.earlier is not None and brief_table.rows == brief_rows  # to append
    assert whole_table(brief_table).rows == whole_table_.rows
    log = read_log("Check-ins", grid)
    assert len(condensed) == 1 + len({log.id_key(row) for row in log.rows} - {""})  # one per ID


@settings(max_examples=60)
@given(_logs(HISTORY, history_rows), st.dates(CYCLE[0], CYCLE[1]))
def test_recording_writes_what_recording_over_the_whole_history_writes(
    grid: Grid, as_of: dt.date
) -> None:
    condensed = _condensed("History", grid)
    if condensed is None:
        return
    whole = ORG.compute(as_of).result
    brief = ORG.compute(as_of).result
    want = plan_history(whole, grid, True).table
    got = plan_history(brief, condensed, True).table
    assert want is not None
    if got is None:  # nothing to append: the tab stays as it is
        assert want.rows == read_log("History", grid).rows
        return
    appends = condensed.last_day is None or condensed.last_day < as_of
    assert (got.earlier is not None) == appends  # else written whole: a date's rows replaced
    assert whole_table(got).rows == want.rows
    assert [i.spark for i in brief.items] == [i.spark for i in whole.items]


@settings(max_examples=60)
@given(
    st.sampled_from(["History", "Check-ins"]),
    st.data(),
    st.lists(st.tuples(st.sampled_from(["O.1", "o.2", "O", "NEW"]), numbers), max_size=6),
)
def test_a_condensed_log_after_an_append_is_the_condensed_log_of_the_whole(
    title: str, data: st.DataObject, added: list[tuple[str, Any]]
) -> None:
    grid = data.draw(_logs(HISTORY if title == "History" else CHECK_INS, history_rows))
    condensed = _condensed(title, grid)
    if condensed is None or not condensed:
        return
    log = read_log(title, grid)
    later = max([d for r in log.rows if (d := log.date(r))] + [CYCLE[0]]) + dt.timedelta(days=1)
    extra = {"Current": 3.0} if title == "Check-ins" else {}
    appended = [
        log.laid_out({"Date": later, "ID": item, "Score": score, **extra}) for item, score in added
    ]
    grown = after_append(title, condensed, appended)
    want = condense(title, [*condensed.whole(), *appended], CYCLE)
    assert want is not None
    assert grown.whole() == want.whole()
    assert (list(grown), grown.body_rows, grown.last_day) == (
        list(want),
        want.body_rows,
        want.last_day,
    )
    assert grown.sparks == want.sparks
