"""Adding a tab to workbook.xml: its `<sheets>`, a free relationship id, its place among tabs."""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from .xlsx_package import PackageRefused, parse_part

__all__ = ["free_rel_id", "insert_tab", "workbook_sheets"]


def workbook_sheets(data: bytes, part: str) -> tuple[etree._Element, str, etree._Element]:
    """workbook.xml parsed: its root, its main namespace and its `<sheets>`."""
    root = parse_part(data, part)
    ns = etree.QName(root).namespace or ""
    sheets = root.find(f"{{{ns}}}sheets")
    if sheets is None:
        raise PackageRefused("its workbook part lists no tabs")
    return root, ns, sheets


def free_rel_id(taken: Collection[str | None]) -> str:
    """The first `rIdN` not among `taken`."""
    return next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)


def insert_tab(
    root: etree._Element, ns: str, sheets: etree._Element, element: etree._Element, index: int
) -> None:
    """Put `element` at `index` among the tabs; indexes of the tabs after it move up by one."""
    existing = list(sheets)
    if index < len(existing):
        existing[index].addprevious(element)
    else:
        sheets.append(element)
    for name in root.iter(f"{{{ns}}}definedName"):
        local = name.get("localSheetId")
        if local is not None and local.isdigit() and int(local) >= index:
            name.set("localSheetId", str(int(local) + 1))
    for view in root.iter(f"{{{ns}}}workbookView"):
        for attribute in ("activeTab", "firstSheet"):
            value = view.get(attribute)
            if value is not None and value.isdigit() and int(value) >= index:
                view.set(attribute, str(int(value) + 1))
