"""The hub's output tabs print well: landscape, one page wide, the header on every page, the
tree's rows grouped by depth, long text wrapped, each score in its row's status colour."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import create_workspace
from sheets_templates.styles import status_fill
from sync.cli import cli
from sync.plan import MAX_OUTLINE_LEVEL
from tests.corpus.soffice import to_pdf

AS_OF = "2026-11-21"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = tmp_path_factory.mktemp("print") / "org"
    create_workspace(org, example=True)
    outcome = CliRunner().invoke(cli, ["sync", str(org), "--as-of", AS_OF])
    assert outcome.exit_code in (0, 1), outcome.stderr
    return org


def _column(ws: Worksheet, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


@pytest.mark.parametrize("tab", ["Alignment Tree", "Findings"])
def test_output_tabs_print_landscape_one_page_wide_with_the_header_on_every_page(
    synced: Path, tab: str
) -> None:
    ws = load_workbook(synced / "hub.xlsx")[tab]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.print_title_rows or "").replace("$", "") == "1:1"


def test_tree_rows_are_grouped_by_depth_with_the_parent_above(synced: Path) -> None:
    ws = load_workbook(synced / "hub.xlsx")["Alignment Tree"]
    depth = _column(ws, "Depth")
    levels = [
        (ws.cell(r, depth).value, ws.row_dimensions[r].outline_level)
        for r in range(2, ws.max_row + 1)
    ]
    assert {d for d, _ in levels} >= {0, 1, 2, 3}  # the example reaches several levels
    for value, level in levels:
        assert level == min(value or 0, MAX_OUTLINE_LEVEL)
    assert ws.sheet_properties.outlinePr is not None
    assert ws.sheet_properties.outlinePr.summaryBelow is False


def test_first_warning_text_stands_beside_the_count_and_long_text_wraps(synced: Path) -> None:
    book = load_workbook(synced / "hub.xlsx")
    ws = book["Alignment Tree"]
    count, first, ident = (_column(ws, n) for n in ("Warnings", "First warning", "ID"))
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, count).value]
    assert rows, "the example has items with findings"
    team_warnings = _team_warnings(synced)
    for r in rows:
        text = ws.cell(r, first).value
        assert ws.cell(r, first).alignment.wrap_text
        expected = team_warnings[ws.cell(r, ident).value]
        assert expected.startswith(text), (text, expected)  # the item's own Warnings begin so
        assert text.count("\n") == expected.split("\n").index(text.split("\n")[-1])
    for r in range(2, ws.max_row + 1):
        if not ws.cell(r, count).value:
            assert ws.cell(r, first).value is None
    message = book["Findings"]
    column = _column(message, "Message")
    assert all(message.cell(r, column).alignment.wrap_text for r in range(2, message.max_row + 1))


def _team_warnings(org: Path) -> dict[str, str]:
    """Each item's Warnings cell in its team workbook, by ID."""
    out: dict[str, str] = {}
    for path in org.rglob("*.xlsx"):
        if path.name == "hub.xlsx":
            continue
        ws = load_workbook(path)["OKRs"]
        ident, warnings = _column(ws, "ID"), _column(ws, "Warnings")
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, ident).value and ws.cell(r, warnings).value:
                out[ws.cell(r, ident).value] = ws.cell(r, warnings).value
    return out


def test_each_score_wears_its_rows_status_colour_and_depth_stands_apart(synced: Path) -> None:
    ws = load_workbook(synced / "hub.xlsx")["Alignment Tree"]
    score, status = _column(ws, "Score"), _column(ws, "Status")
    checked = 0
    for r in range(2, ws.max_row + 1):
        label = ws.cell(r, status).value
        if ws.cell(r, score).value is None or label is None:
            continue
        fill = status_fill(label)
        assert fill is not None
        assert ws.cell(r, score).fill.fgColor.rgb[-6:] == fill.fgColor.rgb[-6:], (r, label)
        assert ws.cell(r, score).number_format == "0.00"
        checked += 1
    assert checked > 10
    assert ws.cell(2, _column(ws, "Depth")).alignment.horizontal == "center"
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    owner = _column(ws, "Owner")
    longest = max(len(ws.cell(r, owner).value or "") for r in range(2, ws.max_row + 1))
    assert widths["Owner"] >= longest  # an e-mail address fits on one line


def test_libreoffice_prints_the_alignment_tree_one_page_wide(synced: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    only_tree = tmp_path / "tree.xlsx"
    book = load_workbook(synced / "hub.xlsx")
    for name in book.sheetnames:
        if name != "Alignment Tree":
            del book[name]
    book.save(only_tree)
    pdf = to_pdf(only_tree, tmp_path)
    pages = PdfReader(pdf).pages
    rows = load_workbook(only_tree)["Alignment Tree"].max_row
    assert 1 <= len(pages) < rows / 10, len(pages)  # not one page per few rows or columns
    for page in pages:
        box = page.mediabox
        assert box.width > box.height  # landscape
        text = page.extract_text()
        # every page holds the whole header, first column to last: one page wide
        for name in ("Tree", "Depth", "Owner", "First warning", "Link"):
            assert name in text, (name, text[:200])
        assert "Open row" in text


def test_rows_whose_text_wraps_are_tall_enough_to_show_it(synced: Path) -> None:
    """LibreOffice keeps a row's default height unless told, so wrapped text would spill."""
    ws = load_workbook(synced / "hub.xlsx")["Findings"]
    message = _column(ws, "Message")
    width = ws.column_dimensions[ws.cell(1, message).column_letter].width
    tall = 0
    for r in range(2, ws.max_row + 1):
        text = ws.cell(r, message).value or ""
        height = ws.row_dimensions[r].height
        if len(text) > width * 1.2:  # certainly more than one line
            assert height is not None and height >= 30, (r, text)
            tall += 1
        elif len(text) < width * 0.8:
            assert height is None, (r, text)
    assert tall > 3
