"""A hub output tab's part written in chunks (`xlsx_chunks`), and changed a chunk at a time.

A 100,000-row Alignment Tree is a 70 MB part: inflating and deflating it whole costs most of a
second, for a sync that changed three rows. Written whole, the part is compressed in chunks of
`CHUNK_ROWS` rows, indexed. Then rows replaced at their places inflate and deflate only the
chunks holding them, and rows appended to a log only its last chunk and new ones; the head
and the end of the rows (the dimension, outline depth and filter, which follow the rows) are
made again, every other chunk keeps its bytes. The part is then what writing the tab whole
makes. Anything that does not fit (a link that changes, a new cell format, a part that is
not as its index says) returns None, and the caller writes the tab whole.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from ..snapshot import CellValue, Link, OutputTable
from .xlsx_chunks import (
    Chunk,
    PartIndex,
    Piece,
    RowChunk,
    assemble,
    deflate_piece,
    inflate_chunk,
    kept_piece,
    level_for,
)
from .xlsx_hub_sheet import CHUNK_ROWS, HYPERLINK_TYPE, SheetXml, sheet_frame, sheet_xml
from .xlsx_package import REL_NS, Deflated
from .xlsx_styles import StyleSheet
from .xlsx_writes import column_number

__all__ = [
    "StoredPart",
    "appended_part",
    "chunked_sheet",
    "patched_part",
    "stored_index",
    "whole_part",
]

_ROW_LEVEL = re.compile(rb'<row r="[0-9]+" outlineLevel="([0-9]+)"')
_ROW_START = re.compile(rb'<row r="([0-9]+)"')
_ROW_END = re.compile(rb"</row>")
_DATA_END = re.compile(rb'</sheetData>(?:<autoFilter ref="[A-Z0-9:]+"/>)?')
_DIMENSION = re.compile(rb'<dimension ref="A1:([A-Z]{1,3})[0-9]+"/>')
_LINK_ELEMENT = re.compile(rb'<hyperlink ref="[A-Z]{1,3}([0-9]+)"[^>]*/>')
_REL_ID = re.compile(rb' r:id="([^"]+)"')
Row = list[CellValue | Link]


@dataclass(frozen=True, slots=True)
class StoredPart:
    """A tab's part as hub.xlsx holds it: its compressed bytes, index, and relationships."""

    data: bytes
    index: PartIndex
    rels: bytes | None


def chunked_sheet(
    xml: bytes, table: OutputTable, book: StyleSheet
) -> tuple[Deflated, PartIndex] | None:
    """A part okrtree wrote in one piece (a log's rows spliced in, `xlsx_hub_append`)
    compressed in chunks as writing the tab whole would, so that rows are next appended in
    place; None when it is not laid out as `sheet_xml` lays out `table`'s."""
    data = xml.find(b"<sheetData>")
    head_end = xml.find(b"</row>", data) + len(b"</row>")
    data_end = xml.rfind(b"</sheetData>")
    dimension = _DIMENSION.search(xml, 0, data)
    after = _DATA_END.match(xml, data_end)
    if data < 0 or head_end < data or dimension is None or after is None:
        return None
    width = max(len(table.header), column_number(dimension[1].decode()))
    ends = [found.end() for found in _ROW_END.finditer(xml, head_end, data_end)]
    if (ends or [head_end])[-1] != data_end:
        return None  # something else than rows
    last = _ROW_START.match(xml, xml.rfind(b"<row ", head_end, data_end)) if ends else None
    if ends and (last is None or int(last[1]) != len(ends) + 1):
        return None  # not numbered from 2 on, one after another
    spans: list[tuple[int, int, RowChunk]] = []
    start = head_end
    for at in range(0, len(ends), CHUNK_ROWS):
        end = ends[min(at + CHUNK_ROWS, len(ends)) - 1]
        first = _ROW_START.match(xml, start)
        if first is None or int(first[1]) != at + 2:
            return None
        deepest = max((int(depth) for depth in _ROW_LEVEL.findall(xml, start, end)), default=0)
        rows = min(CHUNK_ROWS, len(ends) - at)
        spans.append((start, end, RowChunk(at + 2, rows, deepest, width)))
        start = end
    deepest = max([0, *(span.deepest for _, _, span in spans)])
    head, filtered = sheet_frame(table, book, width, len(ends) + 1, deepest)
    if xml[:head_end] != head or xml[data_end : after.end()] != filtered:
        return None
    level = level_for(len(xml))
    return assemble(
        table.header,
        [
            deflate_piece(head, level),
            *(deflate_piece(xml[start:end], level, span) for start, end, span in spans),
            deflate_piece(filtered, level),
            deflate_piece(xml[after.end() :], level),
        ],
    )


