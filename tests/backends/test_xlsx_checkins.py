"""SPEC §7 in a local workspace: the hub's Check-ins tab as a person left it, plus what moved."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sheets_templates.example import AS_OF
from sync.backends.xlsx import XlsxBackend
from sync.engine import run


def _rows(path: Path, tab: str) -> list[tuple[object, ...]]:
    book = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in book[tab].iter_rows(values_only=True)]
    finally:
        book.close()


def test_an_edited_check_ins_tab_is_kept_and_appended_to(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    hub = org / "hub.xlsx"
    book = load_workbook(hub)
    sheet = book["Check-ins"]
    sheet.delete_rows(2, 3)  # a person tidied up
    sheet["J1"], sheet["J2"] = "Mine", "a remark"
    book.save(hub)
    edited = _rows(hub, "Check-ins")
    team = load_workbook(org / "teams" / "sales.xlsx")
    header = [c.value for c in team["OKRs"][1]]
    team["OKRs"].cell(3, header.index("Current") + 1, 800)  # SAL-2: 700 -> 800
    team["OKRs"].cell(3, header.index("Note") + 1, "Three deals closed early")
    team.save(org / "teams" / "sales.xlsx")

    run(XlsxBackend(org), AS_OF, write=True)
    after = _rows(hub, "Check-ins")
    assert after[: len(edited)] == edited
    [added] = after[len(edited) :]
    assert added[1:5] == ("SAL-2", "Sales", "carlos.mendez@northwind.example", 800)
    assert added[8:] == ("Three deals closed early", None)
    run(XlsxBackend(org), AS_OF, write=True)
    assert _rows(hub, "Check-ins") == after  # nothing moved: nothing appended


def test_an_unusable_check_ins_header_leaves_the_tab_alone(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    hub = org / "hub.xlsx"
    book = load_workbook(hub)
    book["Check-ins"]["B1"] = "Key result"
    book.save(hub)
    before = _rows(hub, "Check-ins")
    team = load_workbook(org / "teams" / "sales.xlsx")
    team["OKRs"]["I3"] = 900
    team.save(org / "teams" / "sales.xlsx")
    result = run(XlsxBackend(org), AS_OF, write=True).computed.result
    assert _rows(hub, "Check-ins") == before
    [finding] = [f for f in result.findings if f.code == "NOT_WRITTEN"]
    assert "'Check-ins' tab" in finding.message and "'ID'" in finding.message
    assert any(row[1] == "NOT_WRITTEN" for row in _rows(hub, "Findings"))
