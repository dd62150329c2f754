"""Drive's notion of time: millisecond timestamps and the change counter behind page tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["ChangeClock", "now", "rfc3339"]


def now() -> dt.datetime:
    """Now, cut to whole milliseconds: Drive shows times in ms, and a client comparing a
    ``modifiedTime`` it was shown against the file must find them equal."""
    moment = dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def rfc3339(moment: dt.datetime) -> str:
    """Drive's timestamp format, in milliseconds: ``2026-11-21T05:15:42.123Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class ChangeClock:
    """One store's change counter; Drive's page tokens are decimal strings of such numbers.

    It belongs to the store, not to a file: a deep copy of a file (a batch's working copy, a
    test's snapshot) keeps counting on the same clock.
    """

    last: int = 1000

    def __deepcopy__(self, memo: dict[int, Any]) -> ChangeClock:
        return self

    def tick(self) -> int:
        """The number of a new change."""
        self.last += 1
        return self.last
