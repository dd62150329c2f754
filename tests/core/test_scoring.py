"""SPEC §3: key-result formulas, roll-ups up the tree, and statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.model import Code, Item, ItemType, Settings, Status, TargetKind
from sync.scoring import expected_progress, status_for
from tests.orgs import Org, kr, obj


def scores(org: Org) -> dict[str, tuple[float | None, float | None]]:
    return {i.id: (i.score, i.progress) for i in org.compute().result.items}


@pytest.mark.parametrize(
    ("cells", "score", "progress"),
    [
        ({"start": 0, "target": 100, "current": 40}, 0.4, 0.4),
        ({"target": 100, "current": 40}, 0.4, 0.4),  # blank Start means 0
        ({"start": 20, "target": 120, "current": 70}, 0.5, 0.5),
        ({"start": 0, "target": 100, "current": 150}, 1.0, 1.5),  # clamped, progress is not
        ({"start": 10, "target": 20, "current": 5}, 0.0, -0.5),
        ({"start": 50, "target": 10, "current": 30}, 0.5, 0.5),  # decreasing: target < start
        ({"start": 50, "target": 10, "current": 60}, 0.0, -0.25),
        ({"start": 0, "target": 100}, 0.0, 0.0),  # blank Current scores 0
        ({"start": "0", "target": "1,200", "current": "300"}, 0.25, 0.25),
        ({"start": "10%", "target": "60%", "current": "35%"}, 0.5, 0.5),
        ({"target": ">= 99.9", "current": 99.95}, 1.0, 1.0),
        ({"target": ">= 99.9", "current": 99.9}, 1.0, 1.0),
        ({"target": ">= 99.9", "current": 99.8}, 0.0, 0.0),
        ({"target": "<= 2", "current": 2}, 1.0, 1.0),
        ({"target": "<= 2", "current": 3}, 0.0, 0.0),
        ({"target": ">= 99.9"}, 0.0, 0.0),
        ({"target": "yes", "current": "done"}, 1.0, 1.0),
        ({"target": "TRUE", "current": True}, 1.0, 1.0),
        ({"target": "done", "current": "no"}, 0.0, 0.0),
        ({"target": "yes", "current": 1}, 1.0, 1.0),
        ({"target": "yes", "current": 0.5}, 0.0, 0.0),
        ({"target": "yes"}, 0.0, 0.0),
        ({"target": 100, "current": "lots"}, None, None),  # INVALID_NUMBER: null
        ({"start": "x", "target": 100, "current": 5}, None, None),
        ({"target": 0, "current": 5}, None, None),  # ZERO_RANGE: null
        ({"target": None}, None, None),  # UNMEASURABLE: null
    ],
)
def test_key_result_score(
    cells: dict[str, object], score: float | None, progress: float | None
) -> None:
    got = scores(Org({"Co": [obj("O"), kr("K", **cells)]}))["K"]
    assert got == (
        pytest.approx(score) if score is not None else None,
        pytest.approx(progress) if progress is not None else None,
    )


def test_objective_is_the_weighted_mean_of_its_key_results() -> None:
    org = Org(
        {
            "Co": [
                obj("O"),
                kr("K1", target=100, current=100, weight=3),
                kr("K2", target=100, current=0, weight=1),
                kr("K3", target=100, current=50, weight=0),  # weight 0: left out
                kr("K4", target=None),  # null score: left out
                kr("K5", target=100, current=30, weight="2,0"),  # bad weight counts as 1
            ]
        }
    )
    assert scores(org)["O"][0] == pytest.approx((1.0 * 3 + 0 + 0.3 * 1) / 5)


def test_objective_without_scored_key_results_averages_aligned_objectives() -> None:
    org = Org(
        {
            "Co": [
                obj("TOP"),
                obj("A", parent="TOP", weight=2),
                kr("A1", target=10, current=10),
                obj("B", parent="TOP"),
                kr("B1", target=10, current=4),
                obj("C", parent="TOP", weight=0),
                kr("C1", target=10, current=0),
            ]
        }
    )
    assert scores(org)["TOP"][0] == pytest.approx((1.0 * 2 + 0.4) / 3)


def test_objective_with_scored_key_results_ignores_aligned_objectives() -> None:
    org = Org(
        {
            "Co": [
                obj("TOP"),
                kr("T1", target=10, current=5),
                obj("A", parent="TOP"),
                kr("A1", target=10, current=10),
            ]
        }
    )
    assert scores(org)["TOP"][0] == pytest.approx(0.5)


def test_key_result_without_target_rolls_up_aligned_objectives() -> None:
    org = Org(
        {
            "Co": [
                obj("TOP"),
                kr("ROLL", target=None, weight=1),
                obj("A", parent="ROLL", weight=1),
                kr("A1", target=10, current=8),
                obj("B", parent="ROLL", weight=3),
                kr("B1", target=10, current=4),
            ]
        }
    )
    result = org.compute().result
    got = {i.id: i.score for i in result.items}
    assert got["ROLL"] == pytest.approx((0.8 + 0.4 * 3) / 4)
    assert got["TOP"] == pytest.approx(got["ROLL"])
    assert Code.UNMEASURABLE not in {f.code for f in result.findings}


def test_nothing_to_average_is_null() -> None:
    got = scores(Org({"Co": [obj("O"), obj("A", parent="O")]}))
    assert got == {"O": (None, None), "A": (None, None)}


def test_items_on_an_alignment_cycle_are_null_but_what_hangs_below_is_scored() -> None:
    org = Org(
        {
            "Co": [
                obj("A", parent="B"),
                kr("A1", target=10, current=10),
                obj("B", parent="A1"),
                kr("B1", target=10, current=5),
                obj("C", parent="B1"),
                kr("C1", target=10, current=5),
            ]
        }
    )
    got = scores(org)
    assert {k: v[0] for k, v in got.items()} == {
        "A": None,
        "A1": None,
        "B": None,
        "B1": 0.5,
        "C": 0.5,
        "C1": 0.5,
    }


SETTINGS = Settings(dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 9, 1), 0.0),
        (dt.date(2026, 10, 1), 0.0),
        (dt.date(2026, 11, 21), 51 / 91),
        (dt.date(2026, 12, 31), 1.0),
        (dt.date(2027, 3, 1), 1.0),
    ],
)
def test_expected_progress(as_of: dt.date, expected: float) -> None:
    assert expected_progress(SETTINGS, as_of) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("score", "expected", "kind", "status"),
    [
        (None, 0.5, TargetKind.NUMBER, Status.NO_DATA),
        (1.0, 0.5, TargetKind.NUMBER, Status.DONE),
        (1.0, 1.0, TargetKind.YES_NO, Status.DONE),
        (0.5, 0.5, TargetKind.NUMBER, Status.ON_TRACK),
        (0.9, 0.5, TargetKind.NUMBER, Status.ON_TRACK),  # ahead
        (0.4, 0.5, TargetKind.NUMBER, Status.ON_TRACK),  # exactly 0.10 behind
        (0.7, 0.8, TargetKind.NUMBER, Status.ON_TRACK),  # 0.10 behind in floating point
        (0.39, 0.5, TargetKind.NUMBER, Status.AT_RISK),
        (0.25, 0.5, TargetKind.NUMBER, Status.AT_RISK),  # exactly 0.25 behind
        (0.24, 0.5, TargetKind.NUMBER, Status.OFF_TRACK),
        (0.0, 0.0, TargetKind.NUMBER, Status.ON_TRACK),
        (1.0, 0.9, TargetKind.AT_LEAST, Status.ON_TRACK),  # thresholds: met is on track
        (0.0, 0.0, TargetKind.AT_MOST, Status.OFF_TRACK),
    ],
)
def test_status(score: float | None, expected: float, kind: TargetKind, status: Status) -> None:
    item = Item("K", ItemType.KEY_RESULT, "T", 2, target_kind=kind)
    item.score = score
    assert status_for(item, expected, SETTINGS) is status


def test_status_thresholds_come_from_settings() -> None:
    item = Item("O", ItemType.OBJECTIVE, "T", 2)
    item.score = 0.3
    loose = Settings(SETTINGS.cycle_start, SETTINGS.cycle_end, on_track_within=0.3)
    assert status_for(item, 0.55, SETTINGS) is Status.AT_RISK
    assert status_for(item, 0.55, loose) is Status.ON_TRACK


def test_objective_status_uses_its_rolled_up_score() -> None:
    org = Org({"Co": [obj("O"), kr("K", target=100, current=10)]})  # 0.1 against 0.56 expected
    statuses = {i.id: i.status for i in org.compute().result.items}
    assert statuses == {"O": Status.OFF_TRACK, "K": Status.OFF_TRACK}
