"""A sheet part compressed as independent chunks, and the index that finds each chunk again.

Each chunk (the head through the header row, `CHUNK_ROWS` rows at a time, the end of the rows
through the filter, the rest) is deflated alone and flushed to a byte boundary with no memory
of the chunks before it (`Z_FULL_FLUSH`), and the stream ends with an empty final block. The
part is then a valid deflate stream in which any chunk can be inflated, replaced by a chunk
compressed anew, or kept as its stored bytes; the part's CRC-32 comes from the chunks' CRCs
(`crc32_combine`). The index (`PartIndex`) is kept in `.okrtree/hub-state.json` (`xlsx_state`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from .xlsx_crc import crc32_combine
from .xlsx_package import Deflated

__all__ = [
    "NO_ROWS",
    "Chunk",
    "PartIndex",
    "Piece",
    "RowChunk",
    "assemble",
    "deflate_piece",
    "index_from_json",
    "index_to_json",
    "inflate_chunk",
    "kept_piece",
    "level_for",
]

_RAW_DEFLATE = -15  # no zlib header or trailer: the zip entry holds the bare stream
_LARGE_PART = 1 << 20  # as `xlsx_package`: a large part compressed fast rather than small
_FINAL_BLOCK = zlib.compressobj(1, zlib.DEFLATED, _RAW_DEFLATE).flush()


@dataclass(frozen=True, slots=True)
class RowChunk:
    """`rows` rows from row number `first` in one chunk; `deepest` is their deepest outline
    level, `width` the most cells one of them has (the header's count at least)."""

    first: int
    rows: int
    deepest: int
    width: int


NO_ROWS = RowChunk(0, 0, 0, 0)  # the head and the ends of a part


@dataclass(frozen=True, slots=True)
class Chunk:
    """Where one chunk lies in the compressed part, what it holds once inflated, and its rows."""

    offset: int
    length: int
    size: int
    crc: int
    span: RowChunk = NO_ROWS


@dataclass(frozen=True, slots=True)
class PartIndex:
    """The chunks of a sheet part okrtree wrote in chunks, with the header it wrote: the
    head, the row chunks in order, the end of the rows, the rest."""

    header: tuple[str, ...]
    chunks: tuple[Chunk, ...]
    crc: int  # of the whole part

    @property
    def row_chunks(self) -> tuple[Chunk, ...]:
        return self.chunks[1:-2]

    @property
    def size(self) -> int:
        return sum(chunk.size for chunk in self.chunks)

    @property
    def length(self) -> int:
        return sum(chunk.length for chunk in self.chunks) + len(_FINAL_BLOCK)


@dataclass(frozen=True, slots=True)
class Piece:
    """A compressed chunk before it has a place in a part."""

    data: bytes
    size: int
    crc: int
    span: RowChunk = NO_ROWS


def level_for(size: int) -> int:
    """zlib's level for a part of `size` bytes: fast for a large one, its default else."""
    return 1 if size > _LARGE_PART else 6


def deflate_piece(raw: bytes, level: int, span: RowChunk = NO_ROWS) -> Piece:
    """`raw` compressed as a chunk of its own."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, _RAW_DEFLATE)
    data = compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)
    return Piece(data, len(raw), zlib.crc32(raw), span)


def kept_piece(part: bytes, chunk: Chunk) -> Piece:
    """A chunk of the stored `part` as it is."""
    return Piece(
        part[chunk.offset : chunk.offset + chunk.length], chunk.size, chunk.crc, chunk.span
    )


def inflate_chunk(part: bytes, chunk: Chunk) -> bytes | None:
    """A chunk of the stored `part` inflated, or None when it is not what the index says."""
    try:
        raw = zlib.decompressobj(_RAW_DEFLATE).decompress(
            part[chunk.offset : chunk.offset + chunk.length]
        )
    except zlib.error:
        return None
    return raw if len(raw) == chunk.size and zlib.crc32(raw) == chunk.crc else None


def assemble(header: Sequence[str], pieces: Sequence[Piece]) -> tuple[Deflated, PartIndex]:
    """The part made of `pieces` in order, and its index."""
    chunks: list[Chunk] = []
    offset = 0
    crc = 0
    size = 0
    for piece in pieces:
        chunks.append(Chunk(offset, len(piece.data), piece.size, piece.crc, piece.span))
        offset += len(piece.data)
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
    data = b"".join([*(piece.data for piece in pieces), _FINAL_BLOCK])
    return Deflated(data, crc, size), PartIndex(tuple(header), tuple(chunks), crc)


def index_to_json(index: PartIndex) -> dict[str, object]:
    return {
        "header": list(index.header),
        "crc": index.crc,
        "chunks": [[c.offset, c.length, c.size, c.crc, *astuple(c.span)] for c in index.chunks],
    }


def index_from_json(value: object) -> PartIndex:
    """The index as `index_to_json` wrote it; `ValueError` for anything else."""
    if not isinstance(value, dict) or not {"header", "crc", "chunks"} <= value.keys():
        raise ValueError("not an index")
    header, crc, chunks = value["header"], value["crc"], value["chunks"]
    if not (isinstance(header, list) and all(isinstance(name, str) for name in header)):
        raise ValueError("bad header")
    if not isinstance(crc, int) or not isinstance(chunks, list) or len(chunks) < 3:
        raise ValueError("bad chunks")
    made = []
    offset = 0
    for fields in chunks:
        if not (
            isinstance(fields, list)
            and len(fields) == 8
            and all(type(f) is int and f >= 0 for f in fields)
            and fields[0] == offset
        ):
            raise ValueError("bad chunk")
        _, length, size, chunk_crc, first, rows, deepest, width = fields
        made.append(Chunk(offset, length, size, chunk_crc, RowChunk(first, rows, deepest, width)))
        offset += length
    return PartIndex(tuple(header), tuple(made), crc)
