"""Benchmark: the pure core alone on an organisation generated in memory.

Parses every team grid, links, scores, judges and orders the tree, then plans the writes.
Run by hand:  .venv/bin/python bench/core.py --rows 100000 --rows 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time

from sheets_templates.builder import team_column_names
from sync.compute import compute
from sync.engine import gc_paused
from sync.graph import build_alignment
from sync.model import Level, Settings, Team
from sync.plan import plan_hub, plan_teams
from sync.scoring import score_all
from sync.snapshot import HubSnapshot, TeamSnapshot

HEADER = team_column_names()
LEVELS = [Level.COMPANY, Level.DEPARTMENT, Level.TEAM, Level.INDIVIDUAL]


def _place(t: int) -> tuple[int, int | None]:
    """Team t's level and parent: 1 company, 8 departments, 64 teams, then individuals."""
    if t == 0:
        return 0, None
    if t <= 8:
        return 1, 0
    if t <= 72:
        return 2, 1 + (t - 9) // 8
    return 3, 9 + (t - 73) % 64


def generate(
    rows: int, rows_per_team: int = 200, seed: int = 7
) -> tuple[list[Team], list[TeamSnapshot]]:
    """Teams of 4-row blocks (an objective and three key results) aligned to the team above."""
    rng = random.Random(seed)
    team_count = max(1, rows // rows_per_team)
    teams: list[Team] = []
    snapshots: list[TeamSnapshot] = []
    krs_by_team: list[list[str]] = []
    for t in range(team_count):
        depth, parent_index = _place(t)
        name = f"Team {t}"
        teams.append(
            Team(
                name,
                LEVELS[depth],
                teams[parent_index].name if parent_index is not None else None,
                f"team{t}.xlsx",
            )
        )
        grid: list[list[object]] = [HEADER]
        krs: list[str] = []
        for o in range(rows_per_team // 4):
            oid = f"T{t}-O{o}"
            parent = rng.choice(krs_by_team[parent_index]) if parent_index is not None else ""
            grid.append(
                [
                    oid,
                    "Objective",
                    f"Objective {o} of team {t}",
                    "",
                    parent,
                    "",
                    None,
                    None,
                    None,
                    None,
                    None,
                    "why" if not parent else "",
                ]
            )
            for k in range(3):
                kid = f"T{t}-K{o}.{k}"
                krs.append(kid)
                depends = f"T{rng.randrange(team_count)}-K{o}.0" if rng.random() < 0.05 else ""
                start, target = (0, 100) if k != 1 else (50, 10)
                grid.append(
                    [
                        kid,
                        "KR",
                        f"Key result {k}",
                        f"owner{t}@example.com",
                        "",
                        depends,
                        start,
                        target if k != 2 else ">= 99.9",
                        rng.uniform(0, 100),
                        1,
                        dt.datetime(2026, 11, rng.randint(5, 20)),
                        "",
                        None,
                        None,
                        None,
                    ]
                )
        krs_by_team.append(krs)
        snapshots.append(
            TeamSnapshot(
                name, f"team{t}.xlsx", "OKRs", grid, link_template=f"team{t}.xlsx#'OKRs'!A{{row}}"
            )
        )
    return teams, snapshots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, action="append", help="rows to generate (repeatable)")
    args = parser.parse_args()
    settings = Settings(cycle_start=dt.date(2026, 10, 1), cycle_end=dt.date(2026, 12, 31))
    for rows in args.rows or [100_000]:
        teams, snapshots = generate(rows)
        started = time.perf_counter()
        with gc_paused():  # as the engine runs it
            computed = compute(teams, settings, snapshots, dt.date(2026, 11, 21))
        computed_at = time.perf_counter()
        with gc_paused():
            plans = plan_teams(computed, teams, snapshots)
            tables = plan_hub(computed, HubSnapshot("hub", {}), snapshots, history=True)
        planned_at = time.perf_counter()
        with gc_paused():  # the graph phase alone, as a naive networkx build + DAG check + rollup
            graph_started = time.perf_counter()
            alignment = build_alignment(computed.result.items)
            score_all({i.key: i for i in computed.result.items}, alignment)
            graph_seconds = time.perf_counter() - graph_started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"rows={rows:>9,} teams={len(teams):>5,} items={len(computed.result.items):>9,} "
            f"findings={len(computed.result.findings):>7,} "
            f"compute={computed_at - started:6.2f}s (graph+dag+rollup {graph_seconds:5.2f}s) "
            f"plan={planned_at - computed_at:6.2f}s "
            f"total={planned_at - started:6.2f}s peak_rss={peak:,.0f} MiB "
            f"sheets_to_write={len(plans)} hub_tables={len(tables)}"
        )


if __name__ == "__main__":
    main()
