"""Patching cells in a workbook's sheet XML: exactly the planned values, nothing else changed."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font

from sync.backends.xlsx_patch import (
    CellRefused,
    PackageRefused,
    RowsMoved,
    full_calc_on_load,
    patch_cells,
)

from .conftest import rezip, sheet_xml

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OTHER_SHEET = "xl/worksheets/sheet2.xml"

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_SPECIAL = st.sampled_from(["<&>\"'", "=1+1", " lead", "trail ", "a\r\nb", "é漢字🙂", "x" * 3000])
_VALUE = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
    _SPECIAL,
)
_GRID_VALUE = st.one_of(st.none(), st.integers(-1000, 1000), st.floats(-1e6, 1e6), _TEXT)


def _normal(value: Any) -> Any:
    """What a cell reads back as after writing `value`."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value or None
    return value


def _make(path: Path, grid: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = _normal(value)
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=" (not a formula)
    ws["A1"].comment = Comment("a note", "Ana")
    ws["B1"].font = Font(bold=True)
    notes = wb.create_sheet("Notes")
    notes["A1"] = "keep"
    wb.save(path)


def _cells(path: Path, tab: str) -> dict[tuple[int, int], Any]:
    ws = load_workbook(path)[tab]
    return {
        (c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None
    }


def _calamine(path: Path, tab: str) -> dict[tuple[int, int], Any]:
    calamine = pytest.importorskip("python_calamine")
    sheet = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(tab)
    rows = sheet.to_python(skip_empty_area=False)
    return {
        (r, c): value
        for r, row in enumerate(rows, start=1)
        for c, value in enumerate(row, start=1)
        if value not in ("", None)
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=0, abs_tol=0) or float(a) == float(b)
    return bool(a == b)


def _infos(path: Path) -> dict[str, tuple[int, int, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: (i.CRC, i.compress_size, archive.read(i)) for i in archive.infolist()}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    grid=st.lists(st.lists(_GRID_VALUE, max_size=7), min_size=1, max_size=12),
    changes=st.dictionaries(
        st.tuples(st.integers(1, 18), st.integers(1, 11)), _VALUE, min_size=1, max_size=25
    ),
)
def test_exactly_the_planned_cells_change(
    tmp_path: Path, grid: list[list[Any]], changes: dict[tuple[int, int], Any]
) -> None:
    source, target = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    _make(source, grid)
    before = _cells(source, "OKRs")
    patch_cells(source, "OKRs", changes, target)
    expected = dict(before)
    for key, value in changes.items():
        expected.pop(key, None)
        if _normal(value) is not None:
            expected[key] = _normal(value)
    assert _cells(target, "OKRs") == expected
    read = _calamine(target, "OKRs")
    assert read.keys() == expected.keys()
    assert all(_same(read[k], expected[k]) for k in expected)
    assert _cells(target, "Notes") == _cells(source, "Notes")
    old, new = _infos(source), _infos(target)
    assert old.keys() == new.keys()
    assert {k: v for k, v in old.items() if k != SHEET} == {
        k: v for k, v in new.items() if k != SHEET
    }  # same content and the same compressed bytes: copied, not re-compressed


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    _make(path, [["ID", "Score"], ["A-1", 0.5], ["A-2", None]])
    return path


def _sheet_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(SHEET).decode()


def test_prefixes_and_namespaces_are_kept(book: Path, tmp_path: Path) -> None:
    def prefix(text: str) -> str:
        text = text.replace(
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
            '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        )
        return re.sub(r"<(/?)(?!x:)([a-zA-Z]+)([ >/])", r"<\1x:\2\3", text)

    rezip(book, {SHEET: sheet_xml(prefix)})
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(3, 2): 0.25, (4, 3): "new"}, target)
    text = _sheet_text(target)
    assert text.count("<x:worksheet") == 1 and "<c " not in text and "<row " not in text
    assert '<x:c r="C4" t="inlineStr"><x:is><x:t>new</x:t></x:is></x:c>' in text
    assert _cells(target, "OKRs")[(3, 2)] == 0.25


def test_cells_without_references_are_placed_by_order(book: Path, tmp_path: Path) -> None:
    rezip(book, {SHEET: sheet_xml(lambda t: re.sub(r'<c r="[A-Z]+\d+"', "<c", t))})
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(2, 3): "x", (3, 2): 0.75}, target)
    cells = _cells(target, "OKRs")
    assert (cells[(2, 1)], cells[(2, 2)], cells[(2, 3)], cells[(3, 2)]) == ("A-1", 0.5, "x", 0.75)


