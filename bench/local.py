"""Benchmark: a local workspace end to end through the real `okrtree` command.

    python bench/local.py [--teams 500] [--rows 200] [--keep DIR]

Times `okrtree validate`, the first `okrtree sync`, and a no-change re-sync (which must save no
file), each as a separate process, as a person would run them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_workspace import make_workspace  # noqa: E402

AS_OF = "2026-11-21"


def timed(*args: str) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sync", *args, "--as-of", AS_OF, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"okrtree {' '.join(args)} failed: {done.stderr}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="make the workspace here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "org"
        started = time.perf_counter()
        make_workspace(root, teams=args.teams, rows=args.rows)
        print(
            f"workspace: {args.teams} workbooks x {args.rows} rows in "
            f"{time.perf_counter() - started:.1f}s"
        )
        seconds, data = timed("validate", str(root))
        print(
            f"validate:  {seconds:6.1f}s  items={len(data['items']):,} "
            f"findings={len(data['findings']):,}"
        )
        seconds, data = timed("sync", str(root))
        print(f"sync:      {seconds:6.1f}s  writes={data['writes']}")
        stamps = {p: p.stat().st_mtime_ns for p in root.rglob("*.xlsx")}
        seconds, data = timed("sync", str(root))
        saved = sum(p.stat().st_mtime_ns != stamps[p] for p in root.rglob("*.xlsx"))
        print(f"re-sync:   {seconds:6.1f}s  writes={data['writes']} files_saved={saved}")


if __name__ == "__main__":
    main()
