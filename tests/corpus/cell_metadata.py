"""Features Excel 365 keeps in cell metadata (xl/metadata.xml): a picture placed in a cell and a
spilled dynamic array, written as Excel writes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from .features import (
    CT_MAIN,
    EXTRA_COLUMN,
    REL_MS_2017,
    TAB,
    edit_sheet,
    okr_ids,
    png,
    replace_cell,
)
from .package import (
    NS_MAIN,
    NS_REL,
    add_content_default,
    add_content_override,
    add_relationship,
    parts,
    rewrite,
    sheet_part,
)

__all__ = ["dynamic_array", "picture_in_cell"]


def _metadata_edits(path: Path, metadata: str, sheet_edit: Callable[[bytes], bytes]) -> dict:
    sheet = sheet_part(parts(path), TAB)
    return {
        "xl/metadata.xml": metadata.encode(),
        sheet: sheet_edit,
        "xl/_rels/workbook.xml.rels": add_relationship(
            "rIdMd1", f"{NS_REL}/sheetMetadata", "metadata.xml"
        ),
        "[Content_Types].xml": add_content_override(
            "xl/metadata.xml", f"{CT_MAIN}.sheetMetadata+xml"
        ),
    }


def _put_placeholder(path: Path, header: str, cells: dict[str, object]) -> None:
    def edit(ws: Worksheet) -> None:
        ws[f"{EXTRA_COLUMN}1"] = header
        for ref, value in cells.items():
            ws[ref] = value

    edit_sheet(path, edit)


RICH_NS = "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"
RICH_REL_NS = "http://schemas.microsoft.com/office/spreadsheetml/2022/richvaluerel"


def picture_in_cell(path: Path) -> None:
    """Excel 365's Place in Cell picture: a `vm` cell, metadata.xml and the xl/richData parts."""
    _put_placeholder(path, "Logo", {f"{EXTRA_COLUMN}2": "picture"})
    metadata = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<metadata xmlns="{NS_MAIN}" xmlns:xlrd="{RICH_NS}">'
        '<metadataTypes count="1"><metadataType name="XLRICHVALUE" minSupportedVersion="120000" '
        'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" '
        'clearFormats="1" clearComments="1" assign="1" coerce="1"/></metadataTypes>'
        '<futureMetadata name="XLRICHVALUE" count="1"><bk><extLst>'
        '<ext uri="{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}"><xlrd:rvb i="0"/></ext>'
        "</extLst></bk></futureMetadata>"
        '<valueMetadata count="1"><bk><rc t="1" v="0"/></bk></valueMetadata></metadata>'
    )
    rich_values = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<rvData xmlns="{RICH_NS}" count="1"><rv s="0"><v>0</v><v>5</v></rv></rvData>'
    )
    structures = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<rvStructures xmlns="{RICH_NS}" count="1"><s t="_localImage">'
        '<k n="_rvRel:LocalImageIdentifier" t="i"/><k n="CalcOrigin" t="i"/></s></rvStructures>'
    )
    value_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<richValueRels xmlns="{RICH_REL_NS}" xmlns:r="{NS_REL}">'
        '<rel r:id="rId1"/></richValueRels>'
    )
    edits = _metadata_edits(
        path,
        metadata,
        replace_cell(f"{EXTRA_COLUMN}2", f'<c r="{EXTRA_COLUMN}2" t="e" vm="1"><v>#VALUE!</v></c>'),
    )
    add_types = edits.pop("[Content_Types].xml")

    def types(data: bytes) -> bytes:
        data = add_types(data)
        data = add_content_default("png", "image/png")(data)
        for part, kind in (
            ("xl/richData/rdrichvalue.xml", "rdrichvalue"),
            ("xl/richData/rdrichvaluestructure.xml", "rdrichvaluestructure"),
            ("xl/richData/richValueRel.xml", "richvaluerel"),
        ):
            data = add_content_override(part, f"application/vnd.ms-excel.{kind}+xml")(data)
        return data

    add_workbook_rels = edits.pop("xl/_rels/workbook.xml.rels")

    def workbook_rels(data: bytes) -> bytes:
        data = add_workbook_rels(data)
        for rel_id, kind, target in (
            ("rIdRv1", f"{REL_MS_2017}/06/relationships/rdRichValue", "richData/rdrichvalue.xml"),
            (
                "rIdRv2",
                f"{REL_MS_2017}/06/relationships/rdRichValueStructure",
                "richData/rdrichvaluestructure.xml",
            ),
            (
                "rIdRv3",
                "http://schemas.microsoft.com/office/2022/10/relationships/richValueRel",
                "richData/richValueRel.xml",
            ),
        ):
            data = add_relationship(rel_id, kind, target)(data)
        return data

    rewrite(
        path,
        {
            **edits,
            "xl/richData/rdrichvalue.xml": rich_values.encode(),
            "xl/richData/rdrichvaluestructure.xml": structures.encode(),
            "xl/richData/richValueRel.xml": value_rels.encode(),
            "xl/richData/_rels/richValueRel.xml.rels": add_relationship(
                "rId1", f"{NS_REL}/image", "../media/image1.png"
            ),
            "xl/media/image1.png": png("orange"),
            "xl/_rels/workbook.xml.rels": workbook_rels,
            "[Content_Types].xml": types,
        },
    )


def dynamic_array(path: Path) -> None:
    """Excel 365's spilled `SORT` of the IDs: a `cm` cell with its XLDAPR cell metadata."""
    col = EXTRA_COLUMN
    first, second, third = sorted(okr_ids(path))
    _put_placeholder(path, "Sorted IDs", {f"{col}2": "x", f"{col}3": "x", f"{col}4": "x"})
    metadata = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<metadata xmlns="{NS_MAIN}" '
        'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
        '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" '
        'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" '
        'clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
        '<futureMetadata name="XLDAPR" count="1"><bk><extLst>'
        '<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
        '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>'
        '</futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
        "</metadata>"
    )

    def spill(data: bytes) -> bytes:
        data = replace_cell(
            f"{col}2",
            f'<c r="{col}2" t="str" cm="1"><f t="array" ref="{col}2:{col}4">'
            f"_xlfn._xlws.SORT(A2:A4)</f><v>{first}</v></c>",
        )(data)
        data = replace_cell(f"{col}3", f'<c r="{col}3" t="str"><v>{second}</v></c>')(data)
        return replace_cell(f"{col}4", f'<c r="{col}4" t="str"><v>{third}</v></c>')(data)

    rewrite(path, _metadata_edits(path, metadata, spill))
