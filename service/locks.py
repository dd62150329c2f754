"""One full sync at a time: two syncs of one organisation would read and write the same
spreadsheets and spend the Sheets quota twice.

The lock is per source and process-wide (every app object and thread of a process shares it);
with a state directory it is also an `flock` on a file there, so the worker processes of one
instance wait for each other too. Across instances, the deployment runs syncs on the `worker`
service, which has a single instance (see worker.yaml and the README).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Busy", "SyncLock"]

_REGISTRY: dict[str, threading.Lock] = {}
_REGISTRY_LOCK = threading.Lock()


class Busy(Exception):  # noqa: N818 - an outcome the API turns into 409, not a bug
    """Another sync of this organisation is running."""


def _process_lock(source: str) -> threading.Lock:
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(source, threading.Lock())


class SyncLock:
    """Non-blocking: `hold()` raises `Busy` at once rather than queueing a second sync."""

    def __init__(self, source: str, state_dir: Path | None = None) -> None:
        self._lock = _process_lock(source)
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
        self._path = state_dir / f"sync-{digest}.lock" if state_dir else None

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            raise Busy
        try:
            if self._path is None:
                yield
                return
            self._path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise Busy from None
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            finally:
                os.close(handle)
        finally:
            self._lock.release()
