"""The organisation recomputed after edits to a few teams, from the last sync's `Ledger` (pure).

Only a team whose sheet changed is recomputed: its rows read again, scored children-first with
the other teams' items as the ledger has them, given statuses and the findings that follow from
its own cells; and a team above it whose item rolls a changed score up (one whose score does not
follow from its own cells alone: `Ledger.fixed`). That gives what a full run gives exactly when
the edits changed values only: every item, ID, type, Parent, Depends on and objective above
stays where it was (so the links, cycles, duplicate IDs and the tree's order do), and no item
something depends on crosses into or out of risk. Anything else answers None, and the caller
runs in full.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .ledger import Ledger
from .model import Code, Finding, Item, Settings, Status, Team, id_key
from .owners import owner_of
from .rows import READ_CODES, SheetRead, read_team_sheet
from .rules import OWN_CODES, RISKY, own_warnings
from .scoring import Weighted, expected_progress, score_item, status_for
from .snapshot import Grid

__all__ = ["Recomputed", "most_teams", "recompute"]

MAX_SHARE = 0.1  # past this share of the teams recomputed, a full run costs about as much
FEW_TEAMS = 8  # ... but a few teams are always worth recomputing alone


def most_teams(teams: int) -> int:
    """How many of an organisation's teams a run recomputes alone, at most."""
    return max(FEW_TEAMS, int(MAX_SHARE * teams))


_SCORE_CODES = frozenset({Code.UNMEASURABLE, Code.ZERO_RANGE})
# Codes a full run makes row by row, in Teams then row order: a recomputed team's take their
# place among the others' by team and row.
_MADE_BY_ROW = READ_CODES | OWN_CODES | _SCORE_CODES


class _Known(NamedTuple):
    """A child in a team not recomputed: its score and weight as the ledger has them."""

    score: float | None
    weight: float


@dataclass(slots=True)
class Recomputed:
    """The teams recomputed (by their place in Teams): their items as the ledger places them,
    and the whole run's findings with their owners."""

    items: dict[int, list[Item]]
    at: dict[int, list[int]]  # each recomputed item's ledger index
    findings: list[Finding]
    owners: list[str | None]
    old_items: dict[int, list[Item]]  # the same items as the ledger had them
    reads: dict[int, SheetRead]  # each recomputed team's sheet as read now


def _shape(read: SheetRead) -> list[tuple[object, ...]]:
    """What links an item to others, row by row: equal shapes link the same way."""
    return [
        (i.row, i.id, i.type, i.parent_text, i.objective_above, tuple(i.depends_on))
        for i in read.items
    ]


def _kept(read: SheetRead, rows: list[int]) -> list[Item] | None:
    """The items of `read` the ledger kept (a duplicate ID is left out), in its order."""
    by_row = {item.row: item for item in read.items}
    kept = [by_row.get(row) for row in rows]
    return None if any(item is None for item in kept) else kept  # type: ignore[return-value]


def recompute(
    ledger: Ledger,
    teams: list[Team],
    settings: Settings,
    as_of: dt.date,
    changed: dict[int, tuple[Grid, Grid]],
    unchanged: Callable[[int], Grid | None],
) -> Recomputed | None:
    """The run after `changed` teams' sheets went from the first grid to the second, or None
    when that needs a full run (see the module docstring). A team whose sheet did not change
    (its grid from `unchanged`) is recomputed too when an item of it rolls up a changed score."""
    if ledger.as_of != as_of:
        return None
    grids = dict(changed)
    while len(grids) <= most_teams(len(teams)):
        reads = {
            t: (read_team_sheet(teams[t], old), read_team_sheet(teams[t], new))
            for t, (old, new) in grids.items()
        }
        attempt = _attempt(ledger, teams, settings, as_of, reads)
        if not isinstance(attempt, set):
            return attempt
        for t in attempt:
            grid = unchanged(t)
            if grid is None or not ledger.ok[t]:
                return None
            grids[t] = (grid, grid)
    return None


def _attempt(
    ledger: Ledger,
    teams: list[Team],
    settings: Settings,
    as_of: dt.date,
    reads: dict[int, tuple[SheetRead, SheetRead]],
) -> Recomputed | set[int] | None:
    """The run recomputing these teams; or the teams to recompute with them, when an item of
    theirs rolls up a score that changed; or None when it needs a full run."""
    items: dict[int, list[Item]] = {}
    old_items: dict[int, list[Item]] = {}
    at: dict[int, list[int]] = {}
    fresh: dict[int, Item] = {}
    for t, (old, new) in reads.items():
        span = ledger.span(t)
        rows = ledger.rows[span.start : span.stop]
        if new.header is None or old.header is None or _shape(old) != _shape(new):
            return None
        kept, before = _kept(new, rows), _kept(old, rows)
        if kept is None or before is None:
            return None
        items[t], old_items[t], at[t] = kept, before, list(span)
        fresh.update(zip(span, kept, strict=True))
    _parents(ledger, reads, items, old_items)
    scored = _scored(ledger, fresh, settings, as_of)
    if scored is None or isinstance(scored, set):
        return scored
    return _with_findings(ledger, teams, settings, as_of, reads, items, old_items, at, scored)


