"""`okrtree rollover`: check, final sync, archive and rewrite every team tab, then the hub's cycle.

The order makes it safe to run again after an interruption: the hub's `Settings` are written
last, and only when every team that could be rolled was; a team whose archive tab exists and
whose live tab is what rolling that archive gives (`already_rolled`) is skipped.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Protocol

from sheets_templates.definition import HubTab, SettingKey

from .backends.base import Backend, WriteRefused
from .compute import sort_findings
from .engine import Run, read_and_compute, run
from .errors import SourceError
from .model import Code, Finding, Status, id_key
from .rollover import (
    NewCycle,
    TabPlan,
    TabRollover,
    already_rolled,
    archive_name,
    check_new_cycle,
    plan_tab,
)
from .snapshot import CellValue, Grid, TeamSnapshot, hub_tab
from .values import cell_text

__all__ = ["RolloverRefused", "RolloverReport", "Roller", "TeamRoll", "report_json", "rollover"]


class RolloverRefused(SourceError):
    """The new cycle cannot be opened as asked; nothing was written."""


class Roller(Protocol):
    """What a rollover needs from a backend beyond reading and syncing."""

    def tab_names(self, snapshot: TeamSnapshot) -> list[str]: ...

    def read_tab(self, snapshot: TeamSnapshot, tab: str) -> Grid | None: ...

    def roll_team(self, roll: TabRollover) -> None:
        """Archive and rewrite one team tab, or raise `WriteRefused` having written nothing."""
        ...

    def write_settings(self, cells: dict[tuple[int, int], CellValue]) -> None: ...


@dataclass(slots=True)
class TeamRoll:
    """One team's part: `state` is planned, rolled, already_rolled, not_rolled or skipped."""

    team: str
    source: str
    tab: str
    archive_tab: str
    state: str
    plan: TabPlan | None = None
    reason: str = ""
    # carried items whose Parent stays only in an archive: (ID, Parent), to be aligned anew
    parent_archived: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class RolloverReport:
    """What a rollover planned or did; `complete` when every team that can be rolled was."""

    old: NewCycle
    new: NewCycle
    dry_run: bool
    teams: list[TeamRoll]
    run: Run
    settings_written: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        rolled = all(t.state not in ("skipped", "not_rolled") for t in self.teams)
        return rolled and (self.dry_run or self.settings_written)


def rollover(
    backend: Backend, roller: Roller, new: NewCycle, as_of: dt.date, *, dry_run: bool = False
) -> RolloverReport:
    """Close the hub's current cycle and open `new`; raises `RolloverRefused` writing nothing."""
    first = read_and_compute(backend, as_of)
    settings = first.computed.result.settings
    old = NewCycle(settings.cycle, settings.cycle_start, settings.cycle_end)
    readable = [s for s in first.snapshots if s.grid is not None]
    problems = check_new_cycle(new, old.name, old.start, old.end, [s.tab for s in readable])
    rolled_before: set[str] = set()
    for snapshot in readable:
        archive = archive_name(snapshot.tab, old.name, old.start, old.end)
        names = {id_key(n) for n in roller.tab_names(snapshot)}
        if id_key(archive) not in names:
            continue
        kept = roller.read_tab(snapshot, archive)
        if kept is not None and snapshot.grid is not None and already_rolled(kept, snapshot.grid):
            rolled_before.add(snapshot.team)
        else:
            problems.append(
                f"{snapshot.source} already has a tab {archive!r}; rename or delete it, "
                f"or rename the cycle in the hub's Settings"
            )
    if problems:
        raise RolloverRefused("; ".join(problems))
    # The final sync ran already when some team was rolled: a re-run must not judge the old
    # cycle again from tabs that are half new.
    final = first if dry_run or rolled_before else run(backend, as_of, write=True, history=True)
    report = RolloverReport(old, new, dry_run, [], final)
    with _hold(backend, not dry_run):
        refused = _roll_teams(report, roller, rolled_before)
        _mark_archived_parents(report.teams)
        if not dry_run and not refused:
            try:
                roller.write_settings(_settings_cells(final.hub.tabs, new))
                report.settings_written = True
            except WriteRefused as err:
                report.findings.append(_settings_not_written(str(err)))
    result = final.computed.result
    result.findings = sort_findings([*result.findings, *report.findings])
    return report


def _hold(backend: Backend, write: bool) -> AbstractContextManager[object]:
    """The backend's lock (a workspace has one) while team tabs and the hub are rewritten."""
    hold = getattr(backend, "exclusive", None) if write else None
    return hold() if callable(hold) else nullcontext()


def _roll_teams(report: RolloverReport, roller: Roller, rolled_before: set[str]) -> bool:
    """Plan (and unless a dry run, roll) every team; True when some team was refused."""
    final = report.run
    old = report.old
    done = {
        (item.team, item.row) for item in final.computed.result.items if item.status is Status.DONE
    }
    ok = {state.team.name for state in final.computed.result.teams if state.ok}
    refused = False
    for snapshot in final.snapshots:
        archive = archive_name(snapshot.tab, old.name, old.start, old.end)
        entry = TeamRoll(snapshot.team, snapshot.source, snapshot.tab, archive, "planned")
        report.teams.append(entry)
        if snapshot.team in rolled_before:
            entry.state = "already_rolled"
            continue
        plan = None
        if snapshot.grid is not None and snapshot.team in ok:
            rows = {row for team, row in done if team == snapshot.team}
            plan = plan_tab(snapshot.grid, rows)
        if plan is None:
            entry.state = "skipped"
            entry.reason = snapshot.error or "its tab could not be read as OKRs (see Findings)"
            continue
        entry.plan = plan
        if report.dry_run:
            continue
        ids = _expected_ids(snapshot.grid or [], plan)
        roll = TabRollover(snapshot.team, snapshot.source, snapshot.tab, archive, plan, ids)
        try:
            roller.roll_team(roll)
            entry.state = "rolled"
        except WriteRefused as err:
            entry.state, entry.reason, refused = "not_rolled", str(err), True
            report.findings.append(_not_rolled(entry))
    return refused


