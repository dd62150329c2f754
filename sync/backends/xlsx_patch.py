"""Writing cells into a workbook by patching its sheet XML; every other part is copied as is.

A sync changes only a few cells (`Score`, `Status`, `Warnings`). Rewriting the workbook from a
library's model of it loses whatever the library does not model (charts, pivot tables, macros,
threaded comments, ...). Here only the `<row>` elements holding changed cells are touched in the
tab's sheet part: spliced into its text (`xlsx_splice`), or, for markup the splice leaves alone,
through a parsed tree of the part (`patch_tree`); `xl/workbook.xml` changes only in its
`<calcPr>` (full calculation on load, so formulas that depend on the new values refresh when the
file is opened); a cell that held a formula drops `xl/calcChain.xml`, which the spreadsheet
program rebuilds.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from lxml import etree

from .xlsx_package import (
    CONTENT_TYPES,
    REL_NS,
    PackageRefused,
    RowsMoved,
    copy_package,
    find_sheet,
    parse_part,
    relationships,
    rels_part,
    resolve_target,
    serialize,
    sheet_parts,
    workbook_part,
)
from .xlsx_splice import Unhandled, splice_cells
from .xlsx_writes import (
    MAX_COLUMN,
    MAX_ROW,
    CellRefused,
    Cells,
    column_letter,
    column_number,
    id_matches,
    merged_box,
    rows_to_write,
    widened_dimension,
    widened_spans,
)

__all__ = [
    "MAX_COLUMN",
    "MAX_ROW",
    "CellRefused",
    "RowsMoved",
    "drop_calc_chain",
    "full_calc_on_load",
    "patch_cells",
    "patch_tree",
]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CALC_CHAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_VALUE_ATTRIBUTES = ("t", "cm", "vm", "ph")  # what describes the old value, not the cell
_AFTER_CALC_PR = (
    "oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing|"
    "fileRecoveryPr|webPublishObjects|extLst"
)


def patch_cells(
    package: Path,
    tab: str,
    cells: Cells,
    target: Path,
    *,
    expected: Mapping[tuple[int, int], str] | None = None,
) -> None:
    """Write to `target` a copy of the workbook at `package` with `cells` of tab `tab` set.

    Keys are 1-based (row, column); None clears a cell (its formatting stays). Text is written
    as an inline string, numbers as numbers. With `expected`, each given cell must still hold
    that text (compared trimmed and ignoring case), else `RowsMoved` and nothing is written.
    Raises a `PackageRefused` (a `WriteRefused`) for what cannot be written safely.
    """
    try:
        with zipfile.ZipFile(package) as archive:
            workbook = workbook_part(archive)
            sheet = find_sheet(sheet_parts(archive, workbook), tab)
            if sheet is None:
                raise PackageRefused(f"it has no tab {tab!r}")
            data = archive.read(sheet.part)
            shared = _SharedStrings(archive, workbook).get
            try:
                patched, dropped_formula = splice_cells(data, sheet.name, cells, expected, shared)
            except Unhandled:
                patched, dropped_formula = patch_tree(
                    data, sheet.part, sheet.name, cells, expected, shared
                )
            replaced = {sheet.part: patched}
            calc = full_calc_on_load(archive.read(workbook))
            if calc is not None:
                replaced[workbook] = calc
            removed: frozenset[str] = frozenset()
            if dropped_formula:
                removed = drop_calc_chain(archive, workbook, replaced)
            copy_package(archive, target, replaced, removed)
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise PackageRefused(f"it cannot be read as a workbook ({err})") from err


def patch_tree(
    data: bytes,
    part: str,
    tab: str,
    cells: Cells,
    expected: Mapping[tuple[int, int], str] | None,
    shared: Callable[[int], str],
) -> tuple[bytes, bool]:
    """`xlsx_splice.splice_cells` on the parsed tree of the sheet part: slower, for any markup."""
    root = parse_part(data, part)
    patch = _SheetPatch(root, tab)
    if expected:
        patch.check(expected, shared)
    dropped_formula = patch.apply(cells)
    return serialize(root), dropped_formula


class _SheetPatch:
    """One sheet part's tree, with its rows and cells found by number: the way for markup the
    text patch (`xlsx_splice`) leaves alone."""

    def __init__(self, root: etree._Element, tab: str) -> None:
        self.root = root
        self.tab = tab
        self.ns = etree.QName(root).namespace or ""
        self.tags: dict[str, str] = {}
        data = root.find(self._q("sheetData"))
        if data is None:
            raise PackageRefused(f"tab {tab!r} is not a worksheet")
        self.data = data
        self.cell_maps: dict[str | None, dict[int, etree._Element]] = {}
        self.row_numbers: list[int] = []
        self.rows: list[etree._Element] = []
        previous = 0
        for row in data.iterchildren(self._q("row")):
            number = int(row.get("r") or previous + 1)
            row.set("r", str(number))
            self.row_numbers.append(number)
            self.rows.append(row)
            previous = number
        if self.row_numbers != sorted(set(self.row_numbers)):
            raise PackageRefused(f"the rows of tab {tab!r} are out of order")
        self.merged = [
            merged_box(cell.get("ref") or "A1")
            for cell in root.iterfind(f"{self._q('mergeCells')}/{self._q('mergeCell')}")
        ]
        self.column_styles = [
            (int(col.get("min", "0")), int(col.get("max", "0")), style)
            for col in root.iterfind(f"{self._q('cols')}/{self._q('col')}")
            if (style := col.get("style"))
        ]
        self.styles_by_column: dict[int, str | None] = {}

    def _q(self, name: str) -> str:
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = f"{{{self.ns}}}{name}" if self.ns else name
        return tag

    def _row(self, number: int, create: bool) -> etree._Element | None:
        index = bisect.bisect_left(self.row_numbers, number)
        if index < len(self.row_numbers) and self.row_numbers[index] == number:
            return self.rows[index]
        if not create:
            return None
        row = etree.Element(self._q("row"), r=str(number))
        if index < len(self.rows):
            self.rows[index].addprevious(row)
        else:
            self.data.append(row)
        self.row_numbers.insert(index, number)
        self.rows.insert(index, row)
        return row

    def _cells(self, row: etree._Element) -> dict[int, etree._Element]:
        """The row's cells by column, each given an explicit `r` (some writers leave it out)."""
        number = row.get("r")
        found = self.cell_maps.get(number)
        if found is not None:
            return found
        found = {}
        column = 0
        for cell in row.iterchildren(self._q("c")):
            ref = cell.get("r")
            if ref:
                column = column_number(ref.rstrip(_DIGITS))
            else:
                column += 1
                cell.set("r", f"{column_letter(column)}{number}")
            found[column] = cell
        self.cell_maps[number] = found
        return found

    def check(self, expected: Mapping[tuple[int, int], str], shared: Callable[[int], str]) -> None:
        for (r, c), text in expected.items():
            row = self._row(r, create=False)
            cell = self._cells(row).get(c) if row is not None else None
            if cell is not None and cell.find(self._q("f")) is not None:
                continue  # a formula: its cached result was checked through the file stamp
            found = self._text(cell, shared) if cell is not None else ""
            if not id_matches(found, text):
                raise RowsMoved(
                    f"row {r} of tab {self.tab!r} now holds {found!r} where {text!r} was read"
                )

    def _text(self, cell: etree._Element, shared: Callable[[int], str]) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(self._q("is"))
            return _string_item_text(inline, self.ns) if inline is not None else ""
        value = cell.findtext(self._q("v")) or ""
        if kind == "s" and value.strip().isdigit():
            return shared(int(value))
        return value

    def apply(self, cells: Cells) -> bool:
        """Set every cell; True when a formula was overwritten."""
        dropped_formula = False
        by_row = rows_to_write(cells, self.merged, self.tab)
        written: list[tuple[int, int]] = []
        for r in sorted(by_row):
            row = self._row(r, create=any(v is not None for _, v in by_row[r]))
            if row is None:
                continue
            existing = self._cells(row)
            for c, value in by_row[r]:
                cell = existing.get(c)
                if cell is not None:
                    dropped_formula |= self._forget_value(cell)
                elif value is not None:
                    cell = self._new_cell(row, existing, r, c)
                if cell is None:
                    continue
                if value is None:
                    if cell.get("s") in (None, "0"):
                        row.remove(cell)
                        del existing[c]
                    continue
                _set_value(cell, value, self._q)
                written.append((r, c))
            spans = row.get("spans")
            if spans:
                wider = widened_spans(spans, [c for c, v in by_row[r] if v is not None])
                if wider is None:
                    row.attrib.pop("spans")
                else:
                    row.set("spans", wider)
        dimension = self.root.find(self._q("dimension"))
        if dimension is not None and written:
            dimension.set("ref", widened_dimension(dimension.get("ref"), written))
        return dropped_formula

    def _forget_value(self, cell: etree._Element) -> bool:
        formula = cell.find(self._q("f"))
        if formula is not None:
            ref = formula.get("ref")
            if formula.get("t") == "shared" and ref:
                raise CellRefused(
                    f"cell {cell.get('r')} of tab {self.tab!r} holds a formula shared with "
                    f"other cells; clear or retype that formula"
                )
            if ref and ":" in ref and formula.get("t") == "array":
                raise CellRefused(
                    f"cell {cell.get('r')} of tab {self.tab!r} holds an array formula over "
                    f"{ref}; clear or retype that formula"
                )
        for child in list(cell):
            cell.remove(child)
        for name in _VALUE_ATTRIBUTES:
            cell.attrib.pop(name, None)
        return formula is not None

    def _new_cell(
        self, row: etree._Element, existing: dict[int, etree._Element], r: int, c: int
    ) -> etree._Element:
        """A new cell at its place in the row, with its column's style as when typed in Excel."""
        cell = etree.Element(self._q("c"), r=f"{column_letter(c)}{r}")
        style = self._column_style(c)
        if style is not None:
            cell.set("s", style)
        last = max(existing) if existing else 0
        if existing and c > last:  # the usual case: output columns are the rightmost
            existing[last].addnext(cell)
        elif existing:
            existing[min(k for k in existing if k > c)].addprevious(cell)
        else:
            row.insert(0, cell)
        existing[c] = cell
        return cell

    def _column_style(self, column: int) -> str | None:
        if column not in self.styles_by_column:
            self.styles_by_column[column] = next(
                (s for lo, hi, s in self.column_styles if lo <= column <= hi), None
            )
        return self.styles_by_column[column]


