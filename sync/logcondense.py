"""The hub's log tabs in brief: the few rows of each that a sync without writing them needs (pure).

A `History` or `Check-ins` tab grows with every sync, but a sync needs little of it: each ID's
latest row, which a new row is found against, and of History each item's sparkline (the `Trend`
column). `condense` keeps just those, and `after_append` keeps them up to date as rows are
appended, so a run over a long log costs what a short one does. The whole tab stays at hand in
a `logtab.CondensedLog`, loaded only when a run must write the tab whole (a History row of the
same date replaced, a tab a backend cannot append to) or shows whole trends (`--json`, the
service).
"""

from __future__ import annotations

import datetime as dt

from sheets_templates.definition import HubTab, OutputCol

from .history import SPARK_LENGTH, sparkline
from .logtab import CondensedLog, LogTab, read_log
from .model import id_key
from .snapshot import CellValue, Grid

__all__ = ["after_append", "condense"]

_HISTORY, _CHECK_INS = id_key(HubTab.HISTORY), id_key(HubTab.CHECK_INS)
_SCORE = OutputCol.SCORE.value


def condense(title: str, grid: Grid, cycle: tuple[dt.date, dt.date]) -> CondensedLog | None:
    """Log tab `title` in brief, keeping `grid` (without its trailing blank rows) as its whole
    (see the module docstring); None when every row may matter (an unusable header, another
    tab)."""
    log = _log(title, grid)
    if log is None or not log.usable:
        return None
    if not log.header:
        return CondensedLog([], [], 0)
    whole: Grid = [list(log.header), *log.rows]
    made = CondensedLog(_latest(log), [whole], len(log.rows))
    if id_key(title) == _HISTORY:
        made.sparks, made.cycle, made.last_day = _sparks(log, cycle), cycle, _last_day(log)
    return made


def after_append(title: str, log: CondensedLog, appended: Grid) -> CondensedLog:
    """`log` once `appended` (rows as read back) follow its rows. A History's rows are
    appended after every row it holds (dated later), so they end each item's trend."""
    brief = _log(title, [log[0], *appended])
    kept = _log(title, log)
    assert brief is not None and kept is not None and brief.usable, "a log has its header"
    dropped, winners = _latest_after(kept, brief)
    made = CondensedLog(
        [row for at, row in enumerate(log) if at not in dropped] + winners,
        [*log.chunks, appended],
        log.body_rows + len(appended),
        unpack=log.unpack,
    )
    _keep_edits(log, made, dropped, winners)
    if log.sparks is not None and log.cycle is not None:
        cycle = log.cycle
        sparks = dict(log.sparks)
        days = [log.last_day] if log.last_day is not None else []
        for row in brief.rows:
            day = brief.date(row)
            if day is not None:
                days.append(day)
                if cycle[0] <= day <= cycle[1]:
                    spark = sparks.get(key := brief.id_key(row), "")
                    sparks[key] = (spark + sparkline([(day, brief.number(row, _SCORE))]))[
                        -SPARK_LENGTH:
                    ]
        made.sparks, made.cycle, made.last_day = sparks, cycle, max(days, default=None)
    return made


def _keep_edits(log: CondensedLog, made: CondensedLog, dropped: set[int], winners: Grid) -> None:
    """`made` as `log`'s base with its edits and these: `log`'s rows at `dropped` (header
    first) left out and `winners` added; a base edited much is saved whole again."""
    base = log.base if log.base is not None else list(log)
    before = set(log.dropped)
    survivors = [at for at in range(len(base)) if at not in before]
    from_base = {survivors[at] for at in dropped if at < len(survivors)}
    from_added = {at - len(survivors) for at in dropped if at >= len(survivors)}
    made.dropped = sorted(before | from_base)
    made.added = [row for at, row in enumerate(log.added) if at not in from_added] + winners
    edits = len(made.dropped) + len(made.added)
    made.base = base if edits <= max(_REBASE_FROM, len(base) // 10) else None


def _latest_after(kept: LogTab, added: LogTab) -> tuple[set[int], Grid]:
    """`_latest` of the tab `kept` (each ID's latest row) once the rows of `added` follow: the
    rows of `kept` it drops (counted with the header first) and the rows of `added` it keeps."""
    undated = dt.date.min if id_key(kept.name) == _CHECK_INS else None
    rows: list[list[CellValue] | None] = list(kept.rows)
    at = kept.latest_of([added.id_key(row) for row in added.rows], undated)
    for row in added.rows:
        key, day = added.id_key(row), added.date(row) or undated
        if not key or day is None:
            continue
        before = at.get(key)
        if before is not None:
            latest = rows[before]
            assert latest is not None
            if day < (kept.date(latest) or undated or day):
                continue
            rows[before] = None
        at[key] = len(rows)
        rows.append(row)
    body = len(kept.rows)
    dropped = {at + 1 for at in range(body) if rows[at] is None}
    return dropped, [row for row in rows[body:] if row is not None]


_REBASE_FROM = 1_000  # edits to a log's saved rows kept apart before it is saved whole again


def _log(title: str, grid: Grid) -> LogTab | None:
    kind = id_key(title)
    if kind not in (_HISTORY, _CHECK_INS):
        return None
    return read_log(HubTab.HISTORY.value if kind == _HISTORY else HubTab.CHECK_INS.value, grid)


def _sparks(log: LogTab, cycle: tuple[dt.date, dt.date]) -> dict[str, str]:
    """Each ID's sparkline: its rows dated within the cycle, by date then position, as
    `history.plan_history` orders a trend."""
    start, end = cycle
    dated: dict[str, list[tuple[dt.date, int, float | None]]] = {}
    for index, row in enumerate(log.rows):
        day = log.date(row)
        if day is not None and start <= day <= end:
            key = log.id_key(row)
            dated.setdefault(key, []).append((day, index, log.number(row, _SCORE)))
    sparks = {}
    for key, rows in dated.items():
        rows.sort(key=lambda row: row[:2])
        sparks[key] = sparkline([(day, score) for day, _, score in rows])
    return sparks


def _last_day(log: LogTab) -> dt.date | None:
    return max((day for row in log.rows if (day := log.date(row)) is not None), default=None)


def _latest(log: LogTab) -> Grid:
    """The header and each ID's latest row, in their order, as `checkins.plan_checkins` and a
    recording `history.plan_history` find it: an undated row counts as oldest in Check-ins
    and not at all in History."""
    undated = dt.date.min if id_key(log.name) == _CHECK_INS else None
    return [list(log.header), *(log.rows[i] for i in sorted(log.latest(undated).values()))]
