"""The names code uses are template.json's, each enum covering what the template defines."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum, auto
from pathlib import Path

import pytest

from sheets_templates.definition import (
    SETTING_DEFAULTS,
    TEAM_TAB,
    HubTab,
    OutputCol,
    SettingKey,
    TeamsCol,
    named_in_template,
)
from sync.model import Settings
from sync.template import OUTPUT_COLUMNS, Col

TEMPLATE = json.loads(
    (Path(__file__).parents[2] / "sheets_templates" / "template.json").read_text("utf-8")
)


def test_every_hub_tab_of_the_template_has_a_member_in_order() -> None:
    assert [tab.value for tab in HubTab] == list(TEMPLATE["hub_tabs"])


def test_teams_columns_are_the_template_columns_in_order() -> None:
    names = [col["name"] for col in TEMPLATE["hub_tabs"][HubTab.TEAMS]["columns"]]
    assert [col.value for col in TeamsCol] == names


def test_every_output_tab_column_has_a_member() -> None:
    output = [tab for tab in TEMPLATE["hub_tabs"] if tab not in ("Teams", "Settings")]
    names = {col["name"] for tab in output for col in TEMPLATE["hub_tabs"][tab]["columns"]}
    assert sorted(col.value for col in OutputCol) == sorted(names)


def test_settings_keys_and_defaults_are_the_template_rows() -> None:
    settings = TEMPLATE["hub_tabs"][HubTab.SETTINGS]
    rows = settings["rows"]
    keys = [key for key, _ in rows] + settings["optional_keys"]
    assert [key.value for key in SettingKey] == keys
    assert {key.value: value for key, value in SETTING_DEFAULTS.items()} == dict(rows)


def test_a_run_assumes_the_template_defaults_for_settings_left_out() -> None:
    settings = Settings(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    rows = TEMPLATE["hub_tabs"]["Settings"]["rows"]
    assert (
        settings.cycle,
        settings.stale_after_days,
        settings.on_track_within,
        settings.at_risk_within,
        settings.max_objectives,
        settings.max_key_results,
    ) == tuple(value for _, value in rows if value is not None)


def test_every_team_column_of_the_template_has_a_member() -> None:
    columns = TEMPLATE["team_columns"]
    assert sorted(col.value for col in Col) == sorted(col["name"] for col in columns)
    assert [col.value for col in OUTPUT_COLUMNS] == [
        col["name"] for col in columns if col["on"] == "output"
    ]


def test_the_team_tab_is_the_template_one() -> None:
    assert TEAM_TAB == TEMPLATE["team_tab"]


@pytest.mark.parametrize(
    ("names", "member", "value"),
    [
        (["Alignment Tree"], "ALIGNMENT_TREE", "Alignment Tree"),
        (["Check-ins"], "CHECK_INS", "Check-ins"),
        (["Max key results per objective"], "MAX_KEY_RESULTS_PER_OBJECTIVE", None),
        (["Why  now?"], "WHY_NOW", "Why  now?"),
    ],
)
def test_a_member_is_its_template_name_in_capitals(
    names: list[str], member: str, value: str | None
) -> None:
    generate = named_in_template(names)
    expected = value if value is not None else names[0]
    assert generate.__func__(member, 1, 0, []) == expected  # type: ignore[attr-defined]


def test_a_member_the_template_does_not_name_stops_the_import() -> None:
    with pytest.raises(LookupError, match=r"template.json names no RENAMED; it has \['TEAMS'\]"):

        class Tabs(StrEnum):
            _generate_next_value_ = named_in_template(["Teams"])
            RENAMED = auto()
