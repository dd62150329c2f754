"""Benchmark: a few hub rows changed in place against the tab written whole, in the same run.

    python bench/hub_patch.py [--rows 100000] [--checkins 80000] [--chunk-rows 2000] [--repeat 3]

The hub holds the Alignment Tree of a generated organisation (`bench/core.py`, `--rows` items)
and a Check-ins log of `--checkins` rows, both written by okrtree (so compressed in chunks, with
their index recorded). Each case starts from a copy of that workspace and times
`XlsxBackend.write_hub` alone (the tables, their digests and the read are made beforehand):
three tree rows replaced in place against the same tree written whole, and one check-in row
appended in place against the log written whole and against it spliced into a part okrtree
wrote in one piece (no index: how rows were appended before chunks). Ratios are in-place time
over the peer's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.core import generate  # noqa: E402
from sheets_templates.builder import create_workspace  # noqa: E402
from sheets_templates.definition import HubTab, hub_column_names  # noqa: E402
from sync.backends import xlsx_hub_parts, xlsx_hub_sheet  # noqa: E402
from sync.backends.xlsx import XlsxBackend  # noqa: E402
from sync.backends.xlsx_state import STATE_FILE  # noqa: E402
from sync.compute import compute  # noqa: E402
from sync.engine import gc_paused  # noqa: E402
from sync.model import Settings  # noqa: E402
from sync.plan import table_digest, tree_table  # noqa: E402
from sync.snapshot import CellValue, Link, OutputTable, whole_table  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
Row = list[CellValue | Link]


def _tree(rows: int) -> OutputTable:
    teams, snapshots = generate(rows)
    settings = Settings(cycle_start=dt.date(2026, 10, 1), cycle_end=dt.date(2026, 12, 31))
    with gc_paused():
        computed = compute(teams, settings, snapshots, AS_OF)
        return tree_table(computed, {s.team: s for s in snapshots})


def _checkins(rows: int) -> OutputTable:
    header = hub_column_names(HubTab.CHECK_INS)
    statuses = ["On track", "At risk", "Off track", "Done"]
    grid: list[Row] = [
        [AS_OF - dt.timedelta(days=i % 60), f"KR-{i}", f"Team {i % 500}", f"p{i % 900}@x.example"]
        + [i % 100, (i % 100) / 100, statuses[i % 4], "Medium", f"note {i}: steady progress"]
        for i in range(rows)
    ]
    return OutputTable(HubTab.CHECK_INS.value, header, grid)


def _edited(row: Row, column: int, text: str) -> Row:
    return [*row[:column], text, *row[column + 1 :]]


def _timed(
    saved: Path, workspace: Path, tables: Callable[[], list[OutputTable]], keep_index: bool
) -> float:
    """Seconds `write_hub` takes on a fresh copy of the saved workspace."""
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(saved, workspace)  # copy2: the hub keeps its stamp, its index stands
    if not keep_index:
        (workspace / STATE_FILE).unlink()
    backend = XlsxBackend(workspace)
    backend.read_hub()
    made = tables()
    started = time.perf_counter()
    backend.write_hub(made)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--checkins", type=int, default=80_000)
    parser.add_argument("--chunk-rows", type=int, default=xlsx_hub_sheet.CHUNK_ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    xlsx_hub_sheet.CHUNK_ROWS = xlsx_hub_parts.CHUNK_ROWS = args.chunk_rows
    tree, log = _tree(args.rows), _checkins(args.checkins)
    root = Path(tempfile.mkdtemp(prefix="hub-patch-"))
    saved = root / "saved"
    create_workspace(saved)
    backend = XlsxBackend(saved)
    backend.read_hub()
    backend.write_hub([tree, log])
    with zipfile.ZipFile(saved / "hub.xlsx") as archive:
        largest = max(archive.infolist(), key=lambda info: info.file_size)
        one_piece = len(zlib.compress(archive.read(largest), 1))  # as before chunks
    print(
        f"tree {len(tree.rows):,} rows, check-ins {len(log.rows):,} rows, "
        f"chunks of {args.chunk_rows:,} rows; tree part {largest.file_size / 1e6:.1f} MB, "
        f"packed {largest.compress_size / 1e6:.2f} MB in chunks vs {one_piece / 1e6:.2f} MB "
        f"in one piece (ratio {largest.compress_size / one_piece:.3f})"
    )
    at = [7, len(tree.rows) // 2, len(tree.rows) - 1]
    title = tree.header.index("Tree")
    changed = [_edited(tree.rows[i], title, f"renamed {i}") for i in at]

    def replacing() -> list[OutputTable]:
        table = OutputTable(
            tree.name, tree.header, changed, earlier=lambda: list(tree.rows), replaces=at
        )
        table.digest = "given by the core"
        return [table]

    whole_tree = whole_table(replacing()[0])
    table_digest(whole_tree)  # computed before, as the core does for the table it replaces
    new_row = _checkins(args.checkins + 1).rows[-1:]

    def appending() -> list[OutputTable]:
        return [
            OutputTable(
                log.name, log.header, new_row, kept_rows=len(log.rows), earlier=lambda: log.rows
            )
        ]

    whole_log = OutputTable(log.name, log.header, [*log.rows, *new_row])
    work = root / "work"
    cases: dict[str, list[float]] = {name: [] for name in ("patch", "whole", "append", "log")}
    cases["splice"] = []
    for _ in range(args.repeat):
        cases["patch"].append(_timed(saved, work, replacing, True))
        cases["whole"].append(_timed(saved, work, lambda: [whole_tree], True))
        cases["append"].append(_timed(saved, work, appending, True))
        cases["log"].append(_timed(saved, work, lambda: [whole_log], True))
        cases["splice"].append(_timed(saved, work, appending, False))
    best = {name: min(times) for name, times in cases.items()}
    median = {name: statistics.median(times) for name, times in cases.items()}

    def line(name: str, peer: str, what: str) -> None:
        print(
            f"{what:<44} {best[name]:7.3f}s (median {median[name]:.3f}s) vs {peer:<6} "
            f"{best[peer]:7.3f}s (median {median[peer]:.3f}s): ratio {best[name] / best[peer]:.3f}"
        )

    line("patch", "whole", "3 tree rows replaced in place")
    line("append", "log", "1 check-in appended in place")
    line("append", "splice", "1 check-in appended in place, vs spliced")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
