"""The text summary of `validate` and `sync`: counts, then one block per finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_templates.example import EXPECTED_WARNINGS
from sync.model import Code, Finding, Severity
from sync.summary import DEFAULT_SHOWN, finding_place

from .conftest import EXAMPLE_AS_OF, Invoke

GHOSTS = DEFAULT_SHOWN + 3
WARNINGS = len(EXPECTED_WARNINGS)


@pytest.fixture
def haunted(org: Path) -> Path:
    """The example plus teams whose workbooks do not exist: one error finding each."""
    hub = load_workbook(org / "hub.xlsx")
    for number in range(GHOSTS):
        hub["Teams"].append([f"Ghost {number}", "Team", "Northwind", f"teams/ghost{number}.xlsx"])
    hub.save(org / "hub.xlsx")
    return org


def blocks(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("error ", "warning ", "info "))]


def test_counts_are_worded_for_people(haunted: Path, invoke: Invoke) -> None:
    code, out, _ = invoke("validate", str(haunted), "--as-of", EXAMPLE_AS_OF)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{16 + GHOSTS} teams ({GHOSTS} not read), 76 items, 9 done")
    assert lines[2] == f"{GHOSTS + WARNINGS} findings: {GHOSTS} errors, {WARNINGS} warnings"
    assert "infos" not in out and "0 " not in lines[2] and "wrote" not in out.lower()
    assert lines[3].startswith(f"By code: SPREADSHEET_UNREADABLE {GHOSTS}, ")


def test_without_verbose_the_first_findings_then_how_to_see_all(
    haunted: Path, invoke: Invoke
) -> None:
    _, out, _ = invoke("validate", str(haunted), "--as-of", EXAMPLE_AS_OF)
    shown = blocks(out)
    assert len(shown) == DEFAULT_SHOWN
    assert shown[0] == "error SPREADSHEET_UNREADABLE  Ghost 0"
    assert f"… and {GHOSTS + WARNINGS - DEFAULT_SHOWN} more: --verbose lists them all" in out
    _, out, _ = invoke("validate", str(haunted), "--as-of", EXAMPLE_AS_OF, "--verbose")
    assert len(blocks(out)) == GHOSTS + WARNINGS and "more:" not in out


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_every_line_fits_the_width(example: Path, invoke: Invoke, columns: int) -> None:
    from .conftest import run_cli

    _, out, _ = run_cli("validate", str(example), "--as-of", EXAMPLE_AS_OF, columns=columns)
    assert max(len(line) for line in out.splitlines()) <= columns
    assert not [line for line in out.splitlines() if line.endswith(" ")]
    assert "  this key result has no Owner; type who drives it." in out


def test_sync_says_what_it_wrote_then_that_nothing_was_left(org: Path, invoke: Invoke) -> None:
    _, out, _ = invoke("sync", str(org), "--as-of", EXAMPLE_AS_OF)
    assert "Wrote " in out and " cells in 17 spreadsheets" in out
    _, out, _ = invoke("sync", str(org), "--as-of", EXAMPLE_AS_OF)
    assert "Nothing to write: up to date" in out and "0 cells" not in out


@pytest.mark.parametrize(
    ("team", "message", "place", "rest"),
    [
        ("Sales", "Team Sales, row 7 (SAL-3), column Current: 'lots' is no number.",
         "Sales, row 7 (SAL-3), column Current", "'lots' is no number."),
        ("Data", "Team Data, tab 'OKRs': no ID column in row 1; add it.",
         "Data, tab 'OKRs'", "no ID column in row 1; add it."),
        ("Ops", "Team Ops: teams/ops.xlsx not found. This team was skipped.",
         "Ops", "teams/ops.xlsx not found. This team was skipped."),
        ("Ops", "Team Ops has 6 objectives, more than 5; note: keep few.",
         "Ops", "Team Ops has 6 objectives, more than 5; note: keep few."),
        (None, "Teams row 4: team 'X' is listed twice.", "the hub",
         "Teams row 4: team 'X' is listed twice."),
    ],
)  # fmt: skip
def test_a_finding_block_names_its_place_once(
    team: str | None, message: str, place: str, rest: str
) -> None:
    finding = Finding(Severity.WARNING, Code.STALE, None, team, message)
    assert finding_place(finding) == (place, rest)
