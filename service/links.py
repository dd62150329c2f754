"""One-time sign-in links for `okrtree serve`: `/tree?token=CODE` opens one browser, once.

A link's code is not the API token: it is spent when a browser trades it for a session cookie,
so the link left in the browser's history, the terminal's scroll-back or a pasted chat opens
nothing later. Another browser needs a new link (`okrtree serve` prints one when it starts; a
caller with the API token asks `POST /api/link` for more) or the API token by header.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import OrderedDict
from enum import Enum

__all__ = ["MAX_PENDING", "NEW_LINK", "OneTimeLinks", "Redeemed"]

MAX_PENDING = 32  # unused links kept; asking for more forgets the oldest
NEW_LINK = (
    "For a new link, restart `okrtree serve` or POST /api/link with 'Authorization: Bearer "
    "TOKEN' (the token it printed); scripts send that header instead of opening links."
)


class Redeemed(Enum):
    """What a code turned out to be."""

    OK = "ok"
    SPENT = "spent"
    UNKNOWN = "unknown"


class OneTimeLinks:
    """Pending link codes, each accepted once; thread-safe (the server answers in threads)."""

    def __init__(self) -> None:
        self._pending: OrderedDict[str, None] = OrderedDict()
        self._spent: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self) -> str:
        """A new code for one link."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._pending[code] = None
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
        return code

    def redeem(self, code: str) -> Redeemed:
        """Spend `code`: OK the first time, SPENT after, UNKNOWN when it was never issued."""
        with self._lock:
            for pending in list(self._pending):
                if hmac.compare_digest(pending.encode(), code.encode()):
                    del self._pending[pending]
                    self._spent[pending] = None
                    while len(self._spent) > MAX_PENDING:
                        self._spent.popitem(last=False)
                    return Redeemed.OK
            if any(hmac.compare_digest(s.encode(), code.encode()) for s in self._spent):
                return Redeemed.SPENT
        return Redeemed.UNKNOWN
