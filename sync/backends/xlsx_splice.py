"""Writing cells into a sheet part's text: only the `<row>` elements that change are rebuilt and
every other byte of the part stays as it was.

Parsing a whole sheet into a tree and serialising it back costs several times what the few
cells a sync writes do. The rows and cells are found in the text (`xlsx_sheet_text`); markup
it does not read raises `Unhandled`, and the caller patches the parsed tree instead
(`xlsx_patch.patch_tree`), which gives the same cells.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping

from .xlsx_package import RowsMoved
from .xlsx_sheet_text import ATTRIBUTE, ROW_REFERENCE, Cell, SheetText, Unhandled, attribute_values
from .xlsx_writes import (
    CellRefused,
    Cells,
    CellValue,
    column_letter,
    id_matches,
    rows_to_write,
    widened_dimension,
    widened_spans,
)

__all__ = ["Unhandled", "splice_cells"]

_VALUE_ATTRIBUTES = (b"t", b"cm", b"vm", b"ph")  # what describes the old value, not the cell


def _with(attributes: bytes, name: bytes, value: bytes | None) -> bytes:
    """`attributes` with `name` set to `value` (appended when missing), or removed for None."""
    for match in ATTRIBUTE.finditer(attributes):
        if match[1] == name:
            replacement = b"" if value is None else b" " + name + b'="' + value + b'"'
            return attributes[: match.start()].rstrip() + replacement + attributes[match.end() :]
    return attributes if value is None else attributes + b" " + name + b'="' + value + b'"'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def splice_cells(
    data: bytes,
    tab: str,
    cells: Cells,
    expected: Mapping[tuple[int, int], str] | None,
    shared: Callable[[int], str],
) -> tuple[bytes, bool]:
    """The sheet part `data` with `cells` set (as `xlsx_patch.patch_cells` says), and whether
    a formula was overwritten. `RowsMoved` when an `expected` ID is no longer in its cell,
    `CellRefused` for a cell that cannot be written, `Unhandled` for markup left to the tree."""
    sheet = SheetText(data, tab)
    if expected:
        _check(sheet, expected, shared)
    writes = rows_to_write(cells, sheet.merged(), tab)
    patch = _Patch(sheet)
    for r, row_writes in writes.items():
        patch.row(r, row_writes)
    return patch.result(), patch.dropped_formula


def _check(
    sheet: SheetText, expected: Mapping[tuple[int, int], str], shared: Callable[[int], str]
) -> None:
    for (r, c), text in expected.items():
        i = sheet.index.get(r)
        found: str | None = ""
        if i is not None:
            columns, _ = sheet.cells(i)
            k = bisect.bisect_left(columns, c)
            if k < len(columns) and columns[k] == c:
                found = sheet.text(sheet.cell(i, k), shared)
        if found is not None and not id_matches(found, text):
            raise RowsMoved(
                f"row {r} of tab {sheet.tab!r} now holds {found!r} where {text!r} was read"
            )


class _Patch:
    """The rows being rebuilt, and what the writes did."""

    def __init__(self, sheet: SheetText) -> None:
        self.sheet = sheet
        self.p = sheet.names.prefix  # bytes: `x:` or empty
        self.styles = sheet.column_styles()
        self.style_of: dict[int, bytes | None] = {}
        self.written: list[tuple[int, int]] = []
        self.dropped_formula = False
        self.splices: list[tuple[int, int, bytes]] = []  # (start, end, replacement)

    def row(self, r: int, writes: list[tuple[int, CellValue]]) -> None:
        """Set one row's cells (`writes` sorted by column): the row rebuilt, or a new one."""
        sheet, data = self.sheet, self.sheet.data
        filled = [c for c, value in writes if value is not None]
        self.written.extend((r, c) for c in filled)
        i = sheet.index.get(r)
        if i is None:
            if filled:
                at = bisect.bisect_left(sheet.numbers, r)
                place = sheet.rows[at].start() if at < len(sheet.rows) else sheet.body_end
                cells = b"".join(self._new_cell(r, c, value) for c, value in writes)
                row = b'<%srow r="%d">%s</%srow>' % (self.p, r, cells, self.p)
                self.splices.append((place, place, row))
            return
        tag = sheet.rows[i]
        content_end, row_end = sheet.row_end(i)
        columns, starts = sheet.cells(i)
        edits: list[tuple[int, int, bytes]] = []  # in the row: (start, end, replacement)
        for c, value in writes:
            k = bisect.bisect_left(columns, c)
            if k < len(columns) and columns[k] == c:
                cell = sheet.cell(i, k)
                edits.append((cell.start, cell.end, self._rewritten(r, cell, value)))
            elif value is not None:
                if k < len(columns):
                    place = starts[k]
                elif columns:
                    place = sheet.cell(i, len(columns) - 1).end
                else:
                    place = tag.end()
                edits.append((place, place, self._new_cell(r, c, value)))
        if len(edits) > 1:
            edits.sort(key=lambda edit: (edit[0], edit[1]))
        scanned = sheet.scanned(i)
        if scanned:  # a cell without a reference gets one, as a cell written before it would move
            rewritten = {start for start, end, _ in edits if end > start}
            for cell in scanned:
                if b"r" not in cell.values and cell.start not in rewritten:
                    ref = b"%s%d" % (column_letter(cell.column).encode(), r)
                    start_tag = b"<%sc%s%s" % (
                        self.p,
                        _with(cell.attributes, b"r", ref),
                        b"/>" if cell.tag_end == cell.end else b">",
                    )
                    edits.append((cell.start, cell.tag_end, start_tag))
            edits.sort(key=lambda edit: (edit[0], edit[1]))
        pieces: list[bytes] = []
        position = tag.end()
        for start, end, text in edits:
            pieces.append(data[position:start])
            pieces.append(text)
            position = end
        pieces.append(data[position:content_end])
        content = b"".join(pieces)
        attributes = tag[1]
        if ROW_REFERENCE.search(attributes) is None:
            attributes = _with(attributes, b"r", b"%d" % r)
        spans = attribute_values(attributes).get(b"spans") if b"spans" in attributes else None
        if spans:
            wider = widened_spans(spans.decode(), filled)
            if wider != spans.decode():
                attributes = _with(attributes, b"spans", None if wider is None else wider.encode())
        opening = b"<%srow%s" % (self.p, attributes)
        if not tag[2]:  # its own end tag, as written
            row = opening + b">" + content + data[content_end:row_end]
        elif content:
            row = opening + b">" + content + b"</%srow>" % self.p
        else:
            row = opening + b"/>"
        self.splices.append((tag.start(), row_end, row))

    def _rewritten(self, r: int, cell: Cell, value: CellValue) -> bytes:
        inner = self.sheet.data[cell.tag_end : cell.end]
        formula = self.sheet.names.start["f"].search(inner)
        if formula is not None:
            found = attribute_values(formula[1])
            kind, ref = found.get(b"t"), found.get(b"ref")
            where = f"cell {column_letter(cell.column)}{r} of tab {self.sheet.tab!r}"
            if kind == b"shared" and ref:
                raise CellRefused(
                    f"{where} holds a formula shared with other cells; clear or retype that formula"
                )
            if kind == b"array" and ref and b":" in ref:
                raise CellRefused(
                    f"{where} holds an array formula over {ref.decode()}; clear or retype "
                    f"that formula"
                )
            self.dropped_formula = True
        attributes = cell.attributes
        for name in _VALUE_ATTRIBUTES:
            if name in cell.values:
                attributes = _with(attributes, name, None)
        if b"r" not in cell.values:
            attributes = _with(attributes, b"r", f"{column_letter(cell.column)}{r}".encode())
        if value is None:  # an empty cell keeps its formatting; one without goes
            if cell.values.get(b"s") in (None, b"0"):
                return b""
            return b"<%sc%s/>" % (self.p, attributes)
        return self._cell(attributes, value)

    def _new_cell(self, r: int, c: int, value: CellValue) -> bytes:
        """A cell that was not there, with its column's style as when typed in Excel."""
        if value is None:
            return b""
        attributes = b' r="%s%d"' % (column_letter(c).encode(), r)
        style = self._style(c)
        if style is not None:
            attributes += b' s="%s"' % style
        return self._cell(attributes, value)

    def _cell(self, attributes: bytes, value: str | int | float) -> bytes:
        p = self.p
        if isinstance(value, bool):
            return b'<%sc%s t="b"><%sv>%d</%sv></%sc>' % (p, attributes, p, value, p, p)
        if isinstance(value, int | float):
            return b"<%sc%s><%sv>%s</%sv></%sc>" % (p, attributes, p, repr(value).encode(), p, p)
        space = b' xml:space="preserve"' if value != value.strip() or "\n" in value else b""
        text = _escape(value).encode()
        return b'<%sc%s t="inlineStr"><%sis><%st%s>%s</%st></%sis></%sc>' % (
            p, attributes, p, p, space, text, p, p, p
        )  # fmt: skip

    def _style(self, column: int) -> bytes | None:
        if column not in self.style_of:
            self.style_of[column] = next(
                (s for low, high, s in self.styles if low <= column <= high), None
            )
        return self.style_of[column]

    def result(self) -> bytes:
        sheet = self.sheet
        data = sheet.data
        splices = sorted(self.splices, key=lambda s: (s[0], s[1]))
        head_end = sheet.head_end
        head = data[:head_end]
        if self.written:
            dimension = sheet.names.start["dimension"].search(data, 0, head_end)
            if dimension is not None:
                ref = attribute_values(dimension[1]).get(b"ref")
                wider = widened_dimension(ref.decode() if ref else None, self.written)
                attributes = _with(dimension[1], b"ref", wider.encode())
                tag = b"<%sdimension%s%s" % (self.p, attributes, b"/>" if dimension[2] else b">")
                head = data[: dimension.start()] + tag + data[dimension.end() : head_end]
        pieces = [head]
        position = head_end
        for start, end, text in splices:
            pieces.append(data[position:start])
            pieces.append(text)
            position = end
        pieces.append(data[position:])
        return b"".join(pieces)
