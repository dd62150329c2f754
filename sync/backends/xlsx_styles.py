"""Adding the few cell formats okrtree's hub tabs use to a workbook's `xl/styles.xml`.

Each format is looked up first and added only when the workbook does not have it yet, so
writing the hub again and again does not grow the style part.
"""

from __future__ import annotations

import copy

from lxml import etree

from .xlsx_package import parse_part, serialize

__all__ = ["LINK_COLOUR", "STYLES_PART", "StyleSheet"]

STYLES_PART = "xl/styles.xml"
LINK_COLOUR = "FF0563C1"  # the Office theme's hyperlink blue
_FIRST_CUSTOM_FORMAT = 164
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "yyyy-mm-dd": None}


def _signature(element: etree._Element) -> tuple[object, ...]:
    """What an element says, whatever its prefixes and attribute order."""
    return (
        etree.QName(element).localname,
        tuple(sorted((str(k), str(v)) for k, v in element.attrib.items())),
        tuple(_signature(child) for child in element if isinstance(child.tag, str)),
    )


class StyleSheet:
    """A parsed `xl/styles.xml` that hands out cell format indexes (`s` of a cell)."""

    def __init__(self, data: bytes) -> None:
        self.root = parse_part(data, STYLES_PART)
        self.ns = etree.QName(self.root).namespace or ""
        self.changed = False

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def _list(self, name: str, before: tuple[str, ...] = ()) -> etree._Element:
        found = self.root.find(self._q(name))
        if found is not None:
            return found
        found = etree.Element(self._q(name), count="0")
        later = next(
            (c for c in self.root if etree.QName(c).localname in before), None
        )  # schema order
        if later is not None:
            later.addprevious(found)
        else:
            self.root.append(found)
        return found

    def _index_of(self, parent: etree._Element, candidate: etree._Element, child: str) -> int:
        """The index of an element equal to `candidate` in `parent`, appending it if none."""
        wanted = _signature(candidate)
        children = list(parent.iterchildren(self._q(child)))
        for index, existing in enumerate(children):
            if _signature(existing) == wanted:
                return index
        parent.append(candidate)
        parent.set("count", str(len(children) + 1))
        self.changed = True
        return len(children)

    def number_format(self, code: str) -> int:
        builtin = _BUILTIN_FORMATS.get(code)
        if builtin is not None:
            return builtin
        formats = self._list("numFmts", before=("fonts", "fills", "borders", "cellXfs"))
        used = [_FIRST_CUSTOM_FORMAT - 1]
        for existing in formats.iterchildren(self._q("numFmt")):
            if existing.get("formatCode") == code:
                return int(existing.get("numFmtId", "0"))
            used.append(int(existing.get("numFmtId", "0")))
        number = max(used) + 1
        etree.SubElement(formats, self._q("numFmt"), numFmtId=str(number), formatCode=code)
        formats.set("count", str(len(formats)))
        self.changed = True
        return number

    def font(self, *, bold: bool = False, link: bool = False) -> int:
        """The workbook's default font, made bold or hyperlink-blue and underlined."""
        fonts = self._list("fonts")
        base = fonts.find(self._q("font"))
        font = copy.deepcopy(base) if base is not None else etree.Element(self._q("font"))
        for child in list(font):
            if isinstance(child.tag, str) and etree.QName(child).localname in ("b", "u", "color"):
                font.remove(child)
        if bold:
            font.insert(0, etree.Element(self._q("b")))
        if link:
            font.insert(0, etree.Element(self._q("u")))
            font.append(etree.Element(self._q("color"), rgb=LINK_COLOUR))
        return self._index_of(fonts, font, "font")

    def fill(self, colour: str) -> int:
        """A solid fill; both colours set so Excel and LibreOffice agree."""
        fill = etree.Element(self._q("fill"))
        pattern = etree.SubElement(fill, self._q("patternFill"), patternType="solid")
        argb = colour if len(colour) == 8 else f"00{colour}"  # as openpyxl has always written
        etree.SubElement(pattern, self._q("fgColor"), rgb=argb)
        etree.SubElement(pattern, self._q("bgColor"), rgb=argb)
        return self._index_of(self._list("fills"), fill, "fill")

    def named_style(self, name: str, builtin_id: int, font: int) -> int:
        """The index of a named cell style (e.g. `Hyperlink`), added with `font` if missing."""
        names = self._list("cellStyles", before=("dxfs", "tableStyles", "colors", "extLst"))
        for style in names.iterchildren(self._q("cellStyle")):
            if style.get("name") == name:
                return int(style.get("xfId", "0"))
        bases = self._list("cellStyleXfs", before=("cellXfs",))
        index = len(list(bases.iterchildren(self._q("xf"))))
        etree.SubElement(
            bases, self._q("xf"), numFmtId="0", fontId=str(font), fillId="0", borderId="0"
        )
        bases.set("count", str(index + 1))
        etree.SubElement(
            names, self._q("cellStyle"), name=name, xfId=str(index), builtinId=str(builtin_id)
        )
        names.set("count", str(len(names)))
        self.changed = True
        return index

    def cell_format(
        self,
        *,
        number_format: int = 0,
        font: int = 0,
        fill: int = 0,
        style: int = 0,
        alignment: dict[str, str] | None = None,
    ) -> int:
        """The index of a cell format; `alignment` holds `<alignment>` attributes such as
        `{"wrapText": "1"}` or `{"horizontal": "center"}`."""
        xf = etree.Element(
            self._q("xf"),
            numFmtId=str(number_format),
            fontId=str(font),
            fillId=str(fill),
            borderId="0",
            xfId=str(style),
        )
        for flag, used in (
            ("applyNumberFormat", number_format),
            ("applyFont", font),
            ("applyFill", fill),
            ("applyAlignment", alignment),
        ):
            if used:
                xf.set(flag, "1")
        if alignment:
            etree.SubElement(xf, self._q("alignment"), **alignment)
        return self._index_of(self._list("cellXfs"), xf, "xf")

    def to_bytes(self) -> bytes:
        return serialize(self.root)