def whole_part(made: SheetXml, header: list[str]) -> tuple[Deflated, PartIndex]:
    """`made` compressed in chunks, and its index."""
    level = level_for(sum(len(piece) for piece in made.pieces))
    head, *rows, data_end, rest = made.pieces
    pieces = [deflate_piece(head, level)]
    for raw, chunk in zip(rows, made.chunks, strict=True):
        pieces.append(deflate_piece(raw, level, chunk))
    pieces += [deflate_piece(data_end, level), deflate_piece(rest, level)]
    return assemble(header, pieces)


def stored_index(info: zipfile.ZipInfo, index: PartIndex) -> bool:
    """Whether the zip member is the part the index was made for."""
    rows = index.row_chunks
    numbers = [2, *(chunk.span.first + chunk.span.rows for chunk in rows)]
    return (
        info.compress_type == zipfile.ZIP_DEFLATED
        and not info.flag_bits & 0x01  # encrypted
        and (info.compress_size, info.file_size, info.CRC) == (index.length, index.size, index.crc)
        and all(c.span.first == number for c, number in zip(rows, numbers, strict=False))
        and all(chunk.span.rows > 0 for chunk in rows)
    )


def patched_part(
    stored: StoredPart, table: OutputTable, book: StyleSheet, epoch: dt.datetime
) -> tuple[Deflated, PartIndex] | None:
    """The part with `table.rows` in place of the rows at `table.replaces`, or None."""
    assert table.replaces is not None
    chunks = stored.index.row_chunks
    total = sum(chunk.span.rows for chunk in chunks)
    if tuple(table.header) != stored.index.header or len(table.replaces) != len(table.rows):
        return None
    new_rows = dict(zip(table.replaces, table.rows, strict=True))  # the last one of a place wins
    if any(not 0 <= at < total for at in new_rows):
        return None
    starts = [chunk.span.first for chunk in chunks]
    touched: dict[int, list[int]] = {}
    for at in sorted(new_rows):
        touched.setdefault(bisect.bisect_right(starts, at + 2) - 1, []).append(at)
    level = level_for(stored.index.size)
    pieces = [kept_piece(stored.data, chunk) for chunk in chunks]
    patch = _Patch(stored, table, book, epoch)
    added_before = book.changed
    book.changed = False
    try:
        for number, places in touched.items():
            raw = patch.chunk(chunks[number], {at: new_rows[at] for at in places})
            if raw is None:
                return None
            width = max(len(table.header), *(len(new_rows[at]) for at in places))
            deepest = max((int(depth) for depth in _ROW_LEVEL.findall(raw)), default=0)
            span = dataclasses.replace(chunks[number].span, deepest=deepest, width=width)
            pieces[number] = deflate_piece(raw, level, span)
    finally:
        book.changed = added_before or book.changed
    return _framed(stored, table, book, pieces, level)


class _Patch:
    """Rows replaced in the chunks of one stored part."""

    def __init__(
        self, stored: StoredPart, table: OutputTable, book: StyleSheet, epoch: dt.datetime
    ) -> None:
        self.stored, self.table, self.book, self.epoch = stored, table, book, epoch
        self.rest: bytes | None = None  # the part after its rows, with the hyperlinks
        self.rel_ids: dict[str, str] | None = None

    def chunk(self, chunk: Chunk, new_rows: dict[int, Row]) -> bytes | None:
        """The chunk's rows with `new_rows` (by 0-based place) in place, or None when the
        part must be written whole: a new cell format, a link that changes, a chunk not as
        its index says or wider than the header (the rows it drops may be the widest)."""
        old = inflate_chunk(self.stored.data, chunk)
        if old is None or chunk.span.width > len(self.table.header):
            return None
        if self.rest is None:
            self.rest = inflate_chunk(self.stored.data, self.stored.index.chunks[-1])
            if self.rest is None:
                return None
        spliced: list[bytes] = []
        cursor = 0
        for run in _runs(sorted(new_rows)):
            first, last = run[0] + 2, run[-1] + 2  # row numbers: the header is row 1
            made = _rows_xml(self.table, [new_rows[at] for at in run], first, self.book, self.epoch)
            if self.book.changed:
                return None
            if made.targets and self.rel_ids is None:
                self.rel_ids = _hub_rel_ids(self.stored.rels)
            links = _made_links(made, self.rel_ids or {})
            if links is None or links != _links_of_rows(self.rest, first, last):
                return None  # the hyperlinks and relationships would change with it
            where = _row_span(old, first, last)
            if where is None:
                return None
            spliced += [old[cursor : where[0]], *made.pieces[1:-2]]
            cursor = where[1]
        spliced.append(old[cursor:])
        return b"".join(spliced)


