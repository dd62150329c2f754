"""Reading the hub: the `Teams` tab into teams, the `Settings` tab into settings (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .errors import SourceError
from .model import Code, Finding, Level, Settings, Team, id_key
from .snapshot import CellValue, Grid, HubSnapshot
from .suggest import did_you_mean
from .values import BadValue, cell_text, parse_date, parse_number, parse_per_minute

__all__ = ["HubTab", "TeamsTable", "parse_settings", "parse_teams"]


class HubTab(StrEnum):
    TEAMS = "Teams"
    SETTINGS = "Settings"
    TREE = "Alignment Tree"
    FINDINGS = "Findings"
    HISTORY = "History"


_TEAM_COLUMNS = ("Team", "Level", "Parent team", "Spreadsheet", "Tab", "Owner")
_LEVELS = {level.value: level for level in Level}
DEFAULT_TAB = "OKRs"


@dataclass(slots=True)
class TeamsTable:
    teams: list[Team]
    findings: list[Finding]


def _tab(hub: HubSnapshot, name: str) -> Grid:
    for title, grid in hub.tabs.items():
        if title.strip().casefold() == name.casefold():
            return grid
    raise SourceError(f"{hub.source}: the hub has no '{name}' tab; add it (see `okrtree init`)")


def parse_teams(hub: HubSnapshot) -> TeamsTable:
    """The `Teams` tab: one team per row, in order; duplicates and bad levels become findings."""
    grid = _tab(hub, HubTab.TEAMS)
    header = [cell_text(c).casefold() for c in (grid[0] if grid else [])]
    where = {
        name: header.index(name.casefold()) for name in _TEAM_COLUMNS if name.casefold() in header
    }
    for required in ("Team", "Spreadsheet"):
        if required not in where:
            raise SourceError(
                f"{hub.source}: the 'Teams' tab has no '{required}' column in row 1; "
                f"its header must be: {', '.join(_TEAM_COLUMNS)}"
            )

    def cell(row: list[CellValue], name: str) -> str:
        index = where.get(name)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    teams: list[Team] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for number, row in enumerate(grid[1:], start=2):
        name = cell(row, "Team")
        if not name:
            continue
        if id_key(name) in seen:
            findings.append(
                Finding.on_team(
                    Code.DUPLICATE_TEAM,
                    name,
                    f"Teams row {number}: team '{name}' is listed twice; this row is ignored. "
                    "Give each team its own name.",
                )
            )
            continue
        seen.add(id_key(name))
        level_text = cell(row, "Level")
        level = _LEVELS.get(level_text.casefold())
        if level is None:
            level = Level.TEAM
            findings.append(
                Finding.on_team(
                    Code.INVALID_LEVEL,
                    name,
                    f"Teams row {number}: team '{name}' has Level '{level_text}'; it counts as "
                    "Team. Type Company, Department, Team or Individual.",
                )
            )
        teams.append(
            Team(
                name=name,
                level=level,
                parent=cell(row, "Parent team") or None,
                source=cell(row, "Spreadsheet"),
                tab=cell(row, "Tab") or DEFAULT_TAB,
                owner=cell(row, "Owner"),
                row=number,
            )
        )
    known = {id_key(t.name) for t in teams}
    for team in teams:
        if team.parent and id_key(team.parent) not in known:
            findings.append(
                Finding.on_team(
                    Code.UNKNOWN_PARENT_TEAM,
                    team.name,
                    f"Teams row {team.row}: team '{team.name}' has Parent team '{team.parent}', "
                    "which is not in the Teams tab. Type the name of a listed team or leave it "
                    "blank." + did_you_mean(team.parent, (t.name for t in teams)),
                )
            )
    return TeamsTable(teams, findings)


_SETTING_KEYS = {
    "cycle": "cycle",
    "cycle start": "cycle_start",
    "cycle end": "cycle_end",
    "stale after days": "stale_after_days",
    "on track within": "on_track_within",
    "at risk within": "at_risk_within",
    "max objectives per team": "max_objectives",
    "max key results per objective": "max_key_results",
    "reads per minute": "reads_per_minute",
    "writes per minute": "writes_per_minute",
}
_WHOLE_NUMBERS = {"stale_after_days", "max_objectives", "max_key_results"}


def parse_settings(hub: HubSnapshot) -> Settings:
    """The `Settings` tab (key in column A, value in column B); bad values stop the run."""
    grid = _tab(hub, HubTab.SETTINGS)
    raw: dict[str, tuple[int, CellValue]] = {}
    for number, row in enumerate(grid, start=1):
        key = " ".join(cell_text(row[0]).split()).casefold() if row else ""
        if key in _SETTING_KEYS:
            raw[_SETTING_KEYS[key]] = (number, row[1] if len(row) > 1 else None)

    def where(field: str) -> str:
        return f"Settings row {raw[field][0]}" if field in raw else "Settings"

    problems: list[str] = []  # every bad setting, reported together
    dates: dict[str, dt.date] = {}
    for field, label in (("cycle_start", "Cycle start"), ("cycle_end", "Cycle end")):
        try:
            day = parse_date(raw.get(field, (0, None))[1])
        except BadValue as err:
            problems.append(f"{where(field)}: '{label}' {err}")
            continue
        if day is None:
            problems.append(f"{where(field)}: '{label}' is missing; type a date like 2026-10-01")
            continue
        dates[field] = day
    if len(dates) == 2 and dates["cycle_end"] <= dates["cycle_start"]:
        problems.append(
            f"Settings 'Cycle end' ({dates['cycle_end']}) must be after "
            f"'Cycle start' ({dates['cycle_start']})"
        )
    numbers: dict[str, float | int] = {}
    for field in (
        "stale_after_days",
        "on_track_within",
        "at_risk_within",
        "max_objectives",
        "max_key_results",
    ):
        if field not in raw:
            continue
        label = next(k for k, v in _SETTING_KEYS.items() if v == field).capitalize()
        try:
            value = parse_number(raw[field][1])
        except BadValue as err:
            problems.append(f"{where(field)}: '{label}' {err}")
            continue
        if value is None:
            continue
        if value < 0 or (field in _WHOLE_NUMBERS and not value.is_integer()):
            problems.append(
                f"{where(field)}: '{label}' must be a whole number >= 0"
                if field in _WHOLE_NUMBERS
                else f"{where(field)}: '{label}' must be a number >= 0"
            )
            continue
        numbers[field] = int(value) if field in _WHOLE_NUMBERS else value
    for field in ("reads_per_minute", "writes_per_minute"):
        typed = raw.get(field, (0, None))[1]
        if typed in (None, ""):
            continue
        label = next(k for k, v in _SETTING_KEYS.items() if v == field).capitalize()
        try:
            numbers[field] = parse_per_minute(typed)
        except BadValue as err:
            problems.append(f"{where(field)} ({label}): {err}")
    if problems:
        raise SourceError(f"{hub.source}: " + "; ".join(problems))
    cycle = cell_text(raw["cycle"][1]) if "cycle" in raw else ""
    start, end = dates["cycle_start"], dates["cycle_end"]
    return Settings(cycle_start=start, cycle_end=end, cycle=cycle, **numbers)  # type: ignore[arg-type]
