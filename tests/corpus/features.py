"""What people and programs add to a team workbook beside the OKRs, one function per feature.

Each takes a template-made team workbook and changes it in place the way the program named in its
docstring would leave it: openpyxl for what openpyxl can make, hand-written parts (as Excel
writes them) for the rest. The OKR rows themselves are never touched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image as PilImage

from .package import (
    NS_MAIN,
    NS_REL,
    add_content_default,
    add_content_override,
    add_relationship,
    parts,
    rels_of,
    rewrite,
    sheet_part,
)

__all__ = [
    "chart_and_image",
    "comments",
    "defined_names_and_external_link",
    "macros",
    "pivot_table",
    "validation_and_formats",
]

TAB = "OKRs"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
REL_MS_2017 = "http://schemas.microsoft.com/office/2017"
EXTRA_COLUMN = "P"  # first column after the template's Warnings (O)


def png(colour: str = "teal", size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    PilImage.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def okr_ids(path: Path) -> list[str]:
    """The IDs in the OKR rows 2-4 (every corpus workbook has three)."""
    wb = load_workbook(path, read_only=True)
    try:
        rows = wb[TAB].iter_rows(min_row=2, max_row=4, max_col=1, values_only=True)
        return [str(row[0]) for row in rows]
    finally:
        wb.close()


def edit_sheet(path: Path, edit: Callable[[Worksheet], None]) -> None:
    wb = load_workbook(path)
    edit(wb[TAB])
    wb.save(path)


def replace_cell(cell: str, xml: str) -> Callable[[bytes], bytes]:
    """A sheet edit putting raw cell XML in place of the cell openpyxl wrote at `cell`."""

    def apply(data: bytes) -> bytes:
        text = data.decode("utf-8")
        changed, count = re.subn(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', xml, text, count=1)
        assert count == 1, f"cell {cell} not found"
        return changed.encode("utf-8")

    return apply


def chart_and_image(path: Path) -> None:
    """openpyxl: a bar chart of Current against Target and a logo image beside the OKRs."""

    def edit(ws: Worksheet) -> None:
        chart = BarChart()
        chart.title = "Progress"
        chart.add_data(
            Reference(ws, min_col=8, max_col=9, min_row=1, max_row=4), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=4))
        ws.add_chart(chart, "R2")
        ws.add_image(Image(io.BytesIO(png())), "R20")

    edit_sheet(path, edit)


def validation_and_formats(path: Path) -> None:
    """openpyxl: a person's own column with a dropdown, a data bar and a colour scale."""

    def edit(ws: Worksheet) -> None:
        ws[f"{EXTRA_COLUMN}1"] = "Theme"
        ws[f"{EXTRA_COLUMN}2"] = "Growth"
        rule = DataValidation(type="list", formula1='"Growth,Quality,Cost"', allow_blank=True)
        rule.add(f"{EXTRA_COLUMN}2:{EXTRA_COLUMN}200")
        ws.add_data_validation(rule)
        ws.conditional_formatting.add("I2:I200", DataBarRule("min", None, "max", None, "638EC6"))
        ws.conditional_formatting.add(
            "G2:G200", ColorScaleRule("min", None, "FFF8696B", "max", None, "FF63BE7B")
        )

    edit_sheet(path, edit)


THREADED_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
PERSON_ID = "{6E1B7C52-3D4A-4F0B-9A8E-2C7D5B1E9F30}"


def comments(path: Path) -> None:
    """A legacy note, and an Excel 365 threaded comment with its reply and the persons part.

    Excel stores a threaded comment twice: the thread in `xl/threadedComments/`, and a legacy
    comment carrying a plain-text copy for older programs; both are written here.
    """

    def edit(ws: Worksheet) -> None:
        ws["C2"].comment = Comment("Check the wording with Ana.", "Ana")
        ws["I3"].comment = Comment(
            "[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
            "comment; however, any edits to it will get removed if the file is opened in a newer "
            "version of Excel.\n\nComment:\n    Is 10 the right target?\nReply:\n    Yes.",
            "tc=" + "{8C0F7E21-5A3B-4C6D-9E1F-0A2B3C4D5E6F}",
        )

    edit_sheet(path, edit)
    sheet = sheet_part(parts(path), TAB)
    thread = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ThreadedComments xmlns="{THREADED_NS}" xmlns:x="{NS_MAIN}">'
        f'<threadedComment ref="I3" dT="2026-11-20T09:15:02.31" personId="{PERSON_ID}" '
        'id="{8C0F7E21-5A3B-4C6D-9E1F-0A2B3C4D5E6F}"><text>Is 10 the right target?</text>'
        "</threadedComment>"
        f'<threadedComment ref="I3" dT="2026-11-20T10:02:45.77" personId="{PERSON_ID}" '
        'id="{1D2E3F40-5162-4738-8495-A6B7C8D9E0F1}" '
        'parentId="{8C0F7E21-5A3B-4C6D-9E1F-0A2B3C4D5E6F}"><text>Yes.</text>'
        "</threadedComment></ThreadedComments>"
    )
    persons = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<personList xmlns="{THREADED_NS}" xmlns:x="{NS_MAIN}">'
        f'<person displayName="Ana Ruiz" id="{PERSON_ID}" userId="ana@x.example" '
        'providerId="None"/></personList>'
    )
    rewrite(
        path,
        {
            "xl/threadedComments/threadedComment1.xml": thread.encode(),
            "xl/persons/person.xml": persons.encode(),
            rels_of(sheet): add_relationship(
                "rIdTc1",
                f"{REL_MS_2017}/10/relationships/threadedComment",
                "../threadedComments/threadedComment1.xml",
            ),
            "xl/_rels/workbook.xml.rels": add_relationship(
                "rIdPs1", f"{REL_MS_2017}/10/relationships/person", "persons/person.xml"
            ),
            "[Content_Types].xml": lambda data: add_content_override(
                "xl/persons/person.xml", "application/vnd.ms-excel.person+xml"
            )(
                add_content_override(
                    "xl/threadedComments/threadedComment1.xml",
                    "application/vnd.ms-excel.threadedcomments+xml",
                )(data)
            ),
        },
    )


