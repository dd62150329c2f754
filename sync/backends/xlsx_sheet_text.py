"""Finding the rows and cells of a sheet part in its text, without parsing the whole part.

The text is read with regular expressions that follow the XML grammar for what spreadsheet
programs write: elements with or without a namespace prefix (`<x:row>`), attributes in either
quote, self-closing rows and cells, rows and cells without a reference. Anything else (comments,
CDATA, processing instructions, a DTD, namespaces declared below the root, an encoding other
than UTF-8, rich text in an ID cell, rows or cells out of order) raises `Unhandled`, for the
caller to parse the part instead. Cells are located by their start tags alone when every cell
of a row starts `<c r="B5"`, as spreadsheet programs write them; a cell's extent and attributes
are read only when it is asked for.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .xlsx_writes import column_number, merged_box

__all__ = [
    "ATTRIBUTE",
    "ROW_REFERENCE",
    "Cell",
    "Names",
    "SheetText",
    "Unhandled",
    "attribute_values",
]

_ATTRIBUTES = rb"""((?:\s+[^\s=/<>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(/?)>"""
ATTRIBUTE = re.compile(rb"""([^\s=/<>]+)\s*=\s*("[^"<]*"|'[^'<]*')""")
_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:<\?xml\s([^?]*)\?>)?\s*<(?:([A-Za-z_][\w.-]*):)?worksheet(?=[\s/>])"
)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_CELL_REFERENCE = re.compile(rb"\$?([A-Za-z]{1,3})\$?\d+")
ROW_REFERENCE = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""")
_COLUMNS: dict[bytes, int] = {}  # letters -> column, filled as met (three letters at most)
# A cell as spreadsheet programs write text or a value: `<c r="A2" t="inlineStr"><is><t>ID</t>
# </is></c>`, `<c r="A2" t="s"><v>3</v></c>`; groups: kind, `s` if shared, text, value.
_PLAIN_TEXT = (
    rb'<{p}c r="[A-Z]{1,3}[0-9]+"(?: s="[0-9]+")?(?: t="(n|(s)|inlineStr|str)")?>'
    rb'(?:<{p}is><{p}t(?: xml:space="preserve")?>([^<]*)</{p}t></{p}is>|<{p}v>([^<]*)</{p}v>)'
    rb"</{p}c>"
)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class Unhandled(Exception):  # noqa: N818 - an outcome the caller handles
    """The part holds markup the text patch leaves to the tree patch."""


@dataclass(slots=True)
class Cell:
    """A cell found in a row; its extent and attributes are read when first needed."""

    column: int
    start: int  # of its start tag
    limit: int  # where the next cell starts, or the row's content ends
    tag_end: int = -1
    end: int = -1  # after its end tag (or the start tag, when self-closing)
    attributes: bytes = b""
    values: dict[bytes, bytes] = field(default_factory=dict)


class Names:
    """The patterns of one namespace prefix (`x:` or none)."""

    _known: dict[bytes, Names] = {}

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.start = {
            name: re.compile(rb"<" + p + name.encode() + rb"(?=[\s/>])" + _ATTRIBUTES)
            for name in ("sheetData", "row", "c", "f", "is", "t", "v", "dimension", "col")
        }
        self.merge = re.compile(rb"<" + p + rb"mergeCell(?=[\s/>])" + _ATTRIBUTES)
        self.end = {
            name: re.compile(rb"</" + p + name.encode() + rb"\s*>")
            for name in ("sheetData", "row", "c", "t", "v")
        }
        self.rich = re.compile(rb"<" + p + rb"(?:r|rPh)(?=[\s/>])")
        self.quick_cell = re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})[1-9][0-9]*"')
        self.cell_open = b"<" + prefix + b"c"
        self.row_close = b"</" + prefix + b"row>"
        self.plain_text = re.compile(_PLAIN_TEXT.replace(b"{p}", p))

    @classmethod
    def of(cls, prefix: bytes) -> Names:
        names = cls._known.get(prefix)
        if names is None:
            names = cls(prefix)
            if len(cls._known) < 8:  # prefixes come from the files: keep only a few
                cls._known[prefix] = names
        return names


def _column(letters: bytes) -> int:
    column = _COLUMNS[letters] = column_number(letters.decode())
    return column


def attribute_values(attributes: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes by name, their values as written (entities kept)."""
    return {name: value[1:-1] for name, value in ATTRIBUTE.findall(attributes)}