def _settings_not_written(reason: str) -> Finding:
    return Finding.on_team(
        Code.NOT_WRITTEN,
        None,
        f"The hub's Settings were not written: {reason}. Every team was rolled over; run the "
        "same rollover again to set the new cycle (teams already rolled are skipped).",
    )


def _mark_archived_parents(teams: list[TeamRoll]) -> None:
    """Note the carried items aligned to an item that stays in an archive (a done objective):
    the next sync will call their Parent unknown, so the plan says it first."""
    archived = {id_key(row.id) for t in teams if t.plan for row in t.plan.archived if row.id}
    for entry in teams:
        if entry.plan is not None:
            entry.parent_archived = [
                (row.id, row.parent)
                for row in entry.plan.carried
                if row.parent and id_key(row.parent) in archived
            ]


def _expected_ids(grid: Grid, plan: TabPlan) -> dict[int, str]:
    column = plan.id_column - 1
    found = {}
    for row in plan.rows:
        cells = grid[row - 1]
        found[row] = cell_text(cells[column]) if column < len(cells) else ""
    return found


def _not_rolled(entry: TeamRoll) -> Finding:
    return Finding.on_team(
        Code.NOT_WRITTEN,
        entry.team,
        f"Team {entry.team}: {entry.source} was not rolled over: {entry.reason}. Its tab "
        f"{entry.tab!r} is as it was and the hub keeps the old cycle; fix that and run the "
        "same rollover again (teams already rolled are skipped).",
    )


_CYCLE_KEYS = (SettingKey.CYCLE, SettingKey.CYCLE_START, SettingKey.CYCLE_END)


def _settings_cells(tabs: dict[str, Grid], new: NewCycle) -> dict[tuple[int, int], CellValue]:
    """The Settings cells naming the new cycle: the rows that hold the keys (new rows after the
    last one for missing keys); a date goes where a date was, else as YYYY-MM-DD text."""
    grid = hub_tab(tabs, HubTab.SETTINGS) or []
    rows: dict[str, tuple[int, CellValue]] = {}
    for number, row in enumerate(grid, start=1):
        key = " ".join(cell_text(row[0]).split()).casefold() if row else ""
        rows.setdefault(key, (number, row[1] if len(row) > 1 else None))
    values: dict[str, CellValue] = {
        SettingKey.CYCLE: new.name,
        SettingKey.CYCLE_START: new.start,
        SettingKey.CYCLE_END: new.end,
    }
    cells: dict[tuple[int, int], CellValue] = {}
    next_row = len(grid) + 1
    for key in _CYCLE_KEYS:
        value = values[key]
        found = rows.get(key.casefold())
        if found is None:
            cells[(next_row, 1)] = key.value
            number, before = next_row, None
            next_row += 1
        else:
            number, before = found
        if isinstance(value, dt.date) and not isinstance(before, dt.date):
            value = value.isoformat()
        cells[(number, 2)] = value
    return cells


def _rows_json(plan: TabPlan) -> dict[str, object]:
    first = plan.header_row + 1
    carried = []
    for offset, row in enumerate(plan.carried):
        entry: dict[str, object] = {
            "id": row.id or None,
            "type": row.kind,
            "title": row.title,
            "row": row.row,
            "new_row": first + offset,
        }
        if row.row in plan.starts:
            entry["new_start"] = _plain(plan.starts[row.row])
        carried.append(entry)
    archived = [
        {"id": r.id or None, "type": r.kind, "title": r.title, "row": r.row} for r in plan.archived
    ]
    return {"carried": carried, "archived": archived}


def _plain(value: CellValue) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def report_json(report: RolloverReport) -> dict[str, object]:
    """The plan and what was done, per team (`okrtree rollover --json`)."""

    def cycle(c: NewCycle) -> dict[str, object]:
        return {"name": c.name, "start": c.start.isoformat(), "end": c.end.isoformat()}

    teams = []
    for entry in report.teams:
        team: dict[str, object] = {
            "team": entry.team,
            "source": entry.source,
            "tab": entry.tab,
            "archive_tab": entry.archive_tab,
            "state": entry.state,
            "reason": entry.reason or None,
        }
        if entry.plan is not None:
            team.update(_rows_json(entry.plan))
            team["parent_archived"] = [
                {"id": item, "parent": parent} for item, parent in entry.parent_archived
            ]
        teams.append(team)
    result = report.run.computed.result
    return {
        "dry_run": report.dry_run,
        "as_of": result.as_of.isoformat(),
        "from": cycle(report.old),
        "to": cycle(report.new),
        "teams": teams,
        "settings_written": report.settings_written,
        "findings": [f.as_json() for f in result.findings if f.severity.value == "error"],
    }
