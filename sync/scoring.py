"""Scores in [0, 1] rolled up the alignment forest, and statuses against the calendar (pure)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Protocol

from .graph import Alignment
from .model import Code, Finding, Item, ItemType, Settings, Status, TargetKind

__all__ = [
    "Weighted",
    "expected_progress",
    "key_result_score",
    "score_all",
    "score_item",
    "status_for",
    "weighted_mean",
]

# Two floats that differ by less than this are equal: 0.8 - 0.7 is "within 0.10" as people read it.
EPSILON = 1e-9


def expected_progress(settings: Settings, as_of: dt.date) -> float:
    """How far through the cycle `as_of` is, in [0, 1].

    >>> s = Settings(cycle_start=dt.date(2026, 10, 1), cycle_end=dt.date(2026, 12, 31))
    >>> round(expected_progress(s, dt.date(2026, 11, 21)), 4)
    0.5604
    """
    elapsed = (as_of - settings.cycle_start).days
    length = (settings.cycle_end - settings.cycle_start).days
    return min(1.0, max(0.0, elapsed / length))


def weighted_mean(children: Iterable[Weighted]) -> float | None:
    """Mean of the children's scores weighed by their own `Weight`; null scores and weight 0
    are left out, and None when nothing is left.

    >>> a, b = Item("A", ItemType.KEY_RESULT, "T", 2), Item("B", ItemType.KEY_RESULT, "T", 3)
    >>> a.score, a.weight, b.score, b.weight = 1.0, 3.0, 0.0, 1.0
    >>> weighted_mean([a, b])
    0.75
    """
    total = weights = 0.0
    for child in children:
        if child.score is not None and child.weight > 0:
            total += child.score * child.weight
            weights += child.weight
    if weights <= 0:
        return None
    mean = total / weights
    return mean if math.isfinite(mean) else None  # weights near 1e308 overflow


def key_result_score(item: Item) -> tuple[float | None, float | None]:
    """(score, progress) of a measured key result; progress is the unclamped ratio.

    >>> kr = Item("K", ItemType.KEY_RESULT, "T", 2, start=10, target=0, current=4,
    ...           target_kind=TargetKind.NUMBER)
    >>> key_result_score(kr)
    (0.6, 0.6)
    """
    current = item.current
    kind = item.target_kind
    if kind is TargetKind.NUMBER:
        if current is None:
            return 0.0, 0.0
        start = item.start or 0.0
        assert item.target is not None
        progress = (current - start) / (item.target - start)
        if not math.isfinite(progress):  # finite inputs near 1e308 can overflow
            return None, None
        return min(1.0, max(0.0, progress)), progress
    if kind is TargetKind.YES_NO:
        score = 1.0 if current is not None and current >= 1 else 0.0
        return score, score
    assert item.target is not None
    if current is None:
        return 0.0, 0.0
    met = {
        TargetKind.AT_LEAST: current >= item.target - EPSILON,
        TargetKind.AT_MOST: current <= item.target + EPSILON,
        TargetKind.ABOVE: current > item.target,
        TargetKind.BELOW: current < item.target,
    }[kind]
    score = 1.0 if met else 0.0
    return score, score


class Weighted(Protocol):
    """What a parent's score takes of each child: an `Item`, or a child known only by these."""

    @property
    def score(self) -> float | None: ...

    @property
    def weight(self) -> float: ...


def score_all(by_key: dict[str, Item], alignment: Alignment) -> list[Finding]:
    """Score every item children-first; items on cycles or with bad numbers stay null."""
    findings: list[Finding] = []
    for key in alignment.bottom_up:
        finding = score_item(
            by_key[key], alignment.key_results.get(key, ()), alignment.objectives.get(key, ())
        )
        if finding is not None:
            findings.append(finding)
    return findings


def score_item(
    item: Item, key_results: Sequence[Weighted], objectives: Sequence[Weighted]
) -> Finding | None:
    """Score one item from its own cells and its children (already scored): the key results
    below an objective, else the objectives aligned to it; the objectives aligned to a key
    result without a Target. A finding when it cannot be scored for a reason of its own."""
    where = f"Team {item.team}, row {item.row} ({item.id})"
    if item.type is ItemType.OBJECTIVE:
        score = weighted_mean(key_results)
        if score is None:
            score = weighted_mean(objectives)
        item.score = item.progress = score
        return None
    if item.target_kind is TargetKind.NONE:
        if objectives:
            item.score = item.progress = (
                None if item.has_number_error else weighted_mean(objectives)
            )
            return None
        if item.has_number_error:  # an unreadable Target is said once, as INVALID_NUMBER
            return None
        return Finding.on_row(
            Code.UNMEASURABLE,
            item.team,
            item.row,
            item.id,
            f"{where}: this key result has no Target and no objective aligns to it, "
            "so it cannot be scored; type a Target (a number, >= x, or yes).",
        )
    if item.has_number_error:
        return None
    if item.target_kind is TargetKind.NUMBER and item.target == (item.start or 0.0):
        return Finding.on_row(
            Code.ZERO_RANGE,
            item.team,
            item.row,
            item.id,
            f"{where}: Target equals Start ({item.target:g}), so progress cannot be "
            "measured; change the Target or the Start.",
        )
    item.score, item.progress = key_result_score(item)
    return None


def status_for(item: Item, expected: float, settings: Settings) -> Status:
    """The status of a scored item against the share of the cycle that has passed."""
    score = item.score
    if score is None:
        return Status.NO_DATA
    if item.type is ItemType.KEY_RESULT and item.target_kind in (
        TargetKind.AT_LEAST,
        TargetKind.AT_MOST,
        TargetKind.ABOVE,
        TargetKind.BELOW,
    ):
        return Status.ON_TRACK if score >= 1 else Status.OFF_TRACK
    if score >= 1 - EPSILON:
        return Status.DONE
    behind = expected - score
    if behind <= settings.on_track_within + EPSILON:
        return Status.ON_TRACK
    if behind <= settings.at_risk_within + EPSILON:
        return Status.AT_RISK
    return Status.OFF_TRACK
