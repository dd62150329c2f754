"""Benchmark: a local workspace end to end, okrtree beside the naive openpyxl script and the
python-calamine read floor, in one run.

    python bench/local.py [--teams 500] [--rows 200] [--keep DIR]

Every figure is a separate child process, as a person would run it, timed by the wall clock,
with its peak resident memory (ru_maxrss of the child and its own children). Prints the ratios
okrtree / naive and checks them against the targets.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_workspace import make_workspace  # noqa: E402

AS_OF = "2026-11-21"
MIB = 1 << 20
TARGETS = {"validate": 0.20, "sync": 0.25}  # okrtree at most this share of the naive time
RESYNC_TARGETS = {"no-change re-sync": 1.0, "one edited workbook": 1.5}  # seconds
PEAK_LIMIT = 1 << 30

FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
for path in sorted(Path(sys.argv[1]).glob("teams/*.xlsx")):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("OKRs").to_python()
    cells += sum(len(row) for row in rows)
print(cells)
"""


@dataclass
class Timed:
    seconds: float
    peak: int  # bytes
    output: str


def child(*command: str) -> Timed:
    """Run one child process; its wall time, peak RSS (with its own children) and stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.read()}")
        return Timed(seconds, usage.ru_maxrss * 1024, out.read())


def okrtree(command: str, root: Path) -> tuple[Timed, Any]:
    timed = child(sys.executable, "-m", "sync", command, str(root), "--as-of", AS_OF, "--json")
    return timed, json.loads(timed.output)


def naive(command: str, root: Path) -> tuple[Timed, Any]:
    timed = child(
        sys.executable, str(HERE / "naive_script.py"), command, str(root), "--as-of", AS_OF
    )
    return timed, json.loads(timed.output)


def compiled() -> None:
    """Byte-compile okrtree's modules first, as an installed package has them: otherwise, with
    PYTHONDONTWRITEBYTECODE set, every command would compile them again."""
    for package in ("sync", "sheets_templates"):
        compileall.compile_dir(str(HERE.parent / package), quiet=1)


def stamps(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in root.rglob("*.xlsx")}


def saved_since(root: Path, before: dict[Path, int]) -> int:
    return sum(p.stat().st_mtime_ns != before.get(p) for p in root.rglob("*.xlsx"))


def edit_one_workbook(root: Path) -> None:
    """A person's check-in: a new Current on one key result of one team, saved by openpyxl."""
    from openpyxl import load_workbook

    path = sorted(root.glob("teams/*.xlsx"))[len(list(root.glob("teams/*.xlsx"))) // 2]
    wb = load_workbook(path)
    ws = wb["OKRs"]
    current = [c.column for c in ws[1] if c.value == "Current"][0]
    ws.cell(row=3, column=current).value = 99
    wb.save(path)


def line(name: str, ours: Timed, peer: Timed | None = None, note: str = "") -> None:
    if peer is None:
        print(f"{name:<24}{ours.seconds:8.1f} s{'':>22}{ours.peak / MIB:8.0f} MiB  {note}")
        return
    ratio = ours.seconds / peer.seconds
    print(
        f"{name:<24}{ours.seconds:8.1f} s{peer.seconds:9.1f} s{ratio:9.2f}  "
        f"{ours.peak / MIB:8.0f} / {peer.peak / MIB:.0f} MiB  {note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument(
        "--keep", type=Path, help="make the workspaces under this folder, keep them"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr] # each figure when known
    compiled()
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        pristine, ours, theirs = base / "pristine", base / "okrtree", base / "naive"
        started = time.perf_counter()
        make_workspace(pristine, teams=args.teams, rows=args.rows)
        shutil.copytree(pristine, ours)
        shutil.copytree(pristine, theirs)
        print(
            f"workspace: {args.teams} workbooks x {args.rows} rows, made in "
            f"{time.perf_counter() - started:.1f} s"
        )
        print(f"{'':<24}{'okrtree':>10}{'naive':>11}{'ratio':>9}  {'peak (okrtree / naive)':>22}")

        floor = child(sys.executable, "-c", FLOOR, str(pristine))
        line("calamine read floor", floor, note=f"{int(floor.output):,} cells")

        validate, data = okrtree("validate", ours)
        naive_validate, naive_data = naive("validate", theirs)
        assert (len(data["items"]), len(data["findings"])) == (
            naive_data["items"],
            naive_data["findings"],
        ), "okrtree and the naive script disagree"
        line("validate", validate, naive_validate, f"{len(data['items']):,} items")

        before = stamps(ours)
        sync, data = okrtree("sync", ours)
        naive_sync, naive_data = naive("sync", theirs)
        writes = data["writes"]
        line(
            "first sync",
            sync,
            naive_sync,
            f"{writes['spreadsheets']} files saved (naive {naive_data['spreadsheets']}), "
            f"{saved_since(ours, before)} changed on disk",
        )

        before = stamps(ours)
        resync, data = okrtree("sync", ours)
        line("no-change re-sync", resync, note=f"files saved: {saved_since(ours, before)}")

        edit_one_workbook(ours)
        before = stamps(ours)
        edited, data = okrtree("sync", ours)
        line("one edited workbook", edited, note=f"files saved: {saved_since(ours, before)}")

        peak = max(t.peak for t in (validate, sync, resync, edited))
        checks = [
            ("validate", validate.seconds / naive_validate.seconds, TARGETS["validate"]),
            ("first sync", sync.seconds / naive_sync.seconds, TARGETS["sync"]),
        ]
        for name, ratio, target in checks:
            verdict = "met" if ratio <= target else "NOT MET"
            print(f"target {name} <= {target:.2f} x naive: {ratio:.2f} {verdict}")
        for name, timed in (("no-change re-sync", resync), ("one edited workbook", edited)):
            limit = RESYNC_TARGETS[name]
            verdict = "met" if timed.seconds < limit else "NOT MET"
            print(f"target {name} < {limit:.1f} s: {timed.seconds:.1f} s {verdict}")
        verdict = "met" if peak < PEAK_LIMIT else "NOT MET"
        print(f"target peak memory < 1 GiB: {peak / MIB:.0f} MiB {verdict}")


if __name__ == "__main__":
    main()
