"""Trouble on demand: failing answers, slow answers, and edits made between two calls.

Each rule says which requests it applies to with a :class:`Match` (a request kind such as
``values.update``, or the categories ``read``/``write``, and optionally one spreadsheet), so a
test can say "the next two writes to the hub answer 429" or "before the next write to team X,
insert a row at 5".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

__all__ = ["Fault", "Hook", "Latency", "Match", "RequestInfo", "fault_error"]

_MESSAGES = {
    429: (
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute "
        "per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'."
    ),
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
    """Answer the next ``remaining`` matching requests with an error instead of running them."""

    match: Match
    status: int
    remaining: int
    retry_after: float | None = None
    message: str | None = None

    def error(self) -> ApiError:
        """The error to send."""
        return fault_error(self.status, self.message)


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


def fault_error(status: int, message: str | None = None) -> ApiError:
    """An injected failure worded as Google words it."""
    return ApiError(status, message or _MESSAGES.get(status, "Backend Error"))
