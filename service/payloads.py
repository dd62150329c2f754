"""The JSON bodies the service answers with, built from runs (pure: no Flask, no I/O).

Items and findings keep the `okrtree --json` shapes (SPEC §6) so the CLI, the API and the add-on
speak one language; findings add `row` so the add-on can select the row a finding is on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.engine import Run
from sync.model import Finding, Item, Result, Severity, Team
from sync.report import result_json
from sync.tree import UNREACHABLE_LABEL

__all__ = [
    "MARKER_ROW",
    "finding_json",
    "row_counts",
    "summary",
    "sync_payload",
    "tree_payload",
    "validate_payload",
]


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as in `--json`, plus the sheet row it sits on (null for team-wide ones)."""
    return {**finding.as_json(), "row": finding.row}


def summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity, every severity present (zero when none)."""
    counts = Counter(f.severity for f in findings)
    return {severity.value: counts[severity] for severity in Severity}


def _writes(result: Result) -> dict[str, int]:
    return {"spreadsheets": result.writes_spreadsheets, "cells": result.writes_cells}


def validate_payload(spreadsheet: str, team: Team, outcome: Run) -> dict[str, Any]:
    """What the add-on's sidebar shows for one sheet: its items and findings, in run order."""
    result = outcome.computed.result
    items = [i for i in result_json(result)["items"] if i["team"] == team.name]
    findings = [f for f in result.findings if f.team == team.name]
    return {
        "spreadsheet": spreadsheet,
        "team": team.name,
        "tab": team.tab,
        "as_of": result.as_of.isoformat(),
        "items": items,
        "findings": [finding_json(f) for f in findings],
        "writes": _writes(result),
        "summary": summary(findings),
    }


def sync_payload(outcome: Run) -> dict[str, Any]:
    """A full sync in numbers, for the add-on's alert and the nightly job's log."""
    result = outcome.computed.result
    return {
        "as_of": result.as_of.isoformat(),
        "teams": len(result.teams),
        "items": len(result.items),
        "summary": summary(result.findings),
        "writes": _writes(result),
    }


def row_counts(result: Result) -> Counter[tuple[str | None, int | None]]:
    """Findings per sheet row, as the hub's Alignment Tree counts its `Warnings` column."""
    return Counter((f.team, f.row) for f in result.findings if f.row is not None)


def _item_row(
    item: Item, depth: int, ids: dict[str, str], warnings: int, link: str | None
) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "type": item.type.value,
        "team": item.team,
        "owner": item.owner,
        "depth": depth,
        "score": item.score,
        "status": item.status.value,
        "warnings": warnings,
        "parent": ids.get(item.parent) if item.parent else None,
        "row": item.row,
        "link": link,
    }


MARKER_ROW: dict[str, Any] = {
    "id": None,
    "title": UNREACHABLE_LABEL,
    "type": "marker",
    "team": None,
    "owner": None,
    "depth": 0,
    "score": None,
    "status": None,
    "warnings": 0,
    "parent": None,
    "row": None,
    "link": None,
}


def _links(outcome: Run) -> dict[str, Callable[[int], str]]:
    """Each team's way from a row number to a link a browser can follow: the row itself on
    Google; on a local workspace the workbook's `file://` address (no program opens a row of
    a workbook from a link)."""
    links: dict[str, Callable[[int], str]] = {}
    for sheet in outcome.snapshots:
        if sheet.link_template.startswith("https://"):
            links[sheet.team] = sheet.link
        elif sheet.link_template and "://" not in sheet.link_template:
            file = sheet.link(1).split("#", 1)[0]
            links[sheet.team] = _always((Path(outcome.hub.source) / file).absolute().as_uri())
    return links


def _always(address: str) -> Callable[[int], str]:
    """The same link whatever the row."""
    return lambda _row: address


def tree_payload(outcome: Run) -> dict[str, Any]:
    """The combined alignment tree, depth-first as in the hub's `Alignment Tree` tab.

    Items on alignment cycles follow a marker row of type `marker` at depth 0. `link` opens the
    item's row in its spreadsheet on Google, or is the workbook's `file://` address locally.
    """
    computed = outcome.computed
    result = computed.result
    ids = {item.key: item.id for item in result.items}
    counts = row_counts(result)
    links = _links(outcome)
    rows = []
    for entry in computed.tree:
        item = entry.item
        if item is None:
            rows.append(MARKER_ROW)
            continue
        to_link = links.get(item.team)
        link = to_link(item.row) if to_link else None
        rows.append(_item_row(item, entry.depth, ids, counts[(item.team, item.row)], link))
    return {
        "as_of": result.as_of.isoformat(),
        "cycle": _cycle(result),
        "teams": [state.team.name for state in result.teams],
        "rows": rows,
    }


def _cycle(result: Result) -> dict[str, Any]:
    return {
        "name": result.cycle.name,
        "start": result.cycle.start.isoformat(),
        "end": result.cycle.end.isoformat(),
        "expected": round(result.cycle.expected, 4),
    }
