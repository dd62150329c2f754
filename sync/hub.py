"""Reading the hub: the `Teams` tab into teams, the `Settings` tab into settings (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_templates.definition import TEAM_TAB, HubTab, SettingKey, TeamsCol, hub_columns

from .errors import SourceError
from .model import Code, Finding, Level, Settings, Team, id_key
from .snapshot import CellValue, Grid, HubSnapshot, hub_tab
from .suggest import did_you_mean
from .values import BadValue, cell_text, parse_date, parse_number, parse_per_minute

__all__ = ["TeamsTable", "parse_settings", "parse_teams"]


_REQUIRED_TEAMS_COLUMNS = [c for c in TeamsCol if hub_columns(HubTab.TEAMS)[c]["required"]]
_LEVELS = {level.value: level for level in Level}


@dataclass(slots=True)
class TeamsTable:
    teams: list[Team]
    findings: list[Finding]


def _tab(hub: HubSnapshot, name: str) -> Grid:
    grid = hub_tab(hub.tabs, name)
    if grid is not None:
        return grid
    raise SourceError(f"{hub.source}: the hub has no '{name}' tab; add it (see `okrtree init`)")


def parse_teams(hub: HubSnapshot) -> TeamsTable:
    """The `Teams` tab: one team per row, in order; duplicates and bad levels become findings."""
    grid = _tab(hub, HubTab.TEAMS)
    header = [cell_text(c).casefold() for c in (grid[0] if grid else [])]
    where = {name: header.index(name.casefold()) for name in TeamsCol if name.casefold() in header}
    for required in _REQUIRED_TEAMS_COLUMNS:
        if required not in where:
            raise SourceError(
                f"{hub.source}: the '{HubTab.TEAMS}' tab has no '{required}' column in row 1; "
                f"its header must be: {', '.join(TeamsCol)}"
            )

    def cell(row: list[CellValue], name: TeamsCol) -> str:
        index = where.get(name)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    teams: list[Team] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for number, row in enumerate(grid[1:], start=2):
        name = cell(row, TeamsCol.TEAM)
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
        level_text = cell(row, TeamsCol.LEVEL)
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
                parent=cell(row, TeamsCol.PARENT_TEAM) or None,
                source=cell(row, TeamsCol.SPREADSHEET),
                tab=cell(row, TeamsCol.TAB) or TEAM_TAB,
                owner=cell(row, TeamsCol.OWNER),
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


# Each Settings key and the `Settings` field it sets.
_SETTING_FIELDS = {
    SettingKey.CYCLE: "cycle",
    SettingKey.CYCLE_START: "cycle_start",
    SettingKey.CYCLE_END: "cycle_end",
    SettingKey.STALE_AFTER_DAYS: "stale_after_days",
    SettingKey.ON_TRACK_WITHIN: "on_track_within",
    SettingKey.AT_RISK_WITHIN: "at_risk_within",
    SettingKey.MAX_OBJECTIVES_PER_TEAM: "max_objectives",
    SettingKey.MAX_KEY_RESULTS_PER_OBJECTIVE: "max_key_results",
    SettingKey.READS_PER_MINUTE: "reads_per_minute",
    SettingKey.WRITES_PER_MINUTE: "writes_per_minute",
}
_FIELD_OF_KEY = {key.casefold(): field for key, field in _SETTING_FIELDS.items()}
_KEY_OF_FIELD = {field: key for key, field in _SETTING_FIELDS.items()}
_WHOLE_NUMBERS = {"stale_after_days", "max_objectives", "max_key_results"}


def parse_settings(hub: HubSnapshot) -> Settings:
    """The `Settings` tab (key in column A, value in column B); bad values stop the run."""
    grid = _tab(hub, HubTab.SETTINGS)
    raw: dict[str, tuple[int, CellValue]] = {}
    for number, row in enumerate(grid, start=1):
        key = " ".join(cell_text(row[0]).split()).casefold() if row else ""
        if key in _FIELD_OF_KEY:
            raw[_FIELD_OF_KEY[key]] = (number, row[1] if len(row) > 1 else None)

    def where(field: str) -> str:
        return f"{HubTab.SETTINGS} row {raw[field][0]}" if field in raw else HubTab.SETTINGS.value

    problems: list[str] = []  # every bad setting, reported together
    dates: dict[str, dt.date] = {}
    for field in ("cycle_start", "cycle_end"):
        label = _KEY_OF_FIELD[field]
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
            f"{HubTab.SETTINGS} '{SettingKey.CYCLE_END}' ({dates['cycle_end']}) must be after "
            f"'{SettingKey.CYCLE_START}' ({dates['cycle_start']})"
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
        label = _KEY_OF_FIELD[field]
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
        label = _KEY_OF_FIELD[field]
        try:
            numbers[field] = parse_per_minute(typed)
        except BadValue as err:
            problems.append(f"{where(field)} ({label}): {err}")
    if problems:
        raise SourceError(f"{hub.source}: " + "; ".join(problems))
    cycle = cell_text(raw["cycle"][1]) if "cycle" in raw else ""
    start, end = dates["cycle_start"], dates["cycle_end"]
    return Settings(cycle_start=start, cycle_end=end, cycle=cycle, **numbers)  # type: ignore[arg-type]
