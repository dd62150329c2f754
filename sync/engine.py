"""The one orchestrator: read -> compute -> plan -> apply.

The backend reads, the pure core computes and plans, the backend writes. A team spreadsheet the
backend will not write becomes a `NOT_WRITTEN` finding; the hub is written last so its
`Findings` tab includes those.

The garbage collector's pause is an effect of this edge, not of the pure core: `run`,
`run_team` and `read_and_compute` each hold `gc_paused` while they work.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass

from sheets_templates.definition import HubTab

from .backends.base import Backend, IncrementalBackend, WriteRefused
from .compute import Computed, compute, sort_findings
from .errors import OkrError, SourceError
from .history import plan_history
from .hub import parse_settings, parse_teams
from .logtab import CondensedLog
from .model import Code, Finding, Result, Team, id_key
from .plan import plan_hub, plan_teams
from .snapshot import HubSnapshot, OutputTable, SheetChanges, TeamSnapshot, hub_tab, to_read

__all__ = [
    "Run",
    "attach_history",
    "exclusive",
    "gc_paused",
    "read_and_compute",
    "run",
    "reusable",
    "run_team",
    "whole_trends",
    "write_hub",
    "write_teams",
]

Progress = Callable[[str, int, int], None]  # (phase, done, total)
READ_CHUNK = 25


@contextmanager
def gc_paused() -> Iterator[None]:
    """A run allocates millions of small objects and frees them together; the cyclic collector's
    repeated full passes over them would make it quadratic, so it waits until the run is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(slots=True)
class Run:
    """A finished run: the computation, and the snapshots it was computed from."""

    computed: Computed
    hub: HubSnapshot
    teams: list[Team]
    snapshots: list[TeamSnapshot]


def write_teams(
    backend: Backend,
    result: Result,
    plans: list[tuple[TeamSnapshot, SheetChanges]],
    progress: Progress | None,
) -> None:
    """Write each planned team, counted in `result`; a refusal becomes NOT_WRITTEN there and
    the others go on."""
    refused: list[Finding] = []
    written: list[TeamSnapshot] = []
    for (team_snapshot, changes), reason in zip(
        plans, _write_all(backend, plans, progress), strict=True
    ):
        if reason is None:
            result.writes_spreadsheets += 1
            result.writes_cells += changes.cell_count
            if changes.changes:
                _patch(team_snapshot, changes)
                written.append(team_snapshot)
        else:
            refused.append(_not_written(changes.team, changes.source, reason))
    if refused:
        result.findings = sort_findings([*result.findings, *refused])
    if written and _incremental(backend):
        backend.versions(written, written=True)  # type: ignore[attr-defined]


def _write_all(
    backend: Backend, plans: list[tuple[TeamSnapshot, SheetChanges]], progress: Progress | None
) -> list[str | None]:
    """Why each plan was not written (None: written). A backend that writes many sheets at
    once (`write_teams`, the local one in parallel) gets them in one call."""
    many = getattr(backend, "write_teams", None)
    if callable(many):
        known = [snapshot.unwritable or changes.refused for snapshot, changes in plans]
        answers = iter(many([c for (_, c), k in zip(plans, known, strict=True) if k is None]))
        reasons = [k if k is not None else next(answers) for k in known]
        if progress:
            progress("write", len(plans), len(plans))
        return reasons
    reasons = []
    for done, (snapshot, changes) in enumerate(plans, start=1):
        reason = snapshot.unwritable or changes.refused
        if reason is None:
            try:
                backend.write_team(changes)
            except WriteRefused as err:
                reason = str(err)
        reasons.append(reason)
        if progress:
            progress("write", done, len(plans))
    return reasons


def attach_history(computed: Computed, hub: HubSnapshot, record: bool) -> Computed:
    """Trends from the hub's History tab (and this run's rows when `record`)."""
    grid = hub_tab(hub.tabs, HubTab.HISTORY)
    computed.history = plan_history(computed.result, grid, record)
    return computed


def whole_trends(current: Run) -> None:
    """Every item's whole trend, where the run gave it only its last points (from a condensed
    History, `sync.logcondense`): as `--json` shows it."""
    grid = hub_tab(current.hub.tabs, HubTab.HISTORY)
    if isinstance(grid, CondensedLog):
        plan_history(current.computed.result, grid.whole(), False)


