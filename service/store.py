"""Where the organisation snapshot from the last sync is kept between requests.

A validate click re-reads one team and judges it against everyone else as the last sync saw
them (`sync.engine.run_team`), so it costs two reads instead of one per team. The snapshot is a
cache, never the truth: an instance that has none (a cold start) rebuilds it with one full read,
which is why instances stay stateless and can be added or removed freely.

- `MemorySnapshotStore`: one process (`okrtree serve`, tests).
- `FileSnapshotStore`: a pickle in the state directory, so the worker processes of one instance
  share it and a restarted process starts warm. The directory is the service's own (only the
  service writes there), which is what makes unpickling it safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

from sync.engine import Run

__all__ = ["FileSnapshotStore", "MemorySnapshotStore", "Snapshot", "SnapshotStore", "open_store"]

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the pickled shape changes, so old files are rebuilt rather than misread


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A full run of the organisation, where it came from and when (seconds since the epoch)."""

    run: Run
    source: str
    taken: float

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.taken


class SnapshotStore(Protocol):
    """Keeps the latest snapshot; `get` returns None when there is none yet."""

    def get(self) -> Snapshot | None: ...

    def put(self, snapshot: Snapshot) -> None: ...


class MemorySnapshotStore:
    """The snapshot in this process's memory."""

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None

    def get(self) -> Snapshot | None:
        return self._snapshot

    def put(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot


def _version() -> str:
    try:
        return metadata.version("okrtree")
    except metadata.PackageNotFoundError:
        return "unknown"


class FileSnapshotStore:
    """The snapshot as a pickle in `directory`, one file per source, replaced atomically.

    The loaded object is kept and reused until the file changes (another process synced), so a
    read costs one `stat`. A file written by another okrtree version, or damaged, is ignored:
    the caller rebuilds the snapshot with a full read.
    """

    def __init__(self, directory: Path, source: str) -> None:
        self.directory = directory
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
        self.path = directory / f"snapshot-{digest}.pickle"
        self.source = source
        self._lock = threading.Lock()
        self._cached: tuple[int, Snapshot] | None = None

    def get(self) -> Snapshot | None:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        with self._lock:
            if self._cached is not None and self._cached[0] == stamp:
                return self._cached[1]
            snapshot = self._load()
            self._cached = None if snapshot is None else (stamp, snapshot)
            return snapshot

    def _load(self) -> Snapshot | None:
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as err:
            log.warning("ignoring the snapshot in %s (%s); it will be rebuilt", self.path, err)
            return None
        if not isinstance(stored, dict) or stored.get("format") != (FORMAT, _version()):
            log.info("the snapshot in %s is from another version; it will be rebuilt", self.path)
            return None
        snapshot = stored.get("snapshot")
        if not isinstance(snapshot, Snapshot) or snapshot.source != self.source:
            return None
        return snapshot

    def put(self, snapshot: Snapshot) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        payload = {"format": (FORMAT, _version()), "snapshot": snapshot}
        handle, temporary = tempfile.mkstemp(prefix=".snapshot-", dir=self.directory)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        with self._lock:
            self._cached = (self.path.stat().st_mtime_ns, snapshot)


def open_store(state_dir: Path | None, source: str) -> SnapshotStore:
    """A file store in the state directory when one is configured, else memory."""
    if state_dir is None:
        return MemorySnapshotStore()
    return FileSnapshotStore(state_dir, source)
