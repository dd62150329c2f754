"""The hub's log tabs in brief: the few rows of each that a sync without writing them needs (pure).

A `History` or `Check-ins` tab grows with every sync, but a sync that does not append to it
needs little of it: of History, each item's sparkline (the `Trend` column); of Check-ins, each
key result's latest row, which a new check-in is found against. `condense` keeps just those (the
rows with the header, in their order), so a run over a long log costs what a short one does.
The whole tab stays at hand in a `logtab.CondensedLog`, loaded only when a run appends to the
tab or shows whole trends (`--json`, the service).
"""

from __future__ import annotations

import datetime as dt

from sheets_templates.definition import HubTab, OutputCol

from .history import sparkline
from .logtab import LogTab, read_log
from .model import id_key
from .snapshot import Grid

__all__ = ["condense"]

_HISTORY, _CHECK_INS = id_key(HubTab.HISTORY), id_key(HubTab.CHECK_INS)
_SCORE = OutputCol.SCORE.value


def condense(
    title: str, grid: Grid, cycle: tuple[dt.date, dt.date]
) -> tuple[Grid, dict[str, str] | None] | None:
    """The rows of log tab `title` a run needs when it does not append to it, and for History
    (whose rows it then needs none of) each ID's sparkline (see the module docstring); None
    when every row may matter (an unusable header, another tab)."""
    kind = id_key(title)
    if kind not in (_HISTORY, _CHECK_INS):
        return None
    log = read_log(HubTab.HISTORY.value if kind == _HISTORY else HubTab.CHECK_INS.value, grid)
    if not log.usable:
        return None
    header: Grid = [list(log.header)] if log.header else []
    if kind == _HISTORY:
        return header, _sparks(log, cycle)
    return [*header, *(log.rows[index] for index in sorted(_latest_rows(log)))], None


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


def _latest_rows(log: LogTab) -> set[int]:
    """Each ID's latest row: by date (a row without one counts as oldest), a later row winning
    a tie, as `checkins.plan_checkins` compares."""
    latest: dict[str, tuple[dt.date, int]] = {}
    for index, row in enumerate(log.rows):
        key = log.id_key(row)
        if not key:
            continue
        day = log.date(row) or dt.date.min
        if key not in latest or day >= latest[key][0]:
            latest[key] = (day, index)
    return {index for _, index in latest.values()}
