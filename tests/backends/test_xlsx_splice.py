"""The text patch of a sheet part gives the cells the tree patch gives, keeps every row it does
not write byte for byte, and leaves to the tree patch whatever markup it does not read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from sync.backends.xlsx_package import PackageRefused, RowsMoved
from sync.backends.xlsx_patch import CellRefused, patch_tree
from sync.backends.xlsx_splice import Unhandled, splice_cells
from sync.backends.xlsx_writes import column_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHARED = ["ID", "A-2", "shared text"]


def sheet(rows: str, *, head: str = "", tail: str = "", prefix: str = "") -> bytes:
    """A sheet part around `rows`; with `prefix`, every element of the sheet carries it."""
    text = (
        f'{DECLARATION}<worksheet xmlns="{MAIN}" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<dimension ref="A1:C4"/>{head}<sheetData>{rows}</sheetData>{tail}</worksheet>'
    )
    if prefix:
        text = text.replace(f'<worksheet xmlns="{MAIN}"', f'<worksheet xmlns:{prefix}="{MAIN}"')
        text = re.sub(r"<(/?)(?!\?)([a-zA-Z]+)([ >/])", rf"<\1{prefix}:\2\3", text)
    return text.encode()


PLAIN = (
    '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Score'
    '</t></is></c></row><row r="2" spans="1:3"><c r="A2" t="s"><v>1</v></c><c r="B2" s="3">'
    '<v>0.5</v></c><c r="C2"><f>B2*2</f><v>1</v></c></row><row r="4"><c r="A4" '
    't="inlineStr"><is><t>A-4 &amp; co</t></is></c><c r="C4" s="2"/></row>'
)
# The same cells as PLAIN, written as other programs (or hands) write them.
ODD = {
    "plain": sheet(PLAIN),
    "prefixed x:": sheet(PLAIN, prefix="x"),
    "rows and cells without r": sheet(
        '<row><c t="s"><v>0</v></c><c t="inlineStr"><is><t>Score</t></is></c></row>'
        '<row><c t="s"><v>1</v></c><c s="3"><v>0.5</v></c><c><f>B2*2</f><v>1</v></c></row>'
        '<row r="4"><c t="inlineStr"><is><t>A-4 &amp; co</t></is></c><c r="C4" s="2"/></row>'
    ),
    "single quotes, spaces, self-closing": sheet(
        "<row r='1' ><c r='A1' t='s'><v>0</v></c><c r='B1' t='inlineStr'><is><t>Score</t>"
        "</is></c></row >\n  <row r='2'><c r='A2' t='s' ><v>1</v></c>\n<c s='3' r='B2'><v>0.5"
        "</v></c><c r='C2'><f>B2*2</f><v>1</v></c></row><row r='3'/><row r='4'><c r='A4' "
        "t='inlineStr'><is><t>A-4 &#38; co</t></is></c><c r='C4' s='2'></c></row>"
    ),
    "column styles": sheet(PLAIN, head='<cols><col min="2" max="5" style="7"/></cols>'),
    "merged elsewhere": sheet(
        PLAIN, tail='<mergeCells count="1"><mergeCell ref="E8:F9"/></mergeCells>'
    ),
}
LEFT_TO_THE_TREE = {
    "comment": sheet(PLAIN.replace('<row r="4">', '<!-- <row r="3"> --><row r="4">')),
    "CDATA": sheet(PLAIN.replace("<t>Score</t>", "<t><![CDATA[<row r='9'>]]></t>")),
    "processing instruction": sheet(PLAIN.replace('<row r="4">', '<?mso x?><row r="4">')),
    "namespace declared in a row": sheet(
        PLAIN.replace('<row r="4">', '<row r="4" xmlns:q="urn:q" q:a="1">')
    ),
    "other encoding": sheet(PLAIN).replace(b"UTF-8", b"ISO-8859-1"),
    "rows out of order": sheet(PLAIN.replace('<row r="4">', '<row r="1">')),
    "empty sheetData": sheet("").replace(b"<sheetData></sheetData>", b"<sheetData/>"),
    "rich text ID": sheet(
        PLAIN.replace("<is><t>A-4 &amp; co</t></is>", "<is><r><t>A-4</t></r></is>")
    ),
}


def cells_of(part: bytes) -> dict[tuple[int, int], tuple[Any, ...]]:
    """Each cell as a reader sees it: (type, style, formula, text), by (row, column)."""
    root = etree.fromstring(part)
    found = {}
    r = 0
    for row in root.iter(f"{{{MAIN}}}row"):
        r = int(row.get("r") or r + 1)
        c = 0
        for cell in row.iter(f"{{{MAIN}}}c"):
            ref = cell.get("r")
            c = column_number(ref.rstrip("0123456789")) if ref else c + 1
            formula = cell.find(f"{{{MAIN}}}f")
            values = [e.text or "" for e in cell.iter(f"{{{MAIN}}}v", f"{{{MAIN}}}t")]
            found[(r, c)] = (
                cell.get("t", "n"),
                cell.get("s", "0"),
                formula.text if formula is not None else None,
                "".join(values),
            )
    return found


def shape(part: bytes) -> tuple[Any, ...]:
    """What else a patch may change: the dimension and each row's spans."""
    root = etree.fromstring(part)
    dimension = root.find(f"{{{MAIN}}}dimension")
    spans = [row.get("spans") for row in root.iter(f"{{{MAIN}}}row")]
    return (dimension.get("ref") if dimension is not None else None, spans)