_DIGITS = "0123456789"


def _set_value(
    cell: etree._Element, value: str | int | float, qualify: Callable[[str], str]
) -> None:
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, qualify("v")).text = "1" if value else "0"
    elif isinstance(value, int | float):
        etree.SubElement(cell, qualify("v")).text = repr(value)
    else:
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, qualify("is")), qualify("t"))
        text.text = value
        if value != value.strip() or "\n" in value:
            text.set(_XML_SPACE, "preserve")


def _string_item_text(item: etree._Element, ns: str) -> str:
    """The text of a shared or inline string: its `<t>`, or its runs' `<t>`s (no phonetics)."""
    t, run = f"{{{ns}}}t", f"{{{ns}}}r"
    direct = item.find(t)
    if direct is not None:
        return direct.text or ""
    return "".join(r.findtext(t) or "" for r in item.iterchildren(run))


class _SharedStrings:
    """The shared strings a check asks for, read lazily up to the highest index needed."""

    def __init__(self, archive: zipfile.ZipFile, workbook: str) -> None:
        self.archive = archive
        self.part = next(
            (
                resolve_target(workbook, rel.get("Target", ""))
                for rel in relationships(archive, workbook)
                if rel.get("Type", "").endswith("/sharedStrings")
            ),
            None,
        )
        self.items: list[str] | None = None

    def get(self, index: int) -> str:
        if self.items is None:
            self.items = []
            if self.part is not None and self.part in self.archive.namelist():
                root = parse_part(self.archive.read(self.part), self.part)
                ns = etree.QName(root).namespace or ""
                self.items = [_string_item_text(si, ns) for si in root.iterchildren(f"{{{ns}}}si")]
        return self.items[index] if index < len(self.items) else ""


