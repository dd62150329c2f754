"""Workspaces and the entry point for the command-line tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_templates.builder import create_workspace
from sheets_templates.example import AS_OF
from sync.cli import cli

EXAMPLE_AS_OF = AS_OF.isoformat()
Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation, never written to by the tests that share it."""
    directory = tmp_path_factory.mktemp("cli") / "org"
    create_workspace(directory, example=True)
    return directory


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """A fresh example organisation a test may change."""
    directory = tmp_path / "org"
    create_workspace(directory, example=True)
    return directory


def run_cli(*args: str, columns: int | None = None) -> tuple[int, str, str]:
    """`okrtree ARGS` through the real entry point; stdout is not a terminal, as in a pipe."""
    env = {"COLUMNS": str(columns)} if columns else None
    outcome = CliRunner().invoke(cli, list(args), env=env)
    return outcome.exit_code, outcome.stdout, outcome.stderr


@pytest.fixture
def invoke() -> Invoke:
    return run_cli
