"""The digest (SPEC §9): what changed since a date, and whom to ask for an update (pure).

History and Check-ins are analysed as whole tables with pandas: each item's status at the start
of the period is its latest History row on or before that day; the current run gives the status
now. Tabs are read tolerantly, columns by name, so a missing tab or column means "nothing known".

>>> parse_since("7d", dt.date(2026, 11, 23))
datetime.date(2026, 11, 16)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from sheets_templates.definition import HubTab, OutputCol, SettingKey

from .model import STATUS_LABELS, Code, Item, Result, Severity, Status, id_key
from .snapshot import Grid, TeamSnapshot, hub_tab
from .values import BadValue, cell_text, parse_date

__all__ = [
    "CONFIDENCE_GAP",
    "Change",
    "Digest",
    "Line",
    "build_digest",
    "digest_day",
    "parse_since",
    "table_frame",
]

CONFIDENCE_GAP = "CONFIDENCE_GAP"
# From best to worst; "no data" sits between on track and at risk: it is not yet bad news.
STATUS_ORDER = [Status.DONE, Status.ON_TRACK, Status.NO_DATA, Status.AT_RISK, Status.OFF_TRACK]
_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
_BY_LABEL = {label.casefold(): status for status, label in STATUS_LABELS.items()}
_BY_LABEL.update({status.value: status for status in Status})
_DAYS = re.compile(r"^\s*(\d+)\s*d\s*$", re.IGNORECASE)
DEFAULT_DAYS = 7
MAX_DAYS_DIGITS = 4  # up to 9999 days back; more is no period anyone means


def parse_since(text: str | None, as_of: dt.date) -> dt.date:
    """`--since`: a date (YYYY-MM-DD) or a number of days back (`14d`); default 7 days."""
    if text is None:
        return as_of - dt.timedelta(days=DEFAULT_DAYS)
    days = _DAYS.match(text)
    if days and len(days[1]) <= MAX_DAYS_DIGITS:
        return as_of - dt.timedelta(days=int(days[1]))
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is neither a date (YYYY-MM-DD) nor days back (7d)") from None


@dataclass(frozen=True, slots=True)
class Line:
    """One item in the digest, with where to find its row."""

    id: str
    title: str
    team: str
    owner: str
    status: Status
    link: str = ""
    detail: str = ""  # what the line says beyond the item: a date, a confidence, a message
    day: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Change:
    line: Line
    before: Status

    @property
    def worse(self) -> bool:
        return _RANK[self.line.status] > _RANK[self.before]


@dataclass(slots=True)
class Digest:
    as_of: dt.date
    since: dt.date
    cycle: str
    changes: list[Change] = field(default_factory=list)
    stale: dict[str, list[Line]] = field(default_factory=dict)  # by owner ("" = nobody)
    gaps: list[Line] = field(default_factory=list)
    errors: dict[str, list[Line]] = field(default_factory=dict)  # by team
    counts_then: dict[Status, int] = field(default_factory=dict)
    counts_now: dict[Status, int] = field(default_factory=dict)
    check_ins: dict[str, int] = field(default_factory=dict)  # check-ins in the period, by team


def table_frame(grid: Grid | None) -> pd.DataFrame:
    """A hub tab as a DataFrame: row 1 is the header (names trimmed), blank rows dropped."""
    if not grid:
        return pd.DataFrame()
    header = [cell_text(c) for c in grid[0]]
    rows = [list(r) + [None] * (len(header) - len(r)) for r in grid[1:]]
    frame = pd.DataFrame([r[: len(header)] for r in rows], columns=header, dtype=object)
    frame = frame.loc[:, [bool(name) for name in header]]
    return frame.dropna(how="all")


def _column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    for column in frame.columns:
        if str(column).casefold() == name.casefold():
            return frame[column]
    return None


def _days(series: pd.Series) -> pd.Series:
    def one(value: object) -> dt.date | None:
        try:
            return parse_date(value)
        except BadValue:
            return None

    return series.map(one)


def _statuses_on(history: pd.DataFrame, day: dt.date) -> dict[str, Status]:
    """Each item's status in its latest History row on or before `day`, by ID key."""
    dates, ids, labels = (
        _column(history, n) for n in (OutputCol.DATE, OutputCol.ID, OutputCol.STATUS)
    )
    if dates is None or ids is None or labels is None:
        return {}
    frame = pd.DataFrame(
        {
            "day": _days(dates),
            "key": ids.map(lambda v: id_key(cell_text(v))),
            "status": labels.map(lambda v: _BY_LABEL.get(cell_text(v).casefold())),
            "order": range(len(history)),
        }
    ).dropna()
    frame = frame[(frame["key"] != "") & (frame["day"] <= day)]
    latest = frame.sort_values(["day", "order"]).groupby("key").tail(1)
    return dict(zip(latest["key"], latest["status"], strict=True))


