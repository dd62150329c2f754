"""Rolling a team workbook over inside its zip package: no library model, nothing dropped.

The live tab's sheet part is duplicated byte for byte as the archive tab (data validation,
conditional formats, protection, column widths live in the sheet XML, so they come along), with
its own copies of the parts it points to (comments, drawings, charts, tables); pictures and
printer settings are shared. The archive goes right after the live tab. Then the live tab's data
rows are rewritten: the carried rows move up in order, each keeping its cells' formats, the
check-in and output cells emptied, and rows left over emptied of values (their formats stay).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import to_excel

from ..rollover import TabRollover
from ..snapshot import CellValue
from .xlsx_package import (
    CONTENT_TYPES,
    REL_NS,
    PackageRefused,
    copy_package,
    find_sheet,
    parse_part,
    rels_part,
    resolve_target,
    serialize,
    sheet_parts,
    workbook_part,
)
from .xlsx_patch import drop_calc_chain, full_calc_on_load
from .xlsx_workbook_tabs import free_rel_id, insert_tab, workbook_sheets

__all__ = ["roll_workbook", "tab_names"]

_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_REL = f"{_OFFICE_REL}/worksheet"
# Parts two tabs may point to at once; every other part a tab points to gets its own copy.
_SHARED_PARTS = ("/image", "/printerSettings", "/pivotCacheDefinition", "/oleObject", "/package")
_TABLE_REL = f"{_OFFICE_REL}/table"
_CHART_REL = f"{_OFFICE_REL}/chart"
_VALUE_ATTRIBUTES = ("t", "cm", "vm", "ph")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NUMBERED = re.compile(r"^(.*?)(\d*)(\.[^.]+)$")


def tab_names(path: Path) -> list[str]:
    """The workbook's tab names, in order."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [s.name for s in sheet_parts(archive, workbook_part(archive))]
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise PackageRefused(f"it cannot be read as a workbook ({err})") from err


def roll_workbook(path: Path, roll: TabRollover, target: Path) -> None:
    """Write to `target` the workbook at `path` with `roll.tab` archived and rewritten."""
    try:
        with zipfile.ZipFile(path) as archive:
            _Roll(archive, roll).write(target)
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise PackageRefused(f"it cannot be read as a workbook ({err})") from err


