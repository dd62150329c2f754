"""SPEC §7: confidence as typed, CONFIDENCE_GAP, the append-only Check-ins tab and trends."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.engine import run
from sync.history import sparkline
from sync.model import Code, Item, ItemType, Status
from sync.report import result_json
from sync.rules import confidence_gap
from sync.values import BadValue, parse_confidence
from tests.orgs import AS_OF, HEADER, MemoryBackend, Org, kr, obj

CHECKINS_HEADER = [
    "Date",
    "ID",
    "Team",
    "Owner",
    "Current",
    "Score",
    "Status",
    "Confidence",
    "Note",
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (7, 7.0),
        (0, 0.0),
        (10, 10.0),
        (6.5, 6.5),
        ("8", 8.0),
        (" 70% ", 7.0),
        ("100%", 10.0),
        ("0%", 0.0),
        ("45%", 4.5),
        ("Low", 3.0),
        ("medium", 6.0),
        ("HIGH", 9.0),
        ("", None),
        (None, None),
        ("   ", None),
    ],
)
def test_confidence_reads(typed: object, expected: float | None) -> None:
    assert parse_confidence(typed) == expected


@pytest.mark.parametrize(
    "typed", ["very", "11", "-1", "150%", 10.5, -0.1, "yes", True, "7/10", "high-ish"]
)
def test_unreadable_confidence_says_the_accepted_forms(typed: object) -> None:
    with pytest.raises(BadValue, match="0 to 10, a percentage like 70%, or Low, Medium or High"):
        parse_confidence(typed)


@pytest.mark.parametrize("typed", ["very", "11", "-1", "150%"])
def test_unreadable_confidence_is_invalid_number_naming_row_column_and_value(typed: str) -> None:
    org = Org({"Co": [obj("O"), kr("O.1", target=10, current=5, confidence=typed)]})
    result = org.compute().result
    [finding] = [f for f in result.findings if f.code is Code.INVALID_NUMBER]
    assert finding.id == "O.1" and finding.row == 3
    assert f"row 3 (O.1), column Confidence: '{typed}'" in finding.message
    assert "Low, Medium or High" in finding.message
    item = next(i for i in result.items if i.id == "O.1")
    assert item.confidence is None and item.score == 0.5  # the score stands


def _item(confidence: float | None, status: Status) -> Item:
    item = Item("K", ItemType.KEY_RESULT, "T", 2, confidence=confidence)
    item.status = status
    return item


@pytest.mark.parametrize(
    ("confidence", "status", "gap"),
    [
        (7, Status.OFF_TRACK, True),
        (10, Status.OFF_TRACK, True),
        (6.9, Status.OFF_TRACK, False),
        (7, Status.AT_RISK, False),
        (3, Status.ON_TRACK, True),
        (0, Status.DONE, True),
        (3.1, Status.ON_TRACK, False),
        (3, Status.AT_RISK, False),
        (3, Status.OFF_TRACK, False),
        (9, Status.ON_TRACK, False),
        (None, Status.OFF_TRACK, False),
        (None, Status.ON_TRACK, False),
        (3, Status.NO_DATA, False),
    ],
)
def test_confidence_gap(confidence: float | None, status: Status, gap: bool) -> None:
    message = confidence_gap(_item(confidence, status))
    assert (message is not None) is gap
    if message is not None:
        assert f"Confidence {confidence:g}/10" in message and "talk about it" in message


def test_objectives_never_have_a_confidence_gap() -> None:
    item = Item("O", ItemType.OBJECTIVE, "T", 2, confidence=9)
    item.status = Status.OFF_TRACK
    assert confidence_gap(item) is None


def test_json_items_carry_confidence_note_and_trend() -> None:
    org = Org({"Co": [obj("O"), kr("O.1", target=10, current=5, confidence="70%", note="ok")]})
    backend = MemoryBackend(org)
    run(backend, AS_OF - dt.timedelta(days=7), write=True, history=True)
    backend.grids["Co"][2][HEADER.index("Current")] = 8
    items = result_json(run(backend, AS_OF, write=True, history=True).computed.result)["items"]
    kr_json = next(i for i in items if i["id"] == "O.1")
    assert (kr_json["confidence"], kr_json["note"]) == (7.0, "ok")
    assert kr_json["trend"] == [["2026-11-14", 0.5], ["2026-11-21", 0.8]]
    objective = next(i for i in items if i["id"] == "O")
    assert (objective["confidence"], objective["note"]) == (None, None)


def test_trend_is_the_cycles_history_and_the_tree_shows_it_as_a_sparkline() -> None:
    org = Org({"Co": [obj("O"), kr("O.1", target=8, current=2)]})
    backend = MemoryBackend(org)
    backend.hub.tabs["History"] = [
        ["Date", "ID", "Score", "Status"],
        [dt.date(2026, 9, 30), "O.1", 1.0, "Done"],  # the cycle before: not in the trend
        [dt.date(2026, 10, 8), "o.1", 0.25, "On track"],
    ]
    run(backend, dt.date(2026, 11, 9), write=True, history=True)
    for day, current in ((16, 4), (23, 8)):
        backend.grids["Co"][2][HEADER.index("Current")] = current
        run(backend, dt.date(2026, 11, day), write=True, history=True)
    item = next(i for i in run(backend, AS_OF).computed.result.items if i.id == "O.1")
    assert [score for _, score in item.trend] == [0.25, 0.25, 0.5, 1.0]
    assert sparkline(item.trend) == "▃▃▅█"
    tree = backend.hub.tabs["Alignment Tree"]
    trend = tree[0].index("Trend")
    assert [row[trend] for row in tree[1:]] == ["▃▅█", "▃▃▅█"]  # O: no row before 11-09


def test_sparkline_shows_the_last_twelve() -> None:
    day = dt.date(2026, 10, 1)
    trend: list[tuple[dt.date, float | None]] = [(day, i / 20) for i in range(20)]
    assert len(sparkline(trend)) == 12 and sparkline(trend) == sparkline(trend[8:])
    assert sparkline(trend[:1]) == "▁" and sparkline(trend[10:11]) == "▅"


# -- the Check-ins tab ------------------------------------------------------------------------

CURRENT, CONFIDENCE, NOTE = (HEADER.index(c) for c in ("Current", "Confidence", "Note"))


def _org() -> Org:
    return Org({"Co": [obj("O"), kr("O.1", target=10), kr("O.2", target=10, current=3)]})


def test_the_first_sync_records_every_key_result_with_a_current() -> None:
    backend = MemoryBackend(_org())
    run(backend, AS_OF, write=True)
    tab = backend.hub.tabs["Check-ins"]
    assert tab[0] == CHECKINS_HEADER
    assert tab[1:] == [[AS_OF, "O.2", "Co", "owner@example.com", 3.0, 0.3, "Off track", None, None]]


def test_a_person_edited_tab_is_kept_and_appended_after_its_last_row() -> None:
    backend = MemoryBackend(_org())
    edited = [
        [
            "My col",
            "id",
            "DATE",
            "note",
            "Team",
            "Owner",
            "Current",
            "Score",
            "Status",
            "Confidence",
        ],
        ["mine", "O.2", dt.date(2026, 11, 1), "later", "Co", "x", 3, 0.3, "At risk", None],
        [None] * 10,
        ["keep", "O.2", dt.date(2026, 10, 20), "earlier", "Co", "x", 1, 0.1, "At risk", 5],
    ]
    backend.hub.tabs["Check-ins"] = [list(row) for row in edited]
    run(backend, AS_OF, write=True)  # O.2's latest (by date) row says Note 'later': it moved
    tab = backend.hub.tabs["Check-ins"]
    assert tab[:4] == edited
    assert tab[4:] == [
        [None, "O.2", AS_OF, None, "Co", "owner@example.com", 3.0, 0.3, "Off track", None]
    ]
    run(backend, AS_OF, write=True)
    assert len(backend.hub.tabs["Check-ins"]) == 5


def test_an_unusable_header_is_left_alone_and_said() -> None:
    backend = MemoryBackend(_org())
    backend.hub.tabs["Check-ins"] = [["When", "What"], ["yesterday", "stuff"]]
    result = run(backend, AS_OF, write=True).computed.result
    assert backend.hub.tabs["Check-ins"] == [["When", "What"], ["yesterday", "stuff"]]
    [finding] = [f for f in result.findings if f.code is Code.NOT_WRITTEN]
    assert "'Check-ins' tab" in finding.message and "'Date', 'ID'" in finding.message
    findings_tab = backend.hub.tabs["Findings"]
    assert any(row[1] == "NOT_WRITTEN" for row in findings_tab[1:])


_EDITS = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),  # which key result
        st.one_of(st.none(), st.integers(0, 10)),
        st.sampled_from([None, 2, "70%", "High"]),
        st.sampled_from([None, "", "on it", "blocked"]),
        st.booleans(),  # sync after this edit
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(_EDITS)
def test_checkins_are_the_distinct_check_ins_in_order(edits: list) -> None:  # type: ignore[type-arg]
    backend = MemoryBackend(_org())
    typed: dict[str, list[tuple[object, object, object]]] = {"O.1": [], "O.2": []}

    def sync_and_note() -> None:
        run(backend, AS_OF, write=True)
        for row in backend.grids["Co"][2:4]:
            now = (row[CURRENT], parse_confidence(row[CONFIDENCE]), (row[NOTE] or "").strip())
            now = (None if now[0] is None else float(now[0]), *now[1:])
            seen = typed[row[0]]
            if (seen[-1] if seen else (None, None, "")) != now:
                seen.append(now)

    sync_and_note()
    for which, current, confidence, note, then_sync in edits:
        row = backend.grids["Co"][1 + which]
        row[CURRENT], row[CONFIDENCE], row[NOTE] = current, confidence, note
        if then_sync:
            sync_and_note()
    tab = backend.hub.tabs.get("Check-ins", [CHECKINS_HEADER])
    for item_id, expected in typed.items():
        rows = [r for r in tab[1:] if r[1] == item_id]
        got = [(r[4], r[7], r[8] or "") for r in rows]
        assert got == expected