def _parents(
    ledger: Ledger,
    changed: dict[int, tuple[SheetRead, SheetRead]],
    items: dict[int, list[Item]],
    old_items: dict[int, list[Item]],
) -> None:
    """Each recomputed item's parent as the ledger has it (links did not change), and its
    trend as its `--json` piece shows it; the old items' computed fields as they were."""
    for t in changed:
        shown = json.loads(b"[" + ledger.chunk(t) + b"]") if ledger.chunks else None
        for n, i in enumerate(ledger.span(t)):
            item, old = items[t][n], old_items[t][n]
            parent = ledger.parents[i]
            trend = []
            if shown is not None:
                trend = [(dt.date.fromisoformat(day), s) for day, s in shown[n]["trend"]]
                old.progress = shown[n]["progress"]
            for one in (item, old):
                one.parent = id_key(ledger.ids[parent]) if parent >= 0 else None
                one.trend = list(trend)
            old.score, old.status = ledger.scores[i], Status(ledger.statuses[i])


def _scored(
    ledger: Ledger, fresh: dict[int, Item], settings: Settings, as_of: dt.date
) -> list[Finding] | set[int] | None:
    """Score and judge the recomputed items children-first, with the findings of those that
    cannot be scored; the teams whose items roll up a score that changed, if not among them;
    None when something else outside them would change."""
    findings: list[Finding] = []
    wanted: set[int] = set()
    children: dict[int, list[int]] = {i: [] for i in fresh}
    for child, parent in enumerate(ledger.parents):
        if parent in children:
            children[parent].append(child)
    cyclic = set(ledger.cyclic)
    expected = expected_progress(settings, as_of)

    def known(child: int) -> Weighted:
        return fresh.get(child) or _Known(ledger.scores[child], ledger.weights[child])

    for i in sorted(fresh, key=lambda i: -ledger.depths[i]):
        item = fresh[i]
        if i not in cyclic:
            below = children[i]
            finding = score_item(
                item,
                [known(c) for c in below if not ledger.objective[c]],
                [known(c) for c in below if ledger.objective[c]],
            )
            if finding is not None:
                findings.append(finding)
        item.status = status_for(item, expected, settings)
        parent = ledger.parents[i]
        moved = (item.score, item.weight) != (ledger.scores[i], ledger.weights[i])
        if moved and parent >= 0 and parent not in fresh and not ledger.fixed[parent]:
            wanted.add(bisect.bisect_right(ledger.offsets, parent) - 1)
        risky = item.status in RISKY
        if ledger.depended[i] and risky != (Status(ledger.statuses[i]) in RISKY):
            return None
    return wanted or findings


def _with_findings(
    ledger: Ledger,
    teams: list[Team],
    settings: Settings,
    as_of: dt.date,
    changed: dict[int, tuple[SheetRead, SheetRead]],
    items: dict[int, list[Item]],
    old_items: dict[int, list[Item]],
    at: dict[int, list[int]],
    scored: list[Finding],
) -> Recomputed | None:
    """The findings with the recomputed teams' own ones made again, in the full run's order."""
    redone = {(teams[t].name, item.row) for t in changed for item in (*items[t], *old_items[t])}
    own = OWN_CODES | _SCORE_CODES
    dropped = {f for t, (old, _) in changed.items() for f in old.findings}
    keys = {item.key for kept in items.values() for item in kept}
    kept: list[tuple[int, Finding, str | None]] = []  # (place in the ledger, finding, owner)
    again: list[tuple[int, Finding]] = []  # kept, but on a recomputed row: owner asked again
    for place, (f, owner) in enumerate(zip(ledger.findings, ledger.owners, strict=True)):
        if f in dropped or (f.code in own and (f.team, f.row) in redone):
            continue
        if (f.team, f.row) in redone:
            again.append((place, f))
        elif f.id and f.row is not None and id_key(f.id) in keys:
            return None  # its owner may be a recomputed item's, found by ID from another row
        else:
            kept.append((place, f, owner))
    made = [*scored]
    for t, (_, new) in changed.items():
        made.extend(new.findings)
        for item in items[t]:
            made.extend(own_warnings(item, teams[t], settings, as_of))
    asked = [
        *again,
        *((len(ledger.findings) + n, f) for n, f in enumerate(made)),
    ]
    owners = _owners([f for _, f in asked], items, teams)
    if owners is None:
        return None
    team_at = {team.name: t for t, team in enumerate(teams)}
    both = [*kept, *((place, f, o) for (place, f), o in zip(asked, owners, strict=True))]
    both.sort(key=lambda entry: (*entry[1].sort_key(), *_rank(entry[1], entry[0], team_at)))
    return Recomputed(
        items,
        at,
        [f for _, f, _ in both],
        [owner for _, _, owner in both],
        old_items,
        {t: new for t, (_, new) in changed.items()},
    )


def _rank(finding: Finding, place: int, team_at: dict[str, int]) -> tuple[int, int, int]:
    """Among findings of one code on one ID, the full run's order: the findings of rows in
    Teams and row order, as it makes them; the others as the ledger has them (`place`: in the
    ledger, or after it for those made now)."""
    if finding.row is None or finding.team is None or finding.code not in _MADE_BY_ROW:
        return (-1, 0, place)
    return (team_at.get(finding.team, -1), finding.row, place)


def _owners(
    added: list[Finding], items: dict[int, list[Item]], teams: list[Team]
) -> list[str | None] | None:
    """The owner of each of these findings (on the recomputed teams' rows), or None when one
    needs an item of a team not recomputed (a finding on a row whose ID another team's item
    holds)."""
    by_row = {(item.team, item.row): item.owner for kept in items.values() for item in kept}
    by_id = {item.key: item.owner for kept in items.values() for item in kept}
    by_team = {id_key(team.name): team.owner for team in teams}
    owners = []
    for finding in added:
        if (
            finding.id
            and finding.row is not None
            and (finding.team, finding.row) not in by_row
            and id_key(finding.id) not in by_id
        ):
            return None
        owners.append(owner_of(finding, by_row, by_id, by_team))
    return owners
