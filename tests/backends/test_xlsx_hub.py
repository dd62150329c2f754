"""Writing the hub's output tabs: readable styling, exact change counts, input tabs untouched."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference

from sheets_templates import template
from sync.backends import xlsx_hub
from sync.backends.base import WriteRefused
from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_package import rels_part, sheet_parts
from sync.engine import run
from sync.model import Code
from sync.snapshot import Link, OutputTable

from .conftest import cached, rezip, sheet_xml

TREE_HEADER = [
    "Tree",
    "Depth",
    "ID",
    "Type",
    "Team",
    "Owner",
    "Score",
    "Status",
    "Warnings",
    "Link",
]


def tree(*rows: tuple[str, int, float | None, str, str]) -> OutputTable:
    return OutputTable(
        "Alignment Tree",
        TREE_HEADER,
        [
            [
                title,
                depth,
                f"X-{i}",
                "Objective",
                "Core",
                "a@x.example",
                score,
                status,
                0,
                Link(f"OKRs!A{i + 2}", target),
            ]  # fmt: skip
            for i, (title, depth, score, status, target) in enumerate(rows)
        ],
    )


def findings(*messages: str) -> OutputTable:
    return OutputTable(
        "Findings",
        ["Severity", "Code", "ID", "Team", "Message", "Link"],
        [["warning", "STALE", "X-1", "Core", m, None] for m in messages],
    )


def history(*scores: float) -> OutputTable:
    day = dt.date(2026, 11, 21)
    return OutputTable(
        "History",
        ["Date", "ID", "Score", "Status"],
        [[day, f"X-{i}", s, "On track"] for i, s in enumerate(scores)],
    )


TREE = tree(
    ("Grow", 0, 0.5, "On track", "team.xlsx#'OKRs'!A2"),
    ("    Revenue", 1, 0.4, "At risk", "team.xlsx#'OKRs'!A3"),
    ("            Deeper", 3, None, "No data", "https://example.com/sheet#gid=0&range=A4"),
)


def _values(path: Path, tab: str) -> list[tuple[Any, ...]]:
    return list(load_workbook(path)[tab].iter_rows(values_only=True))


def test_tables_are_styled_for_people(workspace: Path, backend: XlsxBackend) -> None:
    backend.write_hub([TREE])
    ws = load_workbook(workspace / "hub.xlsx")["Alignment Tree"]
    assert [c.value for c in ws[1]] == TREE_HEADER
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:J4"
    widths = {c["name"]: c["width"] for c in template()["hub_tabs"]["Alignment Tree"]["columns"]}
    assert ws.column_dimensions["A"].width == widths["Tree"]
    assert ws.column_dimensions["E"].width == widths["Team"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["Grow", "    Revenue", "            Deeper"]
    assert {ws.cell(r, 1).alignment.indent for r in (2, 3, 4)} == {0}  # spaces, not a second indent
    colours = template()["status_colours"]
    assert ws["H2"].fill.fgColor.rgb == "00" + colours["On track"]
    assert ws["H3"].fill.fgColor.rgb == "00" + colours["At risk"]
    assert ws["G2"].number_format == "0.00" and ws["G2"].value == 0.5
    assert ws["G4"].value is None
    link = ws["J2"]
    assert link.value == "OKRs!A2" and link.style == "Hyperlink"
    assert (link.hyperlink.target, link.hyperlink.location) == ("team.xlsx", "'OKRs'!A2")
    web = ws["J4"].hyperlink
    assert (web.target, web.location) == ("https://example.com/sheet#gid=0&range=A4", None)


def test_history_dates_are_date_cells(workspace: Path, backend: XlsxBackend) -> None:
    backend.write_hub([history(0.25)])
    ws = load_workbook(workspace / "hub.xlsx")["History"]
    assert ws["A2"].value == dt.datetime(2026, 11, 21) and ws["A2"].number_format == "yyyy-mm-dd"


def test_new_tabs_follow_the_input_tabs_in_order(workspace: Path, backend: XlsxBackend) -> None:
    path = workspace / "hub.xlsx"
    wb = load_workbook(path)
    wb.create_sheet("Notes")
    wb.save(path)
    backend.write_hub([history(0.5)])
    backend.write_hub([findings("a")])
    backend.write_hub([TREE])
    assert load_workbook(path).sheetnames == [
        "Teams", "Settings", "Alignment Tree", "Findings", "History", "Notes"
    ]  # fmt: skip


def test_input_tabs_and_other_tabs_are_untouched(workspace: Path, backend: XlsxBackend) -> None:
    path = workspace / "hub.xlsx"
    wb = load_workbook(path)
    wb["Settings"]["B9"] = "=B3-B2"
    wb.save(path)
    rezip(path, {"xl/worksheets/sheet2.xml": sheet_xml(cached("B9", "91"))})
    before = {tab: _values(path, tab) for tab in ("Teams", "Settings")}
    backend.write_hub([TREE, findings("a", "b")])
    assert {tab: _values(path, tab) for tab in ("Teams", "Settings")} == before
    settings = XlsxBackend(path.parent).read_hub().tabs["Settings"]
    assert settings[8] == [None, 91]


def test_an_input_tab_cannot_be_replaced(backend: XlsxBackend) -> None:
    with pytest.raises(ValueError, match="input tab 'Teams'"):
        backend.write_hub([OutputTable("Teams", ["Team"], [])])


@pytest.mark.parametrize(
    ("second", "changed"),
    [
        ([TREE, findings("a", "b")], 0),
        ([TREE, findings("a", "B")], 1),
        ([TREE, findings("a")], 5),
        ([TREE, findings("a", "b", "c")], 5),
        ([tree(("Grow", 0, 0.5, "On track", "team.xlsx#'OKRs'!A2"))], 19),
        (
            [
                tree(
                    ("Grow", 0, 0.5, "On track", "other.xlsx#'OKRs'!A2"),
                    ("    Revenue", 1, 0.4, "At risk", "team.xlsx#'OKRs'!A3"),
                    (
                        "            Deeper",
                        3,
                        None,
                        "No data",
                        "https://example.com/sheet#gid=0&range=A4",
                    ),
                )
            ],
            1,
        ),
        ([TREE, findings("a", "b"), history(0.5)], 4 + 4),
    ],  # fmt: skip
    ids=["same", "one message", "row removed", "row added", "rows removed", "link", "new tab"],
)
def test_change_counts(
    workspace: Path, backend: XlsxBackend, second: list[OutputTable], changed: int
) -> None:
    first = [TREE, findings("a", "b")]
    assert backend.write_hub(first) == (10 + 10 + 10 + 9) + (6 + 2 * 5)  # non-empty cells
    stamp = (workspace / "hub.xlsx").stat().st_mtime_ns
    assert backend.write_hub(second) == changed
    assert ((workspace / "hub.xlsx").stat().st_mtime_ns == stamp) == (changed == 0)


def test_empty_table_list_writes_nothing(workspace: Path, backend: XlsxBackend) -> None:
    before = (workspace / "hub.xlsx").read_bytes()
    assert backend.write_hub([]) == 0
    assert (workspace / "hub.xlsx").read_bytes() == before


def test_a_hub_open_in_an_editor_is_refused(workspace: Path, backend: XlsxBackend) -> None:
    (workspace / ".~lock.hub.xlsx#").write_text("x")
    before = (workspace / "hub.xlsx").read_bytes()
    with pytest.raises(WriteRefused, match="hub.xlsx is open in a spreadsheet editor"):
        backend.write_hub([TREE])
    assert (workspace / "hub.xlsx").read_bytes() == before


def test_a_kept_tab_keeps_its_links_when_another_is_replaced(
    workspace: Path, backend: XlsxBackend
) -> None:
    backend.write_hub([TREE, findings("a")])
    assert backend.write_hub([findings("b")]) == 1
    ws = load_workbook(workspace / "hub.xlsx")["Alignment Tree"]
    assert (ws["J2"].hyperlink.target, ws["J2"].hyperlink.location) == ("team.xlsx", "'OKRs'!A2")
    assert ws["J4"].hyperlink.target == "https://example.com/sheet#gid=0&range=A4"
    assert ws["J3"].style == "Hyperlink" and ws["A4"].value == "            Deeper"
    assert backend.write_hub([TREE, findings("b")]) == 0


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _part(path: Path, tab: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return {s.name: s.part for s in sheet_parts(archive, "xl/workbook.xml")}[tab]


def _with_chart_tab(path: Path) -> None:
    wb = load_workbook(path)
    notes = wb.create_sheet("Burn-up")
    for row in ([1, 2], [2, 4], [3, 5]):
        notes.append(row)
    chart = BarChart()
    chart.add_data(Reference(notes, min_col=2, min_row=1, max_row=3))
    notes.add_chart(chart, "D2")
    wb.save(path)


def test_a_chart_and_other_tabs_survive_and_only_output_parts_change(
    workspace: Path, backend: XlsxBackend
) -> None:
    path = workspace / "hub.xlsx"
    _with_chart_tab(path)
    backend.read_hub()
    before = _parts(path)
    backend.write_hub([TREE, findings("a")])
    middle = _parts(path)
    added = set(middle) - set(before)
    tree_part, findings_part = _part(path, "Alignment Tree"), _part(path, "Findings")
    assert {name for name in added if not name.endswith(".rels")} == {tree_part, findings_part}
    registry = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert {n for n in before if before[n] != middle[n]} == registry | {"xl/styles.xml"}
    assert any(name.startswith("xl/charts/") for name in middle)
    backend.write_hub([tree(("Grow", 0, 0.75, "On track", "team.xlsx#'OKRs'!A2")), findings("b")])
    after = _parts(path)
    changed = {n for n in after if after.get(n) != middle.get(n)}
    assert changed == {tree_part, findings_part, rels_part(tree_part)}
    # a replaced tab touches nothing else, styles included
    wb = load_workbook(path)
    assert wb.sheetnames == ["Teams", "Settings", "Alignment Tree", "Findings", "Burn-up"]
    assert len(wb["Burn-up"]._charts) == 1
    assert wb["Alignment Tree"]["G2"].value == 0.75


def _person_adds_a_team(path: Path) -> None:
    wb = load_workbook(path)
    wb["Teams"].append(["Ops", "Team", "", "ops.xlsx"])
    wb.save(path)


def test_a_hub_saved_after_the_read_is_not_written_and_keeps_the_edit(
    workspace: Path, backend: XlsxBackend
) -> None:
    path = workspace / "hub.xlsx"
    backend.read_hub()
    _person_adds_a_team(path)
    with pytest.raises(WriteRefused, match="hub.xlsx changed since it was read; run again"):
        backend.write_hub([TREE])
    wb = load_workbook(path)
    assert "Alignment Tree" not in wb.sheetnames and wb["Teams"]["A3"].value == "Ops"


def test_a_hub_saved_during_the_write_keeps_the_edit(
    workspace: Path, backend: XlsxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "hub.xlsx"
    backend.read_hub()
    write = xlsx_hub.copy_package

    def person_saves_meanwhile(*args: Any) -> None:
        write(*args)
        _person_adds_a_team(path)

    monkeypatch.setattr(xlsx_hub, "copy_package", person_saves_meanwhile)
    with pytest.raises(WriteRefused, match="changed since it was read"):
        backend.write_hub([TREE])
    wb = load_workbook(path)
    assert "Alignment Tree" not in wb.sheetnames and wb["Teams"]["A3"].value == "Ops"


def test_a_failed_hub_write_is_not_written_and_the_run_goes_on(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_hub, "copy_package", fail)
    outcome = run(XlsxBackend(workspace), dt.date(2026, 11, 21), write=True)
    result = outcome.computed.result
    [refused] = [f for f in result.findings if f.code == Code.NOT_WRITTEN]
    assert refused.team is None and "No space left on device" in refused.message
    assert result.writes_spreadsheets == 1  # the team workbook was written; the hub was not
    assert "Alignment Tree" not in load_workbook(workspace / "hub.xlsx").sheetnames
    assert [p.name for p in workspace.iterdir() if ".okrtree-" in p.name] == []


def test_a_large_tree_reads_back_whole(workspace: Path, backend: XlsxBackend) -> None:
    rows = [(f"{'    ' * (i % 4)}Item {i} <&>", i % 4, i / 5000, "On track", f"t.xlsx#'O'!A{i}")
            for i in range(5000)]  # fmt: skip
    backend.write_hub([tree(*rows)])
    values = _values(workspace / "hub.xlsx", "Alignment Tree")
    assert len(values) == 5001 and values[4999][0] == "    " * 2 + "Item 4998 <&>"
    assert values[5000][6] == 4999 / 5000


def test_a_team_tab_kept_in_the_hub_itself_is_written_with_the_hub_in_one_run(
    workspace: Path,
) -> None:
    hub = workspace / "hub.xlsx"
    team_tab = load_workbook(workspace / "team.xlsx")["OKRs"]
    wb = load_workbook(hub)
    okrs = wb.create_sheet("OKRs")
    for row in team_tab.iter_rows(values_only=True):
        okrs.append(row)
    wb["Teams"]["D2"] = "hub.xlsx"
    wb.save(hub)
    result = run(XlsxBackend(workspace), dt.date(2026, 11, 21), write=True).computed.result
    assert Code.NOT_WRITTEN not in [f.code for f in result.findings]
    assert [row[12] for row in _values(hub, "OKRs")][:3] == ["Score", 0.45, 0.4]
    assert [row[2] for row in _values(hub, "Alignment Tree")][:3] == ["ID", "CO-1", "CO-2"]
    again = run(XlsxBackend(workspace), dt.date(2026, 11, 21), write=True).computed.result
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)
