"""LibreOffice opens what a sync wrote, team workbooks and hub alike, and shows the new values."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sheets_templates.definition import hub_column_names
from sync.backends import xlsx_hub_parts, xlsx_hub_sheet
from sync.backends.xlsx_hub import write_tables
from sync.cli import cli
from sync.snapshot import CellValue, Link, OutputTable

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")

ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"


def _as_csv(workbook: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every tab of `workbook` as LibreOffice shows it, by tab name."""
    profile = (out / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
        + [ALL_SHEETS_CSV, "--outdir", str(out), str(workbook)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    prefix = f"{workbook.stem}-"
    return {
        path.stem[len(prefix) :]: [
            [_shown(v) for v in row]
            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
        ]
        for path in out.glob(f"{prefix}*.csv")
    }


def _shown(value: object) -> str:
    """A cell as text, numbers to two decimals, so both readers' forms compare."""
    if value is None:
        return ""
    try:
        return f"{float(str(value)):.2f}"
    except ValueError:
        return str(value)


def test_libreoffice_opens_synced_workbooks_and_shows_the_new_values(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", "2026-11-21"])
    assert outcome.exit_code in (0, 1), outcome.stderr
    team = next(p for p in sorted(org.rglob("*.xlsx")) if p.name != "hub.xlsx")
    shown = _as_csv(team, tmp_path / "team")["OKRs"]
    ws = load_workbook(team, data_only=True)["OKRs"]
    header = [c.value for c in ws[1]]
    score = header.index("Score")
    scores = [_shown(row[score]) for row in ws.iter_rows(min_row=2, values_only=True)]
    assert any(scores)
    assert [row[score] if len(row) > score else "" for row in shown[1:]] == scores
    hub = _as_csv(org / "hub.xlsx", tmp_path / "hub")
    tree = load_workbook(org / "hub.xlsx")["Alignment Tree"]
    expected = [[_shown(v) for v in row] for row in tree.iter_rows(values_only=True)]
    assert [row[: len(expected[0])] for row in hub["Alignment Tree"]] == expected
    assert {"Teams", "Settings", "Findings"} <= set(hub)


def _never_read() -> list[list[CellValue | Link]]:
    raise AssertionError("the tab was written whole")


def test_libreoffice_opens_a_hub_whose_rows_were_replaced_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_hub_sheet, "CHUNK_ROWS", 3)  # several chunks from a few rows
    monkeypatch.setattr(xlsx_hub_parts, "CHUNK_ROWS", 3)
    create_workspace(tmp_path / "org")
    header = hub_column_names("Alignment Tree")
    kept = [[f"item {i}", i % 3, f"T-{i}", "Key Result", "Core", None, i / 10] for i in range(10)]
    parts = write_tables(
        tmp_path / "org" / "hub.xlsx",
        [OutputTable("Alignment Tree", header, kept)],
        tmp_path / "before.xlsx",
    )
    replacing = OutputTable(
        "Alignment Tree",
        header,
        [["renamed", 2, "T-4", "Key Result", "Core", None, 0.75]],
        earlier=_never_read,  # written in place
        replaces=[4],
    )
    write_tables(tmp_path / "before.xlsx", [replacing], tmp_path / "after.xlsx", parts=parts)
    shown = _as_csv(tmp_path / "after.xlsx", tmp_path / "out")["Alignment Tree"]
    assert [row[0] for row in shown[1:]] == [
        "renamed" if i == 4 else f"item {i}" for i in range(10)
    ]
    assert shown[5][6] == "0.75"
