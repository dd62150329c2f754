"""Hostile workbooks among good ones: each is that team's SPREADSHEET_UNREADABLE, naming the file;
the other teams are written; the run stays within bounded time and memory; a hostile hub stops
the run with one line and writes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from tests.corpus.cases import SETTINGS, okr_rows, team_row
from tests.corpus.hostile import HOSTILE, broken_xml, csv_named_xlsx, encrypted, xxe

from .helpers import Bounded, okrtree, okrtree_bounded, sheet_cells

GIB = 1 << 30
ADDRESS_SPACE = 3 * GIB  # a reader that tries to hold a bomb in memory fails under this cap
PEAK_MEMORY = 1 * GIB
SECONDS = 60
SECRET = "okrtree-must-never-show-this-7f3a"
GOOD = ("Good one", "Good two")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class HostileRun:
    root: Path
    sources: dict[str, str]  # team -> source
    digests: dict[str, str]  # team -> sha256 of its hostile file before the run
    run: Bounded


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "org"
    (root / "teams").mkdir(parents=True)
    secret = base / "secret.txt"
    secret.write_text(SECRET)
    sources: dict[str, str] = {}
    for n, team in enumerate(GOOD):
        sources[team] = f"teams/good{n}.xlsx"
        new_team_workbook(root / sources[team], f"G{n}", okr_rows(f"G{n}", "good work"))
    builders = {**HOSTILE, "xxe": lambda path, prefix: xxe(path, prefix, secret)}
    for n, (case, build) in enumerate(builders.items()):
        team = f"Hostile {case}"
        sources[team] = f"teams/{case}.xlsx"
        build(root / sources[team], f"H{n}")
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[team_row(team, source) for team, source in sources.items()],
        settings=SETTINGS,
    )
    digests = {t: _digest(root / s) for t, s in sources.items() if t not in GOOD}
    run = okrtree_bounded(
        "sync", str(root), address_space=ADDRESS_SPACE, report=base / "measured.json"
    )
    return HostileRun(root, sources, digests, run)


def test_the_run_finishes_within_bounded_time_and_memory(hostile_run: HostileRun) -> None:
    run = hostile_run.run
    assert run.outcome.code == 1, run.outcome.stderr[-2000:]
    assert run.outcome.data["findings"]  # a report, not a traceback
    assert run.seconds < SECONDS
    assert run.peak_bytes < PEAK_MEMORY, f"peak {run.peak_bytes / GIB:.2f} GiB"


@pytest.mark.parametrize("case", [*HOSTILE, "xxe"])
def test_a_hostile_workbook_is_its_teams_unreadable_finding(
    hostile_run: HostileRun, case: str
) -> None:
    team = f"Hostile {case}"
    findings = [f for f in hostile_run.run.outcome.data["findings"] if f["team"] == team]
    assert [f["code"] for f in findings] == ["SPREADSHEET_UNREADABLE"]
    assert hostile_run.sources[team] in findings[0]["message"]
    assert _digest(hostile_run.root / hostile_run.sources[team]) == hostile_run.digests[team]


@pytest.mark.parametrize("team", GOOD)
def test_the_good_teams_are_written(hostile_run: HostileRun, team: str) -> None:
    data = hostile_run.run.outcome.data
    assert not [f for f in data["findings"] if f["team"] == team and f["code"] == "NOT_WRITTEN"]
    cells = sheet_cells(hostile_run.root / hostile_run.sources[team], "OKRs")
    rows = [item["row"] for item in data["items"] if item["team"] == team]
    assert len(rows) == 3
    assert all(cells.get((row, 14)) for row in rows)  # every row has its Status


def test_an_external_entity_never_reaches_any_output(hostile_run: HostileRun) -> None:
    assert SECRET not in hostile_run.run.outcome.stdout
    for tab in ("Alignment Tree", "Findings"):
        assert SECRET not in str(sheet_cells(hostile_run.root / "hub.xlsx", tab))


def _workbooks(root: Path) -> dict[Path, tuple[int, str]]:
    """Every file but okrtree's own bookkeeping in `.okrtree/` (its lock file), with its stamp."""
    return {
        p: (p.stat().st_mtime_ns, _digest(p))
        for p in root.rglob("*")
        if p.is_file() and ".okrtree" not in p.relative_to(root).parts
    }


@pytest.mark.parametrize("spoil", [broken_xml, csv_named_xlsx, encrypted])
def test_a_hub_that_cannot_be_parsed_stops_the_run_writing_nothing(
    tmp_path: Path, spoil: object
) -> None:
    root = tmp_path / "org"
    new_team_workbook(root / "teams" / "a.xlsx", "A", okr_rows("A", "a"))
    assert callable(spoil)
    spoil(root / "hub.xlsx", "HUB")
    before = _workbooks(root)

    outcome = okrtree("sync", str(root))

    assert outcome.code == 2
    assert outcome.stdout == ""
    assert len(outcome.stderr.strip().splitlines()) == 1, outcome.stderr
    assert "hub.xlsx" in outcome.stderr
    assert _workbooks(root) == before
