"""One sync at a time per workspace: a lock file in `WORKSPACE/.okrtree/`.

The lock is an `fcntl.flock` on `.okrtree/sync.lock`, which also holds the holder's pid and start
time for the message a waiting run prints. The kernel drops the lock when its holder dies, so a
lock left by a killed run is simply taken over. A second run waits a bounded time for the first
(`OKRTREE_LOCK_WAIT` seconds, default 60), then gives up with one line naming the running one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import SourceError

__all__ = ["DEFAULT_WAIT", "LOCK_FILE", "WAIT_ENV", "workspace_lock"]

LOCK_FILE = Path(".okrtree") / "sync.lock"
WAIT_ENV = "OKRTREE_LOCK_WAIT"
DEFAULT_WAIT = 60.0
_POLL = 0.1


def _wait_limit(env: Mapping[str, str]) -> float:
    try:
        return max(0.0, float(env.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@contextlib.contextmanager
def workspace_lock(workspace: Path, env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Hold the workspace's sync lock; raise `SourceError` when another run keeps it too long."""
    path = workspace / LOCK_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as err:
        raise SourceError(f"cannot create the lock file {path} ({err.strerror})") from err
    try:
        limit = _wait_limit(os.environ if env is None else env)
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SourceError(_busy(path, fd, workspace, limit)) from None
                time.sleep(_POLL)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _busy(path: Path, fd: int, workspace: Path, waited: float) -> str:
    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    pid, since = (holder + ["?", "?"])[:2]
    return (
        f"another okrtree sync of {workspace} is running (pid {pid}, since {since}); waited "
        f"{waited:g} s for it. Run again when it has finished; if it hangs, stop it "
        f"(kill {pid}): the lock {path} of a process that ended is taken over by itself"
    )