class _Roll:
    def __init__(self, archive: zipfile.ZipFile, roll: TabRollover) -> None:
        self.archive = archive
        self.roll = roll
        self.workbook = workbook_part(archive)
        self.sheets = sheet_parts(archive, self.workbook)
        self.members = set(archive.namelist())
        self.replaced: dict[str, bytes] = {}
        self.types = parse_part(archive.read(CONTENT_TYPES), CONTENT_TYPES)
        self.overrides = {
            str(o.get("PartName", "")).lstrip("/"): o for o in self.types if o.get("PartName")
        }
        self.table_ids = self._table_ids()
        self.live_name = roll.tab

    def write(self, target: Path) -> None:
        live = find_sheet(self.sheets, self.roll.tab)
        if live is None:
            raise PackageRefused(f"it has no tab {self.roll.tab!r}")
        if any(s.name.casefold() == self.roll.archive_tab.casefold() for s in self.sheets):
            raise PackageRefused(f"it already has a tab {self.roll.archive_tab!r}")
        self.live_name = live.name
        archive_part = self._duplicate(live.part)
        root = parse_part(self.archive.read(live.part), live.part)
        dropped_formula = _rewrite_rows(root, self.roll)
        self.replaced[live.part] = serialize(root)
        index = [s.part for s in self.sheets].index(live.part)
        workbook = self._register(archive_part, index + 1, live.name)
        self.replaced[self.workbook] = full_calc_on_load(workbook) or workbook
        self.replaced[CONTENT_TYPES] = serialize(self.types)
        removed: frozenset[str] = frozenset()
        if dropped_formula:
            removed = drop_calc_chain(self.archive, self.workbook, self.replaced)
        copy_package(self.archive, target, self.replaced, removed)

    # -- copying parts ---------------------------------------------------------------------

    def _free_name(self, part: str) -> str:
        folder, name = posixpath.split(part)
        match = _NUMBERED.match(name)
        stem, suffix = (match[1], match[3]) if match else (name, "")
        number = 1
        while (candidate := posixpath.join(folder, f"{stem}{number}{suffix}")) in self.members:
            number += 1
        self.members.add(candidate)
        return candidate

    def _duplicate(self, part: str, kind: str = "") -> str:
        """Copy `part` (and, through its relationships, what only it uses) under a new name."""
        copy = self._free_name(part)
        data = self.archive.read(part)
        if kind == _TABLE_REL:
            data = self._renamed_table(data, part)
        elif kind == _CHART_REL:
            data = self._chart_on_archive(data, part)
        elif kind == "":  # the tab itself: the copy must not be selected with the live tab
            root = parse_part(data, part)
            for view in root.iter(f"{{{etree.QName(root).namespace}}}sheetView"):
                view.attrib.pop("tabSelected", None)
            data = serialize(root)
        self.replaced[copy] = data
        override = self.overrides.get(part)
        if override is not None:
            etree.SubElement(
                self.types,
                override.tag,
                PartName="/" + copy,
                ContentType=override.get("ContentType", ""),
            )
        rels_name = rels_part(part)
        if rels_name in self.members:
            rels = parse_part(self.archive.read(rels_name), rels_name)
            for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
                rel_type = rel.get("Type", "")
                if rel.get("TargetMode") == "External" or rel_type.endswith(_SHARED_PARTS):
                    if not rel.get("Target", "").startswith("/"):
                        rel.set("Target", "/" + resolve_target(part, rel.get("Target", "")))
                    continue
                inner = resolve_target(part, rel.get("Target", ""))
                if inner not in self.members:
                    continue
                rel.set("Target", "/" + self._duplicate(inner, rel_type))
            self.replaced[rels_part(copy)] = serialize(rels)
        return copy

    def _chart_on_archive(self, data: bytes, part: str) -> bytes:
        """A chart copied with the tab shows the archive's cells, not the new cycle's."""
        live = self.live_name
        quoted = "'" + self.roll.archive_tab.replace("'", "''") + "'!"
        plain = re.compile(rf"(?<![\w'.]){re.escape(live)}!")
        root = parse_part(data, part)
        for formula in root.iter():
            if etree.QName(formula).localname == "f" and formula.text:
                text = formula.text.replace("'" + live.replace("'", "''") + "'!", quoted)
                formula.text = plain.sub(quoted, text) if " " not in live else text
        return serialize(root)

    def _table_ids(self) -> list[int]:
        ids = []
        for name in self.members:
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                root = parse_part(self.archive.read(name), name)
                ids.append(int(root.get("id", "0")))
        return ids

    def _renamed_table(self, data: bytes, part: str) -> bytes:
        """A table copy needs its own id and name: both are unique in a workbook."""
        root = parse_part(data, part)
        new_id = max(self.table_ids, default=0) + 1
        self.table_ids.append(new_id)
        root.set("id", str(new_id))
        for attribute in ("name", "displayName"):
            if root.get(attribute):
                root.set(attribute, f"{root.get(attribute)}_{new_id}")
        return serialize(root)

    def _register(self, part: str, index: int, live_name: str) -> bytes:
        """Add the archive tab to workbook.xml at `index`, with the live tab's print settings."""
        root, ns, sheets = workbook_sheets(self.archive.read(self.workbook), self.workbook)
        rels_name = rels_part(self.workbook)
        rels = parse_part(self.archive.read(rels_name), rels_name)
        taken = {rel.get("Id") for rel in rels}
        rel_id = free_rel_id(taken)
        etree.SubElement(
            rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=_WORKSHEET_REL, Target="/" + part
        )
        self.replaced[rels_name] = serialize(rels)
        element = etree.Element(f"{{{ns}}}sheet", nsmap={"r": _OFFICE_REL})
        element.set("name", self.roll.archive_tab)
        element.set("sheetId", str(max(int(s.get("sheetId", "0")) for s in sheets) + 1))
        element.set(f"{{{_OFFICE_REL}}}id", rel_id)
        insert_tab(root, ns, sheets, element, index)
        live_index = str(index - 1)
        quoted_live = "'" + live_name.replace("'", "''") + "'!"
        quoted_archive = "'" + self.roll.archive_tab.replace("'", "''") + "'!"
        for name in list(root.iter(f"{{{ns}}}definedName")):
            if name.get("localSheetId") == live_index:  # print titles and areas
                copy = etree.fromstring(etree.tostring(name))
                copy.set("localSheetId", str(index))
                text = (copy.text or "").replace(quoted_live, quoted_archive)
                copy.text = text.replace(f"{live_name}!", quoted_archive)
                name.addnext(copy)
        return serialize(root)


# -- rewriting the live tab --------------------------------------------------------------------