def test_new_cells_take_their_column_style_and_old_ones_keep_theirs(
    book: Path, tmp_path: Path
) -> None:
    wb = load_workbook(book)
    ws = wb["OKRs"]
    ws.column_dimensions["C"].number_format = "0.00"
    ws["B2"].number_format = "0.0%"
    wb.save(book)
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(2, 2): 0.75, (5, 3): 0.5}, target)
    ws = load_workbook(target)["OKRs"]
    assert (ws["B2"].value, ws["B2"].number_format) == (0.75, "0.0%")
    assert (ws["C5"].value, ws["C5"].number_format) == (0.5, "0.00")
    assert ws.dimensions == "A1:C5"


def test_text_is_an_inline_string_and_never_a_formula(book: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(2, 2): "=SUM(A1)", (3, 2): "<b>&amp;"}, target)
    text = _sheet_text(target)
    assert 't="inlineStr"><is><t>=SUM(A1)</t>' in text and "<f>" not in text
    cells = _cells(target, "OKRs")
    assert (cells[(2, 2)], cells[(3, 2)]) == ("=SUM(A1)", "<b>&amp;")


@pytest.mark.parametrize(
    ("edit", "cells", "error", "message"),
    [
        (None, {(2, 16_385): 1}, CellRefused, "no free column left before column XFD"),
        (None, {(1_048_577, 1): 1}, CellRefused, "outside"),
        (None, {(2, 2): math.inf}, CellRefused, "not a number"),
        (
            lambda t: t.replace(
                "</sheetData>", "</sheetData><mergeCells><mergeCell ref='B2:C3'/></mergeCells>"
            ),
            {(3, 3): 1},
            CellRefused,
            "cell C3 of tab 'OKRs' is merged",
        ),
        (
            lambda t: t.replace(
                '<c r="B2" t="n"><v>0.5</v></c>',
                '<c r="B2"><f t="shared" ref="B2:B3" si="0">A2</f><v>1</v></c>',
            ),
            {(2, 2): 1},
            CellRefused,
            "formula shared with other cells",
        ),
        (
            lambda t: t.replace(
                '<c r="B2" t="n"><v>0.5</v></c>',
                '<c r="B2"><f t="array" ref="B2:B3">A2:A3</f><v>1</v></c>',
            ),
            {(2, 2): 1},
            CellRefused,
            "array formula over B2:B3",
        ),
        (
            lambda t: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + t.split("?>", 1)[-1],
            {(2, 2): 1},
            PackageRefused,
            "declares a DTD",
        ),
    ],  # fmt: skip
    ids=["XFD", "rows", "infinity", "merged", "shared formula", "array formula", "DTD"],
)
def test_what_cannot_be_written_safely_is_refused(
    book: Path,
    tmp_path: Path,
    edit: Any,
    cells: dict[tuple[int, int], Any],
    error: type,
    message: str,
) -> None:
    if edit is not None:
        rezip(book, {SHEET: sheet_xml(edit)})
    target = tmp_path / "out.xlsx"
    with pytest.raises(error, match=message):
        patch_cells(book, "OKRs", cells, target)
    assert not target.exists()


