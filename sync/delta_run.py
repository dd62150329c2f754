"""A sync after edits to a few teams on the same date: read what changed, recompute those teams
from the last sync's ledger (`sync.delta`), and write only their cells and the hub rows they show.

It runs only where it gives exactly what a full run gives: the state holds a ledger by this code
for this date with nothing left unwritten, the hub's input and log tabs are as that sync left
them and its output tabs as it wrote them, the teams read again were read fine both times and
changed no links (`sync.delta`), and no more than a few changed. Otherwise it answers None before
writing anything, and the caller runs in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import cast

from sheets_templates.definition import HubTab, hub_column_names

from .backends.base import Backend, LogKeepingBackend
from .checkins import plan_checkins
from .compute import compute
from .delta import Recomputed, most_teams, recompute
from .engine import attach_history, exclusive, gc_paused, reusable, write_hub, write_teams
from .history import plan_history
from .hub import parse_settings, parse_teams
from .ledger import Ledger, items_text, json_body, pack, packed_body
from .model import Code, Cycle, Finding, Result, Settings, Status, Team, TeamState, id_key
from .owners import owner_of
from .plan import (
    filled_cells,
    findings_on_rows,
    findings_rows,
    patched_digest,
    plan_team,
    table_digest,
    tree_row,
    tree_table,
)
from .scoring import expected_progress
from .snapshot import CellValue, HubSnapshot, Link, OutputTable, TeamSnapshot, hub_tab, to_read
from .state import State
from .summary import Overview

__all__ = ["DeltaSync", "delta_sync"]

_TREE, _FINDINGS = HubTab.ALIGNMENT_TREE.value, HubTab.FINDINGS.value


@dataclass(slots=True)
class DeltaSync:
    """What a delta sync did: the state to keep, what it shows, the snapshots it left."""

    state: State
    overview: Overview
    body: bytes | None
    packed_body: list[bytes] | None  # the body as gzip members (`ledger.packed_body`)
    snapshots: list[TeamSnapshot]
    findings: list[Finding]


def _same_inputs(hub: HubSnapshot, kept: HubSnapshot) -> bool:
    wanted = [HubTab.TEAMS.value, HubTab.SETTINGS.value]
    return (
        hub.version is not None
        and hub.version == kept.version
        and all(hub_tab(hub.tabs, tab) == hub_tab(kept.tabs, tab) for tab in wanted)
    )


def _usable(previous: State, as_of: dt.date, code: str, as_json: bool) -> Ledger | None:
    ledger = previous.ledger
    if ledger is None or ledger.code != code or ledger.as_of != as_of or previous.findings:
        return None
    if as_json and not ledger.chunks:
        return None
    return ledger


@gc_paused()
def delta_sync(
    backend: Backend, previous: State, as_of: dt.date, code: str, as_json: bool
) -> DeltaSync | None:
    """The sync, recomputing only the teams whose sheets changed; None when it needs a full
    run, decided before anything is written."""
    ledger = _usable(previous, as_of, code, as_json)
    needed = ("unchanged", "versions", "keep_logs", "hub_version", "hub_as_left")
    if ledger is None or not all(callable(getattr(backend, n, None)) for n in needed):
        return None
    with exclusive(backend, True):
        return _delta(cast(LogKeepingBackend, backend), previous, ledger, as_of, as_json)


def _delta(
    backend: LogKeepingBackend, previous: State, ledger: Ledger, as_of: dt.date, as_json: bool
) -> DeltaSync | None:
    if backend.hub_version() != previous.hub.version:
        return None  # saved by someone since: its tabs are read in full, once
    backend.keep_logs(previous.hub)
    hub = backend.read_hub()
    if not _same_inputs(hub, previous.hub) or not {_TREE, _FINDINGS} <= hub.digests.keys():
        return None
    table, settings = parse_teams(hub), parse_settings(hub)
    if [t.name for t in table.teams] != ledger.teams:
        return None
    earlier = {s.team: s for s in previous.snapshots}  # their grids still packed
    packed = previous.packed or [None] * len(previous.snapshots)
    candidates = [
        s
        for t, (team, s) in enumerate(zip(table.teams, previous.snapshots, strict=True))
        if reusable(team, s, has_grid=s.grid is not None or packed[t] is not None)
    ]
    kept = {s.team for s in backend.unchanged(candidates)}
    wanted = [(t, team) for t, team in enumerate(table.teams) if team.name not in kept]
    if len(wanted) > most_teams(len(table.teams)):
        return None
    fresh = backend.read_teams([team for _, team in wanted])
    backend.versions(fresh)
    changed = {}
    for (t, team), snapshot in zip(wanted, fresh, strict=True):
        old = earlier.get(team.name)
        old_grid = previous.grid_of(t)
        if old is None or old_grid is None or snapshot.grid is None or not ledger.ok[t]:
            return None
        if snapshot.error or old.error:
            return None
        changed[t] = (old_grid, snapshot.grid)
    snapshots = [earlier[team.name] for team in table.teams]
    for (t, _), snapshot in zip(wanted, fresh, strict=True):
        snapshots[t] = snapshot
    if len(to_read([s.identity for s in snapshots])) != len(snapshots):
        return None  # two teams on one sheet
    redone = recompute(ledger, table.teams, settings, as_of, changed, previous.grid_of)
    if redone is None:
        return None
    return _write(backend, previous, ledger, hub, settings, table.teams, snapshots, redone, as_json)


def _write(
    backend: LogKeepingBackend,
    previous: State,
    ledger: Ledger,
    hub: HubSnapshot,
    settings: Settings,
    teams: list[Team],
    snapshots: list[TeamSnapshot],
    redone: Recomputed,
    as_json: bool,
) -> DeltaSync:
    expected = expected_progress(settings, ledger.as_of)
    cycle = Cycle(settings.cycle, settings.cycle_start, settings.cycle_end, expected)
    states = [TeamState(team, ok) for team, ok in zip(teams, ledger.ok, strict=True)]
    mine = [item for t in sorted(redone.items) for item in redone.items[t]]
    result = Result(ledger.as_of, cycle, settings, states, mine, redone.findings)
    plan_history(result, hub_tab(hub.tabs, HubTab.HISTORY), False)  # the items' sparklines
    for t in redone.items:
        for item, old in zip(redone.items[t], redone.old_items[t], strict=True):
            item.trend, old.spark = list(old.trend), item.spark
    on_row = findings_on_rows(redone.findings)
    plans = []
    for t in sorted(redone.items):
        read = redone.reads[t]
        changes = plan_team(
            teams[t],
            snapshots[t],
            read,
            {item.row: item for item in redone.items[t]},
            {
                row: on_row[(teams[t].name, row)]
                for row in read.row_ids
                if (teams[t].name, row) in on_row
            },
        )
        if changes is not None:
            plans.append((snapshots[t], changes))
    write_teams(backend, result, plans, None)
    owners = _owners_after(result.findings, redone, teams)
    by_team = {s.team: s for s in snapshots}
    tree, filled = _tree(previous, ledger, hub, redone, by_team, teams)
    findings = findings_rows(result.findings, owners, by_team)
    checkins = plan_checkins(mine, ledger.as_of, hub_tab(hub.tabs, HubTab.CHECK_INS))
    tables = [t for t in (tree, findings) if t.rows and table_digest(t) != hub.digests.get(t.name)]
    log, appended = checkins
    if log.usable and appended:
        tables.append(log.table(appended))
    write_hub(backend, result, hub.source, tables)
    left = backend.hub_as_left(hub)
    updated = _ledger_after(ledger, redone, result.findings, owners, filled)
    kept_tabs = {t: g for t, g in left.tabs.items() if t not in (_TREE, _FINDINGS)}
    state = State(
        previous.source,
        ledger.as_of,
        previous.taken,
        HubSnapshot(left.source, kept_tabs, version=left.version),
        snapshots,
        [f for f in result.findings if f.code is Code.NOT_WRITTEN],
        updated,
        previous.packed,
        previous.kept,
    )
    counted = Counter(updated.statuses)
    overview = Overview.of(result, Counter({s: counted[s.value] for s in Status}))
    body = packed = None
    if as_json:
        body = json_body(result, [updated.chunk(t) for t in range(len(teams))], owners)
        packed = packed_body(result, updated.chunks, owners)
    return DeltaSync(state, overview, body, packed, snapshots, result.findings)


def _owners_after(
    findings: list[Finding], redone: Recomputed, teams: list[Team]
) -> list[str | None]:
    """The owners of the findings after the writes (which may have added NOT_WRITTEN)."""
    known = {id(f): owner for f, owner in zip(redone.findings, redone.owners, strict=True)}
    by_team = {id_key(team.name): team.owner for team in teams}
    return [known[id(f)] if id(f) in known else owner_of(f, {}, {}, by_team) for f in findings]


def _tree(
    previous: State,
    ledger: Ledger,
    hub: HubSnapshot,
    redone: Recomputed,
    by_team: dict[str, TeamSnapshot],
    teams: list[Team],
) -> tuple[OutputTable, int]:
    """The Alignment Tree tab as the rows that change, and the cells the whole tab fills."""
    now, before = findings_on_rows(redone.findings), findings_on_rows(ledger.findings)
    old_snapshots = {s.team: s for s in previous.snapshots}  # links only
    replaced: list[tuple[int, list[CellValue | Link], list[CellValue | Link]]] = []
    for t in sorted(redone.items):
        name = teams[t].name
        for i, item, old in zip(redone.at[t], redone.items[t], redone.old_items[t], strict=True):
            depth = ledger.depths[i]
            row = tree_row(item, depth, now.get((name, item.row), []), by_team.get(name))
            was = tree_row(old, depth, before.get((name, old.row), []), old_snapshots.get(name))
            if row != was:
                replaced.append((ledger.tree_at[i], was, row))
    replaced.sort(key=lambda change: change[0])
    filled = ledger.tree_filled + sum(filled_cells([r]) - filled_cells([w]) for _, w, r in replaced)

    def earlier() -> list[list[CellValue | Link]]:
        """The whole tab, computed in full (its rows replaced are those this run made)."""
        table = parse_teams(hub)
        snapshots = [by_team[team.name] for team in teams]
        for t in range(len(snapshots)):
            previous.grid_of(t)
        computed = compute(teams, parse_settings(hub), snapshots, ledger.as_of, table.findings)
        return tree_table(attach_history(computed, hub, False), by_team).rows

    table = OutputTable(
        _TREE,
        hub_column_names(HubTab.ALIGNMENT_TREE),
        [row for _, _, row in replaced],
        earlier=earlier,
        replaces=[at for at, _, _ in replaced],
        filled=filled,
    )
    table.digest = patched_digest(hub.digests[_TREE], _TREE, replaced)
    return table, filled


def _ledger_after(
    ledger: Ledger,
    redone: Recomputed,
    findings: list[Finding],
    owners: list[str | None],
    filled: int,
) -> Ledger:
    scores, weights, statuses = list(ledger.scores), list(ledger.weights), list(ledger.statuses)
    chunks = list(ledger.chunks)
    for t, items in redone.items.items():
        parent_ids: dict[str | None, str] = {}
        for i, item in zip(redone.at[t], items, strict=True):
            scores[i], weights[i], statuses[i] = item.score, item.weight, item.status.value
            if ledger.parents[i] >= 0:
                parent_ids[item.parent] = ledger.ids[ledger.parents[i]]
        if chunks:
            chunks[t] = pack(items_text(items, parent_ids.get))
    return dataclasses.replace(
        ledger,
        scores=scores,
        weights=weights,
        statuses=statuses,
        tree_filled=filled,
        findings=list(findings),
        owners=list(owners),
        chunks=chunks,
    )
