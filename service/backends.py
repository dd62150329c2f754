"""How the service opens the organisation's backend: one per operation, through
`sync.sources.open_backend`, so what one request read never leaks into another's writes.

For a Google hub every backend of the app shares one `SheetsApi`: its rate limiter and retries
must see every request the process makes to keep the service inside the Sheets quota, and its
credentials are then resolved once instead of per click.
"""

from __future__ import annotations

import threading
from typing import Any

from sync.backends.base import Backend
from sync.sources import open_backend

__all__ = ["BackendFactory"]


class BackendFactory:
    """`factory(source)` gives a fresh backend; `api` (a `sync.google.api.SheetsApi`) may be
    given up front, e.g. one talking to the emulator in tests."""

    def __init__(self, credentials: str | None = None, api: Any = None) -> None:
        self.credentials = credentials
        self._api = api
        self._google: set[str] = set()  # sources already opened as Google hubs
        self._lock = threading.Lock()

    def __call__(self, source: str) -> Backend:
        from sync.backends.gsheets import GoogleBackend
        from sync.google.keys import is_google_source

        if self._api is not None and (source in self._google or is_google_source(source)):
            return GoogleBackend(source, self._api)
        backend = open_backend(source, credentials=self.credentials)
        if isinstance(backend, GoogleBackend):
            with self._lock:
                self._google.add(source)
                if self._api is None:
                    self._api = backend.api
        return backend
