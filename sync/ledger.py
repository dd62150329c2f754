"""What a sync computed of the whole organisation, in columns over its items, so that the next
sync after a few edits recomputes only the teams they touch (`sync.delta`) (pure).

Items are in the run's order (Teams, then rows); team `t`'s items are `offsets[t]` to
`offsets[t + 1]`. Each column holds, per item, what the teams it does not recompute contribute:
its parent (an index, -1 for none), score, weight and status, whether its score is `fixed` (follows
from its own cells alone), whether an item depends on it, and its place in the `Alignment Tree`
tab. Beside them: the run's findings with their owners, and each team's items as `--json`
shows them, packed, so a run's `--json` text is its teams' pieces joined.

A ledger is only used by the code that wrote it (`code`), on the date it was computed for.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass

from .compute import Computed
from .graph import Alignment
from .model import Finding, Item, ItemType, Result, TargetKind, Team
from .owners import finding_owners
from .report import item_json, result_header, team_json

__all__ = [
    "PACK_LEVEL",
    "Ledger",
    "items_text",
    "json_body",
    "ledger_of",
    "pack",
    "packed_body",
    "team_chunks",
]

PACK_LEVEL = 1  # the pieces are re-packed only for the teams a run recomputes


@dataclass(slots=True)
class Ledger:
    code: str  # `lastsync.code_stamp()` of the code that computed it
    as_of: dt.date
    teams: list[str]
    ok: list[bool]  # per team: its sheet was read and usable
    offsets: list[int]
    ids: list[str]
    rows: list[int]
    parents: list[int]
    scores: list[float | None]
    weights: list[float]
    statuses: list[str]
    objective: list[bool]
    fixed: list[bool]
    depended: list[bool]
    cyclic: list[int]  # items on alignment cycles, never scored
    tree_at: list[int]  # 0-based row of the tab after its header
    depths: list[int]
    tree_filled: int  # non-blank cells of the Alignment Tree tab's rows
    findings: list[Finding]
    owners: list[str | None]
    chunks: list[bytes]  # per team, its items' `--json` text, packed (none: not shown)

    def span(self, team: int) -> range:
        return range(self.offsets[team], self.offsets[team + 1])

    def chunk(self, team: int) -> bytes:
        return gzip.decompress(self.chunks[team])


def pack(text: bytes) -> bytes:
    """A team's `--json` piece as the ledger keeps it (a gzip member of the state, as it is)."""
    return gzip.compress(text, compresslevel=PACK_LEVEL, mtime=0)


_EMPTY = pack(b"")  # the piece of a team without items


def team_chunks(result: Result, teams: list[Team]) -> list[bytes]:
    """Each team's items as `--json` shows them (the text between the list's brackets)."""
    ids = {item.key: item.id for item in result.items}
    by_team: dict[str, list[Item]] = {team.name: [] for team in teams}
    for item in result.items:
        by_team[item.team].append(item)
    return [
        items_text(by_team[team.name], lambda key: ids.get(key) if key else None) for team in teams
    ]


def items_text(items: list[Item], parent_id: Callable[[str | None], str | None]) -> bytes:
    """Items' `--json` objects joined as in a list, without its brackets."""
    text = json.dumps(
        [item_json(item, parent_id(item.parent)) for item in items],
        ensure_ascii=False,
        allow_nan=False,
    )
    return text[1:-1].encode("utf-8")


def json_body(result: Result, chunks: list[bytes], owners: list[str | None] | None = None) -> bytes:
    """The `--json` text of a run but its `writes` (which `lastsync.json_text` adds), its items
    from the teams' pieces (`team_chunks`)."""
    before, after = _around_items(result, owners)
    return b"".join([before, b", ".join(chunk for chunk in chunks if chunk), after])


def packed_body(result: Result, packed: list[bytes], owners: list[str | None]) -> list[bytes]:
    """`json_body` as gzip members, its items from the teams' pieces as the ledger packs them
    (`pack`), which are taken as they are: the members joined are a gzip file of it."""
    before, after = _around_items(result, owners)
    members = [pack(before)]
    comma = pack(b", ")
    for piece in (p for p in packed if p != _EMPTY):
        members.extend([comma, piece] if len(members) > 1 else [piece])
    return [*members, pack(after)]


def _around_items(result: Result, owners: list[str | None] | None) -> tuple[bytes, bytes]:
    """The `--json` body's text before its items and after them."""
    head = {**result_header(result), "teams": [team_json(state) for state in result.teams]}
    owners = finding_owners(result) if owners is None else owners
    findings = [
        {**finding.as_json(), "owner": owner}
        for finding, owner in zip(result.findings, owners, strict=True)
    ]
    dumps = json.dumps
    before = dumps(head, ensure_ascii=False, allow_nan=False)[:-1] + ', "items": ['
    after = '], "findings": ' + dumps(findings, ensure_ascii=False, allow_nan=False) + "}"
    return before.encode("utf-8"), after.encode("utf-8")


def ledger_of(
    computed: Computed, teams: list[Team], tree_filled: int, chunks: list[bytes], code: str
) -> Ledger:
    """The ledger of a full run, its items' `--json` pieces given (`team_chunks`)."""
    result = computed.result
    items = result.items
    assert computed.alignment is not None and computed.dependencies is not None
    alignment = computed.alignment
    depended = {key for targets in computed.dependencies.values() for key in targets}
    fixed = _fixed(items, alignment)
    index = {item.key: i for i, item in enumerate(items)}
    team_at = {team.name: t for t, team in enumerate(teams)}
    offsets = [0] * (len(teams) + 1)
    for item in items:
        offsets[team_at[item.team] + 1] += 1
    for t in range(len(teams)):
        offsets[t + 1] += offsets[t]
    tree_at = [0] * len(items)
    depths = [0] * len(items)
    for position, entry in enumerate(computed.tree):
        if entry.item is not None:
            at = index[entry.item.key]
            tree_at[at], depths[at] = position, entry.depth
    return Ledger(
        code,
        result.as_of,
        [team.name for team in teams],
        [state.ok for state in result.teams],
        offsets,
        [item.id for item in items],
        [item.row for item in items],
        [index[item.parent] if item.parent is not None else -1 for item in items],
        [item.score for item in items],
        [item.weight for item in items],
        [item.status.value for item in items],
        [item.type is ItemType.OBJECTIVE for item in items],
        [item.key in fixed for item in items],
        [item.key in depended for item in items],
        [i for i, item in enumerate(items) if item.key in alignment.on_cycle],
        tree_at,
        depths,
        tree_filled,
        list(result.findings),
        finding_owners(result),
        [pack(chunk) for chunk in chunks],
    )


def _fixed(items: list[Item], alignment: Alignment) -> set[str]:
    """Keys of the items whose score follows from their own cells alone (or is null for good):
    key results with a Target, an unreadable number or no aligned objective; items on cycles."""
    fixed = set(alignment.on_cycle)
    for item in items:
        if item.type is ItemType.KEY_RESULT and (
            item.target_kind is not TargetKind.NONE
            or item.has_number_error
            or not alignment.objectives.get(item.key)
        ):
            fixed.add(item.key)
    return fixed
