"""The hub's Teams and Settings tabs."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.errors import SourceError
from sync.hub import parse_settings, parse_teams
from sync.model import Code, Level, Settings
from sync.snapshot import HubSnapshot

TEAMS_HEADER = ["Team", "Level", "Parent team", "Spreadsheet", "Tab", "Owner"]
GOOD_SETTINGS = [["Cycle start", "2026-10-01"], ["Cycle end", dt.datetime(2026, 12, 31)]]


def hub(teams: list[list[object]], settings: list[list[object]] | None = None) -> HubSnapshot:
    return HubSnapshot(
        "hub.xlsx",
        {
            "Teams": [TEAMS_HEADER, *teams],
            "Settings": GOOD_SETTINGS if settings is None else settings,
        },
    )


def test_teams_are_read_in_order_with_defaults() -> None:
    table = parse_teams(
        hub(
            [
                ["Co", "company", None, "co.xlsx", None, "ceo@x.com"],
                ["Eng ", "Department", "co", "eng.xlsx", "Q4", None],
            ]
        )
    )
    assert [(t.name, t.level, t.parent, t.source, t.tab, t.owner) for t in table.teams] == [
        ("Co", Level.COMPANY, None, "co.xlsx", "OKRs", "ceo@x.com"),
        ("Eng", Level.DEPARTMENT, "co", "eng.xlsx", "Q4", ""),
    ]
    assert table.findings == []


@pytest.mark.parametrize(
    ("rows", "code", "team"),
    [
        ([["A", "Team", None, "a.xlsx"], ["a", "Team", None, "b.xlsx"]], Code.DUPLICATE_TEAM, "a"),
        ([["A", "Squad", None, "a.xlsx"]], Code.INVALID_LEVEL, "A"),
        ([["A", None, None, "a.xlsx"]], Code.INVALID_LEVEL, "A"),
        ([["A", "Team", "Nobody", "a.xlsx"]], Code.UNKNOWN_PARENT_TEAM, "A"),
    ],
)
def test_team_findings(rows: list[list[object]], code: Code, team: str) -> None:
    table = parse_teams(hub(rows))
    assert [(f.code, f.team, f.id) for f in table.findings] == [(code, team, None)]


def test_invalid_level_counts_as_team_and_duplicate_is_left_out() -> None:
    table = parse_teams(hub([["A", "Squad", None, "a.xlsx"], ["A", "Company", None, "b.xlsx"]]))
    assert [(t.name, t.level, t.source) for t in table.teams] == [("A", Level.TEAM, "a.xlsx")]


@pytest.mark.parametrize(
    ("tabs", "message"),
    [
        ({"Settings": GOOD_SETTINGS}, "no 'Teams' tab"),
        ({"Teams": [TEAMS_HEADER]}, "no 'Settings' tab"),
        ({"Teams": [["Name", "Spreadsheet"]], "Settings": GOOD_SETTINGS}, "no 'Team' column"),
        ({"Teams": [["Team", "Level"]], "Settings": GOOD_SETTINGS}, "no 'Spreadsheet' column"),
    ],
)
def test_unusable_hub_stops_the_run(tabs: dict[str, list[list[object]]], message: str) -> None:
    snapshot = HubSnapshot("hub.xlsx", tabs)
    with pytest.raises(SourceError, match=message):
        parse_teams(snapshot)
        parse_settings(snapshot)


def test_settings_defaults_and_overrides() -> None:
    assert parse_settings(hub([])) == Settings(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    rows = [
        ["  CYCLE ", "2026-Q4"],
        ["Cycle start", dt.date(2026, 10, 1)],
        ["cycle end", 46387],
        ["Stale after days", "7"],
        ["On track within", "5%"],
        ["At risk within", 0.2],
        ["Max objectives per team", 3],
        ["Max key results per objective", "4"],
        ["Other", "x"],
    ]
    assert parse_settings(hub([], rows)) == Settings(
        dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4", 7, 0.05, 0.2, 3, 4
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Cycle end", "2026-12-31"]], "'Cycle start' is missing"),
        ([["Cycle start", "2026-10-01"]], "'Cycle end' is missing"),
        ([["Cycle start", "2026-10-01"], ["Cycle end", "2026-10-01"]], "must be after"),
        ([["Cycle start", "2026-12-01"], ["Cycle end", "2026-10-01"]], "must be after"),
        ([["Cycle start", "soon"], ["Cycle end", "2026-10-01"]], "Settings row 1: 'Cycle start'"),
        ([*GOOD_SETTINGS, ["Stale after days", "two weeks"]], "'Stale after days'"),
        ([*GOOD_SETTINGS, ["Max objectives per team", 2.5]], "whole number"),
        ([*GOOD_SETTINGS, ["At risk within", -1]], "number >= 0"),
    ],
)
def test_bad_settings_stop_the_run(rows: list[list[object]], message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_settings(hub([], rows))
