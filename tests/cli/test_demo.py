"""`make demo`: the example's own date, kept edits, and output that reads at 80 columns."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_templates.example import AS_OF

from .conftest import EXAMPLE_AS_OF, Invoke, run_cli

REPO = Path(__file__).resolve().parents[2]
WIDTH = 80


def demo_recipe() -> str:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]


def demo_commands(directory: Path) -> list[list[str]]:
    """The okrtree commands `make demo` runs on a new folder, with its variables filled in."""
    commands = []
    for line in demo_recipe().splitlines():
        found = re.search(r"\$\(BIN\)/okrtree (.*?)(?:;|&&|$)", line)
        if found:
            text = found.group(1).replace("$(DEMO_DIR)", str(directory))
            commands.append(shlex.split(text.replace("$$as_of", EXAMPLE_AS_OF)))
    return commands


def test_the_demo_judges_the_example_on_its_own_date(tmp_path: Path) -> None:
    recipe = demo_recipe()
    assert "from sheets_templates.example import AS_OF" in (REPO / "Makefile").read_text()
    commands = demo_commands(tmp_path / "org")
    assert [c[0] for c in commands] == ["init", "sync", "tree"]
    assert all(c[c.index("--as-of") + 1] == AS_OF.isoformat() for c in commands[1:])
    assert "the example's date" in recipe


@pytest.mark.skipif(
    not (REPO / ".venv" / "bin" / "okrtree").exists(), reason="runs make in the set-up checkout"
)
def test_the_demo_keeps_an_existing_folder_and_its_edits(tmp_path: Path) -> None:
    folder = tmp_path / "demo-org"

    def make_demo() -> str:
        done = subprocess.run(
            ["make", "--no-print-directory", "-C", str(REPO), "demo", f"DEMO_DIR={folder}"],
            capture_output=True, text=True, timeout=600, check=True,
        )  # fmt: skip
        return done.stdout

    first = make_demo()
    assert first.startswith(f"Created {folder}")
    book = load_workbook(folder / "teams" / "sales.xlsx")
    book["OKRs"]["C2"] = "Win the mid-market, our way"
    book.save(folder / "teams" / "sales.xlsx")
    second = make_demo()
    assert second.splitlines()[0] == (
        f"Keeping {folder} (your edits); to start afresh: rm -rf {folder} && make demo"
    )
    assert "SAL-1 Win the mid-market, our" in second  # titles shorten to fit the width
    assert load_workbook(folder / "teams" / "sales.xlsx")["OKRs"]["C2"].value.endswith("our way")


def test_the_demo_output_fits_80_columns_and_80_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    for command in demo_commands(Path("demo-org")):
        code, out, err = run_cli(*command, columns=WIDTH)
        assert (code, err) == (0, ""), command
        lines.extend(out.splitlines())
    too_long = [line for line in lines if len(line) > WIDTH]
    assert too_long == []
    assert len(lines) < 80
    assert any(line.startswith("warning NO_OWNER  Support, row 5 (SUP-4)") for line in lines)
    assert any("CO-1" in line and "On track" in line for line in lines)


def test_an_ended_cycle_is_said_in_the_summary_json_and_tree(example: Path, invoke: Invoke) -> None:
    after = "2027-01-15"
    code, out, _ = invoke("validate", str(example), "--as-of", after)
    assert "2026-Q4 as of 2027-01-15: the cycle ended on 2026-12-31; statuses are final" in out
    _, out, _ = invoke("validate", str(example), "--as-of", after, "--json")
    assert json.loads(out)["cycle"]["ended"] is True
    _, out, _ = invoke("tree", str(example), "--as-of", after)
    assert out.splitlines()[0].endswith("the cycle ended on 2026-12-31; statuses are final")
    _, out, _ = invoke("validate", str(example), "--as-of", EXAMPLE_AS_OF, "--json")
    assert json.loads(out)["cycle"]["ended"] is False
    _, out, _ = invoke("validate", str(example), "--as-of", "2026-12-31")
    assert "100% of the cycle elapsed" in out
