"""A1 notation as the Sheets API reads and echoes it.

Parsing is split in two steps because an A1 string alone is ambiguous: ``Sheet1`` may name a
tab or nothing at all, ``A:C`` is unbounded until a grid gives it a size. :func:`split_range`
separates the tab from the cells, :func:`parse_cells` reads the cells into a :class:`CellBox`
whose missing bounds are ``None``, and :meth:`CellBox.bounded` closes it against a grid.

>>> parse_cells("B2:C")
CellBox(row0=1, col0=1, row1=None, col1=3)
>>> format_range("My Tab", CellBox(0, 0, 10, 3))
"'My Tab'!A1:C10"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CellBox",
    "RangeSyntaxError",
    "cell_name",
    "column_letters",
    "column_number",
    "format_range",
    "parse_cells",
    "quote_title",
    "split_range",
]

_PART = re.compile(r"^([A-Za-z]*)(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


class RangeSyntaxError(ValueError):
    """The text is not A1 notation the API would accept."""


@dataclass(frozen=True)
class CellBox:
    """A half-open block of cells, 0-based; ``None`` marks a side left open in the A1 text."""

    row0: int
    col0: int
    row1: int | None
    col1: int | None

    def bounded(self, rows: int, cols: int) -> CellBox:
        """Close the open sides at the grid's edge, as the API does when it echoes a range."""
        return CellBox(
            self.row0,
            self.col0,
            rows if self.row1 is None else self.row1,
            cols if self.col1 is None else self.col1,
        )

    @property
    def height(self) -> int:
        """Rows covered; only meaningful once bounded."""
        return (self.row1 or 0) - self.row0

    @property
    def width(self) -> int:
        """Columns covered; only meaningful once bounded."""
        return (self.col1 or 0) - self.col0


def column_letters(index: int) -> str:
    """0-based column index to letters: 0 -> ``A``, 26 -> ``AA``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """Letters to a 0-based column index: ``A`` -> 0, ``AA`` -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_name(row: int, col: int) -> str:
    """0-based row and column to ``A1``."""
    return f"{column_letters(col)}{row + 1}"


def quote_title(title: str) -> str:
    """Quote a tab title the way the API does in the ranges it returns."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str | None]:
    """Split ``'My Tab'!A1:B2`` into ``("My Tab", "A1:B2")``.

    Without ``!`` the text is returned as the cell part with no title; the caller decides whether
    it names a tab. A quoted title without cells gives ``(title, None)``.
    """
    text = text.strip()
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                break
            title.append(text[i])
            i += 1
        else:
            raise RangeSyntaxError(text)
        rest = text[i + 1 :]
        if not rest:
            return "".join(title), None
        if not rest.startswith("!"):
            raise RangeSyntaxError(text)
        return "".join(title), rest[1:] or None
    if "!" in text:
        title_part, cells = text.rsplit("!", 1)
        return title_part, cells or None
    return None, text


def _corner(part: str, text: str) -> tuple[int | None, int | None]:
    match = _PART.match(part)
    if not match or not part:
        raise RangeSyntaxError(text)
    letters, digits = match.groups()
    if len(letters) > 3:
        raise RangeSyntaxError(text)
    row = int(digits) - 1 if digits else None
    if row is not None and row < 0:
        raise RangeSyntaxError(text)
    col = column_number(letters) if letters else None
    return row, col


def _span(first: int | None, second: int | None) -> tuple[int, int | None]:
    """One axis of a two-corner range: ``A5:C`` runs open from row 5, ``A:C5`` up to row 5."""
    if first is not None and second is not None:
        return min(first, second), max(first, second) + 1
    if first is not None:
        return first, None
    if second is not None:
        return 0, second + 1
    return 0, None


def parse_cells(text: str) -> CellBox:
    """Read ``A1``, ``A1:C3``, ``A:C``, ``2:5``, ``A5:C`` or ``C2:5`` into a :class:`CellBox`."""
    parts = text.replace("$", "").split(":")
    if len(parts) == 1:
        row, col = _corner(parts[0], text)
        if row is None or col is None:
            raise RangeSyntaxError(text)
        return CellBox(row, col, row + 1, col + 1)
    if len(parts) != 2:
        raise RangeSyntaxError(text)
    r0, c0 = _corner(parts[0], text)
    r1, c1 = _corner(parts[1], text)
    if (c0 is None and r1 is None) or (r0 is None and c1 is None):
        raise RangeSyntaxError(text)
    row0, row1 = _span(r0, r1)
    col0, col1 = _span(c0, c1)
    return CellBox(row0, col0, row1, col1)


def format_range(title: str, box: CellBox) -> str:
    """A bounded box back to the API's echo: ``Sheet1!A1:Z1000``, ``Sheet1!B2`` for one cell."""
    assert box.row1 is not None and box.col1 is not None
    start = cell_name(box.row0, box.col0)
    end = cell_name(box.row1 - 1, box.col1 - 1)
    cells = start if start == end else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"
