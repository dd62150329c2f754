"""Wording and exit statuses a newcomer meets first."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from openpyxl import load_workbook

from sync.cli import cli

from .conftest import Invoke


def test_one_team_is_not_teams(tmp_path: Path, invoke: Invoke) -> None:
    invoke("init", str(tmp_path / "blank"))
    code, out, _ = invoke("validate", str(tmp_path / "blank"))
    assert code == 0
    assert out.splitlines()[0] == "1 team, 0 items"
    assert "No findings" in out and "infos" not in out and "cells" not in out


@pytest.mark.parametrize("command", cli.list_commands(click.Context(cli)))
def test_help_names_nothing_the_user_does_not_have(command: str, invoke: Invoke) -> None:
    _, out, _ = invoke(command, "--help")
    assert "SPEC" not in out and "§" not in out


def test_every_bad_setting_is_named_at_once(org: Path, invoke: Invoke) -> None:
    hub = load_workbook(org / "hub.xlsx")
    settings = hub["Settings"]
    for row in settings.iter_rows(min_row=1):
        key = str(row[0].value or "").casefold()
        if key == "cycle end":
            row[1].value = "soon"
        elif key == "stale after days":
            row[1].value = "two weeks"
        elif key == "max objectives per team":
            row[1].value = -1
    hub.save(org / "hub.xlsx")
    code, out, err = invoke("validate", str(org))
    assert (code, out) == (2, "") and err.count("\n") == 1
    for named in ("'Cycle end' is not a date", "'Stale after days' is not a number"):
        assert named in err
    assert "'Max objectives per team' must be a whole number >= 0" in err


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", [["emulator"], ["serve", "{org}"]])
def test_a_busy_port_is_one_line_and_exit_2(
    example: Path, busy_port: int, invoke: Invoke, command: list[str]
) -> None:
    args = [part.format(org=example) for part in command]
    code, out, err = invoke(*args, "--port", str(busy_port))
    assert code == 2 and out == ""
    assert err == (
        f"okrtree: cannot listen on 127.0.0.1:{busy_port} (Address already in use); "
        "stop what uses it or pick another --port (0 picks a free one)\n"
    )
