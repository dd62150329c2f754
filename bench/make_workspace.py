"""Generate a large local workspace for the end-to-end benchmark.

    python bench/make_workspace.py DIR [--teams 500] [--rows 200] [--jobs 2]

Teams form a tree (one company, then departments, teams and individuals, eight below each);
every objective aligns to a key result of its parent team, some items depend on items of an
earlier team (never a cycle) and some on a whole team. Values are seeded, so runs compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from sheets_templates.builder import new_hub_workbook, team_column_names

__all__ = ["make_workspace"]

FANOUT = 8
KRS_PER_OBJECTIVE = 4
LEVELS = ("Company", "Department", "Team", "Individual")
CYCLE_START, CYCLE_END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)


def _parent(index: int) -> int | None:
    return None if index == 0 else (index - 1) // FANOUT


def _depth(index: int) -> int:
    depth = 0
    parent = _parent(index)
    while parent is not None:
        depth, parent = depth + 1, _parent(parent)
    return depth


def _name(index: int) -> str:
    return "Company" if index == 0 else f"Team {index:04d}"


def _prefix(index: int) -> str:
    return f"T{index:04d}"


def _objectives(rows: int) -> int:
    return max(1, rows // (KRS_PER_OBJECTIVE + 1))


def _team_rows(index: int, rows: int) -> list[list[Any]]:
    """Objectives, each followed by its key results, `rows` rows in all."""
    rng = random.Random(index)
    columns = team_column_names()
    position = {name: i for i, name in enumerate(columns)}
    prefix, parent = _prefix(index), _parent(index)
    parent_objectives = _objectives(rows)
    out: list[list[Any]] = []
    objective_id = ""
    for r in range(rows):
        row: list[Any] = [None] * len(columns)
        item = f"{prefix}-{r + 1}"
        row[position["ID"]] = item
        row[position["Owner"]] = f"owner{index}.{r % 7}@example.com"
        if r % (KRS_PER_OBJECTIVE + 1) == 0:
            objective_id = item
            row[position["Type"]] = "Objective"
            number = r // (KRS_PER_OBJECTIVE + 1) + 1
            row[position["Title"]] = f"Objective {number} of {_name(index)}"
            if parent is not None:
                o = (r // (KRS_PER_OBJECTIVE + 1)) % parent_objectives
                row[position["Parent"]] = f"{_prefix(parent)}-{o * (KRS_PER_OBJECTIVE + 1) + 2}"
            if index > 1 and r % 50 == 0:
                row[position["Depends on"]] = f"{_prefix(index - 1)}-3"
            if parent is not None and r % 100 == 0:
                row[position["Depends on"]] = f"team:{_name(parent)}"
        else:
            row[position["Type"]] = "Key Result"
            row[position["Title"]] = f"Key result {item} toward {objective_id}"
            row[position["Start"]] = 0
            row[position["Target"]] = 100
            row[position["Current"]] = rng.randint(45, 90)
            row[position["Updated"]] = dt.date(2026, 11, rng.randint(10, 20))
        out.append(row)
    return out


def _write_team(directory: Path, index: int, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("OKRs")
    ws.append(team_column_names())
    for row in _team_rows(index, rows):
        ws.append(row)
    wb.save(directory / _source(index))


def _source(index: int) -> str:
    return f"teams/{_prefix(index).lower()}.xlsx"


def make_workspace(directory: Path, teams: int = 500, rows: int = 200, jobs: int = 2) -> Path:
    """Write hub.xlsx and `teams` workbooks of `rows` rows into `directory`; return the hub."""
    (directory / "teams").mkdir(parents=True, exist_ok=True)
    hub_rows = []
    for index in range(teams):
        parent = _parent(index)
        hub_rows.append(
            {
                "Team": _name(index),
                "Level": LEVELS[min(_depth(index), len(LEVELS) - 1)],
                "Parent team": _name(parent) if parent is not None else "",
                "Spreadsheet": _source(index),
                "Tab": "OKRs",
            }
        )
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_write_team, [directory] * teams, range(teams), [rows] * teams))
    else:
        for index in range(teams):
            _write_team(directory, index, rows)
    settings = {
        "Cycle": "2026-Q4",
        "Cycle start": CYCLE_START,
        "Cycle end": CYCLE_END,
        "Max objectives per team": _objectives(rows),
        "Max key results per objective": KRS_PER_OBJECTIVE,
    }
    return new_hub_workbook(directory / "hub.xlsx", teams=hub_rows, settings=settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.directory.exists() and any(args.directory.iterdir()):
        print(f"{args.directory} is not empty; choose a new folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    hub = make_workspace(args.directory, args.teams, args.rows, args.jobs)
    took = time.perf_counter() - started
    print(f"{hub}: {args.teams} teams x {args.rows} rows in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