def _patch(snapshot: TeamSnapshot, changes: SheetChanges) -> None:
    """Make the snapshot's grid show what was just written, so it stays the sheet as it is."""
    grid = snapshot.grid
    if grid is None:
        return
    for change in changes.changes:
        while len(grid) < change.row:
            grid.append([])
        row = grid[change.row - 1]
        while len(row) < change.column:
            row.append(None)
        row[change.column - 1] = change.value


def _incremental(backend: Backend) -> bool:
    return hasattr(backend, "unchanged") and hasattr(backend, "versions")


def reusable(team: Team, earlier: TeamSnapshot | None, *, has_grid: bool | None = None) -> bool:
    """Whether a kept snapshot may stand for this team's read, if its sheet did not change
    (`has_grid`: it holds a grid, kept elsewhere while packed)."""
    return (
        earlier is not None
        and earlier.source == team.source
        and earlier.tab == team.tab
        and (earlier.grid is not None if has_grid is None else has_grid)
        and earlier.error is None
        and earlier.unwritable is None  # the reason may have gone (a closed editor): look again
        and earlier.version is not None
        and not earlier.volatile
    )


def _read(
    backend: Backend,
    teams: list[Team],
    previous: list[TeamSnapshot] | None,
    progress: Progress | None,
) -> list[TeamSnapshot]:
    """Each team's snapshot: kept from `previous` when its sheet did not change, else read.
    With `previous` (even empty) the snapshots read get versions, for the next sync."""
    kept: dict[str, TeamSnapshot] = {}
    tracked = previous is not None and _incremental(backend)
    if tracked:
        incremental: IncrementalBackend = backend  # type: ignore[assignment]
        earlier = {s.team: s for s in previous or ()}
        candidates = [earlier[t.name] for t in teams if reusable(t, earlier.get(t.name))]
        kept = {s.team: s for s in incremental.unchanged(candidates)}
    wanted = [t for t in teams if t.name not in kept]
    if progress is None:
        fresh = backend.read_teams(wanted)
    else:  # in chunks, so a progress bar can move while a large organisation is read
        fresh = []
        for start in range(0, len(wanted), READ_CHUNK):
            fresh.extend(backend.read_teams(wanted[start : start + READ_CHUNK]))
            progress("read", len(fresh), len(wanted))
    if tracked:
        incremental.versions(fresh)
    read = iter(fresh)
    return _unread_duplicates([kept[t.name] if t.name in kept else next(read) for t in teams])


def _unread_duplicates(snapshots: list[TeamSnapshot]) -> list[TeamSnapshot]:
    """A team on a sheet an earlier team claimed stands as unread, as a backend leaves it when
    it reads both at once, whether or not it was read now beside a kept snapshot."""
    wanted = set(to_read([s.identity for s in snapshots]))
    return [
        s if i in wanted else TeamSnapshot(s.team, s.source, s.tab, identity=s.identity)
        for i, s in enumerate(snapshots)
    ]


@gc_paused()
def read_and_compute(
    backend: Backend,
    as_of: dt.date,
    progress: Progress | None = None,
    previous: list[TeamSnapshot] | None = None,
    *,
    record_history: bool = False,
    previous_hub: HubSnapshot | None = None,
) -> Run:
    """Read the hub and every team (with `previous`, a backend that can tell reads only the teams
    whose sheets changed since), and compute; raises `SourceError` for an unusable hub. With
    `record_history`, this run's History rows are planned and count in the trends. With
    `previous_hub` (an earlier run's, with its `version`), a backend that can tell takes the
    hub's log tabs from it while the hub is unchanged since."""
    keep_logs = getattr(backend, "keep_logs", None)
    if previous_hub is not None and callable(keep_logs):
        keep_logs(previous_hub)
    hub = backend.read_hub()
    table = parse_teams(hub)
    settings = parse_settings(hub)
    use_settings = getattr(backend, "use_settings", None)  # `SettingsBackend`
    if callable(use_settings):  # e.g. a Google hub's quotas, before the team reads
        use_settings(settings)
    snapshots = _read(backend, table.teams, previous, progress)
    computed = compute(table.teams, settings, snapshots, as_of, table.findings)
    return Run(attach_history(computed, hub, record_history), hub, table.teams, snapshots)


