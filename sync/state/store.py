"""Where the state is kept: one small interface, a directory implementation, and the loaded
state cached by the file's identity so a warm reader pays one `stat`.

A store holds one state (one organisation). `load()` answers the newest state, or None when
there is none or the one there is unusable (said in a log line; the next full sync rebuilds
it). `save()` replaces it atomically: a reader sees the old state or the new one, never half.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from .codec import BadState, State, decode, encode

__all__ = ["DirectoryStore", "StateStore", "load_checked"]

log = logging.getLogger(__name__)


class StateStore(Protocol):
    """The last full run of one organisation, shared by everyone who syncs or answers."""

    where: str  # for messages: a path or gs:// URL

    def load(self) -> State | None:
        """The newest state; None when there is none (or it is unusable: logged)."""
        ...

    def save(self, state: State) -> None:
        """Replace the state atomically."""
        ...


def load_checked(data: bytes, source: str, where: str) -> State | None:
    """Decode `data`, or log why it is ignored and answer None."""
    try:
        return decode(data, source)
    except BadState as err:
        log.warning("ignoring the okrtree state in %s (%s); the next sync rebuilds it", where, err)
        return None


class DirectoryStore:
    """The state as one file, `path`, replaced by rename (temporary file in the same folder)."""

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = source
        self.where = str(path)
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int, int], State | None] | None = None

    def load(self) -> State | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        identity = (info.st_ino, info.st_mtime_ns, info.st_size)
        with self._lock:
            if self._cached is not None and self._cached[0] == identity:
                return self._cached[1]
            try:
                data = self.path.read_bytes()
            except OSError as err:
                log.warning("cannot read the okrtree state %s (%s)", self.path, err)
                return None
            state = load_checked(data, self.source, self.where)
            self._cached = (identity, state)
            return state

    def save(self, state: State) -> None:
        data = encode(state)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".state-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        info = self.path.stat()
        with self._lock:
            self._cached = ((info.st_ino, info.st_mtime_ns, info.st_size), state)
