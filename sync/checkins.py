"""The hub's `Check-ins` tab: a row each time an owner's Current, Confidence or Note moved (pure).

Every sync compares each key result with the latest row recorded for its ID (latest by `Date`,
then by position) and appends a row when its `Current`, `Confidence` or `Note` differs. A key
result with no row yet gets one when any of the three is filled in. Rows already in the tab are
never rewritten, reordered or dropped; columns a person added are kept.
"""

from __future__ import annotations

import datetime as dt

from sheets_templates.definition import HubTab, OutputCol

from .logtab import LogTab, read_log
from .model import STATUS_LABELS, Item, ItemType
from .snapshot import CellValue, Grid, Link
from .values import BadValue, cell_text, parse_confidence

__all__ = ["Checkin", "checkin_of", "plan_checkins"]


Checkin = tuple[float | None, float | None, str]  # (Current, Confidence, Note) as compared


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


def checkin_of(item: Item) -> Checkin:
    """What a key result's owner has typed, as check-ins compare it."""
    return (_rounded(item.current), _rounded(item.confidence), item.note.strip())


def _recorded(log: LogTab, row: list[CellValue]) -> Checkin:
    try:
        confidence = parse_confidence(log.cell(row, OutputCol.CONFIDENCE))
    except BadValue:
        confidence = None
    note = cell_text(log.cell(row, OutputCol.NOTE))
    return (_rounded(log.number(row, OutputCol.CURRENT)), _rounded(confidence), note)


def _latest(log: LogTab, keys: set[str]) -> dict[str, Checkin]:
    """The latest recorded check-in of each of these IDs: by date, a later row winning a tie."""
    latest = log.latest_of(keys, dt.date.min)
    return {key: _recorded(log, log.rows[at]) for key, at in latest.items()}


def plan_checkins(
    items: list[Item], as_of: dt.date, grid: Grid | None
) -> tuple[LogTab, list[list[CellValue | Link]]]:
    """The tab as read and the rows to append after its last row for these items (none when
    nothing moved)."""
    log = read_log(HubTab.CHECK_INS.value, grid)
    if not log.usable:
        return log, []
    latest = _latest(log, {item.key for item in items if item.type is ItemType.KEY_RESULT})
    appended: list[list[CellValue | Link]] = []
    for item in items:
        if item.type is not ItemType.KEY_RESULT or item.has_number_error:
            continue  # an unreadable Current is not a check-in
        now = checkin_of(item)
        before = latest.get(item.key, (None, None, ""))
        if now == before:
            continue
        appended.append(
            log.laid_out(
                {
                    OutputCol.DATE: item.updated or as_of,
                    OutputCol.ID: item.id,
                    OutputCol.TEAM: item.team,
                    OutputCol.OWNER: item.owner or None,
                    OutputCol.CURRENT: item.current,
                    OutputCol.SCORE: None if item.score is None else round(item.score, 2),
                    OutputCol.STATUS: STATUS_LABELS[item.status],
                    OutputCol.CONFIDENCE: item.confidence,
                    OutputCol.NOTE: item.note or None,
                }
            )
        )
    return log, appended