def _rewrite_rows(root: etree._Element, roll: TabRollover) -> bool:
    """Move the carried rows up, empty what the new cycle starts without; True when a formula
    cell was emptied (the calculation chain must go)."""
    ns = etree.QName(root).namespace or ""
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    data = root.find(q("sheetData"))
    if data is None:
        raise PackageRefused(f"tab {roll.tab!r} is not a worksheet")
    plan = roll.plan
    first, last = plan.header_row + 1, plan.last_row
    for merge in root.iterfind(f"{q('mergeCells')}/{q('mergeCell')}"):
        rows = [int(n) for n in re.findall(r"\d+", merge.get("ref", ""))]
        if rows and max(rows) >= first and min(rows) <= last:
            raise PackageRefused(
                f"tab {roll.tab!r} has merged cells ({merge.get('ref')}) among its OKR rows; "
                "unmerge them and run again"
            )
    old: dict[int, etree._Element] = {}
    previous = 0
    for row in data.iterchildren(q("row")):
        previous = int(row.get("r") or previous + 1)
        row.set("r", str(previous))
        if first <= previous <= last:
            old[previous] = row
    start_column = plan.start_column
    dropped = False
    new_rows: list[etree._Element] = []
    for offset, source_row in enumerate(plan.rows):
        number = first + offset
        element = old.get(source_row)
        if element is None:
            continue
        moved = etree.fromstring(etree.tostring(element))
        moved.set("r", str(number))
        by_column: dict[int, etree._Element] = {}
        for cell in list(moved.iterchildren(q("c"))):
            column = _column(cell.get("r", ""))
            by_column[column] = cell
            cell.set("r", f"{get_column_letter(column)}{number}")
            formula = cell.find(q("f"))
            if column in plan.cleared:
                dropped |= _empty(cell, q)
            elif formula is not None and number != source_row:
                _move_formula(cell, formula, source_row, number, roll.tab)
        if source_row in plan.starts and start_column is not None:
            cell = by_column.get(start_column)
            if cell is None:
                cell = etree.Element(q("c"), r=f"{get_column_letter(start_column)}{number}")
                later = [c for k, c in by_column.items() if k > start_column]
                if later:
                    min(later, key=lambda c: _column(c.get("r", ""))).addprevious(cell)
                else:
                    moved.append(cell)
            else:
                dropped |= _empty(cell, q)
            _set(cell, plan.starts[source_row], q)
        new_rows.append(moved)
    for number in range(first + len(plan.rows), last + 1):
        element = old.get(number)
        if element is None:
            continue
        emptied = etree.fromstring(etree.tostring(element))
        for cell in emptied.iterchildren(q("c")):
            dropped |= _empty(cell, q)
        new_rows.append(emptied)
    for element in old.values():
        data.remove(element)
    anchor = next(
        (row for row in data.iterchildren(q("row")) if int(row.get("r", "0")) > last), None
    )
    for element in new_rows:
        if anchor is not None:
            anchor.addprevious(element)
        else:
            data.append(element)
    _move_hyperlinks(root, q, plan.rows, first, last)
    return dropped


def _column(ref: str) -> int:
    letters = ref.rstrip("0123456789").replace("$", "").upper()
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _empty(cell: etree._Element, q: Callable[[str], str]) -> bool:
    """Drop a cell's value, keep its format; True when it held a formula."""
    had_formula = any(etree.QName(child).localname == "f" for child in cell)
    for child in list(cell):
        cell.remove(child)
    for name in _VALUE_ATTRIBUTES:
        cell.attrib.pop(name, None)
    return had_formula


def _set(cell: etree._Element, value: CellValue, q: Callable[[str], str]) -> None:
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, q("v")).text = "1" if value else "0"
    elif isinstance(value, int | float):
        etree.SubElement(cell, q("v")).text = repr(value)
    elif isinstance(value, dt.date):
        etree.SubElement(cell, q("v")).text = repr(to_excel(value))
    elif value is not None:
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, q("is")), q("t"))
        text.text = str(value)
        if str(value) != str(value).strip():
            text.set(_XML_SPACE, "preserve")


def _move_formula(
    cell: etree._Element, formula: etree._Element, old_row: int, new_row: int, tab: str
) -> None:
    """A formula moved to another row refers to its new row, as a cut and paste would do."""
    if formula.get("t") == "shared" or formula.get("t") == "array":
        raise PackageRefused(
            f"cell {cell.get('r')} of tab {tab!r} holds a formula shared with other cells; "
            "retype it as a plain formula and run again"
        )
    if not formula.text:
        return
    column = get_column_letter(_column(cell.get("r", "")))
    try:
        formula.text = Translator("=" + formula.text, f"{column}{old_row}").translate_formula(
            f"{column}{new_row}"
        )[1:]
    except TranslatorError as err:
        raise PackageRefused(f"cell {cell.get('r')} of tab {tab!r}: {err}") from err
    for child in list(cell):
        if etree.QName(child).localname == "v":
            cell.remove(child)  # a stale cached result; the program recalculates on load


def _move_hyperlinks(
    root: etree._Element, q: Callable[[str], str], rows: list[int], first: int, last: int
) -> None:
    """Links on OKR rows follow their row; links on rows left behind stay in the archive."""
    links = root.find(q("hyperlinks"))
    if links is None:
        return
    new_number = {old: first + i for i, old in enumerate(rows)}
    for link in list(links):
        ref = link.get("ref", "")
        if ":" in ref:
            continue
        number = int(ref.lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") or 0)
        if not first <= number <= last:
            continue
        if number in new_number:
            link.set("ref", f"{ref.rstrip('0123456789')}{new_number[number]}")
        else:
            links.remove(link)
    if len(links) == 0:
        root.remove(links)
