"""A quarter of `History` and `Check-ins` for the example organisation, made up the same way
every time, so the demo shows trends and the check-ins that led to today's numbers.

Each key result is replayed from the cycle start to its `Updated` date: its `Current` moves from
`Start` towards today's value along a curve of its own (some early, some late), checked in
weekly; yes/no results turn yes near the end; thresholds hold. Every replayed day is judged by
the real core, and `History` keeps only the rows where a score or status moved, as a nightly
`sync --history` would have. The last check-in of each key result is exactly what its row
holds now, so the first sync of the example appends nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sync.backends.xlsx_hub import write_tables
from sync.compute import compute
from sync.model import STATUS_LABELS, Item, Level, Settings, TargetKind, Team
from sync.snapshot import CellValue, Link, OutputTable, TeamSnapshot
from sync.template import Col
from sync.values import BadValue, parse_confidence, parse_number, parse_target, parse_yes_no

from .definition import HubTab, SettingKey, hub_column_names, team_column_names

__all__ = ["example_logs", "write_example_logs"]

WEEK = dt.timedelta(days=7)
EARLY_NOTES = ("Baseline confirmed.", "", "On plan this week.", "", "A slow week; catching up.")


def _curve(item_id: str) -> float:
    """How early (< 1) or late (> 1) this key result made its progress."""
    return 0.6 + (zlib.crc32(item_id.encode()) % 10) / 10


def _number(value: Any) -> float | None:
    try:
        return parse_number(value)
    except BadValue:
        return None


class _Replay:
    """One key result's values on any day of the cycle."""

    def __init__(self, row: dict[str, Any], start_day: dt.date) -> None:
        self.row = row
        self.id: str = row[Col.ID]
        self.updated: dt.date | None = row.get(Col.UPDATED)
        self.start_day = start_day
        kind, _ = parse_target(row.get(Col.TARGET))
        self.kind = kind
        reader = parse_yes_no if kind is TargetKind.YES_NO else _number
        self.final = reader(row.get(Col.CURRENT))
        self.start = _number(row.get(Col.START)) or 0.0
        self.confidence = parse_confidence(row.get(Col.CONFIDENCE))
        self.note: str = row.get(Col.NOTE) or ""

    def days(self) -> list[dt.date]:
        """Weekly check-ins after the cycle start, the last on `Updated`."""
        if self.updated is None:
            return []
        days = []
        day = self.start_day + WEEK
        while day < self.updated:
            days.append(day)
            day += WEEK
        return [*days, self.updated]

    def current(self, day: dt.date) -> float | None:
        if self.final is None or self.updated is None or day >= self.updated:
            return self.final
        span = max((self.updated - self.start_day).days, 1)
        share = min(max((day - self.start_day).days / span, 0.0), 1.0) ** _curve(self.id)
        if self.kind is TargetKind.YES_NO:
            return self.final if share > 0.8 else 0.0
        if self.kind is not TargetKind.NUMBER:
            return self.final  # a threshold held all along
        value = self.start + (self.final - self.start) * share
        return round(value, 4) if abs(self.final) < 10 else round(value)

    def checkin(self, index: int, last: bool) -> tuple[float | None, str]:
        """Confidence and note of the `index`-th check-in: today's on the last two."""
        if last:
            return self.confidence, self.note
        confidence = (
            self.confidence
            if index >= len(self.days()) - 2
            else (None if self.confidence is None else 6.0)
        )
        return confidence, EARLY_NOTES[(zlib.crc32(self.id.encode()) + index) % len(EARLY_NOTES)]


def _snapshots(
    teams: Iterable[Any], replays: dict[str, _Replay], day: dt.date
) -> list[TeamSnapshot]:
    names = team_column_names()
    snapshots = []
    for team in teams:
        grid: list[list[CellValue]] = [list(names)]
        for row in team.rows:
            replay = replays.get(row[Col.ID])
            values = dict(row)
            if replay is not None:
                values[Col.CURRENT] = replay.current(day)
                values[Col.UPDATED] = min(day, replay.updated) if replay.updated else None
            grid.append([values.get(name) for name in names])
        snapshots.append(TeamSnapshot(team.name, team.source, team.tab, grid))
    return snapshots


def example_logs(
    teams: Iterable[Any], settings: dict[str, Any], as_of: dt.date
) -> tuple[OutputTable, OutputTable]:
    """The example's `History` and `Check-ins` tabs from the cycle start to `as_of`."""
    teams = list(teams)
    start_day: dt.date = settings[SettingKey.CYCLE_START]
    judged = Settings(start_day, settings[SettingKey.CYCLE_END], settings[SettingKey.CYCLE])
    team_list = [
        Team(t.name, Level(t.level.lower()), t.parent or None, t.source, t.tab) for t in teams
    ]
    replays = {
        row[Col.ID]: _Replay(row, start_day)
        for team in teams
        for row in team.rows
        if row[Col.TYPE] == "Key Result"
    }
    history_days = [start_day + WEEK * k for k in range((as_of - start_day).days // 7 + 1)]
    history_days = sorted({*history_days, as_of})
    checkin_days = {day for replay in replays.values() for day in replay.days()}
    judged_on: dict[dt.date, dict[str, Item]] = {}
    for day in sorted({*history_days, *checkin_days}):
        result = compute(team_list, judged, _snapshots(teams, replays, day), day).result
        judged_on[day] = {item.id: item for item in result.items}
    return _history(history_days, judged_on), _checkins(replays, judged_on)


def _score(item: Item) -> float | None:
    return None if item.score is None else round(item.score, 2)


def _history(days: list[dt.date], judged_on: dict[dt.date, dict[str, Item]]) -> OutputTable:
    rows: list[list[CellValue | Link]] = []
    latest: dict[str, tuple[float | None, str]] = {}
    for day in days:
        for item in judged_on[day].values():
            now = (_score(item), STATUS_LABELS[item.status])
            if latest.get(item.id) != now:
                latest[item.id] = now
                rows.append([day, item.id, *now])
    return OutputTable(HubTab.HISTORY.value, hub_column_names(HubTab.HISTORY), rows)


def _checkins(
    replays: dict[str, _Replay], judged_on: dict[dt.date, dict[str, Item]]
) -> OutputTable:
    entries: list[tuple[dt.date, int, list[CellValue | Link]]] = []
    for order, replay in enumerate(replays.values()):
        days = replay.days()
        before: tuple[Any, ...] = (None, None, "")
        for index, day in enumerate(days):
            confidence, note = replay.checkin(index, index == len(days) - 1)
            current = replay.current(day)
            if (current, confidence, note) == before:
                continue
            before = (current, confidence, note)
            item = judged_on[day][replay.id]
            status = STATUS_LABELS[item.status]
            row: list[CellValue | Link] = [
                *(day, item.id, item.team, item.owner or None, current, _score(item), status)
            ]
            entries.append((day, order, [*row, confidence, note or None]))
    rows = [row for _, _, row in sorted(entries, key=lambda e: (e[0], e[1]))]
    return OutputTable(HubTab.CHECK_INS.value, hub_column_names(HubTab.CHECK_INS), rows)


def write_example_logs(
    hub: Path, teams: Iterable[Any], settings: dict[str, Any], as_of: dt.date
) -> None:
    """Add the example's History and Check-ins tabs to the hub workbook at `hub`."""
    history, checkins = example_logs(teams, settings, as_of)
    temporary = hub.with_name(f".{hub.name}.example.tmp")
    write_tables(hub, [history, checkins], temporary)
    os.replace(temporary, hub)
