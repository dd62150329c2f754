"""The hub's `History` tab: rows only where something moved, and each item's trend (pure).

A run with `--history` records a row for each item whose score or status differs from that
item's latest earlier row (the first run records every item), so the tab grows with change, not
with days x items. Rows dated `as_of` are this date's record and are replaced when it re-runs.
Every item's `trend` is its rows dated within the current cycle, oldest first, and its `spark` the
sparkline of that trend's last rows; from a condensed History (`sync.logcondense`), only the spark.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sheets_templates.definition import HubTab, OutputCol

from .logtab import CondensedLog, read_log, whole_log
from .model import STATUS_LABELS, Finding, Item, Result
from .snapshot import CellValue, Grid, Link, OutputTable
from .values import cell_text

__all__ = ["SPARK_BARS", "HistoryPlan", "plan_history", "sparkline"]

# Plain strings, looked up per row of a long History.
_DATE, _ID, _SCORE, _STATUS = (
    c.value for c in (OutputCol.DATE, OutputCol.ID, OutputCol.SCORE, OutputCol.STATUS)
)

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_BLANK = "·"  # a History row without a score
SPARK_LENGTH = 12


def sparkline(trend: list[tuple[dt.date, float | None]], length: int = SPARK_LENGTH) -> str:
    """The last `length` scores of a trend as bars, oldest first, the same in every backend.

    >>> d = dt.date(2026, 10, 1)
    >>> sparkline([(d, 0.0), (d, 0.5), (d, None), (d, 1.0)])
    '▁▅·█'
    """
    return "".join(
        SPARK_BLANK
        if score is None
        else SPARK_BARS[round(min(max(score, 0.0), 1.0) * (len(SPARK_BARS) - 1))]
        for _, score in trend[-length:]
    )


@dataclass(slots=True)
class HistoryPlan:
    """The History tab to write (None: leave it), and a finding when it could not be used."""

    table: OutputTable | None
    finding: Finding | None = None


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def plan_history(result: Result, grid: Grid | None, record: bool) -> HistoryPlan:
    """Set every item's trend from the History tab (with this run's rows when `record`), and
    return the tab to write when recording."""
    brief = grid if isinstance(grid, CondensedLog) and grid.sparks is not None else None
    if brief is not None and not record:
        _set_sparks(result, brief.sparks or {}, [])
        return HistoryPlan(None)
    # Of a History in brief (each item's latest row), rows are appended after every row there,
    # unless some are dated this date or later: then the tab is written whole, every row of it.
    appends = brief is not None and (brief.last_day is None or brief.last_day < result.as_of)
    if record and not appends:
        grid = whole_log(grid)
    log = read_log(HubTab.HISTORY.value, grid)
    if not log.usable:
        return HistoryPlan(None, log.unusable_finding() if record else None)
    as_of = result.as_of
    start, end = result.cycle.start, result.cycle.end
    kept: list[list[CellValue]] = []
    dated: list[tuple[dt.date, str, float | None, str]] = []  # (date, id key, score, status)
    keys: dict[tuple[type, CellValue], str] = {}  # by the ID cell: an item has many rows
    assert log.columns is not None
    # Column places looked up once: this loop walks every row of a long History.
    at_date, at_id, at_score = (log.columns[c] for c in (_DATE, _ID, _SCORE))
    for row in log.rows:
        width = len(row)
        value = row[at_date] if at_date < width else None
        day = value.date() if type(value) is dt.datetime else log.date(row)
        if record and day == as_of:
            continue  # this date's record is replaced
        kept.append(row)
        if day is None or (not record and not start <= day <= end):
            continue  # only a recording run needs rows outside the cycle (latest per item)
        status = cell_text(log.cell(row, _STATUS)).casefold() if record else ""
        cell = row[at_id] if at_id < width else None
        key = keys.get((type(cell), cell))
        if key is None:
            key = keys[(type(cell), cell)] = log.id_key(row)
        score = row[at_score] if at_score < width else None
        if type(score) is not float or not math.isfinite(score):  # as written: the common case
            score = log.number(row, _SCORE)
        dated.append((day, key, score, status))
    appended: list[list[CellValue | Link]] = []
    if record:
        latest: dict[str, tuple[dt.date, float | None, str]] = {}
        for day, key, score, status in dated:
            if day < as_of and (key not in latest or day >= latest[key][0]):
                latest[key] = (day, score, status)
        for item in result.items:
            score, label = _score(item.score), STATUS_LABELS[item.status]
            before = latest.get(item.key)
            if before is not None and _same(before[1], score) and before[2] == label.casefold():
                continue
            appended.append(
                log.laid_out(
                    {
                        OutputCol.DATE: as_of,
                        OutputCol.ID: item.id,
                        OutputCol.SCORE: score,
                        OutputCol.STATUS: label,
                    }
                )
            )
            dated.append((as_of, item.key, score, label.casefold()))
    if appends and brief is not None:
        _set_sparks(result, brief.sparks or {}, dated[len(dated) - len(appended) :])
        return HistoryPlan(log.table(appended) if appended else None)
    _set_trends(result, dated)
    if not record:
        return HistoryPlan(None)
    log.rows = kept
    table = log.table(appended)
    table.kept_rows = 0  # a date re-run replaces rows: the tab is written whole
    return HistoryPlan(table)


def _same(before: float | None, now: float | None) -> bool:
    if before is None or now is None:
        return before is now
    return abs(before - now) < 0.005


def _set_trends(result: Result, dated: list[tuple[dt.date, str, float | None, str]]) -> None:
    start, end = result.cycle.start, result.cycle.end
    by_key: dict[str, Item] = {item.key: item for item in result.items}
    for item in result.items:
        item.trend = []
    for day, key, score, _ in sorted(dated, key=lambda row: row[0]):
        found = by_key.get(key)
        if found is not None and start <= day <= end:
            found.trend.append((day, score))
    for item in result.items:
        item.spark = sparkline(item.trend)


def _set_sparks(
    result: Result, sparks: dict[str, str], added: list[tuple[dt.date, str, float | None, str]]
) -> None:
    """Each item's sparkline alone, as a condensed History keeps it, with the `added` rows
    (dated after every row there) at its end; its trend stays unknown."""
    start, end = result.cycle.start, result.cycle.end
    new = {key: sparkline([(day, score)]) for day, key, score, _ in added if start <= day <= end}
    for item in result.items:
        item.trend = []
        item.spark = (sparks.get(item.key, "") + new.get(item.key, ""))[-SPARK_LENGTH:]
