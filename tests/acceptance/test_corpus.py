"""The corpus end to end: sync writes every workbook real programs make, changes only the output
cells, keeps every other part byte for byte, and LibreOffice opens the result showing the scores."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_templates.builder import new_team_workbook
from tests.corpus.cases import CASES, Corpus, build_corpus, okr_rows
from tests.corpus.package import parts, rels_of, sheet_part
from tests.corpus.soffice import require_soffice, resave, shown_values

from .helpers import OUTPUT_COLUMNS, Outcome, expected_outputs, okrtree, sheet_cells

TAB = "OKRs"
CALC_PR = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*?(?:/>|>.*?</(?:\w+:)?calcPr>)", re.S)


@dataclass
class Synced:
    corpus: Corpus
    before: dict[str, dict[str, bytes]]  # case -> zip members before the sync
    cells_before: dict[str, dict[tuple[int, int], Any]]
    outcome: Outcome
    shown: dict[tuple[str, str], list[list[str]]]  # what LibreOffice shows after the sync


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Synced:
    require_soffice()
    corpus = build_corpus(tmp_path_factory.mktemp("corpus") / "org")
    before = {case: parts(corpus.path(case)) for case in CASES}
    cells_before = {case: sheet_cells(corpus.path(case), TAB) for case in CASES}
    outcome = okrtree("sync", str(corpus.root))
    shown_dir = tmp_path_factory.mktemp("shown")
    shown = shown_values([corpus.path(case) for case in CASES], shown_dir)
    return Synced(corpus, before, cells_before, outcome, shown)


def test_sync_writes_every_corpus_workbook(synced: Synced) -> None:
    outcome = synced.outcome
    assert outcome.code == 0, outcome.stderr
    problems = outcome.findings("NOT_WRITTEN") + outcome.findings("SPREADSHEET_UNREADABLE")
    assert problems == []
    assert outcome.data["writes"]["spreadsheets"] == len(CASES) + 1  # and the hub


def _without_calc_pr(workbook_xml: bytes) -> bytes:
    return CALC_PR.sub(b"", workbook_xml)


@pytest.mark.parametrize("case", CASES)
def test_every_other_part_is_kept_byte_for_byte(synced: Synced, case: str) -> None:
    before = synced.before[case]
    after = parts(synced.corpus.path(case))
    assert sorted(after) == sorted(before), "parts were added or dropped"
    sheet = sheet_part(before, TAB)
    may_change = {sheet, rels_of(sheet), "[Content_Types].xml", "xl/workbook.xml"}
    changed = sorted(name for name in before if before[name] != after[name])
    assert set(changed) <= may_change, f"changed beyond the patched sheet: {changed}"
    assert sheet in changed
    assert _without_calc_pr(after["xl/workbook.xml"]) == _without_calc_pr(before["xl/workbook.xml"])
    calc = CALC_PR.search(after["xl/workbook.xml"])
    assert calc is not None and b'fullCalcOnLoad="1"' in calc.group(0)


@pytest.mark.parametrize("case", CASES)
def test_the_patched_sheet_differs_only_in_the_output_cells(synced: Synced, case: str) -> None:
    team = f"Team {case}"
    expected = expected_outputs(synced.outcome.data, team)
    assert len(expected) >= 8  # three rows: scores, statuses and two warnings
    before = synced.cells_before[case]
    after = sheet_cells(synced.corpus.path(case), TAB)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed == set(expected)
    assert {key: after[key] for key in changed} == expected


@pytest.mark.parametrize("case", CASES)
def test_libreoffice_opens_the_result_and_shows_the_new_scores(synced: Synced, case: str) -> None:
    shown = synced.shown[(synced.corpus.path(case).stem, TAB)]
    header = shown[0]
    score, status = header.index("Score"), header.index("Status")
    data = synced.outcome.data
    expected = expected_outputs(data, f"Team {case}")
    items = [i for i in data["items"] if i["team"] == f"Team {case}"]
    assert len(items) == 3
    for item in items:
        row = shown[item["row"] - 1]
        assert row[0] == item["id"]
        assert row[score] == f"{item['score']:.2f}"  # the column's 0.00 format, as typed by hand
        assert row[status] == expected[(item["row"], OUTPUT_COLUMNS["Status"])]


def test_a_hub_resaved_by_libreoffice_with_a_new_team_is_written_again(
    synced: Synced, tmp_path: Path
) -> None:
    """A person adds a team in `Teams` and saves the hub in LibreOffice; sync still writes it."""
    root = tmp_path / "org"
    shutil.copytree(synced.corpus.root, root)
    new_team_workbook(root / "teams" / "late.xlsx", "LATE", okr_rows("LATE", "late"))
    typed = tmp_path / "typed"
    typed.mkdir()
    wb = load_workbook(root / "hub.xlsx")
    wb["Teams"].append(["Team late", "Team", None, "teams/late.xlsx", TAB])
    wb.save(typed / "hub.xlsx")
    (resaved,) = resave([typed / "hub.xlsx"], tmp_path / "resaved")
    shutil.copyfile(resaved, root / "hub.xlsx")
    inputs = {tab: sheet_cells(root / "hub.xlsx", tab) for tab in ("Teams", "Settings")}
    members = parts(root / "hub.xlsx")
    input_parts = {tab: members[sheet_part(members, tab)] for tab in inputs}

    outcome = okrtree("sync", str(root))

    assert outcome.code == 0, outcome.stderr
    assert [f for f in outcome.findings("NOT_WRITTEN") if f["team"] is None] == []
    members = parts(root / "hub.xlsx")
    for tab, cells in inputs.items():
        assert sheet_cells(root / "hub.xlsx", tab) == cells
        assert members[sheet_part(members, tab)] == input_parts[tab]
    tree = sheet_cells(root / "hub.xlsx", "Alignment Tree")
    assert {"LATE-1", "LATE-2", "LATE-3"} <= set(tree.values())
    shown = shown_values([root / "hub.xlsx"], tmp_path / "shown")
    ids = [row[2] for row in shown[("hub", "Alignment Tree")]]
    assert "LATE-2" in ids