def _text(raw: bytes) -> str:
    """Character data as a parser gives it: entities replaced, line ends normalised."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Unhandled from err
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    if text.count("&") != len(_ENTITY.findall(text)):
        raise Unhandled  # an entity only a DTD could declare: the parser says what is wrong
    return _ENTITY.sub(_entity, text)


def _plain_text(plain: re.Match[bytes], shared: Callable[[int], str]) -> str:
    """The text of a cell `_PLAIN_TEXT` matched."""
    text = plain[3] if plain[3] is not None else plain[4]
    if plain[2] == b"s" and plain[4] is not None and text.strip().isdigit():
        return shared(int(text))
    return _text(text)


def _entity(match: re.Match[str]) -> str:
    name = match[1]
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


class SheetText:
    """A sheet part's text with its rows found, and its cells found as they are asked for."""

    def __init__(self, data: bytes, tab: str) -> None:
        self.data = data
        self.tab = tab
        start = _START.match(data)
        if start is None or b"<!" in data or data.count(b"<?") > (1 if start[1] else 0):
            raise Unhandled
        encoding = _ENCODING.search(start[1] or b"")
        if encoding is not None and encoding[1].lower() not in (b"utf-8", b"utf8"):
            raise Unhandled
        self.names = names = Names.of(start[2] + b":" if start[2] else b"")
        opening = names.start["sheetData"].search(data, start.end())
        if opening is None or opening[2]:
            raise Unhandled
        closing = names.end["sheetData"].search(data, opening.end())
        if closing is None or b"xmlns" in data[opening.start() : closing.end()]:
            raise Unhandled
        self.head_end, self.body_start = opening.start(), opening.end()
        self.body_end = closing.start()
        self.rows = list(names.start["row"].finditer(data, self.body_start, self.body_end))
        self.numbers: list[int] = []
        previous = 0
        for row in self.rows:
            ref = ROW_REFERENCE.search(row[1])
            if ref is not None and not ref[2].isdigit():
                raise Unhandled
            number = int(ref[2]) if ref else previous + 1
            if number <= previous:
                raise Unhandled  # out of order: the tree patch refuses it in words
            self.numbers.append(number)
            previous = number
        self.index = {number: i for i, number in enumerate(self.numbers)}
        self._ends: dict[int, tuple[int, int]] = {}
        self._cells: dict[int, tuple[list[int], list[int], list[Cell] | None]] = {}

    # -- reading ---------------------------------------------------------------------------

    def row_end(self, i: int) -> tuple[int, int]:
        """Where row `i`'s content ends and the row ends (both its start tag's end if empty)."""
        found = self._ends.get(i)
        if found is not None:
            return found
        row = self.rows[i]
        if row[2]:
            found = row.end(), row.end()
        else:
            following = self.rows[i + 1].start() if i + 1 < len(self.rows) else self.body_end
            at = self.data.find(self.names.row_close, row.end(), following)
            if at >= 0:
                found = at, at + len(self.names.row_close)
            else:
                closing = self.names.end["row"].search(self.data, row.end(), following)
                if closing is None:
                    raise Unhandled
                found = closing.start(), closing.end()
        self._ends[i] = found
        return found

    def cells(self, i: int) -> tuple[list[int], list[int]]:
        """Row `i`'s cells as their columns and where each starts; `Unhandled` when they are
        not in column order. When every cell starts `<c r="B5"`, as spreadsheet programs write
        them, only those starts are read."""
        found = self._cells.get(i)
        if found is None:
            data, names = self.data, self.names
            start, content_end = self.rows[i].end(), self.row_end(i)[0]
            quick = list(names.quick_cell.finditer(data, start, content_end))
            if len(quick) == data.count(names.cell_open, start, content_end):
                known = _COLUMNS
                columns = [known.get(tag[1]) or _column(tag[1]) for tag in quick]
                if any(a >= b for a, b in zip(columns, columns[1:], strict=False)):
                    raise Unhandled
                found = columns, [tag.start() for tag in quick], None
            else:
                scanned = self._scanned_cells(start, content_end)
                found = [c.column for c in scanned], [c.start for c in scanned], scanned
            self._cells[i] = found
        return found[0], found[1]

    def cell(self, i: int, k: int) -> Cell:
        """The `k`th cell of row `i`, its start tag read and its end found."""
        columns, starts, scanned = self._cells[i]
        if scanned is not None:
            return scanned[k]
        limit = starts[k + 1] if k + 1 < len(starts) else self.row_end(i)[0]
        cell = Cell(columns[k], starts[k], limit)
        self._complete(cell)
        return cell

    def scanned(self, i: int) -> list[Cell]:
        """Row `i`'s cells when they had to be read in full (some without a reference), else
        none."""
        return self._cells[i][2] or []

    def _scanned_cells(self, start: int, content_end: int) -> list[Cell]:
        """Every cell of a row read in full: references missing, quoted otherwise, ..."""
        found: list[Cell] = []
        column = 0
        position = start
        for tag in self.names.start["c"].finditer(self.data, start, content_end):
            if tag.start() < position:
                raise Unhandled
            cell = Cell(0, tag.start(), content_end)
            self._complete(cell)
            ref = cell.values.get(b"r")
            if ref:
                letters = _CELL_REFERENCE.fullmatch(ref)
                if letters is None:
                    raise Unhandled
                number = _column(letters[1])
                if number <= column:
                    raise Unhandled
                column = number
            else:
                column += 1
            cell.column = column
            found.append(cell)
            position = cell.end
        return found

    def _complete(self, cell: Cell) -> None:
        """Read the cell's start tag and find its end."""
        tag = self.names.start["c"].match(self.data, cell.start, cell.limit)
        if tag is None:
            raise Unhandled
        cell.tag_end, cell.attributes, cell.values = tag.end(), tag[1], attribute_values(tag[1])
        if tag[2]:
            cell.end = tag.end()
        else:
            closing = self.names.end["c"].search(self.data, tag.end(), cell.limit)
            if closing is None:
                raise Unhandled
            cell.end = closing.end()

    def last_cell(self, i: int) -> tuple[int, int] | None:
        """The column of row `i`'s last cell and where it ends, found from the row's end when
        that cell starts `<c r="B5"` (column 0 and the row's start for a row without cells);
        None when the row's cells must be read instead."""
        data, names = self.data, self.names
        start, content_end = self.rows[i].end(), self.row_end(i)[0]
        at = data.rfind(names.cell_open, start, content_end)
        if at < 0:
            return 0, start
        tag = names.quick_cell.match(data, at, content_end)
        if tag is None:
            return None
        cell = Cell(_COLUMNS.get(tag[1]) or _column(tag[1]), at, content_end)
        self._complete(cell)
        return cell.column, cell.end

    def text_in(self, i: int, column: int, shared: Callable[[int], str]) -> str | None:
        """The text of row `i`'s cell in `column` as read for an ID check ("" for no cell, None
        for a formula); a plain first cell, as an ID cell usually is, is read on its own."""
        start = self.rows[i].end()
        first = self.names.quick_cell.match(self.data, start)
        if first is not None and (_COLUMNS.get(first[1]) or _column(first[1])) == column:
            plain = self.names.plain_text.match(self.data, start, self.row_end(i)[0])
            if plain is not None:
                return _plain_text(plain, shared)
        columns, _ = self.cells(i)
        k = bisect.bisect_left(columns, column)
        if k < len(columns) and columns[k] == column:
            return self.text(i, k, shared)
        return ""

    def text(self, i: int, k: int, shared: Callable[[int], str]) -> str | None:
        """The text of row `i`'s `k`th cell as read for an ID check; None for a formula (not
        checked here)."""
        columns, starts, scanned = self._cells[i]
        if scanned is None:
            limit = starts[k + 1] if k + 1 < len(starts) else self.row_end(i)[0]
            plain = self.names.plain_text.match(self.data, starts[k], limit)
            if plain is not None:
                return _plain_text(plain, shared)
        cell = self.cell(i, k)
        inner = self.data[cell.tag_end : cell.end] if cell.tag_end < cell.end else b""
        if self.names.start["f"].search(inner):
            return None
        kind = cell.values.get(b"t", b"n")
        if kind == b"inlineStr":
            holder = self.names.start["is"].search(inner)
            if holder is None or holder[2]:
                return ""
            if self.names.rich.search(inner):
                raise Unhandled  # runs or phonetics: the tree patch reads them
            return self._element_text(inner, "t", holder.end())
        value = self._element_text(inner, "v", 0)
        if kind == b"s" and value.strip().isdigit():
            return shared(int(value))
        return value

    def _element_text(self, inner: bytes, name: str, start: int) -> str:
        tag = self.names.start[name].search(inner, start)
        if tag is None or tag[2]:
            return ""
        closing = self.names.end[name].search(inner, tag.end())
        if closing is None or b"<" in inner[tag.end() : closing.start()]:
            raise Unhandled
        return _text(inner[tag.end() : closing.start()])

    def merged(self) -> list[tuple[int, int, int, int]]:
        return [
            merged_box(attribute_values(tag[1]).get(b"ref", b"").decode())
            for tag in self.names.merge.finditer(self.data, self.body_end)
        ]

    def column_styles(self) -> list[tuple[int, int, bytes]]:
        styles = []
        for tag in self.names.start["col"].finditer(self.data, 0, self.head_end):
            values = attribute_values(tag[1])
            style = values.get(b"style")
            if style:
                if not style.isdigit():
                    raise Unhandled
                styles.append((int(values.get(b"min", b"0")), int(values.get(b"max", b"0")), style))
        return styles
