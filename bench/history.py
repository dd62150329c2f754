"""Does a long History slow a sync? The same workspace with a short History and with a full one
(90,000 rows, then today's: the reader refuses a tab past 100,000), through the real `okrtree`
command; the ratio is the figure.

    python bench/history.py [--teams 50] [--rows 200] [--history-rows 90000] [--repeat 3]

Each case starts from a copy of one synced workspace whose History already holds today's rows,
synced once more in place (so its saved state is its own), then timed: `sync --history` again
(nothing moved: the last sync's outcome stands), `sync` (reads no workbook but recomputes the
trends from History, writes nothing), `sync` after one team workbook was edited (reads it,
appends its check-in), and the next night's `sync --history` after that edit (appends the rows of
the items that moved).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.local import edit_one_workbook  # noqa: E402
from bench.make_workspace import CYCLE_START, make_workspace  # noqa: E402
from sync.backends.xlsx_hub import write_tables  # noqa: E402
from sync.snapshot import OutputTable  # noqa: E402

AS_OF = "2026-11-21"
NEXT_DAY = "2026-11-22"  # the nightly rollup: a History row for each item that moved


def _ids(workspace: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "sync", "validate", str(workspace), "--as-of", AS_OF, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    import json

    return [item["id"] for item in json.loads(done.stdout)["items"]]


def _with_history(workspace: Path, rows: int) -> None:
    """Give the hub `rows` History rows spread over the items and the cycle before AS_OF."""
    ids = _ids(workspace)
    days = (dt.date.fromisoformat(AS_OF) - CYCLE_START).days
    history = []
    for n in range(rows):
        day = CYCLE_START + dt.timedelta(days=(n // len(ids)) % days)
        history.append([day, ids[n % len(ids)], round((n % 100) / 100, 2), "On track"])
    history.sort(key=lambda row: row[0])
    table = OutputTable("History", ["Date", "ID", "Score", "Status"], history)
    hub = workspace / "hub.xlsx"
    temporary = hub.with_name(".hub.bench.tmp")
    write_tables(hub, [table], temporary)
    os.replace(temporary, hub)


def _timed(workspace: Path, *extra: str, as_of: str = AS_OF) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sync", "sync", str(workspace), "--as-of", as_of, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--history-rows", type=int, default=90_000)  # + today's rows, under 100,000
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="okrtree-history-bench-"))
    try:
        base = root / "base"
        make_workspace(base, teams=args.teams, rows=args.rows)
        _timed(base)  # the first sync writes every team: both cases start from here
        long = root / "long"
        shutil.copytree(base, long)
        _with_history(long, args.history_rows)
        for settled in (base, long):  # today's History rows recorded: a re-run changes nothing
            _timed(settled, "--history")
        rows = f"{args.teams} teams x {args.rows} rows"
        print(f"{rows}; History: today's rows vs {args.history_rows:,} more")
        cases = (
            ("sync --history", ("--history",), False, AS_OF),
            ("sync", (), False, AS_OF),
            ("sync, one edited", (), True, AS_OF),
            ("next day --history", ("--history",), True, NEXT_DAY),
        )
        for label, extra, edit, as_of in cases:
            times: dict[str, list[float]] = {"empty": [], "long": []}
            for _ in range(args.repeat):  # in turns, so a change in the machine's load hits both
                for name, source in (("empty", base), ("long", long)):
                    copy = root / f"run-{name}"
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(source, copy)
                    _timed(copy, "--history")  # its own state, as a workspace in use has
                    if edit:
                        edit_one_workbook(copy)
                    times[name].append(_timed(copy, *extra, as_of=as_of))
            figures = {name: statistics.median(taken) for name, taken in times.items()}
            ratio = figures["long"] / figures["empty"]
            print(
                f"{label:20} empty {figures['empty']:.2f} s   "
                f"full {figures['long']:.2f} s   ratio {ratio:.2f}"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