def appended_part(
    stored: StoredPart, table: OutputTable, book: StyleSheet, epoch: dt.datetime
) -> tuple[Deflated, PartIndex] | None:
    """The part with `table.rows` after its `kept_rows` rows, or None."""
    index = stored.index
    chunks = list(index.row_chunks)
    total = sum(chunk.span.rows for chunk in chunks)
    if tuple(table.header) != index.header or total != table.kept_rows:
        return None
    if any(isinstance(value, Link) for row in table.rows for value in row):
        return None  # logs link nowhere; a link would need the relationships part
    level = level_for(index.size)
    pieces = [kept_piece(stored.data, chunk) for chunk in chunks]
    rows: list[Row] = table.rows
    following = total + 2
    if chunks and chunks[-1].span.rows < CHUNK_ROWS and rows:  # top up the last chunk first
        last = chunks[-1]
        old = inflate_chunk(stored.data, last)
        if old is None:
            return None
        room = CHUNK_ROWS - last.span.rows
        made = _rows_xml(table, rows[:room], following, book, epoch)
        [added] = made.chunks
        span = RowChunk(
            last.span.first,
            last.span.rows + added.rows,
            max(last.span.deepest, added.deepest),
            max(last.span.width, added.width),
        )
        pieces[-1] = deflate_piece(old + made.pieces[1], level, span)
        rows, following = rows[room:], following + added.rows
    if rows:
        made = _rows_xml(table, rows, following, book, epoch)
        for raw, chunk in zip(made.pieces[1:-2], made.chunks, strict=True):
            pieces.append(deflate_piece(raw, level, chunk))
    return _framed(stored, table, book, pieces, level)


def _rows_xml(
    table: OutputTable,
    rows: list[Row],
    first: int,
    book: StyleSheet,
    epoch: dt.datetime,
) -> SheetXml:
    return sheet_xml(OutputTable(table.name, table.header, rows), book, first, epoch)


def _framed(
    stored: StoredPart, table: OutputTable, book: StyleSheet, rows: list[Piece], level: int
) -> tuple[Deflated, PartIndex]:
    """The part from its row chunks: the head and the end of the rows made for them, the
    rest kept."""
    width = max([len(table.header), *(piece.span.width for piece in rows)])
    deepest = max([0, *(piece.span.deepest for piece in rows)])
    last_row = rows[-1].span.first + rows[-1].span.rows - 1 if rows else 1
    head, data_end = sheet_frame(table, book, width, last_row, deepest)
    pieces = [
        deflate_piece(head, level),
        *rows,
        deflate_piece(data_end, level),
        kept_piece(stored.data, stored.index.chunks[-1]),
    ]
    return assemble(table.header, pieces)


def _runs(places: list[int]) -> list[list[int]]:
    """Sorted places grouped into runs of consecutive ones."""
    runs: list[list[int]] = []
    for at in places:
        if runs and runs[-1][-1] == at - 1:
            runs[-1].append(at)
        else:
            runs.append([at])
    return runs


def _row_span(chunk: bytes, first: int, last: int) -> tuple[int, int] | None:
    """Where rows `first` to `last` lie in a chunk of rows."""
    start = chunk.find(b'<row r="%d"' % first)
    end = chunk.find(b'<row r="%d"' % last, start)
    if start < 0 or end < 0:
        return None
    end = chunk.find(b"</row>", end)
    return (start, end + len(b"</row>")) if end >= 0 else None


def _links_of_rows(rest: bytes, first: int, last: int) -> list[bytes]:
    """The `<hyperlink>` elements of rows `first` to `last`, found by halving: they are in
    row order."""
    low, high = 0, len(rest)
    while low < high:
        middle = (low + high) // 2
        found = _LINK_ELEMENT.search(rest, middle)
        if found is None or int(found[1]) >= first:
            high = middle
        else:
            low = middle + 1
    links = []
    for found in _LINK_ELEMENT.finditer(rest, low):
        if int(found[1]) > last:
            break
        links.append(found[0])
    return links


def _made_links(made: SheetXml, rel_ids: Mapping[str, str]) -> list[bytes] | None:
    """The `<hyperlink>` elements of `made` with the hub's relationship ids, or None when one
    leads to a file the hub's tab links nowhere."""
    links = []
    for found in _LINK_ELEMENT.finditer(made.pieces[-1]):
        element = found[0]
        named = _REL_ID.search(element)
        if named is not None:
            hub_id = rel_ids.get(made.targets.get(named[1].decode(), ""))
            if hub_id is None:
                return None
            element = _REL_ID.sub(b' r:id="%s"' % hub_id.encode(), element)
        links.append(element)
    return links


def _hub_rel_ids(rels: bytes | None) -> dict[str, str]:
    """The tab's relationship id of each file its links lead to."""
    if rels is None:
        return {}
    root = etree.fromstring(rels, etree.XMLParser(resolve_entities=False, no_network=True))
    return {
        rel.get("Target", ""): rel.get("Id", "")
        for rel in root.iter(f"{{{REL_NS}}}Relationship")
        if rel.get("Type") == HYPERLINK_TYPE
    }
