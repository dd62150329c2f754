"""Zip surgery on OOXML packages: read and rewrite parts, register new ones as Excel does."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = [
    "NS_MAIN",
    "NS_REL",
    "Edit",
    "add_content_default",
    "add_content_override",
    "add_relationship",
    "insert_before",
    "parts",
    "rels_of",
    "rewrite",
    "sheet_part",
]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_REL = NS_REL  # relationship types live under the same URI
Edit = bytes | Callable[[bytes], bytes]


def parts(path: Path) -> dict[str, bytes]:
    """Every zip member's bytes, by name."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewrite(path: Path, edits: Mapping[str, Edit], target: Path | None = None) -> Path:
    """Write the package again with members replaced, transformed or added (in member order)."""
    members = parts(path)
    for name, edit in edits.items():
        members[name] = edit(members.get(name, b"")) if callable(edit) else edit
    out = target or path
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def insert_before(closing: str, text: str) -> Callable[[bytes], bytes]:
    """An edit inserting `text` before the first `closing` tag (e.g. `</Types>`)."""

    def apply(data: bytes) -> bytes:
        xml = data.decode("utf-8")
        assert closing in xml, f"{closing} not found"
        return xml.replace(closing, text + closing, 1).encode("utf-8")

    return apply


def add_content_override(part: str, content_type: str) -> Callable[[bytes], bytes]:
    return insert_before("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/>')


def add_content_default(extension: str, content_type: str) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        if f'Extension="{extension}"' in data.decode("utf-8"):
            return data
        default = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
        return insert_before("</Types>", default)(data)

    return apply


def add_relationship(
    rel_id: str, rel_type: str, target: str, external: bool = False
) -> Callable[[bytes], bytes]:
    """An edit adding a relationship to a `.rels` part (made when missing)."""
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"{mode}/>'

    def apply(data: bytes) -> bytes:
        if not data:
            data = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b"</Relationships>"
            )
        return insert_before("</Relationships>", rel)(data)

    return apply


def rels_of(part: str) -> str:
    """The relationships part of `part`: `xl/a/s.xml` -> `xl/a/_rels/s.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def sheet_part(members: Mapping[str, bytes], tab: str) -> str:
    """The zip member holding the sheet named `tab`, found through workbook.xml and its rels."""
    workbook = members["xl/workbook.xml"].decode("utf-8")
    for match in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', match.group(1)))
        if attrs.get("name") != tab:
            continue
        rel_id = next(v for k, v in attrs.items() if k.endswith(":id"))
        rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
        for rel in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
            rel_attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel.group(1)))
            if rel_attrs.get("Id") == rel_id:
                target = rel_attrs["Target"]
                if target.startswith("/"):
                    return target[1:]
                return posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(f"no sheet named {tab!r}")
