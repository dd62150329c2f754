"""Google field masks, for ``fields=`` on reads and ``fields`` in batchUpdate requests.

A mask such as ``sheets(properties(title,sheetId)),sheets.data.rowData`` becomes a tree of
dicts; an empty dict marks a leaf (take the whole field). ``/`` is accepted as a separator too,
because gspread sends ``gridProperties/frozenRowCount``.

>>> parse_mask("sheets.properties(title,index),spreadsheetId")
{'sheets': {'properties': {'title': {}, 'index': {}}}, 'spreadsheetId': {}}
>>> select({"a": 1, "b": {"c": 2, "d": 3}}, parse_mask("b.c"))
{'b': {'c': 2}}
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["MaskTree", "apply_update", "mask_mentions", "parse_mask", "select"]

MaskTree = dict[str, Any]


def _merge(into: MaskTree, extra: MaskTree) -> None:
    for key, sub in extra.items():
        if key in into and into[key] == {}:
            continue
        if key in into and sub:
            _merge(into[key], sub)
        else:
            into[key] = sub if key not in into else {}


def parse_mask(text: str) -> MaskTree:
    """Parse a field mask into a tree; ``*`` becomes a leaf named ``*``."""
    tree, pos = _parse_list(text.replace("/", ".").replace(" ", ""), 0)
    return tree


def _parse_list(text: str, pos: int) -> tuple[MaskTree, int]:
    tree: MaskTree = {}
    while pos < len(text) and text[pos] != ")":
        path_tree, pos = _parse_path(text, pos)
        _merge(tree, path_tree)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return tree, pos


def _parse_path(text: str, pos: int) -> tuple[MaskTree, int]:
    start = pos
    while pos < len(text) and text[pos] not in ".,()":
        pos += 1
    name = text[start:pos]
    if pos < len(text) and text[pos] == ".":
        sub, pos = _parse_path(text, pos + 1)
        return {name: sub}, pos
    if pos < len(text) and text[pos] == "(":
        sub, pos = _parse_list(text, pos + 1)
        return {name: sub}, pos + 1
    return {name: {}}, pos


def select(value: Any, tree: MaskTree) -> Any:
    """Keep only the masked fields of a JSON value; lists are masked element by element."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [select(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, sub in tree.items():
        if key in value:
            picked = select(value[key], sub)
            if picked != {} or value[key] == {}:
                out[key] = picked
    return out


def apply_update(target: dict[str, Any], source: dict[str, Any], tree: MaskTree) -> None:
    """Copy the masked fields from ``source`` to ``target``; masked but absent means cleared."""
    if "*" in tree:
        target.clear()
        target.update({k: copy.deepcopy(v) for k, v in source.items() if v is not None})
        return
    for key in tree:
        sub = tree[key]
        if sub and isinstance(source.get(key), dict | type(None)):
            nested = target.get(key)
            if not isinstance(nested, dict):
                nested = {}
            apply_update(nested, source.get(key) or {}, sub)
            if nested:
                target[key] = nested
            else:
                target.pop(key, None)
        elif key in source and source[key] is not None:
            target[key] = copy.deepcopy(source[key])
        else:
            target.pop(key, None)


def mask_mentions(tree: MaskTree, *path: str) -> bool:
    """Whether a mask reaches into ``path`` (e.g. ``sheets``, ``data``) at all."""
    node = tree
    for key in path:
        if not node or "*" in node:
            return True
        if key not in node:
            return False
        node = node[key]
    return True