def ole_bytes(payload: bytes, size: int = 2048) -> bytes:
    """Bytes shaped like an OLE compound file (its signature, then `payload`, zero padded).

    A vbaProject.bin is such a file, made only by Excel's VBA editor; okrtree must carry it
    byte for byte, so its inside does not matter here.
    """
    body = bytes.fromhex("D0CF11E0A1B11AE1") + payload
    return body + b"\0" * max(0, size - len(body))


def macros(path: Path) -> None:
    """An `.xlsm` as Excel saves it: the macro-enabled content type and `xl/vbaProject.bin`."""
    main = f"{CT_MAIN}.sheet.main+xml"

    def macro_types(data: bytes) -> bytes:
        text = data.decode("utf-8").replace(
            main, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        )
        return add_content_default("bin", "application/vnd.ms-office.vbaProject")(text.encode())

    rewrite(
        path,
        {
            "xl/vbaProject.bin": ole_bytes(
                b'Attribute VB_Name = "Module1"\nSub Remind()\nEnd Sub\n'
            ),
            "xl/_rels/workbook.xml.rels": add_relationship(
                "rIdVba",
                "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                "vbaProject.bin",
            ),
            "[Content_Types].xml": macro_types,
        },
    )


def _declare_r_on_root(workbook: str) -> str:
    """workbook.xml with the relationships prefix declared on its root, as Excel writes it
    (openpyxl may declare it on each `<sheet>` only)."""
    start = workbook.index("<workbook")
    root_tag = workbook[start : workbook.index(">", start)]
    if "xmlns:r=" in root_tag:
        return workbook
    return workbook.replace("<workbook", f'<workbook xmlns:r="{NS_REL}"', 1)