def _check_ins_by_team(check_ins: pd.DataFrame, since: dt.date, as_of: dt.date) -> dict[str, int]:
    dates, teams = _column(check_ins, OutputCol.DATE), _column(check_ins, OutputCol.TEAM)
    if dates is None or teams is None:
        return {}
    days = _days(dates)
    mask = days.map(lambda d: d is not None and since < d <= as_of).astype(bool)
    counts = teams[mask].map(cell_text).value_counts()
    return {str(team): int(n) for team, n in counts.items() if team}


def _confidence(check_ins: pd.DataFrame) -> dict[str, str]:
    """The latest Confidence recorded for each ID, as typed."""
    ids, confidence = _column(check_ins, OutputCol.ID), _column(check_ins, OutputCol.CONFIDENCE)
    if ids is None or confidence is None:
        return {}
    frame = pd.DataFrame({"key": ids.map(lambda v: id_key(cell_text(v))), "c": confidence})
    frame = frame[frame["c"].map(lambda v: bool(cell_text(v)))]
    latest = frame.groupby("key").tail(1)
    return {k: cell_text(v) for k, v in zip(latest["key"], latest["c"], strict=True)}


def build_digest(
    result: Result,
    snapshots: list[TeamSnapshot],
    tabs: dict[str, Grid],
    since: dt.date,
) -> Digest:
    """The digest of the run `result` over the period after `since`."""
    by_name = {id_key(name): grid for name, grid in tabs.items()}
    history = table_frame(by_name.get(id_key(HubTab.HISTORY)))
    check_ins = table_frame(by_name.get(id_key(HubTab.CHECK_INS)))
    links = {s.team: s for s in snapshots}
    items = {item.key: item for item in result.items}

    def line(item: Item, detail: str = "", day: dt.date | None = None) -> Line:
        snapshot = links.get(item.team)
        link = snapshot.link(item.row) if snapshot is not None else ""
        return Line(item.id, item.title, item.team, item.owner, item.status, link, detail, day)

    digest = Digest(result.as_of, since, result.cycle.name)
    then = _statuses_on(history, since)
    digest.counts_then = dict(Counter(then[k] for k in then if k in items))
    digest.counts_now = dict(Counter(item.status for item in result.items))
    changes = [
        Change(line(items[key]), before)
        for key, before in then.items()
        if key in items and items[key].status is not before
    ]
    changes.sort(key=lambda c: (not c.worse, -_RANK[c.line.status], id_key(c.line.id)))
    digest.changes = changes
    confidence = _confidence(check_ins)
    for finding in result.findings:
        item = items.get(id_key(finding.id)) if finding.id else None
        if finding.code is Code.STALE and item is not None:
            when = item.updated.isoformat() if item.updated else "never"
            digest.stale.setdefault(item.owner, []).append(line(item, when, item.updated))
        elif finding.code.value == CONFIDENCE_GAP and item is not None:
            said = getattr(item, "confidence", None)
            shown = f"{said:g}" if isinstance(said, float) else confidence.get(item.key, "")
            digest.gaps.append(line(item, shown))
        elif finding.severity is Severity.ERROR:
            team = finding.team or ""
            entry = (
                line(item, finding.message)
                if item is not None
                else Line(finding.id or "", "", team, "", Status.NO_DATA, detail=finding.message)
            )
            digest.errors.setdefault(team, []).append(entry)
    for lines in digest.stale.values():
        lines.sort(key=lambda s: (s.day or dt.date.min, id_key(s.id)))
    digest.stale = dict(sorted(digest.stale.items(), key=lambda kv: (not kv[0], kv[0].casefold())))
    digest.check_ins = _check_ins_by_team(check_ins, since, result.as_of)
    return digest


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DIGEST_DAY = SettingKey.DIGEST_DAY.casefold()


def digest_day(tabs: dict[str, Grid]) -> int:
    """The weekday (Monday = 0) named by the hub's `Digest day` setting; Monday when it is
    blank or names no weekday (`Mon`, `monday`, `MONDAY` all do).

    >>> digest_day({"Settings": [["Digest day", "Fri"]]})
    4
    """
    grid = hub_tab(tabs, HubTab.SETTINGS) or []
    for row in grid:
        if row and " ".join(cell_text(row[0]).split()).casefold() == _DIGEST_DAY:
            said = cell_text(row[1] if len(row) > 1 else None).casefold()
            for number, day in enumerate(_WEEKDAYS):
                if len(said) >= 3 and day.startswith(said):
                    return number
    return 0
