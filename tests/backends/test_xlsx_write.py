"""Writing team workbooks: only the asked cells change, safely, atomically, or not at all."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook

from sync.backends import xlsx_patch, xlsx_workers
from sync.backends.base import WriteRefused
from sync.backends.xlsx import XlsxBackend
from sync.snapshot import CellChange, SheetChanges

from .conftest import SCORE, STATUS, WARNINGS, cached, rezip, sheet_xml, team


def changes(*cells: tuple[int, int, Any], ids: dict[int, str] | None = None) -> SheetChanges:
    expected = ids if ids is not None else {2: "CO-1", 3: "CO-2", 4: "CO-3"}
    return SheetChanges(
        team="Core",
        source="team.xlsx",
        tab="OKRs",
        id_column=1,
        changes=[CellChange(r, c, v) for r, c, v in cells],
        expected_ids={r: expected[r] for r, _, _ in cells if r in expected},
    )


def _decorate(path: Path) -> None:
    """Give the team workbook what people add: formulas, styles, comments, another tab."""
    wb = load_workbook(path)
    ws = wb["OKRs"]
    ws["I3"] = "=G3+4"
    ws["C2"].font = Font(italic=True, color="FF0000")
    ws["D3"].fill = PatternFill(fill_type="solid", start_color="FFFF00", end_color="FFFF00")
    ws["C3"].comment = Comment("ask finance", "Ana")
    ws["O4"] = "old warning"
    ws["P1"] = "Notes"  # an unknown column, kept untouched
    ws["P2"] = "keep me"
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Retro"
    notes["B2"] = "=SUM(1,2)"
    notes["A1"].font = Font(bold=True)
    wb.save(path)
    rezip(path, {"xl/worksheets/sheet1.xml": sheet_xml(cached("I3", "8"))})


def _cells(wb: Workbook) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every cell of every tab: value (formulas as text), style parts and comment."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                out[(ws.title, cell.coordinate)] = (
                    cell.value,
                    cell.number_format,
                    repr(cell.font),
                    repr(cell.fill),
                    repr(cell.border),
                    repr(cell.alignment),
                    cell.comment.text if cell.comment else None,
                )
    return out


def _sheet_parts(wb: Workbook) -> list[Any]:
    parts: list[Any] = [wb.sheetnames]
    for ws in wb.worksheets:
        parts.append(ws.freeze_panes)
        parts.append(
            [(dv.sqref, dv.formula1, dv.type) for dv in ws.data_validations.dataValidation]
        )
        parts.append(
            [(str(cf.sqref), len(cf.rules)) for cf in ws.conditional_formatting]  # type: ignore[attr-defined]
        )
        parts.append({k: d.width for k, d in ws.column_dimensions.items()})
    return parts


def test_round_trip_changes_only_the_written_cells(workspace: Path, backend: XlsxBackend) -> None:
    path = workspace / "team.xlsx"
    _decorate(path)
    before = load_workbook(path)
    backend.read_teams([team()])
    backend.write_team(
        changes(
            (2, SCORE, 0.4), (2, STATUS, "On track"), (3, WARNINGS, "STALE: x"), (4, WARNINGS, None)
        )
    )
    after = load_workbook(path)
    old, new = _cells(before), _cells(after)
    written = {("OKRs", "M2"): 0.4, ("OKRs", "N2"): "On track", ("OKRs", "O3"): "STALE: x"}
    column_format = {"M": "0.00", "N": "@", "O": "@"}
    for key, value in written.items():
        assert new[key][0] == value
        assert new[key][1] == column_format[key[1][0]]  # a new cell takes its column's format
        assert new[key][2:5] + new[key][6:] == old[key][2:5] + old[key][6:]
    assert after["OKRs"]["O3"].alignment.wrap_text  # and its column's wrapping (Warnings)
    assert new[("OKRs", "O4")][0] is None
    untouched = set(old) - set(written) - {("OKRs", "O4")}
    assert {k: new[k] for k in untouched} == {k: old[k] for k in untouched}
    assert new[("OKRs", "I3")][0] == "=G3+4" and new[("Notes", "B2")][0] == "=SUM(1,2)"
    assert _sheet_parts(after) == _sheet_parts(before)


@pytest.mark.parametrize(
    ("cell", "formula", "value", "kind", "expected"),
    [
        ("I3", "=G3+4", "8", "", 8),
        ("I4", "=G4/4", "2.25", "", 2.25),
        ("L2", '="why "&C2', "why &amp; how", "str", "why & how"),
        ("J2", "=TRUE()", "1", "b", True),
        ("I2", "=1/0", "#DIV/0!", "e", "#DIV/0!"),
        ("K2", "=DATE(2026,11,20)", "46346", "", dt.datetime(2026, 11, 20)),
    ],
    ids=["int", "float", "text", "boolean", "error", "date"],
)
def test_formula_results_survive_a_write(
    workspace: Path,
    backend: XlsxBackend,
    cell: str,
    formula: str,
    value: str,
    kind: str,
    expected: object,
) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    wb["OKRs"][cell] = formula
    if isinstance(expected, dt.datetime):
        wb["OKRs"][cell].number_format = "yyyy-mm-dd"
    wb.save(path)
    rezip(path, {"xl/worksheets/sheet1.xml": sheet_xml(cached(cell, value, kind))})
    [before] = backend.read_teams([team()])
    backend.write_team(changes((2, SCORE, 0.5)))
    [after] = XlsxBackend(workspace).read_teams([team()])
    assert before.grid is not None and after.grid is not None
    row, column = int(cell[1:]), ord(cell[0]) - ord("A")
    assert after.grid[row - 1][column] == before.grid[row - 1][column] == expected
    assert load_workbook(path)["OKRs"][cell].value == formula
    assert after.grid[1][SCORE - 1] == 0.5


def test_text_that_looks_like_a_formula_is_written_as_text(
    workspace: Path, backend: XlsxBackend
) -> None:
    backend.read_teams([team()])
    backend.write_team(changes((2, WARNINGS, "=not a formula\x07")))
    cell = load_workbook(workspace / "team.xlsx")["OKRs"]["O2"]
    assert (cell.value, cell.data_type) == ("=not a formula", "s")


def test_a_crash_while_saving_leaves_the_original_and_no_temp_file(
    workspace: Path, backend: XlsxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "team.xlsx"
    original = path.read_bytes()
    backend.read_teams([team()])
    listing = sorted(os.listdir(workspace))

    def crash(source: Any, target: Path, *args: Any) -> None:
        target.write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_patch, "copy_package", crash)
    with pytest.raises(WriteRefused, match=r"team.xlsx could not be saved .*left as it was"):
        backend.write_team(changes((2, SCORE, 0.5)))
    assert path.read_bytes() == original
    assert sorted(os.listdir(workspace)) == listing


def test_permissions_are_kept(workspace: Path, backend: XlsxBackend) -> None:
    path = workspace / "team.xlsx"
    path.chmod(0o640)
    backend.read_teams([team()])
    backend.write_team(changes((2, SCORE, 0.5)))
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("mode", [0o444, 0o400], ids=["read-only for all", "owner may read"])
def test_a_workbook_made_read_only_is_not_written_whoever_runs_okrtree(
    workspace: Path, backend: XlsxBackend, mode: int
) -> None:
    path = workspace / "team.xlsx"
    path.chmod(mode)
    before = path.read_bytes()
    backend.read_teams([team()])
    try:
        with pytest.raises(WriteRefused, match=r"team.xlsx is read-only .*allow writing it"):
            backend.write_team(changes((2, SCORE, 0.5)))
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def _edit_and_save(path: Path) -> None:
    wb = load_workbook(path)
    wb["OKRs"].insert_rows(2)
    wb["OKRs"]["A2"] = "CO-0"
    wb.save(path)


def _touch(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize(
    ("meddle", "change_set", "reason"),
    [
        (_edit_and_save, changes((2, SCORE, 0.5)), r"team.xlsx changed since it was read; run"),
        (_touch, changes((2, SCORE, 0.5)), r"changed since it was read"),
        (None, changes((2, SCORE, 0.5), ids={2: "CO-9"}), r"changed since it was read"),
        (
            lambda p: p.with_name(".~lock.team.xlsx#").write_text("x"),
            changes((2, SCORE, 0.5)),
            r"open in a spreadsheet editor",
        ),
        (lambda p: p.unlink(), changes((2, SCORE, 0.5)), r"no longer exists"),
    ],
    ids=["rows inserted", "saved again", "ID moved", "opened in editor", "deleted"],
)
def test_row_safety_refuses_and_writes_nothing(
    workspace: Path, backend: XlsxBackend, meddle: Any, change_set: SheetChanges, reason: str
) -> None:
    path = workspace / "team.xlsx"
    backend.read_teams([team()])
    if meddle is not None:
        meddle(path)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(WriteRefused, match=reason):
        backend.write_team(change_set)
    assert (path.read_bytes() if path.exists() else None) == before
    assert [p.name for p in workspace.iterdir() if p.suffix == ".tmp"] == []


def test_ids_compare_trimmed_and_ignoring_case(workspace: Path, backend: XlsxBackend) -> None:
    backend.read_teams([team()])
    backend.write_team(changes((2, SCORE, 0.5), ids={2: "  co-1 "}))
    assert load_workbook(workspace / "team.xlsx")["OKRs"]["M2"].value == 0.5


def test_a_second_write_in_the_same_run_is_allowed(workspace: Path, backend: XlsxBackend) -> None:
    backend.read_teams([team()])
    backend.write_team(changes((2, SCORE, 0.5)))
    backend.write_team(changes((3, SCORE, 0.25)))
    ws = load_workbook(workspace / "team.xlsx")["OKRs"]
    assert (ws["M2"].value, ws["M3"].value) == (0.5, 0.25)


@pytest.mark.parametrize("target", [(2, SCORE), (3, STATUS)], ids=["top-left", "covered"])
def test_a_merged_target_cell_is_refused_naming_it(
    workspace: Path, backend: XlsxBackend, target: tuple[int, int]
) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    wb["OKRs"].merge_cells("M2:N3")
    wb.save(path)
    before = path.read_bytes()
    backend.read_teams([team()])
    coordinate = {(2, SCORE): "M2", (3, STATUS): "N3"}[target]
    with pytest.raises(WriteRefused, match=rf"team.xlsx: cell {coordinate} of tab 'OKRs' .*merged"):
        backend.write_team(changes((*target, 0.5)))
    assert path.read_bytes() == before


@pytest.mark.parametrize("lock", ["~$team.xlsx", ".~lock.team.xlsx#"])
def test_workbooks_open_in_an_editor_are_refused(
    workspace: Path, backend: XlsxBackend, lock: str
) -> None:
    path = workspace / "team.xlsx"
    path.with_name(lock).write_text("x")
    [snap] = backend.read_teams([team()])
    before = path.read_bytes()
    with pytest.raises(WriteRefused) as refused:
        backend.write_team(changes((2, SCORE, 0.5)))
    assert str(refused.value) == snap.unwritable
    assert path.read_bytes() == before


def test_a_new_cell_takes_its_column_format(workspace: Path, backend: XlsxBackend) -> None:
    backend.read_teams([team()])
    backend.write_team(changes((2, SCORE, 0.456), (2, STATUS, "On track")))
    ws = load_workbook(workspace / "team.xlsx")["OKRs"]
    assert (ws["M2"].value, ws["M2"].number_format) == (0.456, "0.00")
    assert ws["N2"].number_format == "@"


def test_no_changes_saves_nothing(workspace: Path, backend: XlsxBackend) -> None:
    path = workspace / "team.xlsx"
    backend.read_teams([team()])
    stamp = path.stat().st_mtime_ns
    backend.write_team(changes())
    assert path.stat().st_mtime_ns == stamp


def test_two_teams_in_one_workbook_are_both_written(workspace: Path) -> None:
    path = workspace / "team.xlsx"
    wb = load_workbook(path)
    other = wb.copy_worksheet(wb["OKRs"])
    other.title = "Other"
    other["A2"] = "OT-1"
    wb.save(path)
    backend = XlsxBackend(workspace)
    backend.read_teams([team("team.xlsx"), team("./team.xlsx", "Other", name="Other")])
    backend.write_team(changes((2, SCORE, 0.5)))
    second = changes((2, SCORE, 0.75), ids={2: "OT-1"})
    second.source, second.tab = "./team.xlsx", "Other"
    backend.write_team(second)
    wb = load_workbook(path)
    assert (wb["OKRs"]["M2"].value, wb["Other"]["M2"].value) == (0.5, 0.75)


_EXCEL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(
        st.none(),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        _EXCEL_TEXT,
    )
)
def test_what_is_written_reads_back_the_same(workspace: Path, value: Any) -> None:
    backend = XlsxBackend(workspace)
    backend.read_teams([team()])
    backend.write_team(changes((2, WARNINGS, value)))
    [snap] = XlsxBackend(workspace).read_teams([team()])
    assert snap.grid is not None
    row = snap.grid[1]
    got = row[WARNINGS - 1] if len(row) >= WARNINGS else None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        value = value or None
    assert got == value  # floats too: written with every digit, so they read back exactly


def test_a_read_only_workbook_is_flagged_and_refused(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace / "team.xlsx"
    real_access = os.access
    monkeypatch.setattr(  # root may write anything, so no permission is simulated
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    backend = XlsxBackend(workspace)
    [snap] = backend.read_teams([team()])
    assert (
        snap.unwritable
        == "team.xlsx is read-only for okrtree (no write permission); allow writing it"
    )
    with pytest.raises(WriteRefused, match="read-only"):
        backend.write_team(changes((2, SCORE, 0.5)))


def test_an_output_column_past_xfd_is_refused_saying_so(
    workspace: Path, backend: XlsxBackend
) -> None:
    path = workspace / "team.xlsx"
    before = path.read_bytes()
    backend.read_teams([team()])
    with pytest.raises(WriteRefused, match=r"team.xlsx: .*no free column left before column XFD"):
        backend.write_team(changes((1, 16_385, "Score"), (2, 16_385, 0.5)))
    assert path.read_bytes() == before


@pytest.mark.parametrize("forked", [True, False], ids=["forked workers", "in turn"])
def test_a_batch_is_written_by_workers_each_workbook_on_its_own(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    sources = [f"t{i}.xlsx" for i in range(4)]
    for source in sources:
        (workspace / source).write_bytes((workspace / "team.xlsx").read_bytes())
    monkeypatch.setattr(xlsx_workers, "PARALLEL_FROM", 1 if forked else 100)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    backend = XlsxBackend(workspace)
    backend.read_teams([team(source, name=source) for source in sources])
    os.utime(workspace / "t2.xlsx", ns=(1, 1))  # saved by someone since it was read
    batch = []
    for i, source in enumerate(sources):
        written = changes((2, SCORE, i / 10), (3, STATUS, f"S{i}"))
        written.source, written.team = source, source
        batch.append(written)
    reasons = backend.write_teams(batch)
    assert [reason is None for reason in reasons] == [True, True, False, True]
    assert "t2.xlsx changed since it was read" in str(reasons[2])
    for i, source in enumerate(sources):
        ws = load_workbook(workspace / source)["OKRs"]
        expected = (None, None) if i == 2 else (i / 10, f"S{i}")
        assert (ws.cell(2, SCORE).value, ws.cell(3, STATUS).value) == expected
    # The stamps the workers saw after their writes are the backend's: a second write is no
    # "changed since read".
    assert backend.write_teams([batch[0], batch[1]]) == [None, None]
