"""Small organisations written as data, for tests of the pure core and the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sheets_templates.builder import team_column_names
from sync.compute import Computed, compute
from sync.hub import parse_settings, parse_teams
from sync.model import Team
from sync.snapshot import (
    CellValue,
    Grid,
    HubSnapshot,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    sheet_identity,
)
from sync.template import OUTPUT_COLUMNS

OUTPUTS = {c.value for c in OUTPUT_COLUMNS}
HEADER = [name for name in team_column_names() if name not in OUTPUTS]  # inputs only
AS_OF = dt.date(2026, 11, 21)
CYCLE = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def obj(item_id: str, parent: str = "", **cells: Any) -> dict[str, Any]:
    """An objective row; other columns by name (`depends="ENG-1"`, `why="..."`, `weight=2`)."""
    return {
        "ID": item_id,
        "Type": "Objective",
        "Title": cells.pop("title", f"Objective {item_id}"),
        "Parent": parent,
        **_named(cells),
    }


def kr(item_id: str, parent: str = "", **cells: Any) -> dict[str, Any]:
    """A key result row with an owner and a fresh check-in unless told otherwise."""
    row = {
        "ID": item_id,
        "Type": "Key Result",
        "Title": cells.pop("title", f"Key result {item_id}"),
        "Parent": parent,
        "Owner": "owner@example.com",
        "Updated": AS_OF,
    }
    row.update(_named(cells))
    return row


_ALIASES = {
    "depends": "Depends on",
    "why": "Why now",
    "type": "Type",
    "title": "Title",
    "owner": "Owner",
    "start": "Start",
    "target": "Target",
    "current": "Current",
    "weight": "Weight",
    "updated": "Updated",
    "confidence": "Confidence",
    "note": "Note",
    "id": "ID",
}


def _named(cells: dict[str, Any]) -> dict[str, Any]:
    return {_ALIASES.get(k, k): v for k, v in cells.items()}


def grid(rows: list[dict[str, Any]], header: list[str] | None = None) -> Grid:
    header = header or HEADER
    return [list(header), *[[row.get(name) for name in header] for row in rows]]


@dataclass
class Org:
    """Teams in order: name -> rows; levels and parent teams by name (default Company, none)."""

    teams: dict[str, list[dict[str, Any]] | Grid | None]
    levels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    settings: dict[str, CellValue] = field(default_factory=dict)
    extra_team_rows: list[list[CellValue]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # default: `<name>.xlsx`

    def hub(self) -> HubSnapshot:
        teams_tab: Grid = [["Team", "Level", "Parent team", "Spreadsheet", "Tab", "Owner"]]
        for name in self.teams:
            teams_tab.append(
                [
                    name,
                    self.levels.get(name, "Company"),
                    self.parents.get(name),
                    self.sources.get(name, f"{name.lower()}.xlsx"),
                    None,
                    None,
                ]
            )
        teams_tab.extend(self.extra_team_rows)
        settings: dict[str, CellValue] = {
            "Cycle": "2026-Q4",
            "Cycle start": CYCLE[0],
            "Cycle end": CYCLE[1],
            **self.settings,
        }
        return HubSnapshot(
            "hub.xlsx", {"Teams": teams_tab, "Settings": [[k, v] for k, v in settings.items()]}
        )

    def snapshot(self, team: Team) -> TeamSnapshot:
        rows = self.teams[team.name]
        identity = sheet_identity(team.source.strip().casefold(), team.tab)
        if rows is None:
            return TeamSnapshot(
                team.name, team.source, team.tab, error="file not found", identity=identity
            )
        as_grid = rows if rows and isinstance(rows[0], list) else grid(rows)  # type: ignore[arg-type]
        return TeamSnapshot(
            team.name,
            team.source,
            team.tab,
            as_grid,  # type: ignore[arg-type]
            link_template=f"{team.source}#'OKRs'!A{{row}}",
            identity=identity,
        )

    def compute(self, as_of: dt.date = AS_OF) -> Computed:
        hub = self.hub()
        table = parse_teams(hub)
        snapshots = [self.snapshot(t) for t in table.teams]
        return compute(table.teams, parse_settings(hub), snapshots, as_of, table.findings)


class MemoryBackend:
    """A backend whose spreadsheets are grids in memory: the engine's own contract, no files."""

    def __init__(self, org: Org) -> None:
        self.hub = org.hub()
        self.grids: dict[str, Grid] = {}
        self.org = org
        self.refuse: dict[str, str] = {}
        self.team_writes: list[SheetChanges] = []
        self.hub_writes: list[list[OutputTable]] = []

    def read_hub(self) -> HubSnapshot:
        return HubSnapshot(
            self.hub.source, {k: [list(r) for r in v] for k, v in self.hub.tabs.items()}
        )

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        snapshots = []
        for team in teams:
            snapshot = self.org.snapshot(team)
            if snapshot.grid is not None:
                stored = self.grids.setdefault(team.name, [list(r) for r in snapshot.grid])
                snapshot.grid = [list(r) for r in stored]
            snapshots.append(snapshot)
        return snapshots

    def write_team(self, changes: SheetChanges) -> None:
        from sync.backends.base import WriteRefused

        if changes.team in self.refuse:
            raise WriteRefused(self.refuse[changes.team])
        stored = self.grids[changes.team]
        for change in changes.changes:
            while len(stored) < change.row:
                stored.append([])
            row = stored[change.row - 1]
            row.extend([None] * (change.column - len(row)))
            row[change.column - 1] = change.value
        self.team_writes.append(changes)

    def write_hub(self, tables: list[OutputTable]) -> int:
        from sync.backends.base import WriteRefused
        from sync.snapshot import Link

        if "hub" in self.refuse:
            raise WriteRefused(self.refuse["hub"])
        for table in tables:
            self.hub.tabs[table.name] = [list(table.header)] + [
                [v.text if isinstance(v, Link) else v for v in row] for row in table.rows
            ]
        self.hub_writes.append(tables)
        return sum(len(t.rows) for t in tables)
