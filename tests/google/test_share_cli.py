"""`okrtree share` and telling a spreadsheet key from a folder, through the real entry point
against the emulator on a loopback port."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_templates.builder import create_workspace
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