def pivot_table(path: Path) -> None:
    """A pivot table on its own tab counting the OKR rows by Type, with its cache (Excel 2016)."""
    wb = load_workbook(path)
    pivot = wb.create_sheet("Pivot")
    for row in (
        ["Row Labels", "Count of ID"],
        ["Key Result", 2],
        ["Objective", 1],
        ["Grand Total", 3],
    ):
        pivot.append(row)
    pivot.insert_rows(1, 2)
    wb.save(path)
    members = parts(path)
    pivot_sheet = sheet_part(members, "Pivot")
    ids = okr_ids(path)
    definition = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" r:id="rId1" '
        'refreshedBy="Ana Ruiz" refreshedDate="46346.5" createdVersion="6" refreshedVersion="6" '
        'minRefreshableVersion="3" recordCount="3">'
        f'<cacheSource type="worksheet"><worksheetSource ref="A1:B4" sheet="{TAB}"/></cacheSource>'
        '<cacheFields count="2"><cacheField name="ID" numFmtId="0"><sharedItems/></cacheField>'
        '<cacheField name="Type" numFmtId="0"><sharedItems count="2"><s v="Objective"/>'
        '<s v="Key Result"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>'
    )
    records = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheRecords xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" count="3">'
        + "".join(f'<r><s v="{i}"/><x v="{int(n > 0)}"/></r>' for n, i in enumerate(ids))
        + "</pivotCacheRecords>"
    )
    table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotTableDefinition xmlns="{NS_MAIN}" name="PivotTable1" cacheId="1" '
        'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" '
        'dataCaption="Values" updatedVersion="6" minRefreshableVersion="3" createdVersion="6" '
        'indent="0" outline="1" outlineData="1" multipleFieldFilters="0">'
        '<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
        '<pivotFields count="2"><pivotField dataField="1" showAll="0"/>'
        '<pivotField axis="axisRow" showAll="0"><items count="3"><item x="1"/><item x="0"/>'
        '<item t="default"/></items></pivotField></pivotFields>'
        '<rowFields count="1"><field x="1"/></rowFields>'
        '<rowItems count="3"><i><x/></i><i><x v="1"/></i><i t="grand"><x/></i></rowItems>'
        '<colItems count="1"><i/></colItems>'
        '<dataFields count="1"><dataField name="Count of ID" fld="0" subtotal="count" '
        'baseField="0" baseItem="0"/></dataFields>'
        '<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1" '
        'showRowStripes="0" showColStripes="0" showLastColumn="1"/></pivotTableDefinition>'
    )
    rel = NS_REL
    cache_def = "xl/pivotCache/pivotCacheDefinition1.xml"

    def workbook(data: bytes) -> bytes:
        text = data.decode("utf-8")
        caches = '<pivotCaches><pivotCache cacheId="1" r:id="rIdPc1"/></pivotCaches>'
        text = _declare_r_on_root(text)
        anchor = "</workbook>"
        for closing in ("<extLst>", "<fileRecoveryPr", "<webPublishing"):
            if closing in text:
                anchor = closing
                break
        return text.replace(anchor, caches + anchor, 1).encode("utf-8")

    def types(data: bytes) -> bytes:
        for part, kind in (
            (cache_def, "pivotCacheDefinition"),
            ("xl/pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"),
            ("xl/pivotTables/pivotTable1.xml", "pivotTable"),
        ):
            data = add_content_override(part, f"{CT_MAIN}.{kind}+xml")(data)
        return data

    rewrite(
        path,
        {
            cache_def: definition.encode(),
            "xl/pivotCache/pivotCacheRecords1.xml": records.encode(),
            "xl/pivotTables/pivotTable1.xml": table.encode(),
            rels_of(cache_def): add_relationship(
                "rId1", f"{rel}/pivotCacheRecords", "pivotCacheRecords1.xml"
            ),
            rels_of("xl/pivotTables/pivotTable1.xml"): add_relationship(
                "rId1", f"{rel}/pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml"
            ),
            rels_of(pivot_sheet): add_relationship(
                "rIdPt1", f"{rel}/pivotTable", "../pivotTables/pivotTable1.xml"
            ),
            "xl/_rels/workbook.xml.rels": add_relationship(
                "rIdPc1", f"{rel}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"
            ),
            "xl/workbook.xml": workbook,
            "[Content_Types].xml": types,
        },
    )


def defined_names_and_external_link(path: Path) -> None:
    """Workbook and sheet defined names, and a formula reading another workbook (externalLink)."""
    wb = load_workbook(path)
    wb.defined_names["Targets"] = DefinedName("Targets", attr_text=f"{TAB}!$H$2:$H$4")
    wb[TAB].defined_names["Owners"] = DefinedName("Owners", attr_text=f"{TAB}!$D$2:$D$4")
    wb[TAB][f"{EXTRA_COLUMN}1"] = "Budget"
    wb[TAB][f"{EXTRA_COLUMN}2"] = "=[1]Plan!A1"
    wb.save(path)
    sheet = sheet_part(parts(path), TAB)
    link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<externalLink xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="Plan"/></sheetNames><sheetDataSet><sheetData sheetId="0">'
        '<row r="1"><cell r="A1"><v>42</v></cell></row></sheetData></sheetDataSet>'
        "</externalBook></externalLink>"
    )

    def workbook(data: bytes) -> bytes:
        text = data.decode("utf-8")
        text = _declare_r_on_root(text)
        refs = '<externalReferences><externalReference r:id="rIdEx1"/></externalReferences>'
        return text.replace("</sheets>", "</sheets>" + refs, 1).encode("utf-8")

    rewrite(
        path,
        {
            "xl/externalLinks/externalLink1.xml": link.encode(),
            "xl/externalLinks/_rels/externalLink1.xml.rels": add_relationship(
                "rId1", f"{NS_REL}/externalLinkPath", "budget.xlsx", external=True
            ),
            "xl/_rels/workbook.xml.rels": add_relationship(
                "rIdEx1", f"{NS_REL}/externalLink", "externalLinks/externalLink1.xml"
            ),
            "xl/workbook.xml": workbook,
            "[Content_Types].xml": add_content_override(
                "xl/externalLinks/externalLink1.xml", f"{CT_MAIN}.externalLink+xml"
            ),
            sheet: replace_cell(
                f"{EXTRA_COLUMN}2", f'<c r="{EXTRA_COLUMN}2"><f>[1]Plan!A1</f><v>42</v></c>'
            ),
        },
    )
