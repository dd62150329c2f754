"""Google's token-signing certificates, fetched once per their `max-age` instead of per request.

`google.oauth2.id_token` asks its transport for the certificates on every verification; Google
publishes them with a `Cache-Control: max-age` of hours. Wrapping the transport keeps a validate
click at two Sheets reads and no certificate download, and the verifier itself stays google-auth's.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

from google.auth import transport

__all__ = ["CachingRequest"]

_MAX_AGE = re.compile(r"max-age=(\d+)")


class CachingRequest(transport.Request):
    """A `google.auth.transport.Request` that keeps successful GET answers for their max-age
    (`default_ttl` seconds when the answer says nothing); everything else goes straight through."""

    def __init__(
        self,
        inner: transport.Request,
        *,
        default_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._default_ttl = default_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[float, transport.Response]] = {}

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Any = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> transport.Response:
        if method.upper() != "GET" or body is not None:
            return self._inner(url, method=method, body=body, headers=headers, timeout=timeout)
        now = self._clock()
        with self._lock:
            kept = self._answers.get(url)
        if kept is not None and kept[0] > now:
            return kept[1]
        response = self._inner(url, method=method, headers=headers, timeout=timeout, **kwargs)
        if response.status == 200:
            with self._lock:
                self._answers[url] = (now + self._ttl(response), response)
        return response

    def _ttl(self, response: transport.Response) -> float:
        control = ""
        for name, value in dict(response.headers or {}).items():
            if name.lower() == "cache-control":
                control = str(value)
        found = _MAX_AGE.search(control)
        return float(found.group(1)) if found else self._default_ttl
