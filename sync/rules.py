"""Method warnings: alignment, structure, ownership, freshness and dependency risk (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .graph import Alignment, DependencyGraph, reachable_risks
from .model import (
    STATUS_LABELS,
    Code,
    Finding,
    Item,
    ItemType,
    Level,
    Settings,
    Status,
    Team,
    id_key,
)

__all__ = [
    "OWN_CODES",
    "confidence_gap",
    "dependency_warnings",
    "method_warnings",
    "own_warnings",
]

RISKY = (Status.AT_RISK, Status.OFF_TRACK)


CONFIDENT_FROM = 7.0  # a forecast this high clashes with off track
DOUBTFUL_UP_TO = 3.0  # a forecast this low clashes with on track or done


def confidence_gap(item: Item) -> str | None:
    """What a key result's owner forecasts against what its status says, when they disagree.

    >>> item = Item("K", ItemType.KEY_RESULT, "T", 2, confidence=8, status=Status.OFF_TRACK)
    >>> confidence_gap(item)[:46]
    'Confidence 8/10 while the status is Off track:'
    """
    confidence = item.confidence
    if confidence is None or item.type is not ItemType.KEY_RESULT:
        return None
    clash = (confidence >= CONFIDENT_FROM and item.status is Status.OFF_TRACK) or (
        confidence <= DOUBTFUL_UP_TO and item.status in (Status.ON_TRACK, Status.DONE)
    )
    if not clash:
        return None
    return (
        f"Confidence {confidence:g}/10 while the status is {STATUS_LABELS[item.status]}: the "
        "owner's forecast and the score disagree; owner and team, talk about it, then update "
        "Current or Confidence."
    )


def method_warnings(
    items: list[Item],
    by_key: dict[str, Item],
    teams: dict[str, Team],
    alignment: Alignment,
    settings: Settings,
    as_of: dt.date,
) -> list[Finding]:
    """Every per-item and per-team method warning except the dependency ones."""
    findings: list[Finding] = []
    objectives_per_team: Counter[str] = Counter()
    team_of = {team.name: team for team in teams.values()}
    for item in items:
        team = team_of[item.team]
        findings.extend(own_warnings(item, team, settings, as_of))
        if item.type is ItemType.OBJECTIVE:
            objectives_per_team[item.team] += 1
            findings.extend(_link_warnings(item, team, by_key, teams, alignment, settings))
    for name, count in objectives_per_team.items():
        if count > settings.max_objectives:
            findings.append(
                Finding.on_team(
                    Code.TOO_MANY_OBJECTIVES,
                    name,
                    f"Team {name} has {count} objectives, more than {settings.max_objectives}; "
                    "focus on fewer objectives.",
                )
            )
    return findings


OWN_CODES = frozenset({Code.UNALIGNED, Code.NO_OWNER, Code.STALE, Code.CONFIDENCE_GAP})


def own_warnings(item: Item, team: Team, settings: Settings, as_of: dt.date) -> list[Finding]:
    """The method warnings (`OWN_CODES`) that follow from an item's own cells and status alone,
    not from its links to other items."""
    where = f"Team {item.team}, row {item.row} ({item.id})"
    findings: list[Finding] = []
    if item.type is ItemType.OBJECTIVE:
        if not item.parent_text and not item.why_now and team.level is not Level.COMPANY:
            findings.append(
                Finding.on_row(
                    Code.UNALIGNED,
                    item.team,
                    item.row,
                    item.id,
                    f"{where}: this objective aligns to nothing; type the ID it supports in "
                    "Parent, or say in Why now why it matters now.",
                )
            )
        return findings
    if not item.owner:
        findings.append(
            Finding.on_row(
                Code.NO_OWNER,
                item.team,
                item.row,
                item.id,
                f"{where}: this key result has no Owner; type who drives it.",
            )
        )
    if item.updated is not None and (as_of - item.updated).days > settings.stale_after_days:
        days = (as_of - item.updated).days
        findings.append(
            Finding.on_row(
                Code.STALE,
                item.team,
                item.row,
                item.id,
                f"{where}: last check-in {item.updated.isoformat()} is {days} days old "
                f"(more than {settings.stale_after_days}); update Current and Updated.",
            )
        )
    gap = confidence_gap(item)
    if gap is not None:
        findings.append(
            Finding.on_row(Code.CONFIDENCE_GAP, item.team, item.row, item.id, f"{where}: {gap}")
        )
    return findings


def _link_warnings(
    item: Item,
    team: Team,
    by_key: dict[str, Item],
    teams: dict[str, Team],
    alignment: Alignment,
    settings: Settings,
) -> list[Finding]:
    """An objective's warnings about its links: inverted alignment, key results too few or
    too many."""
    where = f"Team {item.team}, row {item.row} ({item.id})"
    findings: list[Finding] = []
    parent = by_key.get(item.parent) if item.parent else None
    if parent is not None and id_key(parent.team) != id_key(item.team):
        parent_team = teams[id_key(parent.team)]
        if parent_team.rank >= team.rank:
            findings.append(
                Finding.on_row(
                    Code.ALIGNMENT_INVERTED,
                    item.team,
                    item.row,
                    item.id,
                    f"{where}: aligns to {parent.id} of {parent.team} ({parent_team.level.value}), "
                    f"which is not above {item.team} ({team.level.value}); align to an item of a "
                    "team higher up.",
                    [parent.id],
                )
            )
    key_results = alignment.key_results.get(item.key, ())
    if not key_results and not alignment.objectives.get(item.key):
        findings.append(
            Finding.on_row(
                Code.NO_KEY_RESULTS,
                item.team,
                item.row,
                item.id,
                f"{where}: this objective has no key results and nothing aligns to it; add key "
                "results that measure it.",
            )
        )
    if len(key_results) > settings.max_key_results:
        findings.append(
            Finding.on_row(
                Code.TOO_MANY_KEY_RESULTS,
                item.team,
                item.row,
                item.id,
                f"{where}: {len(key_results)} key results, more than {settings.max_key_results}; "
                "keep the few that matter most.",
            )
        )
    return findings


def dependency_warnings(
    items: list[Item],
    by_key: dict[str, Item],
    graph: DependencyGraph,
    team_links: list[tuple[Item, str]],
    team_names: dict[str, str],
    alignment: Alignment,
) -> list[Finding]:
    """DEPENDENCY_AT_RISK and UNACKNOWLEDGED_DEPENDENCY, once statuses are known."""
    findings: list[Finding] = []
    risky = [item.key for item in items if item.status in RISKY]
    reached = reachable_risks(graph, risky)
    for item in items:
        keys = reached.get(item.key)
        if not keys:
            continue
        ids = sorted((by_key[k].id for k in keys), key=id_key)
        named = ", ".join(ids)
        findings.append(
            Finding.on_row(
                Code.DEPENDENCY_AT_RISK,
                item.team,
                item.row,
                item.id,
                f"Team {item.team}, row {item.row} ({item.id}): depends, directly or through "
                f"others, on {named}, at risk or off track; agree a plan with their owners.",
                ids,
            )
        )
    for item, team_key in team_links:
        objective = item if item.type is ItemType.OBJECTIVE else by_key.get(item.parent or "")
        if objective is None:
            continue
        anchors = {objective.key} | {kr.key for kr in alignment.key_results.get(objective.key, ())}
        supporters = [
            child
            for anchor in anchors
            for child in (
                *alignment.objectives.get(anchor, ()),
                *alignment.key_results.get(anchor, ()),
            )
            if id_key(child.team) == team_key
        ]
        if not supporters:
            name = team_names[team_key]
            findings.append(
                Finding.on_row(
                    Code.UNACKNOWLEDGED_DEPENDENCY,
                    item.team,
                    item.row,
                    item.id,
                    f"Team {item.team}, row {item.row} ({item.id}): depends on team {name}, but no "
                    f"{name} item aligns to {objective.id} or its key results; ask {name} to add "
                    f"one with Parent {objective.id}.",
                )
            )
    return findings
