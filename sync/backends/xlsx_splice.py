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
        found = sheet.text_in(i, c, shared) if i is not None else ""
        if found is not None and not id_matches(found, text):
            raise RowsMoved(
                f"row {r} of tab {sheet.tab!r} now holds {found!r} where {text!r} was read"
            )


class _Patch:
    """The splices that write the cells, collected row by row, then applied in one pass."""

    def __init__(self, sheet: SheetText) -> None:
        self.sheet = sheet
        p = self.p = sheet.names.prefix  # bytes: `x:` or empty
        self.styles = sheet.column_styles()
        self.heads: dict[int, tuple[bytes, bytes]] = {}  # column -> around a new cell's row
        self.value_open, self.value_close = b"><%sv>" % p, b"</%sv></%sc>" % (p, p)
        self.text_open = b' t="inlineStr"><%sis><%st' % (p, p)
        self.text_close = b"</%st></%sis></%sc>" % (p, p, p)
        self.box: list[int] = []  # rows and columns written: first row, last row, ...
        self.dropped_formula = False
        self.splices: list[tuple[int, int, bytes]] = []  # (start, end, replacement)

    def row(self, r: int, writes: list[tuple[int, CellValue]]) -> None:
        """Set one row's cells (`writes` sorted by column), in place or in a new row."""
        sheet = self.sheet
        filled = [c for c, value in writes if value is not None]
        if filled:
            self._widen(r, filled[0], filled[-1])
        i = sheet.index.get(r)
        if i is None:
            if filled:
                at = bisect.bisect_left(sheet.numbers, r)
                place = sheet.rows[at].start() if at < len(sheet.rows) else sheet.body_end
                cells = b"".join([self._new_cell(r, c, value) for c, value in writes])
                row = b'<%srow r="%d">%s</%srow>' % (self.p, r, cells, self.p)
                self.splices.append((place, place, row))
            return
        tag = sheet.rows[i]
        opening = self._opening(r, tag[1], filled)
        if tag[2]:  # `<row r="5"/>`: no cells, so every cell written is new
            cells = b"".join([self._new_cell(r, c, value) for c, value in writes])
            if cells:
                row = b"%s>%s</%srow>" % (opening or b"<%srow%s" % (self.p, tag[1]), cells, self.p)
                self.splices.append((tag.start(), tag.end(), row))
            elif opening is not None:
                self.splices.append((tag.start(), tag.end(), opening + b"/>"))
            return
        if opening is not None:
            self.splices.append((tag.start(), tag.end(), opening + b">"))
        last = sheet.last_cell(i)
        if last is not None and writes[0][0] > last[0]:  # the usual: cells added at the end
            cells = b"".join([self._new_cell(r, c, value) for c, value in writes])
            if cells:
                self.splices.append((last[1], last[1], cells))
            return
        columns, starts = sheet.cells(i)
        self._cells_among(i, r, writes, columns, starts)

    def _cells_among(
        self,
        i: int,
        r: int,
        writes: list[tuple[int, CellValue]],
        columns: list[int],
        starts: list[int],
    ) -> None:
        sheet = self.sheet
        rewritten = set()
        after_last: int | None = None
        for c, value in writes:
            k = bisect.bisect_left(columns, c)
            if k < len(columns) and columns[k] == c:
                cell = sheet.cell(i, k)
                self.splices.append((cell.start, cell.end, self._rewritten(r, cell, value)))
                rewritten.add(cell.start)
            elif value is not None:
                if k < len(columns):
                    place = starts[k]
                else:
                    if after_last is None:
                        after_last = sheet.cell(i, len(columns) - 1).end
                    place = after_last
                self.splices.append((place, place, self._new_cell(r, c, value)))
        for cell in sheet.scanned(i):  # a cell without a reference gets one: a cell written
            if b"r" not in cell.values and cell.start not in rewritten:  # before it would move it
                ref = b"%s%d" % (column_letter(cell.column).encode(), r)
                start_tag = b"<%sc%s%s" % (
                    self.p,
                    _with(cell.attributes, b"r", ref),
                    b"/>" if cell.tag_end == cell.end else b">",
                )
                self.splices.append((cell.start, cell.tag_end, start_tag))

    def _opening(self, r: int, attributes: bytes, filled: list[int]) -> bytes | None:
        """The row's start tag (without its `>`) given its reference and wider `spans`;
        None when it stays as it is."""
        changed = False
        if ROW_REFERENCE.search(attributes) is None:
            attributes, changed = _with(attributes, b"r", b"%d" % r), True
        spans = attribute_values(attributes).get(b"spans") if b"spans" in attributes else None
        if spans:
            wider = widened_spans(spans.decode(), filled)
            if wider != spans.decode():
                spans = None if wider is None else wider.encode()
                attributes, changed = _with(attributes, b"spans", spans), True
        return b"<%srow%s" % (self.p, attributes) if changed else None

    def _widen(self, r: int, first: int, last: int) -> None:
        box = self.box
        if not box:
            box.extend((r, r, first, last))
        else:
            box[0], box[1] = min(box[0], r), max(box[1], r)
            box[2], box[3] = min(box[2], first), max(box[3], last)

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
        return self._cell(b"<%sc%s" % (self.p, attributes), value)

    def _new_cell(self, r: int, c: int, value: CellValue) -> bytes:
        """A cell that was not there, with its column's style as when typed in Excel."""
        if value is None:
            return b""
        head = self.heads.get(c)
        if head is None:
            style = next((s for low, high, s in self.styles if low <= c <= high), None)
            head = self.heads[c] = (
                b'<%sc r="%s' % (self.p, column_letter(c).encode()),
                b'"' if style is None else b'" s="%s"' % style,
            )
        return self._cell(b"%s%d%s" % (head[0], r, head[1]), value)

    def _cell(self, start: bytes, value: str | int | float) -> bytes:
        """`start` (`<c` and the cell's attributes) completed with `value`."""
        kind = type(value)
        if kind is float or kind is int:
            return b"%s%s%s%s" % (start, self.value_open, repr(value).encode(), self.value_close)
        if kind is bool:
            flag = b"1" if value else b"0"
            return b'%s t="b"%s%s%s' % (start, self.value_open, flag, self.value_close)
        text = str(value)
        space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
        escaped = _escape(text).encode()
        return b"%s%s%s>%s%s" % (start, self.text_open, space, escaped, self.text_close)

    def result(self) -> bytes:
        sheet = self.sheet
        data = sheet.data
        head_end = sheet.head_end
        head = data[:head_end]
        if self.box:
            dimension = sheet.names.start["dimension"].search(data, 0, head_end)
            if dimension is not None:
                ref = attribute_values(dimension[1]).get(b"ref")
                low_row, high_row, low_column, high_column = self.box
                corners = [(low_row, low_column), (high_row, high_column)]
                wider = widened_dimension(ref.decode() if ref else None, corners)
                attributes = _with(dimension[1], b"ref", wider.encode())
                tag = b"<%sdimension%s%s" % (self.p, attributes, b"/>" if dimension[2] else b">")
                head = data[: dimension.start()] + tag + data[dimension.end() : head_end]
        pieces = [head]
        position = head_end
        for start, end, text in sorted(self.splices, key=lambda s: (s[0], s[1])):
            if start < position:
                raise Unhandled  # overlapping: not a part this reading understood
            pieces.append(data[position:start])
            pieces.append(text)
            position = end
        pieces.append(data[position:])
        return b"".join(pieces)
