"""Workbooks made to hurt a reader: broken, entity tricks, bombs, impostors. Built at test time.

Each builder writes one file and returns its path. The large ones (a zip bomb, 1.5 GB of shared
strings) are written member by member with raw deflate, so a gigabyte of repeated content costs
one compression of one block, not a gigabyte of compression.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile

from sheets_templates.builder import new_team_workbook, team_column_names

from .cases import okr_rows
from .features import CT_MAIN
from .package import NS_MAIN, NS_REL, add_content_override, add_relationship, parts, sheet_part

__all__ = [
    "HOSTILE",
    "Repeated",
    "billion_laughs",
    "broken_xml",
    "csv_named_xlsx",
    "encrypted",
    "huge_shared_strings",
    "write_zip",
    "wide_sparse",
    "xxe",
    "zip_bomb",
]

TAB = "OKRs"


@dataclass(frozen=True)
class Repeated:
    """A zip member made of `head`, then `block` `times` times, then `tail`."""

    head: bytes
    block: bytes
    times: int
    tail: bytes


def _deflate(data: bytes, last: bool) -> bytes:
    """Raw deflate of `data` alone, byte-aligned, so such pieces can be laid end to end."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _member(data: bytes | Repeated) -> tuple[bytes, int, int]:
    """(compressed bytes, crc32, uncompressed size) of one member."""
    if isinstance(data, bytes):
        return _deflate(data, last=True), zlib.crc32(data), len(data)
    crc = zlib.crc32(data.head)
    for _ in range(data.times):
        crc = zlib.crc32(data.block, crc)
    crc = zlib.crc32(data.tail, crc)
    packed = (
        _deflate(data.head, last=False)
        + _deflate(data.block, last=False) * data.times
        + _deflate(data.tail, last=True)
    )
    size = len(data.head) + len(data.block) * data.times + len(data.tail)
    assert size < 2**32, "members past 4 GiB need zip64"
    return packed, crc, size


def write_zip(path: Path, members: Mapping[str, bytes | Repeated]) -> Path:
    """A plain (non-zip64) zip archive of deflated members, each with its true CRC and sizes."""
    central = b""
    with path.open("wb") as out:
        for name, data in members.items():
            packed, crc, size = _member(data)
            encoded = name.encode()
            offset = out.tell()
            fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded))
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + packed)
            central += (
                struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
                + encoded
            )
        start = out.tell()
        out.write(central)
        count = len(members)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0))
    return path


def _template_parts(prefix: str) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as scratch:
        path = new_team_workbook(Path(scratch) / "t.xlsx", prefix, okr_rows(prefix, "hostile"))
        return parts(path)


def _with(path: Path, prefix: str, edit: Callable[[dict[str, bytes]], None]) -> Path:
    members: dict[str, bytes | Repeated] = {}
    plain = _template_parts(prefix)
    edit(plain)
    members.update(plain)
    return write_zip(path, members)


