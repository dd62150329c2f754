"""The README's Quick start, run as written from a fresh clone in a temporary directory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the Quick start has a sh code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_the_two_commands() -> None:
    assert quick_start_commands() == ["make demo", "make test"]


@pytest.mark.slow
def test_quick_start_works_from_a_fresh_clone(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(checkout / "main")], check=True)
    shared = REPO.parent / "shared"
    if shared.is_dir():  # the recordings the Google-side tests replay sit beside the clone
        (checkout / "shared").symlink_to(shared)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    # The nested `make test` leaves this slow test out, or it would clone itself forever.
    env["PYTEST_ARGS"] = "-m 'not slow'"
    for command in quick_start_commands():
        done = subprocess.run(
            command,
            shell=True,
            cwd=checkout / "main",
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, (
            f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        if command == "make demo":
            assert "CO-1" in done.stdout and "as of" in done.stdout
            assert (checkout / "main" / "demo-org" / "hub.xlsx").is_file()
        else:
            assert re.search(r"\d+ passed", done.stdout)
    shutil.rmtree(checkout, ignore_errors=True)
