"""Writing cells into a workbook by patching its sheet XML; every other part is copied as is.

A sync changes only a few cells (`Score`, `Status`, `Warnings`). Rewriting the workbook from a
library's model of it loses whatever the library does not model (charts, pivot tables, macros,
threaded comments, ...). Here only the `<row>` elements holding changed cells are touched in the
tab's sheet part; `xl/workbook.xml` changes only in its `<calcPr>` (full calculation on load, so
formulas that depend on the new values refresh when the file is opened); a cell that held a
formula drops `xl/calcChain.xml`, which the spreadsheet program rebuilds.
"""

from __future__ import annotations

import bisect
import math
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import (
    column_index_from_string,
    get_column_letter,
    range_boundaries,
)

from ..model import id_key
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

__all__ = [
    "MAX_COLUMN",
    "MAX_ROW",
    "CellRefused",
    "RowsMoved",
    "drop_calc_chain",
    "full_calc_on_load",
    "patch_cells",
]

MAX_COLUMN = 16_384  # XFD, the last column any spreadsheet program opens
MAX_ROW = 1_048_576
CellValue = str | int | float | None
Cells = Mapping[tuple[int, int], CellValue]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CALC_CHAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_VALUE_ATTRIBUTES = ("t", "cm", "vm", "ph")  # what describes the old value, not the cell
_AFTER_CALC_PR = (
    "oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing|"
    "fileRecoveryPr|webPublishObjects|extLst"
)


class CellRefused(PackageRefused):
    """A cell cannot be written safely (merged, outside the sheet, part of a shared formula)."""


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
            root = parse_part(archive.read(sheet.part), sheet.part)
            patch = _SheetPatch(root, sheet.name)
            if expected:
                patch.check(expected, _SharedStrings(archive, workbook))
            dropped_formula = patch.apply(cells)
            replaced = {sheet.part: serialize(root)}
            calc = full_calc_on_load(archive.read(workbook))
            if calc is not None:
                replaced[workbook] = calc
            removed: frozenset[str] = frozenset()
            if dropped_formula:
                removed = drop_calc_chain(archive, workbook, replaced)
            copy_package(archive, target, replaced, removed)
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise PackageRefused(f"it cannot be read as a workbook ({err})") from err