def broken_xml(path: Path, prefix: str) -> Path:
    """The OKR sheet's XML cut off half way, as a crashed save or a bad copy leaves it."""

    def edit(members: dict[str, bytes]) -> None:
        sheet = sheet_part(members, TAB)
        members[sheet] = members[sheet][: len(members[sheet]) // 2]

    return _with(path, prefix, edit)


def _entity_in_sheet(members: dict[str, bytes], doctype: str, entity: str) -> None:
    """The OKR sheet declaring `doctype`, with the objective's title replaced by `&entity;`."""
    sheet = sheet_part(members, TAB)
    text = members[sheet].decode("utf-8")
    if text.startswith("<?xml"):
        declaration, _, rest = text.partition("?>")
        declaration += "?>"
    else:
        declaration, rest = "", text
    assert "Deliver hostile" in rest
    rest = rest.replace("Deliver hostile", f"&{entity};", 1)
    members[sheet] = f"{declaration}{doctype}{rest}".encode()


def xxe(path: Path, prefix: str, secret: Path) -> Path:
    """An external entity pulling in a file from outside the workspace (XXE)."""
    doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    return _with(path, prefix, lambda m: _entity_in_sheet(m, doctype, "xxe"))


def billion_laughs(path: Path, prefix: str) -> Path:
    """Nested entities that expand to 10**9 'lol's."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = "<!DOCTYPE sst [" + "".join(entities) + "]>"
    return _with(path, prefix, lambda m: _entity_in_sheet(m, doctype, "lol9"))


def _split_sheet(sheet: bytes) -> tuple[bytes, bytes]:
    """A sheet's XML split just before `</sheetData>`."""
    head, marker, tail = sheet.partition(b"</sheetData>")
    assert marker, "no </sheetData>"
    return head, marker + tail


def zip_bomb(path: Path, prefix: str, gigabytes: float = 1.0) -> Path:
    """A sheet padded with a gigabyte of spaces: kilobytes on disk, a gigabyte unpacked."""
    members: dict[str, bytes | Repeated] = dict(_template_parts(prefix))
    sheet = sheet_part(members, TAB)  # type: ignore[arg-type]
    head, tail = _split_sheet(members[sheet])  # type: ignore[arg-type]
    block = b" " * (1 << 20)
    members[sheet] = Repeated(head, block, int(gigabytes * 1024), tail)
    return write_zip(path, members)


def huge_shared_strings(path: Path, prefix: str, gigabytes: float = 1.5) -> Path:
    """About 1.5 GB of shared strings (each 32,767 characters, Excel's cell limit) in a few MB;
    a note beside the first objective uses the first of them."""
    members: dict[str, bytes | Repeated] = dict(_template_parts(prefix))
    sheet = sheet_part(members, TAB)  # type: ignore[arg-type]
    text = members[sheet]
    assert isinstance(text, bytes)
    members[sheet] = text.replace(
        b'</c></row><row r="3"', b'</c><c r="P2" t="s"><v>0</v></c></row><row r="3"', 1
    )
    assert members[sheet] != text
    string = b"<si><t>" + b"x" * 32_767 + b"</t></si>"
    block = string * 32
    times = int(gigabytes * 1e9) // len(block)
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{NS_MAIN}" count="{times * 32}" uniqueCount="{times * 32}">'
    ).encode()
    members["xl/sharedStrings.xml"] = Repeated(head, block, times, b"</sst>")
    for name, edit in (
        (
            "[Content_Types].xml",
            add_content_override("xl/sharedStrings.xml", f"{CT_MAIN}.sharedStrings+xml"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            add_relationship("rIdSst", f"{NS_REL}/sharedStrings", "sharedStrings.xml"),
        ),
    ):
        members[name] = edit(members[name])  # type: ignore[arg-type]
    return write_zip(path, members)


def wide_sparse(path: Path, prefix: str, rows: int = 60_000) -> Path:
    """The template header, then one number in column XFD (the last) on each of `rows` rows."""
    members: dict[str, bytes | Repeated] = dict(_template_parts(prefix))
    sheet = sheet_part(members, TAB)  # type: ignore[arg-type]
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(team_column_names())
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}"><dimension ref="A1:XFD{rows + 1}"/><sheetData>'
        f'<row r="1">{header}</row>'
    ).encode()
    body = "".join(f'<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>' for r in range(2, rows + 2))
    members[sheet] = head + body.encode() + b"</sheetData></worksheet>"
    return write_zip(path, members)


def csv_named_xlsx(path: Path, prefix: str) -> Path:
    """A CSV export saved under an .xlsx name."""
    lines = [",".join(team_column_names())]
    lines += [
        f"{prefix}-1,Objective,Deliver,ana@x.example",
        f"{prefix}-2,Key Result,Ship,,,,0,10,4",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def encrypted(path: Path, prefix: str) -> Path:
    """A password-protected workbook, as Excel saves one: an OLE compound file, not a zip."""
    with tempfile.TemporaryDirectory() as scratch:
        plain = new_team_workbook(Path(scratch) / "p.xlsx", prefix, okr_rows(prefix, "secret"))
        with plain.open("rb") as source, path.open("wb") as out:
            OOXMLFile(source).encrypt("Passw0rd!", out)
    return path


HOSTILE: dict[str, Callable[[Path, str], Path]] = {
    "broken_xml": broken_xml,
    "billion_laughs": billion_laughs,
    "zip_bomb": zip_bomb,
    "huge_shared_strings": huge_shared_strings,
    "wide_sparse": wide_sparse,
    "csv_named_xlsx": csv_named_xlsx,
    "encrypted": encrypted,
}