def both(part: bytes, cells: dict[tuple[int, int], Any], expected: Any = None) -> Any:
    """The text patch's and the tree patch's results, or the error each raised."""
    outcomes = []
    for patch in (splice_cells, lambda *a: patch_tree(a[0], "sheet", *a[1:])):
        try:
            outcomes.append(patch(part, "OKRs", cells, expected, SHARED.__getitem__))
        except (CellRefused, RowsMoved) as err:
            outcomes.append(type(err))
    return outcomes


_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["<&>", " lead", "a\nb", "é漢字"]),
)


@pytest.mark.parametrize("name", list(ODD))
@settings(max_examples=40, deadline=None)
@given(cells=st.dictionaries(st.tuples(st.integers(1, 6), st.integers(1, 6)), _VALUE, max_size=10))
def test_the_text_patch_gives_the_cells_of_the_tree_patch(
    name: str, cells: dict[tuple[int, int], Any]
) -> None:
    spliced, tree = both(ODD[name], cells)
    if isinstance(spliced, type) or isinstance(tree, type):
        assert spliced == tree
        return
    assert cells_of(spliced[0]) == cells_of(tree[0])
    assert shape(spliced[0]) == shape(tree[0])
    assert spliced[1] == tree[1]  # whether a formula was overwritten


@pytest.mark.parametrize("name", list(ODD))
@pytest.mark.parametrize(
    ("expected", "moved"),
    [
        ({(1, 1): "id", (2, 1): " a-2 ", (4, 1): "A-4 & CO"}, False),
        ({(2, 1): "A-3"}, True),
        ({(4, 1): "A-4"}, True),
        ({(3, 1): ""}, False),
        ({(2, 3): "anything"}, False),  # a formula: checked through the file stamp instead
    ],
)
def test_ids_are_checked_as_the_tree_patch_checks_them(
    name: str, expected: dict[tuple[int, int], str], moved: bool
) -> None:
    spliced, tree = both(ODD[name], {(2, 2): 1}, expected)
    assert (spliced is RowsMoved, tree is RowsMoved) == (moved, moved)


@pytest.mark.parametrize("name", list(ODD))
def test_every_byte_outside_the_written_row_stays(name: str) -> None:
    part = ODD[name]
    spliced, _ = splice_cells(part, "OKRs", {(2, 2): "new"}, None, SHARED.__getitem__)
    starts = [m.start() for m in re.finditer(rb"<(?:x:)?(?:row[\s/>]|/(?:x:)?sheetData)", part)]
    before, after = part[: starts[1]], part[starts[2] :]  # row 2 runs from the second start
    assert spliced.startswith(before) and spliced.endswith(after)
    assert cells_of(spliced)[(2, 2)] == ("inlineStr", "3", None, "new")


def test_new_rows_go_in_order_and_cleared_cells_keep_their_format() -> None:
    part = ODD["single quotes, spaces, self-closing"]
    cells = {(3, 2): "three", (5, 1): 5, (2, 2): None, (2, 3): None, (4, 3): None}
    spliced, dropped_formula = splice_cells(part, "OKRs", cells, None, SHARED.__getitem__)
    found = cells_of(spliced)
    assert found[(3, 2)] == ("inlineStr", "0", None, "three")
    assert found[(5, 1)] == ("n", "0", None, "5")
    assert found[(2, 2)] == ("n", "3", None, "")  # its style stays
    assert (2, 3) not in found and dropped_formula  # the formula cell had no style: gone
    assert found[(4, 3)] == ("n", "2", None, "")
    assert [int(r.get("r")) for r in etree.fromstring(spliced).iter(f"{{{MAIN}}}row")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert shape(spliced)[0] == "A1:C5"


def test_a_new_cell_takes_its_column_style_and_text_stays_text() -> None:
    spliced, _ = splice_cells(
        ODD["column styles"], "OKRs", {(4, 4): "=1+1 <b>", (2, 2): " x\n"}, None, str
    )
    assert cells_of(spliced)[(4, 4)] == ("inlineStr", "7", None, "=1+1 <b>")
    assert b'<c r="B2" s="3" t="inlineStr"><is><t xml:space="preserve"> x\n</t>' in spliced


@pytest.mark.parametrize(
    ("edit", "cells", "message"),
    [
        (
            lambda t: t.replace("<f>B2*2</f>", '<f t="shared" ref="C2:C3" si="0">B2*2</f>'),
            {(2, 3): 1},
            "formula shared with other cells",
        ),
        (
            lambda t: t.replace("<f>B2*2</f>", '<f t="array" ref="C2:C3">B2*2</f>'),
            {(2, 3): 1},
            "array formula over C2:C3",
        ),
        (lambda t: t, {(8, 5): 1}, "cell E8 of tab 'OKRs' is merged"),
    ],
)
def test_what_the_tree_patch_refuses_the_text_patch_refuses(
    edit: Any, cells: dict[tuple[int, int], Any], message: str
) -> None:
    part = edit(ODD["merged elsewhere"].decode()).encode()
    for patch in (splice_cells, lambda *a: patch_tree(a[0], "sheet", *a[1:])):
        with pytest.raises(CellRefused, match=message):
            patch(part, "OKRs", cells, None, str)


@pytest.mark.parametrize("name", list(LEFT_TO_THE_TREE))
def test_markup_the_text_patch_does_not_read_is_left_to_the_tree(name: str) -> None:
    part = LEFT_TO_THE_TREE[name]
    with pytest.raises(Unhandled):
        splice_cells(part, "OKRs", {(2, 2): 1}, {(4, 1): "A-4"}, SHARED.__getitem__)
    try:
        patched, _ = patch_tree(part, "sheet", "OKRs", {(2, 2): 1}, None, SHARED.__getitem__)
    except PackageRefused:
        return  # refused in words: rows out of order
    assert cells_of(patched)[(2, 2)][3] == "1"
