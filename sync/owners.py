"""Whom to talk to about each finding (pure): the owner of the item it is about, else the
Owner of its team in the hub's `Teams` tab, else nobody."""

from __future__ import annotations

from .model import Result, id_key

__all__ = ["finding_owners"]


def finding_owners(result: Result) -> list[str | None]:
    """One owner (or None) per finding, in `result.findings` order."""
    by_row = {(item.team, item.row): item.owner for item in result.items}
    by_id = {id_key(item.id): item.owner for item in result.items}
    by_team = {id_key(state.team.name): state.team.owner for state in result.teams}
    owners: list[str | None] = []
    for finding in result.findings:
        owner = ""
        if finding.team is not None and finding.row is not None:
            owner = by_row.get((finding.team, finding.row), "")
        if not owner and finding.id and finding.row is not None:
            owner = by_id.get(id_key(finding.id), "")
        if not owner and finding.team:
            owner = by_team.get(id_key(finding.team), "")
        owners.append(owner or None)
    return owners
