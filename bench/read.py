"""Benchmark: okrtree's workbook reader beside a bare python-calamine read of every team sheet.

    python bench/read.py [--teams 500] [--rows 200] [--keep DIR] [--repeat 3]

Prints, in one run, the floor (python-calamine opening each workbook and reading its OKRs tab),
okrtree's reader (package checks, then the same read, values converted), the ratio of the two,
the package checks alone, and `okrtree validate` end to end as a separate process. Each figure is
the best of `--repeat` runs, in CPU seconds of this process (the reads) and in wall seconds
(validate), so a busy machine disturbs the ratio as little as it can.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_workspace import make_workspace  # noqa: E402

from sync.backends.xlsx_bounds import Package, scan_sheet  # noqa: E402
from sync.backends.xlsx_read import WorkbookReader  # noqa: E402

AS_OF = "2026-11-21"


def floor(files: list[Path]) -> None:
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_name("OKRs").to_python()
        book.close()


def okrtree_reader(files: list[Path]) -> None:
    for path in files:
        with WorkbookReader(path, path.name) as book:
            book.grid("OKRs")


def package_checks(files: list[Path]) -> None:
    for path in files:
        package = Package.open(path, path.name)
        scan_sheet(path.name, "OKRs", package.part(package.sheets["OKRs"]))
        package.close()


def best(task: Callable[[list[Path]], None], files: list[Path], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        task(files)
        times.append(time.process_time() - started)
    return min(times)


def validate(root: Path, repeat: int) -> tuple[float, float]:
    """Best wall and CPU seconds of `okrtree validate --json`; the CPU counts the process and
    the reader processes it forks."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "sync", "validate", str(root), "--as-of", AS_OF, "--json"],
            capture_output=True,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"okrtree validate failed: {done.stderr.decode()}")
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="make the workspace here (or reuse it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "org"
        if not (root / "hub.xlsx").exists():
            make_workspace(root, teams=args.teams, rows=args.rows)
        files = sorted(p for p in (root / "teams").rglob("*.xlsx"))
        print(f"workspace: {len(files)} workbooks in {root}")
        base = best(floor, files, args.repeat)
        ours = best(okrtree_reader, files, args.repeat)
        checks = best(package_checks, files, args.repeat)
        print(f"calamine floor:   {base:6.2f}s cpu")
        print(f"okrtree reader:   {ours:6.2f}s cpu  ({ours / base:.2f} x the floor)")
        print(f"  package checks: {checks:6.2f}s cpu  ({checks / base:.2f} x the floor)")
        wall, cpu = validate(root, args.repeat)
        ratio = cpu / base
        print(f"okrtree validate: {wall:6.2f}s wall  {cpu:6.2f}s cpu  ({ratio:.1f} x the floor)")


if __name__ == "__main__":
    main()
