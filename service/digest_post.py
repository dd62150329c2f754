"""Posting the weekly digest to a chat room's incoming webhook (Google Chat or Slack).

Both take a JSON body with `text` and read the same light markup (`*bold*`, `<url|text>`); the
kind is told by the webhook's address, or by `OKRTREE_DIGEST_WEBHOOK_KIND` for another address.
A failed post is retried a few times and then logged: it never fails the nightly sync.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import requests

from sync.digest import build_digest, digest_day
from sync.digest_render import render
from sync.engine import Run

__all__ = ["ATTEMPTS", "ChatKind", "Posted", "chat_kind", "post_digest", "weekly_digest"]

log = logging.getLogger(__name__)

ATTEMPTS = 3
TIMEOUT = 10.0  # seconds per attempt
BACKOFF = 2.0  # seconds before the second attempt, doubled after each
MAX_TEXT = 30_000  # Slack cuts a message's text at 40,000 characters, Google Chat at 32,000


class ChatKind(StrEnum):
    GOOGLE_CHAT = "google_chat"
    SLACK = "slack"


@dataclass(frozen=True, slots=True)
class Posted:
    """What became of a post: `ok`, how many attempts, and the last error (None when ok)."""

    ok: bool
    attempts: int
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {"posted": self.ok, "attempts": self.attempts, "error": self.error}


def chat_kind(url: str, setting: str | None = None) -> ChatKind:
    """Google Chat for chat.googleapis.com, Slack for hooks.slack.com; else the setting, else
    Slack (whose body many chat tools accept)."""
    if setting:
        return ChatKind(setting.strip().lower().replace("-", "_").replace(" ", "_"))
    host = (urlsplit(url).hostname or "").lower()
    if host == "chat.googleapis.com":
        return ChatKind.GOOGLE_CHAT
    return ChatKind.SLACK


def _body(text: str, kind: ChatKind) -> dict[str, object]:
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 30].rsplit("\n", 1)[0] + "\n… (cut; see the digest page)"
    if kind is ChatKind.SLACK:
        return {"text": text, "mrkdwn": True, "unfurl_links": False}
    return {"text": text}


def post_digest(
    url: str,
    text: str,
    kind: ChatKind,
    *,
    session: requests.Session | None = None,
    attempts: int = ATTEMPTS,
    timeout: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Posted:
    """Post `text`; retry a server error, a timeout or a refused connection; never raise."""
    http = session or requests.Session()
    timeout = TIMEOUT if timeout is None else timeout
    error = None
    wait = BACKOFF
    for attempt in range(1, attempts + 1):
        try:
            answer = http.post(
                url,
                json=_body(text, kind),
                headers={"Content-Type": "application/json; charset=UTF-8"},
                timeout=timeout,
            )
        except requests.RequestException as err:
            error = f"{type(err).__name__}: {err}"
        else:
            if answer.ok:
                return Posted(True, attempt)
            error = f"HTTP {answer.status_code}: {answer.text[:200]}"
            if answer.status_code < 500 and answer.status_code != 429:
                break  # the address or the message is wrong: asking again will not help
        log.warning("digest post to the chat webhook failed (attempt %d): %s", attempt, error)
        if attempt < attempts:
            sleep(wait)
            wait *= 2
    log.error("digest not posted to the chat webhook: %s", error)
    return Posted(False, attempt, error)


def weekly_digest(
    outcome: Run,
    url: str | None,
    kind_setting: str | None,
    today: dt.date,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Posted | None:
    """Post the last seven days' digest when a webhook is set and today is the hub's
    `Digest day`; None when there was nothing to do. Never raises."""
    if not url:
        return None
    try:
        if today.weekday() != digest_day(outcome.hub.tabs):
            return None
        result = outcome.computed.result
        made = build_digest(
            result, outcome.snapshots, outcome.hub.tabs, result.as_of - dt.timedelta(days=7)
        )
        kind = chat_kind(url, kind_setting)
    except Exception as err:  # a digest that cannot be made must not fail the sync either
        log.exception("digest not made")
        return Posted(False, 0, f"the digest could not be made: {err}")
    text = render(made, "chat")
    return post_digest(url, text, kind, session=session, sleep=sleep or time.sleep)
