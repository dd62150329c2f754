"""The straightforward way to do okrtree's job with openpyxl: the peer in `bench/local.py`.

    python bench/naive_script.py validate|sync WORKSPACE [--as-of YYYY-MM-DD]

What a competent person would write in an afternoon: load every workbook with openpyxl, hand the
cells to okrtree's pure core (the same rules, scores and plan, so only the file handling differs),
and for `sync` set the changed cells and save each changed workbook and the hub.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook

from sync.compute import compute
from sync.engine import gc_paused
from sync.hub import parse_settings, parse_teams
from sync.plan import plan_hub, plan_teams
from sync.snapshot import HubSnapshot, Link, TeamSnapshot


def _grid(ws):  # type: ignore[no-untyped-def]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def run(workspace: Path, as_of: dt.date, write: bool) -> dict[str, int]:
    hub_path = workspace / "hub.xlsx"
    hub_book = load_workbook(hub_path, data_only=not write)
    hub = HubSnapshot(str(workspace), {ws.title: _grid(ws) for ws in hub_book.worksheets})
    table = parse_teams(hub)
    settings = parse_settings(hub)
    books, snapshots = {}, []
    for team in table.teams:
        snapshot = TeamSnapshot(team.name, team.source, team.tab)
        try:
            book = load_workbook(workspace / team.source, data_only=not write)
            snapshot.grid = _grid(book[team.tab or "OKRs"])
            books[team.name] = book
        except (OSError, KeyError, ValueError) as err:
            snapshot.error = str(err)
        snapshots.append(snapshot)
    with gc_paused():  # as the engine computes: only the file handling differs
        computed = compute(table.teams, settings, snapshots, as_of, table.findings)
    counts = {"items": len(computed.result.items), "findings": len(computed.result.findings)}
    if not write:
        return counts
    saved = cells = 0
    for snapshot, changes in plan_teams(computed, table.teams, snapshots):
        book = books[snapshot.team]
        ws = book[snapshot.tab or "OKRs"]
        for change in changes.changes:
            ws.cell(row=change.row, column=change.column).value = change.value
        book.save(workspace / snapshot.source)
        saved, cells = saved + 1, cells + changes.cell_count
    tables = plan_hub(computed, hub, snapshots, False)
    for out in tables:
        if out.name in hub_book.sheetnames:
            del hub_book[out.name]
        ws = hub_book.create_sheet(out.name)
        ws.append(out.header)
        for row in out.rows:
            ws.append([cell.text if isinstance(cell, Link) else cell for cell in row])
            cells += len(row)
    if tables:
        hub_book.save(hub_path)
        saved += 1
    return {**counts, "spreadsheets": saved, "cells": cells}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["validate", "sync"])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args()
    print(json.dumps(run(args.workspace, args.as_of, args.command == "sync")))


if __name__ == "__main__":
    main()
