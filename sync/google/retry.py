"""Retrying what Google asks to be retried: 429, 5xx, 408, timeouts and broken connections, a
bounded number of times, with capped exponential backoff and jitter, never sooner than
`Retry-After` says.

gspread's own `BackOffHTTPClient` retries by recursion until Python's recursion limit; this
policy gives up after `attempts` and lets the caller turn the failure into a finding.

>>> policy = RetryPolicy(random=lambda: 1.0)
>>> [policy.delay(n) for n in (1, 2, 3, 7)]
[1.0, 2.0, 4.0, 32.0]
>>> policy.delay(1, retry_after=5.0)
5.0
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from gspread.exceptions import APIError

__all__ = ["Failure", "RetryPolicy", "classify"]

# 403 reasons Google (Drive, older Sheets paths) uses for rate limits rather than permissions.
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})
_CUT_OFF = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong with one attempt, in the terms the retry decision needs."""

    status: int | None  # HTTP status; None for a timeout or a broken connection
    transient: bool
    detail: str
    retry_after: float | None = None

    @property
    def executed_maybe(self) -> bool:
        """Whether the request may have run although it failed (a 429 never runs)."""
        return self.status != 429


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare from Google; the backoff applies instead


def classify(error: BaseException) -> Failure | None:
    """A gspread `APIError`, or a requests timeout, broken connection or cut-off answer, as a
    `Failure`; None for anything else (a bug, which must not be retried or hidden)."""
    if isinstance(error, APIError):
        response = error.response
        status = response.status_code
        detail = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
        reasons = {
            str(e.get("reason", ""))
            for e in (error.error.get("errors") or [] if isinstance(error.error, dict) else [])
            if isinstance(e, dict)
        }
        transient = status in (408, 429) or status >= 500
        transient = transient or (status == 403 and bool(reasons & _RATE_REASONS))
        return Failure(status, transient, detail or response.reason or "", _retry_after(response))
    if isinstance(error, requests.Timeout):
        return Failure(None, True, "the request timed out")
    if isinstance(error, requests.ConnectionError):
        return Failure(None, True, f"connection failed ({type(error).__name__})")
    if isinstance(error, _CUT_OFF):  # the connection dropped while the answer was arriving
        return Failure(None, True, f"the answer was cut off ({type(error).__name__})")
    return None


@dataclass
class RetryPolicy:
    """`attempts` tries in all; waits double from `base` up to `cap` seconds, each drawn
    between half and all of that (jitter, so parallel workers do not retry in step), and at
    least `Retry-After` (itself capped at `max_retry_after`)."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 32.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], object] = time.sleep
    random: Callable[[], float] = field(default=_random.random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        wait = ceiling / 2 + self.random() * ceiling / 2
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_retry_after))
        return wait

    def should_retry(self, failure: Failure, attempt: int, idempotent: bool) -> bool:
        """Retry a transient failure while attempts remain; a request that must not run twice
        only when it certainly did not run (429)."""
        if not failure.transient or attempt >= self.attempts:
            return False
        return idempotent or not failure.executed_maybe
