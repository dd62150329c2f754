"""`okrtree share` and telling a spreadsheet key from a folder, through the real entry point
against the emulator on a loopback port."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_templates.builder import create_workspace, team_column_names
from sync.cli import cli
from sync.emulator import Emulator, seed_workspace, start

from .conftest import team_keys


@pytest.fixture
def served(emulator: Emulator, example_workspace: Path) -> Iterator[tuple[dict[str, str], str]]:
    """The example organisation in an emulator: (environment for the CLI, hub key)."""
    hub = seed_workspace(emulator, example_workspace)
    with start(emulator) as running:
        yield {"OKRTREE_SHEETS_ENDPOINT": running.url, "OKRTREE_CREDENTIALS": "anonymous"}, hub


def grants(emulator: Emulator, key: str) -> dict[str, str]:
    return {
        str(p.get("emailAddress")): str(p.get("role"))
        for p in emulator.spreadsheet(key).permissions
        if p.get("emailAddress")
    }


def test_share_gives_access_to_the_hub_and_every_team(
    emulator: Emulator, served: tuple[dict[str, str], str]
) -> None:
    env, hub = served
    outcome = CliRunner(env=env).invoke(
        cli,
        ["share", hub, "--with", "ana@x.example", "--with", "raj@x.example", "--role", "reader"],
    )
    assert outcome.exit_code == 0, outcome.stderr
    keys = set(team_keys(emulator, hub).values())
    assert outcome.stdout.splitlines() == [
        f"Shared {len(keys) + 1} spreadsheets with ana@x.example as reader.",
        f"Shared {len(keys) + 1} spreadsheets with raj@x.example as reader.",
    ]
    for key in [hub, *keys]:
        given = grants(emulator, key)
        assert (given["ana@x.example"], given["raj@x.example"]) == ("reader", "reader")


def test_share_defaults_to_writer(emulator: Emulator, served: tuple[dict[str, str], str]) -> None:
    env, hub = served
    outcome = CliRunner(env=env).invoke(cli, ["share", hub, "--with", "ana@x.example"])
    assert outcome.exit_code == 0, outcome.stderr
    assert grants(emulator, hub)["ana@x.example"] == "writer"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["share", "my-org", "--with", "a@x.example"], "my-org is no Google hub"),
        (["share", "1" + "b" * 43], "Missing option '--with'"),
        (["share", "1" + "b" * 43, "--with", "a@x", "--role", "owner"], "'owner' is not one of"),
    ],
)
def test_share_mistakes_exit_2(args: list[str], says: str) -> None:
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 2 and says in outcome.stderr


def test_init_google_points_to_share(emulator: Emulator) -> None:
    with start(emulator) as running:
        env = {"OKRTREE_SHEETS_ENDPOINT": running.url, "OKRTREE_CREDENTIALS": "anonymous"}
        made = CliRunner(env=env).invoke(cli, ["init", "--google", "--title", "Acme"])
    assert made.exit_code == 0, made.stderr
    hub_url = made.stdout.split("the hub: ", 1)[1].split()[0]
    assert f"okrtree share {hub_url} --with EMAIL" in made.stdout
    assert "--share" not in made.stdout


def test_a_shortened_key_is_not_called_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(cli, ["validate", "1X1f..."])
    assert outcome.exit_code == 2
    assert "no whole Google spreadsheet key: it ends in '...'" in outcome.stderr
    assert "okrtree init" not in outcome.stderr


def test_a_key_read_as_google_says_so(
    served: tuple[dict[str, str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, _ = served
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner(env=env).invoke(cli, ["validate", "northwind-okrs-2026-q4"])
    assert outcome.exit_code == 2 and outcome.stderr.count("\n") == 1
    assert outcome.stderr.rstrip().endswith(
        "(northwind-okrs-2026-q4 was read as a Google spreadsheet key: no folder of that name is "
        "here)"
    )


def offline_commands() -> list[list[str]]:
    """The okrtree commands of the README's offline section, comments dropped."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Try the Google path offline", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        for part in line.split("#", 1)[0].split("&&"):
            words = shlex.split(part)
            if words[:1] == ["okrtree"]:
                commands.append(words[1:])
    return commands


