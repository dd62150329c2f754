"""The tree as JSON bytes, serialised once per state.

`GET /api/tree` and the tree page are read far more often than the organisation changes, so the
body (and its gzip form, and an ETag) is built when a new state appears and reused until the
next one: a request then costs a dictionary lookup and a socket write.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass

from sync.state import State

from .payloads import tree_payload

__all__ = ["TreeBody", "TreeCache"]


@dataclass(frozen=True, slots=True)
class TreeBody:
    """One state's tree: the JSON text, gzip-compressed, and a strong ETag."""

    state: State
    json: bytes
    gzip: bytes
    etag: str


class TreeCache:
    """Keeps the body of the latest state seen; thread-safe, built at most once per state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._body: TreeBody | None = None

    def body(self, state: State) -> TreeBody:
        kept = self._body
        if kept is not None and kept.state is state:
            return kept
        with self._lock:
            kept = self._body
            if kept is not None and kept.state is state:
                return kept
            text = json.dumps(
                tree_payload(state.run()), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            etag = hashlib.sha256(text).hexdigest()[:32]
            self._body = TreeBody(state, text, gzip.compress(text, compresslevel=6), etag)
            return self._body
