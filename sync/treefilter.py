"""Which rows of the combined tree to show for `okrtree tree`'s filters (pure).

The rule is the web page's: a row shows when it matches every filter, or, dimmed as context,
when something below it does. `--depth` then cuts the tree, counting what it hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from .model import STATUS_LABELS, Item, Status, id_key
from .tree import TreeRow

__all__ = ["ShownRow", "TreeFilter", "parse_status", "shown_rows"]


@dataclass(frozen=True, slots=True)
class TreeFilter:
    """What to keep: blank fields keep everything; `depth` None keeps every level."""

    team: str = ""
    status: Status | None = None
    owner: str = ""
    depth: int | None = None  # levels to show, 1 = the roots only

    @property
    def active(self) -> bool:
        return bool(self.team or self.status or self.owner)

    def matches(self, item: Item) -> bool:
        if self.team and id_key(item.team) != id_key(self.team):
            return False
        if self.status is not None and item.status is not self.status:
            return False
        return not (self.owner and id_key(item.owner) != id_key(self.owner))


@dataclass(frozen=True, slots=True)
class ShownRow:
    """A row kept for display: `context` when only something below it matched; `hidden` counts
    the rows below it that `--depth` cut off."""

    row: TreeRow
    context: bool = False
    hidden: int = 0


def parse_status(text: str) -> Status | None:
    """A status as typed: its value or its label, any case; None when it is neither.

    >>> parse_status("on track"), parse_status("OFF_TRACK"), parse_status("green")
    (<Status.ON_TRACK: 'on_track'>, <Status.OFF_TRACK: 'off_track'>, None)
    """
    wanted = id_key(text).replace("_", " ").replace("-", " ")
    for status in Status:
        if wanted in (status.value.replace("_", " "), STATUS_LABELS[status].lower()):
            return status
    return None


def _subtree_ends(rows: list[TreeRow]) -> list[int]:
    """For each row, the index just past its subtree (rows are depth-first)."""
    ends = [len(rows)] * len(rows)
    open_rows: list[int] = []
    for index, row in enumerate(rows):
        while open_rows and rows[open_rows[-1]].depth >= row.depth:
            ends[open_rows.pop()] = index
        open_rows.append(index)
    return ends


def shown_rows(rows: list[TreeRow], wanted: TreeFilter) -> list[ShownRow]:
    """The rows to draw, in tree order."""
    ends = _subtree_ends(rows)
    hit = [row.item is not None and wanted.matches(row.item) for row in rows]
    hits_before = list(accumulate(hit, initial=0))  # hits_before[i]: matches in rows[:i]

    def matches_below(index: int) -> int:
        return hits_before[ends[index]] - hits_before[index + 1]

    shown: list[ShownRow] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if row.item is None:
            if any(hit[index:]):
                shown.append(ShownRow(row))
            index += 1
            continue
        if not (hit[index] or matches_below(index)):
            index = ends[index]
            continue
        if wanted.depth is not None and row.depth >= wanted.depth - 1:
            hidden = matches_below(index) if wanted.active else ends[index] - index - 1
            shown.append(ShownRow(row, not hit[index], hidden))
            index = ends[index]
            continue
        shown.append(ShownRow(row, not hit[index]))
        index += 1
    return shown
