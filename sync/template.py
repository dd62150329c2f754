"""The team template's columns and how a tab's header row is found (pure).

Column names and aliases come from `sheets_templates/template.json`, the one definition that
also builds the blank workbooks and the add-on's set-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum, auto

from sheets_templates.definition import named_in_template, template

from .model import ItemType

__all__ = [
    "HEADER_SEARCH_ROWS",
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "Col",
    "Header",
    "closest_header",
    "find_header",
    "parse_type",
]


class Col(StrEnum):
    """The team tab's columns (`team_columns` in template.json; see `named_in_template`)."""

    _generate_next_value_ = named_in_template(c["name"] for c in template()["team_columns"])
    ID = auto()
    TYPE = auto()
    TITLE = auto()
    OWNER = auto()
    PARENT = auto()
    DEPENDS_ON = auto()
    START = auto()
    TARGET = auto()
    CURRENT = auto()
    WEIGHT = auto()
    UPDATED = auto()
    CONFIDENCE = auto()
    NOTE = auto()
    WHY_NOW = auto()
    SCORE = auto()
    STATUS = auto()
    WARNINGS = auto()


OUTPUT_COLUMNS = tuple(Col(c["name"]) for c in template()["team_columns"] if c["on"] == "output")
INPUT_COLUMNS = tuple(c for c in Col if c not in OUTPUT_COLUMNS)
REQUIRED_COLUMNS = tuple(Col(c["name"]) for c in template()["team_columns"] if c["required"])


def _normal(text: object) -> str:
    return " ".join(str(text).split()).casefold() if text is not None else ""


# Every accepted header spelling -> (column, preference): the canonical name beats an alias.
_HEADER_NAMES: dict[str, tuple[Col, int]] = {}
for _spec in template()["team_columns"]:
    for _rank, _name in enumerate([_spec["name"], *_spec["aliases"]]):
        _HEADER_NAMES[_normal(_name)] = (Col(_spec["name"]), _rank)

_TYPE_NAMES: dict[str, ItemType] = {}
for _label, _spellings in template()["type_values"].items():
    _item_type = ItemType.OBJECTIVE if _label == "Objective" else ItemType.KEY_RESULT
    for _spelling in _spellings:
        _TYPE_NAMES[_normal(_spelling)] = _item_type

HEADER_SEARCH_ROWS: int = template()["header_search_rows"]


@dataclass(frozen=True, slots=True)
class Header:
    """Where a tab's header is: its 1-based row, each known column's 0-based index, the
    1-based index of the last non-blank header cell (missing output columns go after it), and
    every 0-based index of a column headed more than once."""

    row: int
    columns: dict[Col, int]
    last_column: int
    repeated: dict[Col, tuple[int, ...]] = field(default_factory=dict)

    def missing(self, wanted: Sequence[Col]) -> list[Col]:
        return [c for c in wanted if c not in self.columns]


def find_header(grid: Sequence[Sequence[object]]) -> Header | None:
    """The first row among the first ten that has `ID` and `Type` cells, or None.

    >>> find_header([["Q4 OKRs"], ["id", " TYPE ", "Champion"]]).columns
    {<Col.ID: 'ID'>: 0, <Col.TYPE: 'Type'>: 1, <Col.OWNER: 'Owner'>: 2}
    """
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        header = _row_header(index + 1, cells)
        if Col.ID in header.columns and Col.TYPE in header.columns:
            return header
    return None


def closest_header(grid: Sequence[Sequence[object]]) -> Header | None:
    """For a tab without a header: the row among the first ten with the most required columns
    (the first of equals), where a person most likely meant it; None when no row has one.

    >>> closest_header([["Q4 OKRs"], ["ID", "Kind", "Title"]]).row
    2
    """
    best: Header | None = None
    most = 0
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        header = _row_header(index + 1, cells)
        count = len(REQUIRED_COLUMNS) - len(header.missing(REQUIRED_COLUMNS))
        if count > most:
            best, most = header, count
    return best


def _row_header(row: int, cells: Sequence[object]) -> Header:
    """The known columns of one row, read as a header."""
    found: dict[Col, tuple[int, int]] = {}
    places: dict[Col, list[int]] = {}
    last = 0
    for position, cell in enumerate(cells):
        name = _normal(cell)
        if not name:
            continue
        last = position + 1
        known = _HEADER_NAMES.get(name)
        if known is None:
            continue
        column, rank = known
        places.setdefault(column, []).append(position)
        if column not in found or rank < found[column][1]:
            found[column] = (position, rank)
    columns = {c: position for c, (position, _) in found.items()}
    repeated = {c: tuple(p) for c, p in places.items() if len(p) > 1}
    return Header(row, columns, last, repeated)


def parse_type(value: object) -> ItemType | None:
    """`Objective`/`O`/`Obj` or `Key Result`/`KR`/`KeyResult`, any case; None otherwise."""
    return _TYPE_NAMES.get(_normal(value))
