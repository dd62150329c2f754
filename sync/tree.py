"""The combined alignment tree: every item once, depth-first from the roots (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .graph import Alignment
from .model import Item, ItemType

__all__ = ["UNREACHABLE_LABEL", "TreeRow", "tree_rows"]

UNREACHABLE_LABEL = "Unreachable (alignment cycle)"


@dataclass(frozen=True, slots=True)
class TreeRow:
    """An item at a depth, or (item None) the marker row before items on alignment cycles."""

    item: Item | None
    depth: int


def _children(item: Item, alignment: Alignment) -> list[Item]:
    """An objective's key results, then the objectives aligned directly to it; a key result's
    aligned objectives. Each key result is followed by its own subtree through the DFS."""
    if item.type is ItemType.KEY_RESULT:
        return alignment.objectives.get(item.key, [])
    return [*alignment.key_results.get(item.key, ()), *alignment.objectives.get(item.key, ())]


def tree_rows(items: list[Item], alignment: Alignment) -> list[TreeRow]:
    """Roots in Teams-then-row order, each followed by its subtree. Items on alignment cycles
    come last at depth 0 under a marker row, each followed by what hangs below it."""
    rows: list[TreeRow] = []
    placed: set[str] = set()

    def walk(root: Item) -> None:
        stack = [(root, 0)]
        while stack:
            item, depth = stack.pop()
            if item.key in placed:
                continue
            placed.add(item.key)
            rows.append(TreeRow(item, depth))
            children = [c for c in _children(item, alignment) if c.key not in alignment.on_cycle]
            stack.extend((child, depth + 1) for child in reversed(children))

    for item in items:
        if item.parent is None:
            walk(item)
    stranded = [item for item in items if item.key not in placed]
    if stranded:
        rows.append(TreeRow(None, 0))
        for item in stranded:
            if item.key in alignment.on_cycle:
                walk(item)
        for item in stranded:  # below a cycle but on none: reached through the walks above
            walk(item)
    return rows
