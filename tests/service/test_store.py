"""Where the snapshot lives: memory, a pickle in the state directory, and when it is rebuilt."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from pathlib import Path

import pytest

from service.locks import SyncLock
from service.org import Organisation
from service.store import (
    FileSnapshotStore,
    MemorySnapshotStore,
    Snapshot,
    SnapshotStore,
    open_store,
)
from sync.engine import Run, run
from sync.sources import open_backend

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture
def full_run(workspace: Path) -> Run:
    return run(open_backend(str(workspace)), AS_OF)


def test_memory_store(full_run: Run) -> None:
    store = MemorySnapshotStore()
    assert store.get() is None
    snapshot = Snapshot(full_run, "org", time.time())
    store.put(snapshot)
    assert store.get() is snapshot


def test_file_store_round_trip_and_sharing(full_run: Run, tmp_path: Path) -> None:
    first = FileSnapshotStore(tmp_path / "state", "org")
    second = FileSnapshotStore(tmp_path / "state", "org")  # another process on the instance
    assert first.get() is None
    first.put(Snapshot(full_run, "org", 1000.0))
    loaded = second.get()
    assert loaded is not None and loaded.taken == 1000.0
    assert [i.id for i in loaded.run.computed.result.items] == [
        i.id for i in full_run.computed.result.items
    ]
    assert second.get() is loaded  # reused until the file changes
    time.sleep(0.01)
    first.put(Snapshot(full_run, "org", 2000.0))
    assert second.get().taken == 2000.0  # type: ignore[union-attr]
    assert [p.name for p in (tmp_path / "state").iterdir()] == [first.path.name]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle",
        pickle.dumps({"format": (0, "0.0"), "snapshot": None}),
        pickle.dumps(["a list"]),
    ],
)
def test_a_bad_or_foreign_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    store = FileSnapshotStore(tmp_path, "org")
    store.path.write_bytes(content)
    assert store.get() is None


def test_each_source_has_its_own_file(full_run: Run, tmp_path: Path) -> None:
    FileSnapshotStore(tmp_path, "org").put(Snapshot(full_run, "org", 1.0))
    other = FileSnapshotStore(tmp_path, "elsewhere")
    assert other.get() is None and other.path != FileSnapshotStore(tmp_path, "org").path


def test_open_store_picks_by_state_dir(tmp_path: Path) -> None:
    assert isinstance(open_store(None, "org"), MemorySnapshotStore)
    assert isinstance(open_store(tmp_path, "org"), FileSnapshotStore)


def organisation(workspace: Path, store: SnapshotStore, max_age: float = 0) -> Organisation:
    source = str(workspace)
    return Organisation(source, store, SyncLock(source), lambda: AS_OF, max_age=max_age)


def test_a_cold_instance_reads_once_and_keeps_it(workspace: Path, tmp_path: Path) -> None:
    store = FileSnapshotStore(tmp_path / "state", str(workspace))
    first = organisation(workspace, store).snapshot()
    assert organisation(workspace, store).snapshot() is first
    restarted = organisation(workspace, FileSnapshotStore(tmp_path / "state", str(workspace)))
    assert restarted.snapshot().taken == first.taken  # warm from the file, no full read


def test_an_old_snapshot_is_rebuilt(workspace: Path) -> None:
    store = MemorySnapshotStore()
    org = organisation(workspace, store, max_age=3600)
    old = org.snapshot()
    assert org.snapshot() is old
    stale = Snapshot(old.run, old.source, time.time() - 7200)
    store.put(stale)
    assert organisation(workspace, store, max_age=0).snapshot() is stale  # 0: kept until a sync
    rebuilt = org.snapshot()
    assert rebuilt is not stale and rebuilt.age() < 60 and store.get() is rebuilt
