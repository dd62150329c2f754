"""The hub record: an untouched hub's output tabs are not read back; any other save voids it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from sheets_templates.builder import create_workspace
from sync.backends.xlsx import XlsxBackend
from sync.engine import run

AS_OF = dt.date(2026, 11, 21)


def test_untouched_hub_tabs_are_vouched_for_and_not_read(tmp_path: Path) -> None:
    create_workspace(tmp_path / "org", example=True)
    first = run(XlsxBackend(tmp_path / "org"), AS_OF, write=True, history=True).computed.result
    assert first.writes_spreadsheets > 0
    hub = XlsxBackend(tmp_path / "org").read_hub()
    assert set(hub.digests) == {"Alignment Tree", "Findings"}
    assert {"Teams", "Settings", "History"} <= set(hub.tabs)  # History is always read
    assert not {"Alignment Tree", "Findings"} & set(hub.tabs)
    again = run(XlsxBackend(tmp_path / "org"), AS_OF, write=True).computed.result
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)


def test_a_hand_edited_hub_is_read_in_full_and_repaired(tmp_path: Path) -> None:
    create_workspace(tmp_path / "org", example=True)
    run(XlsxBackend(tmp_path / "org"), AS_OF, write=True)
    path = tmp_path / "org" / "hub.xlsx"
    book = load_workbook(path)
    original = book["Alignment Tree"]["C2"].value
    book["Alignment Tree"]["C2"] = "edited by hand"
    book.save(path)
    hub = XlsxBackend(tmp_path / "org").read_hub()
    assert hub.digests == {} and "Alignment Tree" in hub.tabs
    repaired = run(XlsxBackend(tmp_path / "org"), AS_OF, write=True).computed.result
    assert (repaired.writes_spreadsheets, repaired.writes_cells) == (1, 1)
    assert load_workbook(path)["Alignment Tree"]["C2"].value == original
    # The repaired tab is vouched for again; Findings, read in full and unchanged, only once
    # okrtree next rewrites it (a read has no link targets to make its digest from).
    assert set(XlsxBackend(tmp_path / "org").read_hub().digests) == {"Alignment Tree"}


def test_a_damaged_record_only_costs_a_full_read(tmp_path: Path) -> None:
    create_workspace(tmp_path / "org", example=True)
    run(XlsxBackend(tmp_path / "org"), AS_OF, write=True)
    (tmp_path / "org" / ".okrtree" / "hub-state.json").write_text("{not json", encoding="utf-8")
    hub = XlsxBackend(tmp_path / "org").read_hub()
    assert hub.digests == {} and "Alignment Tree" in hub.tabs
    again = run(XlsxBackend(tmp_path / "org"), AS_OF, write=True).computed.result
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)