def full_calc_on_load(workbook_xml: bytes) -> bytes | None:
    """workbook.xml with `<calcPr fullCalcOnLoad="1"/>`, changing nothing else in its text;
    None when it already says so."""
    text = workbook_xml.decode("utf-8")
    opening = re.search(r"<(?:(\w+):)?workbook\b", text)
    if opening is None:
        raise PackageRefused("its workbook part has no <workbook> element")
    prefix = f"{opening[1]}:" if opening[1] else ""
    escaped = re.escape(prefix)
    calc = re.search(rf"<{escaped}calcPr\b([^>]*?)(/?)>", text)
    if calc is not None:
        attributes = calc[1]
        flag = re.search(r"""\bfullCalcOnLoad\s*=\s*(["'])(.*?)\1""", attributes)
        if flag is not None and flag[2] in ("1", "true"):
            return None
        if flag is not None:
            attributes = (
                attributes[: flag.start()] + 'fullCalcOnLoad="1"' + attributes[flag.end() :]
            )
        else:
            attributes += ' fullCalcOnLoad="1"'
        patched = f"<{prefix}calcPr{attributes}{calc[2]}>"
        return (text[: calc.start()] + patched + text[calc.end() :]).encode("utf-8")
    later = re.search(rf"<{escaped}(?:{_AFTER_CALC_PR})\b|</{escaped}workbook\s*>", text)
    if later is None:
        raise PackageRefused("its workbook part is not closed")
    element = f'<{prefix}calcPr fullCalcOnLoad="1"/>'
    return (text[: later.start()] + element + text[later.start() :]).encode("utf-8")


def drop_calc_chain(
    archive: zipfile.ZipFile, workbook: str, replaced: dict[str, bytes]
) -> frozenset[str]:
    """Remove the calculation chain (it lists formula cells; a stale one makes Excel repair the
    file) with its relationship and content type; spreadsheet programs rebuild it."""
    rels_name = rels_part(workbook)
    rels = parse_part(replaced.get(rels_name) or archive.read(rels_name), rels_name)
    chains = [
        rel for rel in rels.iter(f"{{{REL_NS}}}Relationship") if rel.get("Type") == _CALC_CHAIN
    ]
    if not chains:
        return frozenset()
    parts = {resolve_target(workbook, rel.get("Target", "")) for rel in chains}
    for rel in chains:
        rel.getparent().remove(rel)
    replaced[rels_name] = serialize(rels)
    types = parse_part(replaced.get(CONTENT_TYPES) or archive.read(CONTENT_TYPES), CONTENT_TYPES)
    for override in list(types):
        if str(override.get("PartName", "")).lstrip("/") in parts:
            types.remove(override)
    replaced[CONTENT_TYPES] = serialize(types)
    return frozenset(parts)