def test_the_readme_offline_section_runs_after_make_demo(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    create_workspace(Path("demo-org"), example=True)  # what `make demo` leaves behind
    commands = offline_commands()
    assert [c[0] for c in commands] == ["init", "emulator", "sync", "tree", "share"]
    made = CliRunner().invoke(cli, commands[0])
    assert made.exit_code == 0, made.stderr
    workspace = Path(commands[1][commands[1].index("--from") + 1])
    hub = seed_workspace(emulator, workspace)  # the emulator command, in this process
    with start(emulator) as running:
        env = {"OKRTREE_SHEETS_ENDPOINT": running.url, "OKRTREE_CREDENTIALS": "anonymous"}
        for command in commands[2:]:
            args = [hub if word == "$HUB" else word for word in command]
            outcome = CliRunner(env=env).invoke(cli, args)
            assert outcome.exit_code == 0, (args, outcome.stderr)


ADD_MOBILE = ["--team", "Mobile Apps", "--level", "Team", "--parent", "Engineering"]


def test_add_team_on_a_google_hub_makes_a_template_spreadsheet(
    emulator: Emulator, served: tuple[dict[str, str], str]
) -> None:
    env, hub = served
    outcome = CliRunner(env=env).invoke(cli, ["add-team", hub, *ADD_MOBILE, "--owner", "m@x.ex"])
    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert lines[0] == "Added Mobile Apps (Team, under Engineering) to the hub, Teams row 18."
    assert f"okrtree share {hub} --with EMAIL" in outcome.stdout
    teams = emulator.values(hub, "Teams")
    row = dict(zip(teams[0], teams[-1], strict=False))
    assert (row["Team"], row["Level"], row["Parent team"], row["Owner"]) == (
        "Mobile Apps", "Team", "Engineering", "m@x.ex"
    )  # fmt: skip
    key = team_keys(emulator, hub)["Mobile Apps"]
    assert emulator.values(key, "OKRs")[0] == team_column_names()
    synced = CliRunner(env=env).invoke(cli, ["sync", hub, "--as-of", "2026-11-21", "--json"])
    teams_seen = json.loads(synced.stdout)["teams"]
    assert teams_seen[-1]["name"] == "Mobile Apps" and teams_seen[-1]["ok"] is True


def test_add_team_on_a_google_hub_completes_the_team_s_own_spreadsheet(
    emulator: Emulator, served: tuple[dict[str, str], str]
) -> None:
    env, hub = served
    own = emulator.create_spreadsheet(
        "Mobile OKRs",
        {
            "Q4": [
                ["Mobile OKRs, Q4"],
                ["ID", "Type", "Title", "Target", "Current"],
                ["", "Objective", "Ship the app"],
                ["", "KR", "Store rating", 4.5, 4.1],
                ["APP-2", "KR", "Crash-free sessions", ">= 99.5", 99.7],
            ]
        },
    )
    outcome = CliRunner(env=env).invoke(cli, ["add-team", hub, *ADD_MOBILE, "--from", own])
    assert outcome.exit_code == 0, outcome.stderr
    assert "Filled 2 missing IDs: row 3 APP-3, row 4 APP-4." in outcome.stdout
    values = emulator.values(own, "Q4")
    missing = [n for n in team_column_names() if n not in values[1][:5]]
    assert values[1] == ["ID", "Type", "Title", "Target", "Current", *missing]
    assert [r[0] for r in values[2:5]] == ["APP-3", "APP-4", "APP-2"]
    assert team_keys(emulator, hub)["Mobile Apps"] == own
    assert emulator.values(hub, "Teams")[-1][4] == "Q4"


def test_add_team_on_a_google_hub_refuses_a_taken_name_and_writes_nothing(
    emulator: Emulator, served: tuple[dict[str, str], str]
) -> None:
    env, hub = served
    before = emulator.values(hub, "Teams")
    outcome = CliRunner(env=env).invoke(
        cli, ["add-team", hub, "--team", "sales", "--level", "Team", "--parent", "Northwind"]
    )
    assert outcome.exit_code == 2 and "team 'Sales' is already in the Teams tab" in outcome.stderr
    assert emulator.values(hub, "Teams") == before