class _SheetPatch:
    """One sheet part's tree, with its rows and cells found by number."""

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
        self.merged: list[tuple[int, int, int, int]] = []
        for cell in root.iterfind(f"{self._q('mergeCells')}/{self._q('mergeCell')}"):
            low_col, low_row, high_col, high_row = range_boundaries(cell.get("ref") or "A1")
            self.merged.append(
                (low_col or 1, low_row or 1, high_col or MAX_COLUMN, high_row or MAX_ROW)
            )
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
        known = _COLUMNS  # the letters cache, looked up inline: this runs for every cell
        for cell in row.iterchildren(self._q("c")):
            ref = cell.get("r")
            if ref:
                column = known.get(ref.rstrip(_DIGITS)) or _column_of(ref)
            else:
                column += 1
                cell.set("r", f"{get_column_letter(column)}{number}")
            found[column] = cell
        self.cell_maps[number] = found
        return found

    def check(self, expected: Mapping[tuple[int, int], str], strings: _SharedStrings) -> None:
        for (r, c), text in expected.items():
            row = self._row(r, create=False)
            cell = self._cells(row).get(c) if row is not None else None
            if cell is not None and cell.find(self._q("f")) is not None:
                continue  # a formula: its cached result was checked through the file stamp
            found = self._text(cell, strings) if cell is not None else ""
            if id_key(found) != id_key(text) and not _same_number(found, text):
                raise RowsMoved(
                    f"row {r} of tab {self.tab!r} now holds {found!r} where {text!r} was read"
                )

    def _text(self, cell: etree._Element, strings: _SharedStrings) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(self._q("is"))
            return _string_item_text(inline, self.ns) if inline is not None else ""
        value = cell.findtext(self._q("v")) or ""
        if kind == "s" and value.strip().isdigit():
            return strings.get(int(value))
        return value

    def apply(self, cells: Cells) -> bool:
        """Set every cell; True when a formula was overwritten."""
        dropped_formula = False
        by_row: dict[int, list[tuple[int, CellValue]]] = {}
        for (r, c), value in cells.items():
            if not 1 <= r <= MAX_ROW:
                raise CellRefused(f"row {r} is outside what a spreadsheet can hold")
            if not 1 <= c <= MAX_COLUMN:
                raise CellRefused(
                    f"tab {self.tab!r} has no free column left before column XFD (16,384) for "
                    f"okrtree's output columns; delete unused columns at the right of the sheet"
                )
            for min_col, min_row, max_col, max_row in self.merged:
                if min_row <= r <= max_row and min_col <= c <= max_col:
                    raise CellRefused(
                        f"cell {get_column_letter(c)}{r} of tab {self.tab!r} is merged with "
                        f"other cells, so okrtree cannot write it; unmerge it"
                    )
            by_row.setdefault(r, []).append((c, _clean(value)))
        written: list[tuple[int, int]] = []
        for r in sorted(by_row):
            row = self._row(r, create=any(v is not None for _, v in by_row[r]))
            if row is None:
                continue
            existing = self._cells(row)
            for c, value in sorted(by_row[r]):
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
            _widen_spans(row, [c for c, v in by_row[r] if v is not None])
        self._widen_dimension(written)
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
        cell = etree.Element(self._q("c"), r=f"{_letter(c)}{r}")
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

    def _widen_dimension(self, written: list[tuple[int, int]]) -> None:
        dimension = self.root.find(self._q("dimension"))
        if dimension is None or not written:
            return
        rows = [r for r, _ in written]
        cols = [c for _, c in written]
        try:
            min_col, min_row, max_col, max_row = range_boundaries(dimension.get("ref", "A1"))
        except (TypeError, ValueError):
            min_col, min_row, max_col, max_row = min(cols), min(rows), max(cols), max(rows)
        box = (
            min(min_col or 1, *cols),
            min(min_row or 1, *rows),
            max(max_col or 1, *cols),
            max(max_row or 1, *rows),
        )
        first = f"{get_column_letter(box[0])}{box[1]}"
        last = f"{get_column_letter(box[2])}{box[3]}"
        dimension.set("ref", first if first == last else f"{first}:{last}")


_COLUMNS: dict[str, int] = {}  # column letters -> number, filled as met (at most 16,384)
_DIGITS = "0123456789"


def _column_of(ref: str) -> int:
    """The column of a cell reference such as `AB12`."""
    letters = ref.rstrip(_DIGITS)
    column = _COLUMNS.get(letters)
    if column is None:
        column = _COLUMNS[letters] = column_index_from_string(letters.replace("$", "").upper())
    return column


_LETTERS: dict[int, str] = {}  # column number -> letters, filled as met


def _letter(column: int) -> str:
    letters = _LETTERS.get(column)
    if letters is None:
        letters = _LETTERS[column] = get_column_letter(column)
    return letters


def _widen_spans(row: etree._Element, columns: list[int]) -> None:
    """Keep a row's optional `spans` hint covering its cells."""
    spans = row.get("spans")
    if not spans or not columns or ":" not in spans or " " in spans:
        return
    try:
        low, high = (int(part) for part in spans.split(":"))
    except ValueError:
        row.attrib.pop("spans")
        return
    row.set("spans", f"{min(low, *columns)}:{max(high, *columns)}")


def _clean(value: CellValue) -> CellValue:
    """Text with line ends as reading gives them back and no characters XML cannot hold."""
    if isinstance(value, str):
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value or None
    if isinstance(value, float) and not math.isfinite(value):
        raise CellRefused(f"{value} is not a number a spreadsheet can hold")
    return value


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


def _same_number(found: str, expected: str) -> bool:
    try:
        return float(found) == float(expected)
    except ValueError:
        return False


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
