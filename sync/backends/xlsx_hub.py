"""Replacing the hub's output tabs (`Alignment Tree`, `Findings`, `History`, `Check-ins`).

Each output tab is written as a whole new sheet part (see `xlsx_hub_sheet`), compressed in
chunks (`xlsx_hub_parts`); rows that replace some of the tab's own, or follow a log's, are
written into its part a chunk at a time instead, or spliced into a log's part okrtree wrote in
one piece (`xlsx_hub_append`). A tab that is not there yet is added after the input tabs, in
the order above. `Teams`, `Settings`, every other tab and every other part of hub.xlsx (charts,
pictures, a person's own tabs) keep their bytes. What else changes: `xl/styles.xml` (the
formats the tabs use, added once), `xl/workbook.xml` (a new tab's entry, each output tab's
print titles so its header row repeats on every printed page, and full calculation on load),
its relationships and `[Content_Types].xml` for a new tab, and the calculation chain is
dropped when a replaced tab held formulas.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Collection, Mapping
from pathlib import Path

from lxml import etree

from sheets_templates.definition import INPUT_TABS, OUTPUT_TABS

from ..snapshot import OutputTable, whole_table
from .xlsx_chunks import PartIndex
from .xlsx_dates import date_epoch
from .xlsx_hub_append import appended_sheet
from .xlsx_hub_fork import sheets_xml
from .xlsx_hub_parts import (
    StoredPart,
    appended_part,
    chunked_sheet,
    patched_part,
    stored_index,
    whole_part,
)
from .xlsx_package import (
    CONTENT_TYPES,
    REL_NS,
    Deflated,
    PackageRefused,
    copy_package,
    parse_part,
    raw_member,
    relationships,
    rels_part,
    serialize,
    sheet_parts,
    workbook_part,
)
from .xlsx_patch import drop_calc_chain, full_calc_on_load
from .xlsx_styles import STYLES_PART, StyleSheet
from .xlsx_workbook_tabs import free_rel_id, insert_tab, workbook_sheets

__all__ = ["write_tables"]

_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_REL = f"{_OFFICE_REL}/worksheet"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def write_tables(
    path: Path,
    tables: list[OutputTable],
    target: Path,
    digested: Collection[str] = (),
    parts: Mapping[str, PartIndex] | None = None,
) -> dict[str, PartIndex]:
    """Write to `target` the hub at `path` with the tabs named by `tables` replaced or added;
    the tables named in `digested` get their digest computed on the way (see `sheets_xml`).
    `parts` is the index of each part okrtree wrote in chunks, while `path` is the file it
    saved then (`xlsx_state`); the return value is the index of each such part in `target`."""
    for table in tables:
        if table.name in INPUT_TABS:
            raise ValueError(f"refusing to overwrite the hub's input tab {table.name!r}")
    try:
        with zipfile.ZipFile(path) as archive:
            return _HubPackage(archive, parts or {}).write(tables, target, digested)
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise PackageRefused(f"it cannot be read as a workbook ({err})") from err


class _HubPackage:
    def __init__(self, archive: zipfile.ZipFile, parts: Mapping[str, PartIndex]) -> None:
        self.archive = archive
        self.workbook = workbook_part(archive)
        self.sheets = sheet_parts(archive, self.workbook)
        self.members = set(archive.namelist())
        self.replaced: dict[str, bytes] = {}
        self.deflated: dict[str, Deflated] = {}  # the sheet parts written in chunks
        self.removed: set[str] = set()
        self.parts = {
            part: index
            for part, index in parts.items()
            if part in self.members and stored_index(archive.getinfo(part), index)
        }

    def write(
        self, tables: list[OutputTable], target: Path, digested: Collection[str]
    ) -> dict[str, PartIndex]:
        styles = StyleSheet(self.archive.read(STYLES_PART))
        epoch = date_epoch(self.archive.read(self.workbook))
        by_name = {sheet.name: sheet for sheet in self.sheets}
        whole: list[OutputTable] = []
        for table in tables:
            existing = by_name.get(table.name)
            if table.earlier is not None:  # rows to append or to replace, in place
                if existing is not None and self._in_place(existing.part, table, styles, epoch):
                    continue
                digest = table.digest if table.replaces is not None else None
                table = whole_table(table)
                table.digest = digest  # of the whole tab, when the rows replace some
            whole.append(table)
        formulas_dropped = False
        new: list[tuple[OutputTable, str]] = []
        for table, generated in zip(whole, sheets_xml(whole, styles, digested, epoch), strict=True):
            existing = by_name.get(table.name)
            if existing is None:
                part = self._free_part_name()
                new.append((table, part))
                self.members.add(part)
            else:
                part = existing.part
                if part not in self.parts:  # okrtree's own part holds no formula
                    formulas_dropped |= bool(_FORMULA.search(self.archive.read(part)))
            self.deflated[part], self.parts[part] = whole_part(generated, table.header)
            rels = rels_part(part)
            if generated.rels is not None:
                self.replaced[rels] = generated.rels
            elif rels in self.members:
                self.removed.add(rels)
        if styles.changed:
            self.replaced[STYLES_PART] = styles.to_bytes()
        workbook = self.archive.read(self.workbook)
        if new:
            workbook = self._add_tabs(workbook, new)
        workbook = _print_titles(workbook, self.workbook, [t.name for t in tables if t.header])
        self.replaced[self.workbook] = full_calc_on_load(workbook) or workbook
        if formulas_dropped:
            self.removed |= drop_calc_chain(self.archive, self.workbook, self.replaced)
        copy_package(
            self.archive, target, {**self.replaced, **self.deflated}, frozenset(self.removed)
        )
        return self.parts  # the chunked parts left as they were, and those written now

    def _in_place(
        self, part: str, table: OutputTable, styles: StyleSheet, epoch: dt.datetime
    ) -> bool:
        """Write the rows of `table` that replace or follow the tab's own into its part, a
        chunk at a time when okrtree wrote it so (`xlsx_hub_parts`); False when they cannot
        be."""
        index = self.parts.pop(part, None)
        if index is not None:
            rels = rels_part(part)
            stored = StoredPart(
                raw_member(self.archive, self.archive.getinfo(part)),
                index,
                self.archive.read(rels) if rels in self.members else None,
            )
            changed = (patched_part if table.replaces is not None else appended_part)(
                stored, table, styles, epoch
            )
            if changed is not None:
                self.deflated[part], self.parts[part] = changed
                return True
        if table.replaces is None:
            grown = appended_sheet(self.archive.read(part), table, styles, epoch)
            if grown is not None:
                chunked = chunked_sheet(grown, table, styles)
                if chunked is not None:  # rows are appended in place from now on
                    self.deflated[part], self.parts[part] = chunked
                else:
                    self.replaced[part] = grown
                return True
        return False

    def _free_part_name(self) -> str:
        number = 1
        while f"xl/worksheets/sheet{number}.xml" in self.members:
            number += 1
        return f"xl/worksheets/sheet{number}.xml"

    def _add_tabs(self, workbook: bytes, new: list[tuple[OutputTable, str]]) -> bytes:
        """Register new tabs in workbook.xml, its relationships and the content types."""
        root, ns, sheets = workbook_sheets(workbook, self.workbook)
        rels_name = rels_part(self.workbook)
        rels = parse_part(self.archive.read(rels_name), rels_name)
        rel_ids = {rel.get("Id") for rel in relationships(self.archive, self.workbook)}
        types = parse_part(
            self.replaced.get(CONTENT_TYPES) or self.archive.read(CONTENT_TYPES), CONTENT_TYPES
        )
        types_ns = etree.QName(types).namespace or ""
        sheet_ids = [int(s.get("sheetId", "0")) for s in sheets]
        names = [sheet.name for sheet in self.sheets]
        for table, part in new:
            rel_id = free_rel_id(rel_ids)
            rel_ids.add(rel_id)
            etree.SubElement(
                rels,
                f"{{{REL_NS}}}Relationship",
                Id=rel_id,
                Type=_WORKSHEET_REL,
                Target="/" + part,
            )
            etree.SubElement(
                types,
                f"{{{types_ns}}}Override",
                PartName="/" + part,
                ContentType=_WORKSHEET_TYPE,
            )
            sheet_ids.append(max(sheet_ids, default=0) + 1)
            element = etree.Element(f"{{{ns}}}sheet", nsmap={"r": _OFFICE_REL})
            element.set("name", table.name)
            element.set("sheetId", str(sheet_ids[-1]))
            element.set(f"{{{_OFFICE_REL}}}id", rel_id)
            index = _new_tab_index(names, table.name)
            names.insert(index, table.name)
            insert_tab(root, ns, sheets, element, index)
        self.replaced[rels_name] = serialize(rels)
        self.replaced[CONTENT_TYPES] = serialize(types)
        return serialize(root)


_PRINT_TITLES = "_xlnm.Print_Titles"
_BEFORE_DEFINED_NAMES = ("sheets", "functionGroups", "externalReferences")


def _print_titles(workbook: bytes, part: str, tabs: list[str]) -> bytes:
    """Workbook XML in which each of `tabs` repeats its header row on every printed page (a
    tab's `_xlnm.Print_Titles` name); the bytes unchanged when every tab has it already."""
    root = parse_part(workbook, part)
    ns = etree.QName(root).namespace or ""
    sheets = root.find(f"{{{ns}}}sheets")
    if sheets is None:
        return workbook
    index = {sheet.get("name"): i for i, sheet in enumerate(sheets)}
    names = root.find(f"{{{ns}}}definedNames")
    changed = False
    for tab in tabs:
        if tab not in index:
            continue
        wanted = "'" + tab.replace("'", "''") + "'!$1:$1"
        if names is None:
            names = etree.Element(f"{{{ns}}}definedNames")
            last = [c for c in root if etree.QName(c).localname in _BEFORE_DEFINED_NAMES][-1]
            last.addnext(names)
        found = next(
            (
                n
                for n in names
                if n.get("name") == _PRINT_TITLES and n.get("localSheetId") == str(index[tab])
            ),
            None,
        )
        if found is None:
            found = etree.SubElement(
                names, f"{{{ns}}}definedName", name=_PRINT_TITLES, localSheetId=str(index[tab])
            )
        if found.text != wanted:
            found.text = wanted
            changed = True
    return serialize(root) if changed else workbook


def _new_tab_index(names: list[str], name: str) -> int:
    """Just after the input tabs and the output tabs that come before `name`."""
    if name not in OUTPUT_TABS:
        return len(names)
    before = list(INPUT_TABS) + list(OUTPUT_TABS[: OUTPUT_TABS.index(name)])
    present = [names.index(tab) for tab in before if tab in names]
    return max(present) + 1 if present else len(names)
