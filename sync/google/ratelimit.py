"""A client-side limit on requests per minute, so a large organisation never meets a 429.

Google counts read and write requests per minute per account (60 each by default). The limiter
remembers when its last `limit` requests went out and lets the next one go only when the oldest
of them is a full window old: over any sliding window at most `limit` requests leave, bursts
included. A small margin absorbs the difference between when a request leaves here and when
Google counts it. Clock and sleep are injectable so tests run instantly.

>>> now = [0.0]
>>> def sleep(seconds): now[0] += seconds
>>> limiter = RateLimiter(2, clock=lambda: now[0], sleep=sleep, margin=0)
>>> [limiter.acquire() for _ in range(3)]
[0.0, 0.0, 60.0]
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from ..values import BadValue, parse_per_minute

__all__ = [
    "DEFAULT_PER_MINUTE",
    "READS_ENV",
    "WRITES_ENV",
    "Quotas",
    "RateLimiter",
    "per_minute",
]

DEFAULT_PER_MINUTE = 60
READS_ENV = "OKRTREE_READS_PER_MINUTE"
WRITES_ENV = "OKRTREE_WRITES_PER_MINUTE"
_SLACK = 1e-6  # seconds: rounding in clock arithmetic must not make a waiter wait again


class RateLimiter:
    """At most `limit` acquisitions in any `window` (+ `margin`) seconds; thread-safe."""

    def __init__(
        self,
        limit: int,
        *,
        window: float = 60.0,
        margin: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("a rate limit must allow at least one request")
        self.limit = limit
        self.span = window + margin
        self.clock = clock
        self.sleep = sleep
        self.sent: deque[float] = deque()
        self.waited = 0.0
        self._lock = threading.Lock()

    def set_limit(self, limit: int) -> None:
        """Change the limit (e.g. once the hub's Settings are known)."""
        if limit < 1:
            raise ValueError("a rate limit must allow at least one request")
        with self._lock:
            self.limit = limit

    def acquire(self) -> float:
        """Wait until one more request may leave; returns the seconds waited.

        Waiters queue on the lock, so they leave in order and none is starved.
        """
        waited = 0.0
        with self._lock:
            while True:
                now = self.clock()
                while self.sent and now - self.sent[0] >= self.span - _SLACK:
                    self.sent.popleft()
                if len(self.sent) < self.limit:
                    self.sent.append(now)
                    self.waited += waited
                    return waited
                pause = max(self.span - (now - self.sent[0]), _SLACK)
                self.sleep(pause)
                waited += pause


def _whole(value: object, where: str) -> int:
    try:
        return parse_per_minute(value)
    except BadValue as err:
        raise ConfigError(f"{where}: {err}") from None


def per_minute(
    kind: str,
    explicit: int | None,
    env: Mapping[str, str] | None = None,
    settings: Mapping[str, int] | None = None,
) -> int:
    """The limit for `reads` or `writes`: option, then environment, then hub Settings, then 60."""
    env = os.environ if env is None else env
    if explicit is not None:
        return _whole(explicit, f"{kind} per minute")
    name = READS_ENV if kind == "reads" else WRITES_ENV
    if env.get(name):
        return _whole(env[name], name)
    if settings and kind in settings:
        return settings[kind]
    return DEFAULT_PER_MINUTE


@dataclass
class Quotas:
    """The two limiters one account needs, and whether the limits were fixed by the caller
    (option or environment), in which case the hub's Settings do not change them."""

    reads: RateLimiter
    writes: RateLimiter
    fixed_reads: bool = False
    fixed_writes: bool = False

    @classmethod
    def build(
        cls,
        reads: int | None = None,
        writes: int | None = None,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        margin: float = 1.0,
    ) -> Quotas:
        env = os.environ if env is None else env
        return cls(
            RateLimiter(per_minute("reads", reads, env), clock=clock, sleep=sleep, margin=margin),
            RateLimiter(per_minute("writes", writes, env), clock=clock, sleep=sleep, margin=margin),
            fixed_reads=reads is not None or bool(env.get(READS_ENV)),
            fixed_writes=writes is not None or bool(env.get(WRITES_ENV)),
        )

    def apply_settings(self, reads: int | None, writes: int | None) -> None:
        """Take the hub's `Reads/Writes per minute` (None: not set) unless the caller fixed
        them (`Settings.reads_per_minute`, `writes_per_minute`)."""
        if reads is not None and not self.fixed_reads:
            self.reads.set_limit(reads)
        if writes is not None and not self.fixed_writes:
            self.writes.set_limit(writes)
