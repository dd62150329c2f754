"""A workbook as a zip package of parts: find a tab's sheet part, parse parts safely, and write a
copy in which a few parts change and every other part keeps its exact compressed bytes.

Parts are parsed with lxml, which keeps namespace prefixes as written (the standard library's
ElementTree renames them), with entities left unresolved and no DTD loaded.
"""

from __future__ import annotations

import copy
import posixpath
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..snapshot import find_tab
from .base import WriteRefused

__all__ = [
    "CONTENT_TYPES",
    "REL_NS",
    "Deflated",
    "PackageRefused",
    "RowsMoved",
    "SheetPart",
    "copy_package",
    "find_sheet",
    "parse_part",
    "raw_member",
    "relationships",
    "rels_part",
    "resolve_target",
    "serialize",
    "sheet_parts",
    "workbook_part",
]

CONTENT_TYPES = "[Content_Types].xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_OFFICE_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True, remove_blank_text=False
)
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra field length
_DATA_DESCRIPTOR = 0x08
_LARGE_PART = 1 << 20
_ENCRYPTED = 0x01


class PackageRefused(WriteRefused):
    """The package cannot be written safely; the message says why in the user's words."""


class RowsMoved(PackageRefused):
    """A row about to be written no longer holds the ID it held when read."""


@dataclass(frozen=True, slots=True)
class SheetPart:
    """A tab and the zip member holding its XML."""

    name: str
    part: str


@dataclass(frozen=True, slots=True)
class Deflated:
    """A part already compressed (raw deflate): written into the zip as it is."""

    data: bytes
    crc: int  # CRC-32 of the part's `size` uncompressed bytes
    size: int


def parse_part(data: bytes, part: str) -> etree._Element:
    """A part's root element; a part with a DTD (which no spreadsheet program writes) is refused."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        raise PackageRefused(f"its part {part} is not well-formed XML ({err})") from err
    if root.getroottree().docinfo.doctype:
        raise PackageRefused(f"its part {part} declares a DTD, which okrtree does not write")
    return root


def serialize(root: etree._Element) -> bytes:
    """A parsed part back to bytes, with an XML declaration as spreadsheet programs write it."""
    standalone = root.getroottree().docinfo.standalone
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", standalone=standalone
    )


def rels_part(part: str) -> str:
    """The relationships part of `part`: `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a zip member name, relative to the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relationships(archive: zipfile.ZipFile, part: str) -> list[etree._Element]:
    """The `<Relationship>` elements of `part` (none when it has no rels part)."""
    name = rels_part(part)
    try:
        data = archive.read(name)
    except KeyError:
        return []
    return list(parse_part(data, name).iter(f"{{{REL_NS}}}Relationship"))


def workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook part named by the package's root relationships (usually xl/workbook.xml)."""
    for rel in relationships(archive, ""):
        if rel.get("Type") in (OFFICE_DOC, STRICT_OFFICE_DOC):
            return resolve_target("", rel.get("Target", ""))
    raise PackageRefused("it has no workbook part")


def sheet_parts(archive: zipfile.ZipFile, workbook: str) -> list[SheetPart]:
    """Every tab in workbook order with its part (tabs whose part is missing are left out)."""
    targets = {
        rel.get("Id"): resolve_target(workbook, rel.get("Target", ""))
        for rel in relationships(archive, workbook)
    }
    members = set(archive.namelist())
    root = parse_part(archive.read(workbook), workbook)
    found = []
    for sheet in root.iter(f"{{{etree.QName(root).namespace}}}sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if str(k).endswith("}id")), None)
        part = targets.get(rel_id)
        if part in members:
            found.append(SheetPart(sheet.get("name", ""), part))
    return found


def find_sheet(sheets: list[SheetPart], tab: str) -> SheetPart | None:
    """The tab named `tab`: exact, else the one equal ignoring case and surrounding spaces."""
    name = find_tab([sheet.name for sheet in sheets], tab)
    return next((sheet for sheet in sheets if sheet.name == name), None)


def copy_package(
    source: zipfile.ZipFile,
    target: Path,
    replaced: Mapping[str, bytes | Deflated],
    removed: frozenset[str] = frozenset(),
) -> None:
    """Write to `target` the package `source` with `replaced` parts (new ones appended) and
    without `removed` ones; every other member keeps its compressed bytes exactly, and so
    does a `Deflated` part."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename in removed:
                continue
            if info.filename in replaced:
                _write_part(out, _fresh_info(info), replaced[info.filename])
            else:
                _copy_member(source, info, out)
        have = set(source.namelist())
        for name, data in replaced.items():
            if name not in have:
                _write_part(out, _fresh_info(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))), data)


def _write_part(out: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes | Deflated) -> None:
    """Compress a new part; a large one (a 100,000-row tab) fast rather than small: level 1
    takes a fifth of the time of the default for a quarter more bytes."""
    if isinstance(data, Deflated):
        info.CRC, info.file_size, info.compress_size = data.crc, data.size, len(data.data)
        _write_raw(out, info, data.data)
    else:
        out.writestr(info, data, compresslevel=1 if len(data) > _LARGE_PART else None)


def raw_member(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, as stored."""
    fp = source.fp
    assert fp is not None
    fp.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(fp.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    fp.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename} is cut short")
    return raw


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh


def _copy_member(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one member's compressed bytes as they are; fall back to re-compressing its content
    for what this copy does not handle (encrypted or zip64 members)."""
    large = max(info.file_size, info.compress_size, info.header_offset) >= zipfile.ZIP64_LIMIT
    if info.flag_bits & _ENCRYPTED or large or b"\x01\x00" in info.extra[:2]:
        out.writestr(_fresh_info(info), source.read(info))
        return
    kept = copy.copy(info)
    kept.flag_bits &= ~_DATA_DESCRIPTOR  # sizes and CRC go in the local header instead
    _write_raw(out, kept, raw_member(source, info))


def _write_raw(out: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes) -> None:
    """Add a member whose compressed bytes, sizes and CRC are known."""
    dest = out.fp
    assert dest is not None
    info.header_offset = dest.tell()
    dest.write(info.FileHeader())
    dest.write(raw)
    out.filelist.append(info)
    out.NameToInfo[info.filename] = info
    out.start_dir = dest.tell()
    out._didModify = True  # type: ignore[attr-defined]  # so close() writes the directory
