"""Checking a workbook package before anything parses it: what it is, how big it unpacks, how far
its cells reach.

A workbook is untrusted input. python-calamine builds a dense range from the furthest cell, so
one cell in column XFD on 60,000 rows would be a billion cells; a zip part can unpack to a
thousand times its size. Every part the reader will parse is therefore unpacked here first,
under a running cap, refused if it declares a DTD (entities are how XXE and "billion laughs"
attacks work; Excel never writes one), and a sheet's cell references are scanned for the
furthest row and column, since its `<dimension>` may lie or be missing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..values import column_letters

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_HUB_ROWS",
    "MAX_ROWS",
    "RATIO_FLOOR",
    "Package",
    "Unreadable",
    "column_letters",
    "scan_sheet",
]

MAX_ROWS = 100_000
# okrtree's own log tabs in the hub (History, Check-ins) grow past a team sheet's limit.
MAX_HUB_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_PART_BYTES = 256 * 2**20  # no part okrtree parses may unpack to more than this...
MAX_RATIO = 100  # ...nor may the parts it parses, together, unpack to more than 100x the file,
RATIO_FLOOR = 16 * 2**20  # though a small file may always unpack to 16 MiB
_CHUNK = 2**20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx"
# python-calamine allocates the whole rectangle from A1 to the furthest cell (about 32 bytes a
# cell), so that rectangle is bounded too, whatever the count of columns in use.
MAX_CELLS = 10_000_000
# References past column CV (100) or row 99,999 send a sheet to the exact scan; nearer ones keep
# the rectangle within MAX_CELLS.
_FAR_REFERENCE = re.compile(rb'r="(?:[A-Z]{3}|[D-Z][A-Z]|C[W-Z]|[A-Z]{1,2}\d{6})')
_PREFIXED_CELL = re.compile(rb":(?:c|row)[\s/>]")
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]([^>]*)")
_R_ATTRIBUTE = re.compile(rb'(?:^|\s)r="([A-Z]*)(\d*)"')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\st="e"[^>]*>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v>([^<]*)</v>")


class Unreadable(Exception):  # noqa: N818 - reads as "the workbook is unreadable"
    """A workbook okrtree will not parse; the message names the file, the reason and the fix."""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass(slots=True)
class Package:
    """An opened workbook package: its sheets by title, and the unpacking budget left."""

    path: Path
    source: str  # as typed in the hub, for messages
    archive: zipfile.ZipFile
    sheets: dict[str, str] = field(default_factory=dict)  # tab title -> part name
    common: list[str] = field(default_factory=list)  # parts parsed whatever tab is read
    budget: int = 0

    @classmethod
    def open(cls, path: Path, source: str) -> Package:
        """Open `path` and list its sheets; `Unreadable` when it is no workbook."""
        with path.open("rb") as file:
            head = file.read(len(_OLE_MAGIC))
        if head == _OLE_MAGIC:
            raise Unreadable(
                f"{source} is password-protected (or an old .xls file): okrtree cannot read it; "
                "in Excel remove the password (File > Info > Protect Workbook) and save it as "
                ".xlsx"
            )
        if not zipfile.is_zipfile(path):
            raise Unreadable(f"{source} {_not_a_package(path, head)}; {_SAVE_AS}")
        size = path.stat().st_size
        package = cls(path, source, zipfile.ZipFile(path))
        package.budget = max(MAX_RATIO * size, RATIO_FLOOR)
        try:
            package._check_declared_sizes()
            package._find_parts()
        except BaseException:
            package.archive.close()
            raise
        return package

    def close(self) -> None:
        self.archive.close()

    def part(self, name: str) -> bytes:
        """One part, unpacked under the caps; `Unreadable` past them or with a DTD."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise Unreadable(f"{self.source} has no part {name}; {_SAVE_AS}") from None
        limit = min(MAX_PART_BYTES, self.budget)
        if info.file_size > limit:
            raise self._too_big(name, info.file_size)
        data = bytearray()
        with self.archive.open(info) as stream:  # zipfile stops at the declared size
            while chunk := stream.read(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise self._too_big(name, len(data))
        self.budget -= len(data)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise Unreadable(
                f"{self.source}: part {name} declares a DTD or entities, which Excel never "
                f"writes and which can hide an attack, so okrtree does not read it; {_SAVE_AS}"
            )
        return bytes(data)

    def check(self, name: str) -> None:
        """Unpack a part the reader will parse only to hold it to the caps."""
        if name in self.archive.NameToInfo:
            self.part(name)

    def _too_big(self, name: str, size: int) -> Unreadable:
        """`name` is the part, or blank for all XML parts together."""
        file_size = self.path.stat().st_size
        what = f"part {name}" if name else "its XML parts together"
        return Unreadable(
            f"{self.source}: {what} unpacks to {size / 2**20:,.1f} MiB from a "
            f"{file_size / 2**20:,.1f} MiB file, beyond okrtree's reading limit "
            f"({MAX_RATIO}x the file size, at least {RATIO_FLOOR // 2**20} MiB, at most "
            f"{MAX_PART_BYTES // 2**20} MiB; it may be a zip bomb); {_SAVE_AS} without the "
            f"unused rows and columns"
        )

    def _check_declared_sizes(self) -> None:
        """Refuse before unpacking anything when the XML parts say they unpack past the caps
        (their real sizes are held to the caps again as they are unpacked)."""
        xml = [i for i in self.archive.infolist() if i.filename.endswith((".xml", ".rels"))]
        for info in xml:
            if info.file_size > MAX_PART_BYTES:
                raise self._too_big(info.filename, info.file_size)
        total = sum(info.file_size for info in xml)
        if total > self.budget:
            raise self._too_big("", total)

    def _find_parts(self) -> None:
        workbook = self._office_document()
        relationships = _relationships(self.part(_rels_name(workbook)), workbook)
        by_id = {rel_id: target for rel_id, _, target in relationships}
        root = ET.fromstring(self.part(workbook))  # safe: no DTD got past `part`
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                target = by_id.get(_relationship_id(element))
                if target is not None:
                    self.sheets[element.get("name", "")] = target
        # calamine reads these by their usual names, whatever the relationships say.
        common = ["[Content_Types].xml", "xl/sharedStrings.xml", "xl/styles.xml"]
        wanted = ("/sharedStrings", "/styles")
        common += [target for _, kind, target in relationships if kind.endswith(wanted)]
        self.common = list(dict.fromkeys(common))

    def _office_document(self) -> str:
        if "_rels/.rels" not in self.archive.NameToInfo:
            raise Unreadable(f"{self.source} is not an Excel workbook (no _rels/.rels); {_SAVE_AS}")
        for _, rel_type, target in _relationships(self.part("_rels/.rels"), ""):
            if rel_type.endswith("/officeDocument"):
                return target
        raise Unreadable(f"{self.source} is not an Excel workbook (no workbook part); {_SAVE_AS}")


def scan_sheet(
    source: str, title: str, data: bytes, max_rows: int = MAX_ROWS
) -> list[tuple[int, int, str]]:
    """Refuse a sheet whose cells reach past the limits; return its error cells
    (`#DIV/0!` and the like, which calamine reads as blank) as (row, column, text)."""
    if not _plainly_within_limits(data):
        rows, columns, in_use = _extent(data, max_rows)
        where = f"{source}, tab '{title}'"
        if rows > max_rows:
            raise Unreadable(
                f"{where}: cells reach row {rows:,}, beyond the {max_rows:,} rows okrtree "
                "reads; delete the unused rows below the OKRs (select them, Delete) and save"
            )
        if in_use > MAX_COLUMNS:
            raise Unreadable(
                f"{where}: cells fill {in_use:,} columns, beyond the {MAX_COLUMNS:,} columns "
                "okrtree reads; delete the unused columns right of the OKRs (select them, "
                "Delete) and save"
            )
        if rows * columns > MAX_CELLS:
            raise Unreadable(
                f"{where}: cells reach {column_letters(columns)}{rows} or further, a "
                f"rectangle from A1 of more than the {MAX_CELLS:,} cells okrtree reads; "
                "delete the unused rows and columns around the OKRs (select them, Delete) "
                "and save"
            )
    if b't="e"' not in data:
        return []
    errors = []
    for match in _ERROR_CELL.finditer(data):
        value = _VALUE.search(match.group(3))
        if value is not None:
            text = value.group(1).decode("utf-8", "replace")
            errors.append((int(match.group(2)), _column_number(match.group(1)), text))
    return errors


def _not_a_package(path: Path, head: bytes) -> str:
    if head.startswith(b"PK"):
        return "is not an Excel workbook or is damaged (its zip package is cut short or broken)"
    with path.open("rb") as file:
        start = file.read(512)
    if start.strip() and all(b >= 32 or b in b"\t\r\n" for b in start):
        return "is not an Excel workbook but a text file (perhaps a CSV renamed to .xlsx)"
    return "is not an Excel workbook (not a zip package)"


def _plainly_within_limits(data: bytes) -> bool:
    """True when every row and cell names its reference and none reaches past column CV or
    row 99,999: the common case, decided in a few passes at C speed. `<` cannot occur in XML
    text, so every `<c` is a tag; counting `<cols>` and the like too only makes the test
    stricter. Elements with a prefix (`<x:c>`) are scanned exactly."""
    if _FAR_REFERENCE.search(data) or _PREFIXED_CELL.search(data):
        return False
    return data.count(b"<c") == data.count(b'<c r="') and data.count(b"<row") == data.count(
        b'<row r="'
    )


def _extent(data: bytes, max_rows: int) -> tuple[int, int, int]:
    """The furthest row and column any row or cell element reaches, counting those without a
    reference as following the one before (as the file format says), and how many columns
    hold a cell. Stops as soon as a limit is passed."""
    row = column = max_row = max_column = 0
    in_use: set[int] = set()
    for match in _ELEMENT.finditer(data):
        is_cell = match.group(1) == b"c"
        ref = _R_ATTRIBUTE.search(match.group(2))
        if is_cell:
            if ref is not None and ref.group(1):
                column = _column_number(ref.group(1))
                if ref.group(2):
                    row = max(row, int(ref.group(2)))
            else:
                column += 1
            in_use.add(column)
            max_column = max(max_column, column)
        else:
            row = int(ref.group(2)) if ref is not None and ref.group(2) else row + 1
            column = 0
        max_row = max(max_row, row)
        if max_row > max_rows or len(in_use) > MAX_COLUMNS or max_row * max_column > MAX_CELLS:
            break
    return max_row, max_column, len(in_use)


def _relationship_id(element: ET.Element) -> str:
    """A `<sheet>`'s `r:id`, in the namespace of Transitional or of Strict Open XML (Excel's
    "Strict Open XML Spreadsheet")."""
    return next((v for k, v in element.attrib.items() if k.endswith("}id")), "")


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _relationships(data: bytes, source_part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part name) of each internal relationship, resolved from `source_part`."""
    base = PurePosixPath(source_part).parent
    found = []
    for rel in ET.fromstring(data).iter(_RELS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(base / target)
        parts: list[str] = []
        for piece in path.split("/"):
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        found.append((rel.get("Id", ""), rel.get("Type", ""), "/".join(parts)))
    return found
