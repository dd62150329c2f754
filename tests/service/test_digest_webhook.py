"""The nightly task posts the week's digest to a chat webhook on the Digest day: here a local
HTTP server records the posts, or answers 500, or answers too late; the sync's answer stands."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from openpyxl import load_workbook

from service import digest_post
from service.digest_post import ChatKind, chat_kind

from .conftest import LOCAL_TOKEN as TOKEN
from .conftest import AppFactory, bearer

MONDAY, SATURDAY = "2026-11-23", "2026-11-21"
AUTH = bearer(TOKEN)


@dataclass
class Hook:
    """A chat webhook on 127.0.0.1 that answers `status` after `delay` seconds."""

    status: int = 200
    delay: float = 0.0
    posts: list[dict[str, object]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def hook() -> Iterator[Hook]:
    found = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            found.posts.append(json.loads(body))
            found.content_types.append(self.headers["Content-Type"])
            time.sleep(found.delay)
            self.send_response(found.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/v1/spaces/AAA/messages?key=k"
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """No waiting between attempts, and a short timeout, so the failing cases stay fast."""
    monkeypatch.setattr(digest_post, "BACKOFF", 0.0)
    monkeypatch.setattr(digest_post, "TIMEOUT", 0.5)


def _nightly(make_app: AppFactory, hook: Hook, as_of: str, **extra: object) -> dict:
    app = make_app(AUTH_MODE="token", AS_OF=as_of, DIGEST_WEBHOOK=hook.url, **extra)
    answer = app.test_client().get("/tasks/nightly", headers=AUTH)
    assert answer.status_code == 200
    body = answer.json
    assert body["history"] is True and "writes" in body
    return body


def test_the_digest_is_posted_on_monday(make_app: AppFactory, hook: Hook) -> None:
    body = _nightly(make_app, hook, MONDAY)
    assert body["digest"] == {"posted": True, "attempts": 1, "error": None}
    assert len(hook.posts) == 1
    text = hook.posts[0]["text"]
    assert isinstance(text, str)
    assert text.startswith("*OKR digest of 2026-Q4: 2026-11-16 to 2026-11-23*")
    assert "*Whom to ask for an update (stale key results)*" in text
    assert "• *tom.becker@northwind.example*: TB-2" in text
    assert hook.content_types == ["application/json; charset=UTF-8"]


def test_no_post_on_other_days_or_without_a_webhook(make_app: AppFactory, hook: Hook) -> None:
    assert _nightly(make_app, hook, SATURDAY)["digest"] is None
    assert _nightly(make_app, Hook(url=""), MONDAY)["digest"] is None
    assert hook.posts == []


def test_the_digest_day_comes_from_settings(
    make_app: AppFactory, hook: Hook, workspace: Path
) -> None:
    path = workspace / "hub.xlsx"
    wb = load_workbook(path)
    wb["Settings"].append(["Digest day", "Saturday"])
    wb.save(path)
    assert _nightly(make_app, hook, SATURDAY)["digest"]["posted"] is True
    assert _nightly(make_app, hook, MONDAY)["digest"] is None
    assert len(hook.posts) == 1


@pytest.mark.parametrize(("status", "delay"), [(500, 0.0), (200, 2.0)])
def test_a_failing_webhook_is_retried_and_never_fails_the_sync(
    make_app: AppFactory, hook: Hook, status: int, delay: float
) -> None:
    hook.status, hook.delay = status, delay
    body = _nightly(make_app, hook, MONDAY)
    assert body["digest"]["posted"] is False
    assert body["digest"]["attempts"] == digest_post.ATTEMPTS == len(hook.posts)
    assert ("HTTP 500" if status == 500 else "Timeout") in body["digest"]["error"]
    assert body["writes"]["spreadsheets"] >= 0  # the sync's own answer is all there


def test_a_webhook_that_refuses_the_message_is_not_asked_again(
    make_app: AppFactory, hook: Hook
) -> None:
    hook.status = 404
    body = _nightly(make_app, hook, MONDAY)
    assert body["digest"] == {"posted": False, "attempts": 1, "error": "HTTP 404: {}"}


@pytest.mark.parametrize(
    ("url", "setting", "kind"),
    [
        ("https://chat.googleapis.com/v1/spaces/A/messages?key=k", None, ChatKind.GOOGLE_CHAT),
        ("https://hooks.slack.com/services/T/B/X", None, ChatKind.SLACK),
        ("https://chat.example/hook", None, ChatKind.SLACK),
        ("https://chat.example/hook", "Google Chat", ChatKind.GOOGLE_CHAT),
    ],
)
def test_the_kind_of_webhook_is_told_by_its_address(
    url: str, setting: str | None, kind: ChatKind
) -> None:
    assert chat_kind(url, setting) is kind


def test_slack_gets_its_markup_flags_google_chat_only_text(
    make_app: AppFactory, hook: Hook
) -> None:
    _nightly(make_app, hook, MONDAY, DIGEST_WEBHOOK_KIND="google_chat")
    _nightly(make_app, hook, MONDAY)
    assert set(hook.posts[0]) == {"text"}
    assert hook.posts[1]["mrkdwn"] is True and hook.posts[1]["unfurl_links"] is False