@gc_paused()
def run_team(
    backend: Backend, previous: Run, team_name: str, as_of: dt.date, *, write: bool = True
) -> Run:
    """Re-read one team and judge it against the rest of the organisation as `previous` saw it;
    with `write`, write that team's output cells only. Costs one read and at most one write."""
    table = parse_teams(previous.hub)
    settings = parse_settings(previous.hub)
    wanted = id_key(team_name)
    team = next((t for t in table.teams if id_key(t.name) == wanted), None)
    if team is None:
        raise SourceError(f"team '{team_name}' is not in the hub's Teams tab")
    earlier = {s.team: s for s in previous.snapshots}
    fresh = backend.read_teams([team])[0]
    before = earlier.get(team.name)
    if before is not None and before.identity:  # compared with identities of the same read
        fresh.identity = before.identity
    snapshots = [
        fresh if t.name == team.name else earlier.get(t.name) or _unread(t) for t in table.teams
    ]
    computed = compute(table.teams, settings, snapshots, as_of, table.findings)
    computed = attach_history(computed, previous.hub, False)
    current = Run(computed, previous.hub, table.teams, snapshots)
    if write:
        plans = [p for p in plan_teams(computed, table.teams, snapshots) if p[1].team == team.name]
        with exclusive(backend, write):
            write_teams(backend, computed.result, plans, None)
    return current


def write_hub(backend: Backend, result: Result, source: str, tables: list[OutputTable]) -> None:
    """Write the hub's changed output tabs, counted in `result`; a refusal becomes NOT_WRITTEN
    there (the team sheets written stand)."""
    if not tables:
        return
    try:
        result.writes_cells += backend.write_hub(tables)
        result.writes_spreadsheets += 1
    except (WriteRefused, OkrError) as err:
        refused = Finding.on_team(
            Code.NOT_WRITTEN,
            None,
            f"The hub {source} was not written: {err}. Its output tabs are out of date; fix "
            "that and run sync again.",
        )
        result.findings = sort_findings([*result.findings, refused])


def _unread(team: Team) -> TeamSnapshot:
    return TeamSnapshot(team.name, team.source, team.tab, error="not read yet; run a full sync")


def _not_written(team: str, source: str, reason: str) -> Finding:
    return Finding.on_team(
        Code.NOT_WRITTEN,
        team,
        f"Team {team}: {source} was not written: {reason}. Nothing in it was changed; "
        "fix that and run sync again.",
    )


@gc_paused()
def run(
    backend: Backend,
    as_of: dt.date,
    *,
    write: bool = False,
    history: bool = False,
    progress: Progress | None = None,
    previous: list[TeamSnapshot] | None = None,
    previous_hub: HubSnapshot | None = None,
) -> Run:
    """Validate (and with `write`, sync) the organisation behind `backend`; with `history`
    (the `--history` flag), a sync also records today's History rows. With `previous`
    (the snapshots of an earlier run, e.g. `sync.state`; `[]` for none yet), sheets that did
    not change since are not read again, and those read are versioned for the next run; with
    `previous_hub` (that run's hub), neither are the hub's log tabs while the hub is unchanged.
    The result is the same as a full read's; the run's hub shows its log tabs as it left them."""
    with exclusive(backend, write):
        return _run(backend, as_of, write, history, progress, previous, previous_hub)


def exclusive(backend: Backend, write: bool) -> AbstractContextManager[object]:
    """A writing run holds the backend's lock, if it has one (a local workspace does), from
    its first read to its last write, so two runs never interleave and lose each other's rows."""
    hold = getattr(backend, "exclusive", None) if write else None
    return hold() if callable(hold) else nullcontext()


def _run(
    backend: Backend,
    as_of: dt.date,
    write: bool,
    history: bool,
    progress: Progress | None,
    previous: list[TeamSnapshot] | None,
    previous_hub: HubSnapshot | None,
) -> Run:
    current = read_and_compute(
        backend,
        as_of,
        progress,
        previous,
        record_history=write and history,
        previous_hub=previous_hub,
    )
    if not write:
        return current
    plans = plan_teams(current.computed, current.teams, current.snapshots)
    write_teams(backend, current.computed.result, plans, progress)
    tables = plan_hub(current.computed, current.hub, current.snapshots, history)
    write_hub(backend, current.computed.result, current.hub.source, tables)
    as_left = getattr(backend, "hub_as_left", None)
    if callable(as_left):
        current.hub = as_left(current.hub)
    return current
