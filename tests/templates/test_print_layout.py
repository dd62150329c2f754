"""Team workbooks print readably: landscape, one page wide, the header on every page, long
warnings wrapped, Owner wide enough for an address; settings read back with openpyxl, and
LibreOffice's PDF of a synced example sheet counted."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import create_workspace, new_team_workbook, team_column_names
from sheets_templates.example import AS_OF
from sync.cli import cli

NAMES = team_column_names()


def okrs(path: Path) -> Worksheet:
    return load_workbook(path)["OKRs"]


def assert_prints_one_page_wide(sheet: Worksheet) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = tmp_path_factory.mktemp("print") / "org"
    create_workspace(org, example=True)
    outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", AS_OF.isoformat()])
    assert outcome.exit_code == 0, outcome.stderr
    return org


def test_a_blank_team_workbook_prints_one_page_wide(tmp_path: Path) -> None:
    assert_prints_one_page_wide(okrs(new_team_workbook(tmp_path / "t.xlsx")))


def test_every_synced_example_workbook_keeps_its_print_layout(synced: Path) -> None:
    books = sorted((synced / "teams").glob("*.xlsx"))
    assert len(books) >= 10
    for book in books:
        assert_prints_one_page_wide(okrs(book))


def test_warnings_wrap_and_owner_fits_an_address(synced: Path) -> None:
    sheet = okrs(synced / "teams" / "growth-marketing.xlsx")  # GRO-1 has a warning
    warnings = get_column_letter(NAMES.index("Warnings") + 1)
    assert sheet.column_dimensions[warnings].alignment.wrap_text is True
    written = [c for c in sheet[warnings][1:] if c.value]
    assert written and all(c.alignment.wrap_text for c in written)
    owner = get_column_letter(NAMES.index("Owner") + 1)
    longest = max(len(str(c.value or "")) for c in sheet[owner])
    assert sheet.column_dimensions[owner].width >= min(longest, 30)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_prints_a_team_sheet_on_one_page(synced: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sales.xlsx"
    shutil.copyfile(synced / "teams" / "sales.xlsx", copy)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(copy)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "sales.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