@pytest.mark.parametrize(
    ("expected", "moved"),
    [({(2, 1): " a-1 "}, False), ({(2, 1): "A-2"}, True), ({(7, 1): ""}, False)],
    ids=["same ID", "other ID", "empty row"],
)
def test_row_ids_are_checked_in_the_sheet_xml(
    book: Path, tmp_path: Path, expected: dict[tuple[int, int], str], moved: bool
) -> None:
    target = tmp_path / "out.xlsx"
    if moved:
        with pytest.raises(RowsMoved, match="row 2 of tab 'OKRs' now holds 'A-1'"):
            patch_cells(book, "OKRs", {(2, 2): 1}, target, expected=expected)
    else:
        patch_cells(book, "OKRs", {(2, 2): 1}, target, expected=expected)
        assert _cells(target, "OKRs")[(2, 2)] == 1


def test_ids_in_shared_strings_are_checked(book: Path, tmp_path: Path) -> None:
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2">'
        b"<si><t>ID</t></si><si><r><t>A-</t></r><r><t>1</t></r><rPh><t>x</t></rPh></si></sst>"
    )
    rel = (
        '<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    rezip(
        book,
        {
            SHEET: sheet_xml(
                lambda t: t.replace(
                    '<c r="A2" t="inlineStr"><is><t>A-1</t></is></c>',
                    '<c r="A2" t="s"><v>1</v></c>',
                )
            ),
            "xl/sharedStrings.xml": strings,
            "xl/_rels/workbook.xml.rels": lambda b: b.replace(b"</Relationships>", rel.encode()),
        },
    )
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(2, 2): 1}, target, expected={(2, 1): "A-1"})
    with pytest.raises(RowsMoved):
        patch_cells(book, "OKRs", {(2, 2): 1}, target, expected={(2, 1): "A-1x"})


def test_overwriting_a_formula_drops_the_calculation_chain(book: Path, tmp_path: Path) -> None:
    chain = f'<calcChain xmlns="{MAIN}"><c r="B2" i="1"/></calcChain>'.encode()
    rel = f'<Relationship Id="rIdC" Type="{OFFICE}/calcChain" Target="calcChain.xml"/>'
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
    override = f'<Override PartName="/xl/calcChain.xml" ContentType="{kind}"/>'
    rezip(
        book,
        {
            SHEET: sheet_xml(lambda t: t.replace("<v>0.5</v>", "<f>1/2</f><v>0.5</v>")),
            "xl/calcChain.xml": chain,
            "xl/_rels/workbook.xml.rels": lambda b: b.replace(
                b"</Relationships>", rel.encode() + b"</Relationships>"
            ),
            "[Content_Types].xml": lambda b: b.replace(
                b"</Types>", override.encode() + b"</Types>"
            ),
        },
    )
    target = tmp_path / "out.xlsx"
    patch_cells(book, "OKRs", {(2, 2): 0.75}, target)
    with zipfile.ZipFile(target) as archive:
        assert "xl/calcChain.xml" not in archive.namelist()
        assert b"calcChain" not in archive.read("xl/_rels/workbook.xml.rels")
        assert b"calcChain" not in archive.read("[Content_Types].xml")
    assert _cells(target, "OKRs")[(2, 2)] == 0.75


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        (
            '<workbook xmlns="m"><sheets/><calcPr calcId="1"/></workbook>',
            '<workbook xmlns="m"><sheets/><calcPr calcId="1" fullCalcOnLoad="1"/></workbook>',
        ),
        (
            "<x:workbook xmlns:x='m'><x:calcPr fullCalcOnLoad='0'></x:calcPr></x:workbook>",
            "<x:workbook xmlns:x='m'><x:calcPr fullCalcOnLoad=\"1\"></x:calcPr></x:workbook>",
        ),
        (
            '<workbook xmlns="m"><sheets/><definedNames/><extLst/></workbook>',
            '<workbook xmlns="m"><sheets/><definedNames/><calcPr fullCalcOnLoad="1"/><extLst/>'
            "</workbook>",
        ),
        ('<workbook xmlns="m"><sheets/><calcPr fullCalcOnLoad="1"/></workbook>', None),
    ],  # fmt: skip
    ids=["attribute added", "prefixed, value changed", "element added in order", "already set"],
)
def test_workbook_xml_changes_only_in_calc_pr(workbook: str, expected: str | None) -> None:
    result = full_calc_on_load(workbook.encode())
    assert (result.decode() if result is not None else None) == expected
