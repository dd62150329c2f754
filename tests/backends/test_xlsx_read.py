"""Reading a local workspace: the hub, team tabs, unreadable and unwritable workbooks."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from sheets_templates.builder import new_team_workbook
from sync.backends.xlsx import XlsxBackend
from sync.errors import SourceError
from sync.snapshot import CellChange, SheetChanges

from .conftest import ROWS, cached, rezip, sheet_xml, team

# -- the hub ----------------------------------------------------------------------------------


def test_read_hub_gives_every_tab_with_dates_as_datetimes(backend: XlsxBackend) -> None:
    hub = backend.read_hub()
    assert list(hub.tabs) == ["Teams", "Settings"]
    assert hub.tabs["Teams"][0] == ["Team", "Level", "Parent team", "Spreadsheet", "Tab", "Owner"]
    assert hub.tabs["Teams"][1] == ["Core", "Team", None, "team.xlsx"]
    settings = {row[0]: (row + [None])[1] for row in hub.tabs["Settings"]}
    assert settings["Cycle start"] == dt.datetime(2026, 10, 1)
    assert settings["Stale after days"] == 14


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda ws: shutil.rmtree(ws), r"workspace folder .* does not exist; create one"),
        (lambda ws: (ws / "hub.xlsx").unlink(), r"hub.xlsx not found"),
        (lambda ws: (ws / "hub.xlsx").write_bytes(b"not a zip"), r"cannot be read as an Excel"),
    ],
    ids=["no folder", "no hub", "garbage hub"],
)
def test_unusable_hub_raises_source_error(
    workspace: Path, prepare: Callable[[Path], object], message: str
) -> None:
    prepare(workspace)
    with pytest.raises(SourceError, match=message):
        XlsxBackend(workspace).read_hub()


# -- team tabs --------------------------------------------------------------------------------


def test_read_team_values_link_and_stamp(backend: XlsxBackend) -> None:
    [snap] = backend.read_teams([team()])
    assert snap.error is None and snap.unwritable is None
    assert snap.grid is not None
    assert snap.grid[1] == ["CO-1", "Objective", "Grow", "a@x.example"]
    assert snap.grid[2][10] == dt.datetime(2026, 11, 20)
    assert len(snap.grid) == 1 + len(ROWS)
    assert snap.link(7) == "team.xlsx#'OKRs'!A7"


def test_teams_come_back_in_the_given_order(workspace: Path) -> None:
    for name in ("b.xlsx", "a.xlsx"):
        new_team_workbook(workspace / name, rows=[{"ID": name, "Title": "x"}])
    snaps = XlsxBackend(workspace).read_teams([team("b.xlsx"), team("nope.xlsx"), team("a.xlsx")])
    assert [s.source for s in snaps] == ["b.xlsx", "nope.xlsx", "a.xlsx"]
    assert [s.grid[1][0] if s.grid else None for s in snaps] == ["b.xlsx", None, "a.xlsx"]


def test_link_template_escapes_braces_and_quotes(workspace: Path) -> None:
    path = workspace / "odd {name}.xlsx"
    new_team_workbook(path)
    wb = load_workbook(path)
    wb["OKRs"].title = "Q4's {plan}"
    wb.save(path)
    [snap] = XlsxBackend(workspace).read_teams([team("odd {name}.xlsx", "Q4's {plan}")])
    assert snap.link(3) == "odd {name}.xlsx#'Q4''s {plan}'!A3"


@pytest.mark.parametrize(
    "name", ["Customer Success #2.xlsx", "R&D 100%.xlsx", "odd {name}.xlsx", "%23.xlsx"]
)
def test_a_row_link_leads_to_its_workbook_whatever_its_name(workspace: Path, name: str) -> None:
    new_team_workbook(workspace / name)
    [snap] = XlsxBackend(workspace).read_teams([team(name)])
    file, _, location = snap.link(3).partition("#")  # as Excel splits a link
    assert (unquote(file), location) == (name, "'OKRs'!A3")


def test_tab_name_is_matched_ignoring_case_and_spaces(backend: XlsxBackend) -> None:
    [snap] = backend.read_teams([team(tab=" okrs ")])
    assert snap.error is None and snap.tab == " okrs "
    assert snap.link(2) == "team.xlsx#'OKRs'!A2"


def test_merged_cells_keep_only_the_top_left_value(workspace: Path) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    for ref in ("C2", "D2", "C3", "D3"):
        wb["OKRs"][ref] = ref  # values hidden under a merge, as some tools leave them
    wb.save(path)
    merge = '</sheetData><mergeCells count="1"><mergeCell ref="C2:D3"/></mergeCells>'
    rezip(path, {"xl/worksheets/sheet1.xml": sheet_xml(lambda t: t.replace("</sheetData>", merge))})
    [snap] = XlsxBackend(workspace).read_teams([team()])
    assert snap.grid is not None
    assert snap.grid[1][2:4] == ["C2", None]
    assert snap.grid[2][2:4] == [None, None]


@pytest.mark.parametrize(
    ("cell", "formula", "value", "kind", "expected"),
    [
        ("I3", "=G3+1", "4", "", 4),
        ("L2", '="why "&C2', "why Grow", "str", "why Grow"),
        ("J2", "=1=1", "1", "b", True),
    ],
    ids=["number", "text", "boolean"],
)
def test_formulas_read_as_their_cached_values(
    workspace: Path, cell: str, formula: str, value: str, kind: str, expected: object
) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    wb["OKRs"][cell] = formula
    wb.save(path)
    rezip(path, {"xl/worksheets/sheet1.xml": sheet_xml(cached(cell, value, kind))})
    [snap] = XlsxBackend(workspace).read_teams([team()])
    assert snap.grid is not None
    row, column = int(cell[1:]), ord(cell[0]) - ord("A")
    assert snap.grid[row - 1][column] == expected


def test_a_formula_without_cached_value_reads_as_blank(workspace: Path) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    wb["OKRs"]["I3"] = "=G3+1"
    wb.save(path)
    [snap] = XlsxBackend(workspace).read_teams([team()])
    assert snap.grid is not None and snap.grid[2][8] is None


def test_a_wrong_stated_dimension_does_not_truncate(workspace: Path) -> None:
    path = workspace / "team.xlsx"
    rezip(
        path,
        {
            "xl/worksheets/sheet1.xml": sheet_xml(
                lambda t: t.replace('<dimension ref="A1:Q4"', '<dimension ref="A1:A1"')
            )
        },
    )
    [snap] = XlsxBackend(workspace).read_teams([team()])
    assert snap.grid is not None and len(snap.grid) == 4 and snap.grid[3][0] == "CO-3"


# -- unreadable workbooks: an error, no grid ----------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _not_a_workbook(path: Path) -> None:
    path.unlink()
    rezip(path, {"hello.txt": b"a zip, but not a workbook"})


@pytest.mark.parametrize(
    ("source", "tab", "spoil", "message"),
    [
        ("missing.xlsx", "OKRs", None, r"missing.xlsx not found in the workspace; fix the path"),
        ("team.xlsx", "OKRs", lambda p: p.write_bytes(b"\x00garbage" * 50), r"not an Excel"),
        ("team.xlsx", "OKRs", _truncate, r"team.xlsx is not an Excel workbook or is damaged"),
        ("team.xlsx", "OKRs", _not_a_workbook, r"team.xlsx is not an Excel workbook"),
        ("team.xlsx", "Plan", None, r"team.xlsx has no tab 'Plan' \(it has: OKRs\); rename"),
        ("team.csv", "OKRs", lambda p: p.write_text("ID,Type\n"), r"team.csv is not an .xlsx"),
        ("", "OKRs", None, r"team Core has no workbook; type its path"),
        (".", "OKRs", None, r". is a folder, not a workbook"),
    ],
    ids=["missing", "garbage", "truncated", "zip not workbook", "no tab", "csv", "blank", "dir"],
)
def test_unreadable_team_workbooks_give_an_error_snapshot(
    workspace: Path,
    source: str,
    tab: str,
    spoil: Callable[[Path], object] | None,
    message: str,
) -> None:
    if spoil is not None:
        spoil(workspace / source)
    backend = XlsxBackend(workspace)
    [snap] = backend.read_teams([team(source, tab)])
    assert snap.grid is None
    assert snap.error is not None
    assert re.search(message, snap.error), snap.error


# -- unwritable workbooks: read, but never saved --------------------------------------------------


def _with_chart(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb["OKRs"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=7, min_row=1, max_row=4), titles_from_data=True)
    ws.add_chart(chart, "Q2")
    wb.save(path)


def _with_member(name: str) -> Callable[[Path], None]:
    return lambda path: rezip(path, {name: b"<x/>"})


def _lock(name: str) -> Callable[[Path], None]:
    return lambda path: path.with_name(name).write_text("user,host")


@pytest.mark.parametrize(
    ("source", "spoil", "reason"),
    [
        ("team.xlsx", None, None),
        ("team.xlsm", None, None),
        ("team.xlsx", _lock(".~lock.team.xlsx#"), r"open in a spreadsheet editor \(lock file"),
        ("team.xlsx", _lock("~$team.xlsx"), r"open in a spreadsheet editor"),
        ("team.xlsx", _with_chart, None),
        ("team.xlsx", _with_member("xl/media/image1.png"), None),
        ("team.xlsx", _with_member("xl/drawings/drawing1.xml"), None),
        ("team.xlsx", _with_member("xl/pivotTables/pivotTable1.xml"), None),
        ("team.xlsx", _with_member("xl/pivotCache/pivotCacheDefinition1.xml"), None),
        ("team.xlsx", _with_member("xl/slicers/slicer1.xml"), None),
        ("team.xlsx", _with_member("xl/ctrlProps/ctrlProp1.xml"), None),
        ("team.xlsx", _with_member("xl/embeddings/oleObject1.bin"), None),
        ("team.xlsx", _with_member("xl/externalLinks/externalLink1.xml"), None),
    ],
    ids=[
        "plain with comments",
        "xlsm",
        "libreoffice lock",
        "excel lock",
        "chart",
        "image",
        "shape",
        "pivot table",
        "pivot cache",
        "slicer",
        "form control",
        "embedded object",
        "external link",
    ],
)
def test_only_workbooks_open_in_an_editor_are_flagged_unwritable(
    workspace: Path, source: str, spoil: Callable[[Path], object] | None, reason: str | None
) -> None:
    path = workspace / source
    if source != "team.xlsx":
        (workspace / "team.xlsx").rename(path)
    if spoil is not None:
        spoil(path)
    [snap] = XlsxBackend(workspace).read_teams([team(source)])
    assert snap.error is None and snap.grid is not None and snap.grid[1][0] == "CO-1"
    if reason is None:
        assert snap.unwritable is None
    else:
        assert snap.unwritable is not None and re.search(reason, snap.unwritable), snap.unwritable


def test_many_teams_are_read_in_worker_processes_in_order(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    ws.append(["ID", "Type", "Title", "Parent"])
    teams = []
    for i in range(70):
        ws["A2"] = f"T-{i}"
        wb.save(tmp_path / f"t{i}.xlsx")
        teams.append(team(f"t{i}.xlsx", name=f"T{i}"))
    backend = XlsxBackend(tmp_path)
    snaps = backend.read_teams(teams)
    assert [s.grid[1][0] if s.grid else None for s in snaps] == [f"T-{i}" for i in range(70)]
    assert len(backend._stamps) == 70


@pytest.mark.parametrize("value", [-1e12, -5e11, -2.5e15])
def test_a_date_cell_beyond_any_date_makes_only_its_workbook_unreadable(
    workspace: Path, value: float
) -> None:
    shutil.copy(workspace / "team.xlsx", workspace / "other.xlsx")
    wb = load_workbook(workspace / "team.xlsx")
    cell = wb["OKRs"]["K3"]
    cell.value, cell.number_format = value, "yyyy-mm-dd"
    wb.save(workspace / "team.xlsx")
    bad, good = XlsxBackend(workspace).read_teams(
        [team("team.xlsx"), team("other.xlsx", name="Other")]
    )
    assert bad.grid is None and bad.error is not None
    assert re.search(r"team.xlsx: cell K3 of tab 'OKRs' holds -[0-9.eE+]+ in a date", bad.error)
    assert "give it a number format" in bad.error
    assert good.error is None and good.grid


_STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def _as_strict(data: bytes) -> bytes:
    """A part in Strict Open XML's namespaces, as Excel's "Strict Open XML Spreadsheet" saves."""
    for transitional, strict in _STRICT.items():
        data = data.replace(transitional, strict)
    return data


def test_a_strict_open_xml_workbook_is_read_and_written(workspace: Path) -> None:
    path = workspace / "team.xlsx"
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
    rezip(path, {name: _as_strict for name in names})
    backend = XlsxBackend(workspace)
    [snap] = backend.read_teams([team()])
    assert snap.error is None and snap.grid is not None
    assert [row[0] for row in snap.grid] == ["ID", "CO-1", "CO-2", "CO-3"]
    backend.write_team(
        SheetChanges("Core", "team.xlsx", "OKRs", 1, [CellChange(2, 13, 0.5)], {2: "CO-1"})
    )
    [again] = XlsxBackend(workspace).read_teams([team()])
    assert again.grid is not None and again.grid[1][12] == 0.5
