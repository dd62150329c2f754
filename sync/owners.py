"""Whom to talk to about each finding (pure): the owner of the item it is about, else the
Owner of its team in the hub's `Teams` tab, else nobody."""

from __future__ import annotations

from .model import Finding, Result, id_key

__all__ = ["finding_owners", "owner_of"]


def finding_owners(result: Result) -> list[str | None]:
    """One owner (or None) per finding, in `result.findings` order."""
    by_row = {(item.team, item.row): item.owner for item in result.items}
    by_id = {id_key(item.id): item.owner for item in result.items}
    by_team = {id_key(state.team.name): state.team.owner for state in result.teams}
    return [owner_of(finding, by_row, by_id, by_team) for finding in result.findings]


def owner_of(
    finding: Finding,
    by_row: dict[tuple[str, int], str],
    by_id: dict[str, str],
    by_team: dict[str, str],
) -> str | None:
    """A finding's owner: its row's item's, else its ID's item's, else its team's, else None
    (items by team and row, and by ID key; teams by name key)."""
    owner = ""
    if finding.team is not None and finding.row is not None:
        owner = by_row.get((finding.team, finding.row), "")
    if not owner and finding.id and finding.row is not None:
        owner = by_id.get(id_key(finding.id), "")
    if not owner and finding.team:
        owner = by_team.get(id_key(finding.team), "")
    return owner or None
