"""The example organisation: broad enough to show everything, and exactly the warnings it claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_templates.builder import create_workspace
from sheets_templates.example import AS_OF, EXPECTED_WARNINGS, TEAMS
from sync.cli import cli

KRS = [row for team in TEAMS for row in team.rows if row["Type"] == "Key Result"]
OBJECTIVES = [row for team in TEAMS for row in team.rows if row["Type"] == "Objective"]


def test_sixteen_teams_over_all_four_levels_in_one_tree() -> None:
    assert len(TEAMS) >= 15
    levels = [team.level for team in TEAMS]
    assert {level: levels.count(level) for level in set(levels)} == {
        "Company": 1, "Department": 3, "Team": 9, "Individual": 3
    }  # fmt: skip
    names = {team.name for team in TEAMS}
    assert all(team.parent in names for team in TEAMS if team.level != "Company")
    assert all(row["ID"].startswith(team.prefix + "-") for team in TEAMS for row in team.rows)


@pytest.mark.parametrize(
    ("kind", "matches"),
    [
        ("numeric", lambda r: isinstance(r["Target"], int | float) and r["Target"] > r["Start"]),
        ("decreasing", lambda r: isinstance(r["Target"], int | float) and r["Target"] < r["Start"]),
        ("at least", lambda r: str(r["Target"]).startswith(">=")),
        ("at most", lambda r: str(r["Target"]).startswith("<=")),
        ("yes", lambda r: r["Target"] == "yes"),
        ("TRUE", lambda r: r["Target"] is True),
        ("done", lambda r: r["Target"] == "done"),
        ("rolled up", lambda r: r["Target"] is None),
        ("thousands as text", lambda r: "," in str(r["Target"])),
        ("percent as text", lambda r: str(r["Current"]).endswith("%")),
        ("weight 2", lambda r: r["Weight"] == 2),
        ("weight 0", lambda r: r["Weight"] == 0),
        ("no owner", lambda r: r["Owner"] == ""),
    ],
)
def test_every_kind_of_key_result_is_there(kind: str, matches: Any) -> None:
    assert any(matches(row) for row in KRS), kind


@pytest.mark.parametrize(
    ("kind", "matches"),
    [
        ("on an item", lambda d: d and not d.startswith("team:")),
        ("on a team", lambda d: d.startswith("team:")),
        ("on several items", lambda d: "," in d),
    ],
)
def test_dependencies_of_every_kind(kind: str, matches: Any) -> None:
    assert any(matches(row["Depends on"]) for row in KRS + OBJECTIVES), kind


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    hub = create_workspace(tmp_path_factory.mktemp("org") / "example", example=True)
    result = CliRunner().invoke(
        cli, ["validate", str(hub.parent), "--as-of", AS_OF.isoformat(), "--json"]
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_example_has_exactly_the_designed_warnings(report: dict[str, Any]) -> None:
    found = [(f["code"], f["id"]) for f in report["findings"]]
    assert found == EXPECTED_WARNINGS
    assert {f["severity"] for f in report["findings"]} == {"warning"}


def test_most_items_are_on_track_a_few_are_not(report: dict[str, Any]) -> None:
    statuses = {item["id"]: item["status"] for item in report["items"]}
    assert len(statuses) == sum(len(team.rows) for team in TEAMS)
    behind = {key: value for key, value in statuses.items() if value in ("at_risk", "off_track")}
    assert behind == {
        "AMER-2": "at_risk", "GRO-2": "at_risk", "MOB-4": "off_track", "AMER-4": "off_track"
    }  # fmt: skip
    assert statuses["CO-3"] == "on_track"  # rolled up from CS-1
    assert all(team["ok"] for team in report["teams"])


def test_a_sync_then_a_resync_writes_nothing_new(tmp_path: Path) -> None:
    hub = create_workspace(tmp_path / "example", example=True)
    args = ["sync", str(hub.parent), "--as-of", AS_OF.isoformat(), "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["writes"]["cells"] > 0
    again = CliRunner().invoke(cli, args)
    assert json.loads(again.stdout)["writes"]["cells"] == 0
