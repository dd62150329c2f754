"""Trouble on demand: failing answers, slow answers, and edits made between two calls.

Each rule says which requests it applies to with a :class:`Match` (a request kind such as
``values.update``, or the categories ``read``/``write``, and optionally one spreadsheet), so a
test can say "the next two writes to the hub answer 429" or "before the next write to team X,
insert a row at 5".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

__all__ = [
    "READ_KINDS",
    "WRITE_KINDS",
    "Fault",
    "Hook",
    "Latency",
    "Match",
    "Quota",
    "RequestInfo",
    "fault_error",
]

READ_KINDS = frozenset(
    {
        "spreadsheets.get",
        "values.get",
        "values.batchGet",
        "values.batchGetByDataFilter",
        "developerMetadata.get",
        "developerMetadata.search",
        "drive.files.get",
        "drive.files.list",
        "drive.changes.getStartPageToken",
        "drive.changes.list",
        "drive.permissions.list",
        "drive.comments.list",
    }
)
WRITE_KINDS = frozenset(
    {
        "spreadsheets.create",
        "spreadsheets.batchUpdate",
        "sheets.copyTo",
        "values.update",
        "values.batchUpdate",
        "values.append",
        "values.clear",
        "values.batchClear",
        "values.batchUpdateByDataFilter",
        "values.batchClearByDataFilter",
        "drive.files.create",
        "drive.files.copy",
        "drive.files.delete",
        "drive.permissions.create",
        "drive.permissions.delete",
        "drive.comments.create",
    }
)

_QUOTA = (
    "Quota exceeded for quota metric '{0} requests' and limit '{0} requests per minute "
    "per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'."
)
_MESSAGES = {
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "Deadline exceeded.",
}


@dataclass(frozen=True)
class RequestInfo:
    """What the emulator knows about a request before it runs it."""

    kind: str
    method: str
    path: str
    spreadsheet_id: str | None
    write: bool


@dataclass(frozen=True)
class Match:
    """Which requests a rule applies to; ``None`` fields match anything.

    ``kind`` is a request kind (``values.batchGet``), a prefix ending in ``*`` (``drive.*``), or
    the category ``read`` or ``write``.
    """

    kind: str | None = None
    spreadsheet_id: str | None = None

    def __post_init__(self) -> None:
        kinds = READ_KINDS | WRITE_KINDS
        if self.kind is None or self.kind in ("read", "write") or self.kind in kinds:
            return
        if self.kind.endswith("*") and any(k.startswith(self.kind[:-1]) for k in kinds):
            return
        raise ValueError(f"unknown request kind {self.kind!r}; one of {sorted(kinds)}")

    def __call__(self, info: RequestInfo) -> bool:
        if self.spreadsheet_id is not None and info.spreadsheet_id != self.spreadsheet_id:
            return False
        if self.kind is None:
            return True
        if self.kind == "write":
            return info.write
        if self.kind == "read":
            return not info.write
        if self.kind.endswith("*"):
            return info.kind.startswith(self.kind[:-1])
        return info.kind == self.kind


@dataclass
class Fault:
    """Answer the next ``remaining`` matching requests with an error.

    Normally the request is not run. With ``after`` it runs and only its answer is lost, the
    way a timeout after the server committed looks to a client (a blind retry repeats it).
    """

    match: Match
    status: int
    remaining: int
    retry_after: float | None = None
    message: str | None = None
    after: bool = False

    def error(self, write: bool = False) -> ApiError:
        """The error to send for a read or a write."""
        return fault_error(self.status, self.message, write)


@dataclass
class Quota:
    """At most ``limit`` matching requests in any ``window`` seconds; beyond that, 429.

    Google's per-user quota is 60 read and 60 write requests a minute; a sync that reads
    every team one range at a time runs into it, and this makes that visible in tests.
    """

    match: Match
    limit: int
    window: float = 60.0
    seen: deque[float] = field(default_factory=deque)

    def admit(self, now: float) -> float | None:
        """Count a request at ``now``; returns the seconds to wait when over quota."""
        while self.seen and now - self.seen[0] >= self.window:
            self.seen.popleft()
        if len(self.seen) >= self.limit:
            return self.window - (now - self.seen[0])
        self.seen.append(now)
        return None


@dataclass
class Latency:
    """Sleep ``seconds`` before answering each matching request."""

    match: Match
    seconds: float


@dataclass
class Hook:
    """Run ``callback`` once before the next matching request, as a person editing would."""

    match: Match
    callback: Callable[[], Any]
    remaining: int = 1
    calls: list[RequestInfo] = field(default_factory=list)


def fault_error(status: int, message: str | None = None, write: bool = False) -> ApiError:
    """An injected failure worded as Google words it (429 names the read or write quota)."""
    if message is None:
        quota = _QUOTA.format("Write" if write else "Read")
        message = quota if status == 429 else _MESSAGES.get(status, "Backend Error")
    return ApiError(status, message)
