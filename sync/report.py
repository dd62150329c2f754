"""The `--json` output of SPEC §6: one object describing a run (pure)."""

from __future__ import annotations

from typing import Any

from .model import Item, Result, TeamState
from .owners import finding_owners

__all__ = ["item_json", "result_header", "result_json", "team_json"]


def result_header(result: Result) -> dict[str, Any]:
    """The date and cycle a run was judged on, as every JSON output starts."""
    return {
        "as_of": result.as_of.isoformat(),
        "cycle": {
            "name": result.cycle.name,
            "start": result.cycle.start.isoformat(),
            "end": result.cycle.end.isoformat(),
            "expected": round(result.cycle.expected, 4),
            "ended": result.cycle_ended,
        },
    }


def result_json(result: Result) -> dict[str, Any]:
    """The run as plain JSON values; scores in full precision, `expected` to 4 decimals."""
    ids = {item.key: item.id for item in result.items}
    return {
        **result_header(result),
        "teams": [team_json(state) for state in result.teams],
        "items": [
            item_json(item, ids.get(item.parent) if item.parent else None) for item in result.items
        ],
        "findings": [
            {**finding.as_json(), "owner": owner}
            for finding, owner in zip(result.findings, finding_owners(result), strict=True)
        ],
        "writes": {"spreadsheets": result.writes_spreadsheets, "cells": result.writes_cells},
    }


def item_json(item: Item, parent_id: str | None) -> dict[str, Any]:
    """An item as `--json` shows it; `parent_id` is its resolved parent's ID as typed."""
    return {
        "id": item.id,
        "type": item.type,  # a StrEnum is its text in JSON; `.value` costs more
        "team": item.team,
        "title": item.title,
        "owner": item.owner,
        "parent": parent_id,
        "depends_on": list(item.depends_on),
        "score": item.score,
        "progress": item.progress,
        "status": item.status,
        "row": item.row,
        "confidence": item.confidence,
        "note": item.note or None,
        "trend": [[day.isoformat(), score] for day, score in item.trend],
    }


def team_json(state: TeamState) -> dict[str, Any]:
    """A team as `--json` shows it."""
    return {
        "name": state.team.name,
        "level": state.team.level.value,
        "parent": state.team.parent,
        "source": state.team.source,
        "ok": state.ok,
    }
