"""Writing the hub's output tabs (`Alignment Tree`, `Findings`, `History`) into hub.xlsx.

The output tabs can hold a hundred thousand rows, each with a hyperlink. openpyxl binds
hyperlinks on load with a linear search per link (quadratic: minutes for such a tab), so
before loading, the output tabs' hyperlinks are lifted out of the file's XML here and either
compared (tabs being replaced, whose cells are dropped before loading too) or put back (tabs
kept). Old values are compared from a fast read-only pass; with no change nothing is loaded.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from copy import copy
from functools import partial
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import HUB_FILE, SETTINGS_TAB, TEAMS_TAB
from sheets_templates.styles import hub_columns, status_fill, style_header

from ..snapshot import Grid, Link, OutputTable
from .xlsx_cells import load_for_write, read_sheet, save_keeping_results, set_value

__all__ = ["INPUT_TABS", "OUTPUT_TABS", "write_tables"]

INPUT_TABS = (TEAMS_TAB, SETTINGS_TAB)
OUTPUT_TABS = ("Alignment Tree", "Findings", "History")

Links = dict[tuple[int, int], str]  # (row, column) -> "target", "target#location" or "#location"

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINKS = re.compile(r"<(\w+:)?hyperlinks\b.*?</(\w+:)?hyperlinks>", re.DOTALL)
_HYPERLINK = re.compile(r"<(?:\w+:)?hyperlink\b([^>]*?)/?>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_HYPERLINK_REL = re.compile(r"<Relationship\b[^>]*Type=\"[^\"]*/hyperlink\"[^>]*/>")
_SHEET_DATA = re.compile(r"<(\w+:)?sheetData\b(?:[^>]*/>|.*?</(\w+:)?sheetData>)", re.DOTALL)
_ENTITIES = {"&quot;": '"', "&apos;": "'"}


def write_tables(
    path: Path, tables: list[OutputTable], known: dict[str, Grid] | None = None
) -> int:
    """Replace the output tabs named by `tables` in the hub at `path`; return cells changed.

    `known` holds the tabs' values as last read, when the file is known not to have changed
    since: they are then not read again.
    """
    for table in tables:
        if table.name in INPUT_TABS:
            raise ValueError(f"refusing to overwrite the hub's input tab {table.name!r}")
    if not tables:
        return 0
    archive = _Archive(path)
    links = {name: archive.lift_links(name) for name in OUTPUT_TABS if name in archive.parts}
    present = [t.name for t in tables if t.name in archive.parts]
    if known is not None and all(name in known for name in present):
        old = {name: known[name] for name in present}
    else:
        old = _old_values(path, present)
    counts = {
        t.name: _count_changes(old.get(t.name), links.get(t.name, {}), t, t.name in old)
        for t in tables
    }
    replacing = {name for name, count in counts.items() if count}
    if not replacing:
        return 0
    for name in replacing & set(archive.parts):
        archive.empty(name)
    wb = load_for_write(archive.to_bytes(), HUB_FILE)
    for name, cell_links in links.items():
        if name not in replacing:
            _put_back(wb[name], cell_links)
    for table in tables:
        if table.name in replacing:
            exists = table.name in wb.sheetnames
            index = (
                wb.sheetnames.index(table.name)
                if exists
                else _new_tab_index(wb.sheetnames, table.name)
            )
            if exists:
                wb.remove(wb[table.name])
            _fill_table(wb.create_sheet(table.name, index), table)
    save_keeping_results(wb, path)
    return sum(counts.values())


class _Archive:
    """hub.xlsx's zip members in memory, with the part each tab lives in."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.members = {info.filename: archive.read(info) for info in self.infos}
        self.parts = self._sheet_parts()

    def _sheet_parts(self) -> dict[str, str]:
        rels = ElementTree.fromstring(self.members["xl/_rels/workbook.xml.rels"])
        targets = {
            rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_REL_NS}Relationship")
        }
        parts: dict[str, str] = {}
        for sheet in ElementTree.fromstring(self.members["xl/workbook.xml"]).iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rel_id, "")
            part = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            )
            if part in self.members:
                parts[sheet.get("name", "")] = part
        return parts

    def _rels_part(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return f"{folder}/_rels/{name}.rels"

    def lift_links(self, tab: str) -> Links:
        """Remove a tab's hyperlinks from the XML and return them by cell."""
        part = self.parts[tab]
        xml = self.members[part].decode("utf-8")
        found = _HYPERLINKS.search(xml)
        if not found:
            return {}
        rels_part = self._rels_part(part)
        rels = self.members.get(rels_part, b"").decode("utf-8")
        targets = {
            attrs.get("Id"): _unescape(attrs.get("Target", ""))
            for attrs in (dict(_ATTR.findall(m[0])) for m in _HYPERLINK_REL.finditer(rels))
        }
        links: Links = {}
        for match in _HYPERLINK.finditer(found[0]):
            attrs = dict(_ATTR.findall(match[1]))
            rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
            target = targets.get(rel_id, "") if rel_id else ""
            location = _unescape(attrs.get("location", ""))
            text = f"{target}#{location}" if location else target
            for cell in _cells(attrs.get("ref", "")):
                links[cell] = text
        self.members[part] = (xml[: found.start()] + xml[found.end() :]).encode("utf-8")
        if rels:
            self.members[rels_part] = _HYPERLINK_REL.sub("", rels).encode("utf-8")
        return links

    def empty(self, tab: str) -> None:
        """Drop a tab's cells before loading: it is about to be replaced."""
        part = self.parts[tab]
        xml = self.members[part].decode("utf-8")
        self.members[part] = _SHEET_DATA.sub("<sheetData/>", xml, count=1).encode("utf-8")

    def to_bytes(self) -> io.BytesIO:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in self.infos:
                archive.writestr(info, self.members[info.filename])
        buffer.seek(0)
        return buffer


def _unescape(text: str) -> str:
    return unescape(text, _ENTITIES)


def _cells(ref: str) -> list[tuple[int, int]]:
    if not ref:
        return []
    if ":" not in ref:
        return [coordinate_to_tuple(ref)]
    return list(CellRange(ref).cells)


def _old_values(path: Path, tabs: list[str]) -> dict[str, Grid]:
    if not tabs:
        return {}
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {tab: read_sheet(wb, wb[tab]) for tab in tabs}
    finally:
        wb.close()


def _put_back(ws: Worksheet, links: Links) -> None:
    for (row, column), text in links.items():
        ws.cell(row=row, column=column).hyperlink = _as_hyperlink(text)


def _plain(value: object) -> object:
    """A cell value in the form openpyxl gives it back, for comparing old and new."""
    if isinstance(value, Link):
        value = value.text
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _count_changes(old: Grid | None, links: Links, table: OutputTable, exists: bool) -> int:
    """Cells whose value (or link target) differs between the tab and the table."""
    before: dict[tuple[int, int], tuple[object, str | None]] = {}
    for r, row in enumerate(old or [], start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                before[(r, c)] = (_plain(value), links.get((r, c)))
    for key, target in links.items():
        before.setdefault(key, (None, target))
    after: dict[tuple[int, int], tuple[object, str | None]] = {}
    grid: list[list[Any]] = [list(table.header), *table.rows]
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            plain, link = _plain(value), value.target if isinstance(value, Link) else None
            if plain is not None or link is not None:
                after[(r, c)] = (plain, link)
    changed = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    return changed if exists else max(changed, 1)  # a new tab, even an empty one, is a change


def _new_tab_index(names: list[str], name: str) -> int:
    """Just after the input tabs and the output tabs that come before `name`."""
    before = list(INPUT_TABS) + list(OUTPUT_TABS[: OUTPUT_TABS.index(name)])
    present = [names.index(tab) for tab in before if tab in names]
    return max(present) + 1 if present else len(names)


def _fill_table(ws: Worksheet, table: OutputTable) -> None:
    """Write a table with a styled frozen header, filters, widths, colours and links.

    The Tree column carries its own indentation as leading spaces, the same in every backend.

    Each distinct style is built once through openpyxl's setters and then copied to the other
    cells that share it: setting styles cell by cell costs seconds on a large tree.
    """
    columns = hub_columns(table.name)
    widths = {name: col.get("width") for name, col in columns.items() if col.get("width")}
    style_header(ws, list(table.header), widths)
    position = {name: i for i, name in enumerate(table.header)}
    formats = {
        position[name]: col["number_format"]
        for name, col in columns.items()
        if name in position and col.get("number_format")
    }
    if "Score" in position:
        formats.setdefault(position["Score"], "0.00")
    status_at = position.get("Status")
    styles: dict[tuple[object, ...], StyleArray] = {}

    def style(cell: Any, key: tuple[object, ...], apply: Callable[[Any], None]) -> None:
        if key in styles:
            cell._style = copy(styles[key])
        else:
            apply(cell)
            styles[key] = copy(cell._style)

    for r, values in enumerate(table.rows, start=2):
        for c, value in enumerate(values):
            cell = ws.cell(row=r, column=c + 1)
            if isinstance(value, Link):
                set_value(cell, value.text)
                cell.hyperlink = _as_hyperlink(value.target)
                style(cell, ("link",), _link_style)
                continue
            set_value(cell, value)
            if value is None:
                continue
            fill = status_fill(value) if c == status_at and isinstance(value, str) else None
            if c in formats or fill is not None:
                style(cell, (c, value if fill else None), partial(_format, formats.get(c), fill))
    if table.header:
        ws.auto_filter.ref = ws.dimensions


def _link_style(cell: Any) -> None:
    cell.style = "Hyperlink"


def _format(number_format: str | None, fill: PatternFill | None, cell: Any) -> None:
    if number_format:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill


def _as_hyperlink(target: str) -> Hyperlink:
    """A web address as is; a local `file.xlsx#'Tab'!A5` split into file and location for Excel."""
    if "://" in target or target.startswith("mailto:") or "#" not in target:
        return Hyperlink(ref="", target=target)
    file, location = target.split("#", 1)
    return Hyperlink(ref="", target=file or None, location=location)
