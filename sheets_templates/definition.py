"""The standard template as plain values: tab, column and setting names, defaults, colours (pure).

Every name comes from `template.json`, the one definition the Python library and the add-on
share; this module reads it once and nothing else does. The enums give code a name for each
tab, Teams column and Settings key it needs: a member is its template name in capitals, words
joined by `_` (`Alignment Tree` is `HubTab.ALIGNMENT_TREE`), so renaming one in template.json
stops the import until the code is renamed too. No openpyxl here: the Google path and the core
import this module, the workbook builder and styles add openpyxl on top.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum, auto
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "DATA_ROWS",
    "HEADER_COLOUR",
    "HUB_FILE",
    "INPUT_TABS",
    "OUTPUT_HEADER_COLOUR",
    "OUTPUT_NOTE",
    "OUTPUT_TABS",
    "SETTING_DEFAULTS",
    "TEAM_TAB",
    "HubTab",
    "OutputCol",
    "SettingKey",
    "TeamsCol",
    "blank_settings",
    "hub_column_names",
    "hub_columns",
    "named_in_template",
    "quarter",
    "settings_rows",
    "status_colours",
    "team_column_names",
    "template",
]

HUB_FILE = "hub.xlsx"  # a local workspace's hub
DATA_ROWS = 1000  # rows (after the header) that get dropdowns and colour rules
HEADER_COLOUR = "CFE2F3"  # the header row of every tab okrtree makes
OUTPUT_HEADER_COLOUR = "D9D9D9"  # the header of a column okrtree writes
OUTPUT_NOTE = "Written by okrtree on every sync; changes typed here are replaced."


@cache
def template() -> dict[str, Any]:
    """The template definition: team columns, hub tabs, colours (see template.json)."""
    text = resources.files(__package__).joinpath("template.json").read_text(encoding="utf-8")
    return json.loads(text)


def _member_name(name: str) -> str:
    """`Check-ins` -> `CHECK_INS`: the enum member for a template name."""
    return "_".join("".join(c if c.isalnum() else " " for c in name).upper().split())


def named_in_template(names: Iterable[str]) -> Callable[..., str]:
    """An enum's `_generate_next_value_` giving each `auto()` member the template name it
    stands for; a member with no such name fails at import, naming what template.json has."""
    by_member = {_member_name(name): name for name in names}

    def generate(member: str, start: int, count: int, last_values: list[Any]) -> str:
        if member not in by_member:
            raise LookupError(f"template.json names no {member}; it has {sorted(by_member)}")
        return by_member[member]

    return staticmethod(generate)


TEAM_TAB: str = template()["team_tab"]  # a team's OKR tab, when the Teams row names none


class HubTab(StrEnum):
    """The hub's tabs (`hub_tabs` in template.json)."""

    _generate_next_value_ = named_in_template(template()["hub_tabs"])
    TEAMS = auto()
    SETTINGS = auto()
    ALIGNMENT_TREE = auto()
    FINDINGS = auto()
    HISTORY = auto()
    CHECK_INS = auto()


INPUT_TABS = (HubTab.TEAMS, HubTab.SETTINGS)  # read, never written
# Written by okrtree; a missing one is added after the input tabs, in this order.
OUTPUT_TABS = (HubTab.ALIGNMENT_TREE, HubTab.FINDINGS, HubTab.HISTORY, HubTab.CHECK_INS)


@cache
def hub_columns(tab: str) -> dict[str, dict[str, Any]]:
    """A hub tab's column definitions from template.json, by column name ({} for a tab
    without columns, or one the template does not know)."""
    tab_def = template()["hub_tabs"].get(tab, {})
    return {col["name"]: col for col in tab_def.get("columns", [])}


def hub_column_names(tab: str) -> list[str]:
    """okrtree's own columns of a hub tab, in template order."""
    return list(hub_columns(tab))


class TeamsCol(StrEnum):
    """The columns of the hub's `Teams` tab."""

    _generate_next_value_ = named_in_template(hub_columns(HubTab.TEAMS))
    TEAM = auto()
    LEVEL = auto()
    PARENT_TEAM = auto()
    SPREADSHEET = auto()
    TAB = auto()
    OWNER = auto()


class OutputCol(StrEnum):
    """The columns of the hub's output tabs that code names (a name may head several tabs)."""

    _generate_next_value_ = named_in_template(
        name for tab in OUTPUT_TABS for name in hub_column_names(tab)
    )
    TREE = auto()
    DEPTH = auto()
    ID = auto()
    TYPE = auto()
    TEAM = auto()
    OWNER = auto()
    SCORE = auto()
    STATUS = auto()
    WARNINGS = auto()
    FIRST_WARNING = auto()
    LINK = auto()
    TREND = auto()
    SEVERITY = auto()
    CODE = auto()
    MESSAGE = auto()
    DATE = auto()
    CURRENT = auto()
    CONFIDENCE = auto()
    NOTE = auto()


def team_column_names() -> list[str]:
    """The standard team tab header, in template order."""
    return [col["name"] for col in template()["team_columns"]]


_SETTINGS: dict[str, Any] = template()["hub_tabs"][HubTab.SETTINGS]


class SettingKey(StrEnum):
    """The keys of the hub's `Settings` tab (column A): those a new hub has (`rows`), then
    those a person may add (`optional_keys`)."""

    _generate_next_value_ = named_in_template(
        [*(key for key, _ in _SETTINGS["rows"]), *_SETTINGS["optional_keys"]]
    )
    CYCLE = auto()
    CYCLE_START = auto()
    CYCLE_END = auto()
    STALE_AFTER_DAYS = auto()
    ON_TRACK_WITHIN = auto()
    AT_RISK_WITHIN = auto()
    MAX_OBJECTIVES_PER_TEAM = auto()
    MAX_KEY_RESULTS_PER_OBJECTIVE = auto()
    READS_PER_MINUTE = auto()
    WRITES_PER_MINUTE = auto()
    DIGEST_DAY = auto()


# What a new hub's Settings say, and what a run assumes for a key left out.
SETTING_DEFAULTS: dict[SettingKey, Any] = {
    SettingKey(key): value for key, value in _SETTINGS["rows"]
}


def settings_rows(settings: Mapping[str, Any]) -> list[list[Any]]:
    """Template default rows with `settings` applied (keys case-insensitive), extras appended."""
    rows = [list(row) for row in _SETTINGS["rows"]]
    index = {str(row[0]).casefold(): row for row in rows}
    for key, value in settings.items():
        if key.casefold() in index:
            index[key.casefold()][1] = value
        else:
            rows.append([key, value])
    return rows


def quarter(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The calendar quarter holding `day`: its name, first and last date.

    >>> quarter(dt.date(2026, 11, 21))
    ('2026-Q4', datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    """
    number = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * number - 2, 1)
    after = dt.date(day.year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    return f"{day.year}-Q{number}", start, after - dt.timedelta(days=1)


def blank_settings(today: dt.date) -> dict[str, Any]:
    """A new blank hub's cycle: the calendar quarter holding `today`."""
    name, start, end = quarter(today)
    return {SettingKey.CYCLE: name, SettingKey.CYCLE_START: start, SettingKey.CYCLE_END: end}


def status_colours() -> dict[str, str]:
    """Each status label's hex colour (`On track` -> `D9EAD3`)."""
    return dict(template()["status_colours"])
