"""Benchmark: the shared state (`sync.state`) of a large organisation: size, write, load.

    python bench/state.py [--rows 100000] [--repeat 3]

The organisation is `bench/core.py`'s (teams of 200 rows, an objective and three key results
per block). Measured: the gzip JSON's size, encoding plus an atomic write to a folder, reading
plus decoding it with every grid unpacked (what a cold instance pays before it can answer),
and computing the run from it (what the tree page and a click then need). Beside it, the same
snapshots as a pickle, the format this state replaces, as the peer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from core import generate  # noqa: E402

from sync.engine import gc_paused  # noqa: E402
from sync.snapshot import HubSnapshot  # noqa: E402
from sync.state import DirectoryStore, State  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
SETTINGS = [["Cycle", "2026-Q4"], ["Cycle start", "2026-10-01"], ["Cycle end", "2026-12-31"]]


def organisation(rows: int) -> State:
    teams, snapshots = generate(rows)
    grid: list[list[object]] = [["Team", "Level", "Parent team", "Spreadsheet", "Tab"]]
    for team in teams:
        grid.append([team.name, team.level.value, team.parent or "", team.source, team.tab])
    hub = HubSnapshot("bench", {"Teams": grid, "Settings": SETTINGS})  # type: ignore[dict-item]
    for snap in snapshots:
        snap.version = f"1796158082563155423:7926:{'0' * 64}"
    return State("bench", AS_OF, time.time(), hub, snapshots)


def best(repeat: int, action: object) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    state = organisation(args.rows)
    with tempfile.TemporaryDirectory() as scratch, gc_paused():
        store = DirectoryStore(Path(scratch) / "state.json.gz", "bench")
        write = best(args.repeat, lambda: store.save(state))
        size = store.path.stat().st_size
        load = best(args.repeat, lambda: _loaded(store.path))
        loaded = DirectoryStore(store.path, "bench").load()
        assert loaded is not None
        run = loaded.run()
        computed = best(
            args.repeat, lambda: State("bench", AS_OF, 0.0, loaded.hub, loaded.snapshots).run()
        )
        peer = Path(scratch) / "snapshot.pickle"
        pickled = best(
            args.repeat,
            lambda: peer.write_bytes(pickle.dumps(state.snapshots, pickle.HIGHEST_PROTOCOL)),
        )
        unpickled = best(args.repeat, lambda: pickle.loads(peer.read_bytes()))
        print(
            f"rows={args.rows:,} items={len(run.computed.result.items):,} teams={len(run.teams):,}"
        )
        pickle_size = peer.stat().st_size / 1e6
        print(f"  state file      {size / 1e6:7.2f} MB gzip JSON  (pickle {pickle_size:.2f} MB)")
        print(
            f"  write           {write:7.2f} s   (pickle {pickled:.2f} s, {write / pickled:.1f}x)"
        )
        print(
            f"  load            {load:7.2f} s   (pickle {unpickled:.2f} s, {load / unpickled:.1f}x)"
        )
        print(f"  compute the run {computed:7.2f} s   (once per state, then cached)")


def _loaded(path: Path) -> State:
    """The state read, decoded and every grid unpacked: what a cold instance pays before it
    computes the run (a sync recomputing a few teams unpacks only theirs)."""
    state = DirectoryStore(path, "bench").load()
    assert state is not None
    return state.unpack()


if __name__ == "__main__":
    main()
