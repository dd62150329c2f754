"""The whole organisation, computed: read rows -> link -> score -> status -> warnings (pure).

`compute` takes the hub's teams and settings and every team's snapshot, and returns a `Result`
with items in Teams-then-row order and findings sorted as SPEC §4 says. It never reads a file.

The items are made here and then completed in place, step by step: `objective_above` while
their rows are read (`rows`), `parent` when parents are resolved (`graph.resolve_parents`),
`score` and `progress` when scored (`scoring.score_all`), `status` below. Their `trend` is
filled after `compute`, from the hub's History tab (`history.plan_history`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_templates.definition import TEAM_TAB

from .graph import (
    Alignment,
    DependencyGraph,
    build_alignment,
    build_dependencies,
    cycle_finding,
    resolve_parents,
)
from .history import HistoryPlan
from .model import (
    Code,
    Cycle,
    Finding,
    Item,
    Result,
    Settings,
    Team,
    TeamState,
    id_key,
)
from .rows import SheetRead, read_team_sheet
from .rules import dependency_warnings, method_warnings
from .scoring import expected_progress, score_all, status_for
from .snapshot import TeamSnapshot
from .tree import TreeRow, tree_rows

__all__ = ["Computed", "compute", "sort_findings"]


@dataclass(slots=True)
class Computed:
    """A result plus what the planner needs: each team's sheet as read, and the tree rows."""

    result: Result
    sheets: dict[str, SheetRead]  # by team name, for teams whose tab was usable
    tree: list[TreeRow]
    history: HistoryPlan | None = None  # set once the hub's History tab is known
    # The links, for a ledger of the run (`sync.ledger`): None for a result made otherwise.
    alignment: Alignment | None = None
    dependencies: DependencyGraph | None = None
    tree_filled: int | None = None  # cells the Alignment Tree tab fills, once planned
    chunks: list[bytes] | None = None  # each team's items as `--json` shows them, once made


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Severity (error, warning, info), then code, then ID; stable for the rest."""
    return sorted(findings, key=Finding.sort_key)


def _unreadable(team: Team, reason: str) -> Finding:
    return Finding.on_team(
        Code.SPREADSHEET_UNREADABLE,
        team.name,
        f"Team {team.name}: {reason}. This team was skipped.{_path_hint(team.source)}",
    )


def _path_hint(source: str) -> str:
    """A hint for Windows-style separators in a workspace path, which would be part of a name
    on other systems."""
    if "\\" not in source or "://" in source:
        return ""
    fixed = source.replace("\\", "/")
    return f" In the Spreadsheet column, separate folders with / ({fixed})."


def _duplicate_sheet(team: Team, first: Team, snapshot: TeamSnapshot) -> Finding:
    tab = snapshot.tab.strip() or TEAM_TAB
    return Finding.on_team(
        Code.DUPLICATE_SHEET,
        team.name,
        f"Team {team.name}: {snapshot.source.strip()} (tab '{tab}') is already the sheet of team "
        f"{first.name} in the hub's Teams tab, and one sheet cannot hold two teams' OKRs. Give "
        f"team {team.name} a spreadsheet or tab of its own. This team was skipped.",
    )


def compute(
    teams: list[Team],
    settings: Settings,
    snapshots: list[TeamSnapshot],
    as_of: dt.date,
    hub_findings: list[Finding] | None = None,
) -> Computed:
    """Validate, score and order the organisation. `snapshots` follow `teams` one to one; the
    items' computed fields are filled in as the module docstring says."""
    findings: list[Finding] = list(hub_findings or ())
    states: list[TeamState] = []
    sheets: dict[str, SheetRead] = {}
    rows: list[Item] = []
    claimed: dict[str, Team] = {}  # sheet identity -> the first team registered on it
    for team, snapshot in zip(teams, snapshots, strict=True):
        state = TeamState(team)
        states.append(state)
        first = claimed.setdefault(snapshot.identity, team) if snapshot.identity else team
        if first is not team:
            state.ok = False
            findings.append(_duplicate_sheet(team, first, snapshot))
            continue
        if snapshot.error is not None or snapshot.grid is None:
            state.ok = False
            findings.append(_unreadable(team, snapshot.error or "nothing could be read"))
            continue
        read = read_team_sheet(team, snapshot.grid)
        findings.extend(read.findings)
        if read.header is None:
            state.ok = False
            continue
        state.header_row = read.header.row
        sheets[team.name] = read
        rows.extend(read.items)

    items, index = _keep_first(rows, findings)
    findings.extend(resolve_parents(items, index))
    alignment = build_alignment(items)
    for members in alignment.cycles:
        findings.append(cycle_finding(Code.PARENT_CYCLE, members, "these alignments"))
    findings.extend(score_all(index, alignment))
    expected = expected_progress(settings, as_of)
    for item in items:
        item.status = status_for(item, expected, settings)

    team_index = {id_key(t.name): t for t in teams}
    team_names = {key: team.name for key, team in team_index.items()}
    findings.extend(method_warnings(items, index, team_index, alignment, settings, as_of))
    dependencies = build_dependencies(items, index, team_names)
    findings.extend(dependencies.findings)
    findings.extend(
        dependency_warnings(
            items, index, dependencies.graph, dependencies.team_links, team_names, alignment
        )
    )
    cycle = Cycle(settings.cycle, settings.cycle_start, settings.cycle_end, expected)
    result = Result(as_of, cycle, settings, states, items, sort_findings(findings))
    tree = tree_rows(items, alignment)
    return Computed(
        result, sheets, tree, None, alignment=alignment, dependencies=dependencies.graph
    )


def _keep_first(rows: list[Item], findings: list[Finding]) -> tuple[list[Item], dict[str, Item]]:
    """The first occurrence of each ID (Teams order, then row order) is kept."""
    index: dict[str, Item] = {}
    kept: list[Item] = []
    for item in rows:
        first = index.get(item.key)
        if first is None:
            index[item.key] = item
            kept.append(item)
            continue
        findings.append(
            Finding.on_row(
                Code.DUPLICATE_ID,
                item.team,
                item.row,
                item.id,
                f"Team {item.team}, row {item.row}: ID '{item.id}' is already used by team "
                f"{first.team}, row {first.row}; this row is left out. Give it an ID of its own.",
            )
        )
    return kept, index
