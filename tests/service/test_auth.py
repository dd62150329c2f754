"""Who may call what: Google ID tokens (verified by google-auth against a key made in the test),
administrators, registered spreadsheets, the nightly task's callers, and `okrtree serve`'s token."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from service.state import services_of

from .conftest import (
    ADMIN,
    CLIENT_ID,
    LOCAL_TOKEN,
    SCHEDULER,
    SCRIPT,
    SERVICE_URL,
    USER,
    AppFactory,
    FakeGoogle,
    Key,
    bearer,
    page_error,
)

VALIDATE = {"spreadsheet": "teams/platform.xlsx"}
Headers = Callable[[FakeGoogle, Key], dict[str, str]]


def _token(**claims: Any) -> Headers:
    return lambda google, _stranger: bearer(google.id_token(**claims))


USER_CASES: list[tuple[str, Headers, int, str]] = [
    ("missing", lambda g, s: {}, 401, "missing_token"),
    ("not bearer", lambda g, s: {"Authorization": "Basic dXNlcjpwYXNz"}, 401, "malformed_token"),
    ("empty bearer", lambda g, s: {"Authorization": "Bearer "}, 401, "malformed_token"),
    ("two tokens", lambda g, s: {"Authorization": "Bearer a b"}, 401, "malformed_token"),
    ("not a jwt", lambda g, s: bearer("not-a-jwt"), 401, "malformed_token"),
    ("garbage jwt", lambda g, s: bearer("abc.def.ghi"), 401, "malformed_token"),
    ("expired", _token(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), 401,
     "invalid_token"),
    ("wrong audience", _token(aud="someone-else.apps.googleusercontent.com"), 401,
     "invalid_token"),
    ("wrong issuer", _token(iss="https://evil.example.com"), 401, "invalid_token"),
    ("unknown key id", lambda g, s: bearer(g.id_token(kid="rotated-away")), 401,
     "invalid_token"),
    ("forged signature", lambda g, s: bearer(g.id_token(key=s)), 401, "invalid_token"),
    ("no e-mail", _token(email=None), 401, "no_email"),
    ("unverified e-mail", _token(email_verified=False), 403, "email_unverified"),
    ("wrong domain", _token(email="eve@gmail.com", hd=None), 403, "domain_not_allowed"),
    ("other workspace", _token(hd="other.example"), 403, "domain_not_allowed"),
    ("personal account, work address", _token(email="eve@evil.example", hd=None), 403,
     "domain_not_allowed"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [case[1:] for case in USER_CASES],
    ids=[case[0] for case in USER_CASES],
)
def test_validate_refuses_bad_credentials(
    make_app: AppFactory,
    google: FakeGoogle,
    stranger_key: Key,
    workspace: Path,
    headers: Headers,
    status: int,
    code: str,
) -> None:
    before = (workspace / "teams" / "platform.xlsx").stat().st_mtime_ns
    response = (
        make_app()
        .test_client()
        .post("/api/validate", json=VALIDATE, headers=headers(google, stranger_key))
    )
    assert (response.status_code, response.json["error"]["code"]) == (status, code)
    assert response.json["error"]["message"]
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="okrtree"')
    assert (workspace / "teams" / "platform.xlsx").stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({}, 200),
        ({"iss": "accounts.google.com"}, 200),  # Google uses both spellings
        ({"email": USER.upper()}, 200),
    ],
)
def test_validate_accepts_a_domain_user(
    make_app: AppFactory, google: FakeGoogle, claims: dict[str, Any], status: int
) -> None:
    response = (
        make_app()
        .test_client()
        .post("/api/validate", json=VALIDATE, headers=bearer(google.id_token(**claims)))
    )
    assert response.status_code == status, response.json
    assert response.json["team"] == "Platform"


def test_several_client_ids_are_accepted(make_app: AppFactory, google: FakeGoogle) -> None:
    app = make_app(OAUTH_CLIENT_IDS=f"other.apps.googleusercontent.com, {CLIENT_ID}")
    response = app.test_client().post(
        "/api/validate", json=VALIDATE, headers=bearer(google.id_token())
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "spreadsheet",
    [
        "teams/unknown.xlsx",
        "hub.xlsx",
        "../org/teams/platform.xlsx",
        "https://docs.google.com/spreadsheets/d/1NotRegisteredKey/edit",
    ],
)
def test_only_registered_spreadsheets_are_touched(
    make_app: AppFactory, google: FakeGoogle, workspace: Path, spreadsheet: str
) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in workspace.rglob("*.xlsx")}
    response = (
        make_app()
        .test_client()
        .post("/api/validate", json={"spreadsheet": spreadsheet}, headers=bearer(google.id_token()))
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "unregistered_spreadsheet"
    assert spreadsheet in response.json["error"]["message"]
    assert {p: p.stat().st_mtime_ns for p in workspace.rglob("*.xlsx")} == stamps


@pytest.mark.parametrize(
    ("email", "status", "code"),
    [
        (USER, 403, "not_admin"),
        (ADMIN, 200, None),
        (ADMIN.upper(), 200, None),
    ],
)
def test_only_admins_sync(
    make_app: AppFactory, google: FakeGoogle, email: str, status: int, code: str | None
) -> None:
    response = (
        make_app()
        .test_client()
        .post("/api/sync", json={}, headers=bearer(google.id_token(email=email)))
    )
    assert response.status_code == status
    if code:
        assert response.json["error"]["code"] == code
    else:
        assert response.json["teams"] == 16


def test_sync_refuses_bad_credentials_before_anything(
    make_app: AppFactory, google: FakeGoogle, workspace: Path
) -> None:
    hub = workspace / "hub.xlsx"
    before = hub.stat().st_mtime_ns
    client = make_app().test_client()
    assert client.post("/api/sync", json={}).status_code == 401
    expired = google.id_token(email=ADMIN, exp=int(time.time()) - 60, iat=int(time.time()) - 99)
    assert client.post("/api/sync", json={}, headers=bearer(expired)).status_code == 401
    assert hub.stat().st_mtime_ns == before


NightlyHeaders = Callable[[FakeGoogle], dict[str, str]]
NIGHTLY_CASES: list[tuple[str, dict[str, Any], NightlyHeaders, int, str | None]] = [
    ("nothing", {}, lambda g: {}, 401, "missing_token"),
    ("cron header outside App Engine", {}, lambda g: {"X-Appengine-Cron": "true"}, 403,
     "untrusted_cron_header"),
    ("cron header on App Engine", {"ON_APP_ENGINE": True},
     lambda g: {"X-Appengine-Cron": "true"}, 200, None),
    ("cron header false on App Engine", {"ON_APP_ENGINE": True},
     lambda g: {"X-Appengine-Cron": "false"}, 401, "missing_token"),
    ("scheduler account", {}, lambda g: bearer(g.scheduler_token()), 200, None),
    ("scheduler, audience with the path", {},
     lambda g: bearer(g.scheduler_token(aud=f"{SERVICE_URL}/tasks/nightly")), 200, None),
    ("wrong scheduler account", {},
     lambda g: bearer(g.scheduler_token(email="intruder@acme-okr.iam.gserviceaccount.com")),
     403, "not_scheduler"),
    ("scheduler token for another service", {},
     lambda g: bearer(g.scheduler_token(aud="https://elsewhere.example")), 401, "invalid_token"),
    ("scheduler token, wrong issuer", {},
     lambda g: bearer(g.scheduler_token(iss="https://evil.example")), 401, "invalid_token"),
    ("an admin's add-on token", {}, lambda g: bearer(g.id_token(email=ADMIN)), 401,
     "invalid_token"),
    ("no scheduler configured", {"SCHEDULER_ACCOUNTS": ""},
     lambda g: bearer(g.scheduler_token()), 403, "not_scheduler"),
    ("malformed", {}, lambda g: {"Authorization": "Token x"}, 401, "malformed_token"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("config", "headers", "status", "code"),
    [case[1:] for case in NIGHTLY_CASES],
    ids=[case[0] for case in NIGHTLY_CASES],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_nightly_callers(
    make_app: AppFactory,
    google: FakeGoogle,
    workspace: Path,
    config: dict[str, Any],
    headers: NightlyHeaders,
    status: int,
    code: str | None,
    method: str,
) -> None:
    response = (
        make_app(**config)
        .test_client()
        .open("/tasks/nightly", method=method, headers=headers(google))
    )
    assert response.status_code == status, response.json
    if code:
        assert response.json["error"]["code"] == code
        return
    assert response.json["history"] is True and response.json["teams"] == 16
    hub = load_workbook(workspace / "hub.xlsx", read_only=True)
    try:
        rows = list(hub["History"].iter_rows(values_only=True))
    finally:
        hub.close()
    assert rows[0][:4] == ("Date", "ID", "Score", "Status")
    assert len({row[1] for row in rows[1:]}) == 76  # every item has a row


def test_scheduler_needs_a_verified_address(make_app: AppFactory, google: FakeGoogle) -> None:
    token = google.scheduler_token(email_verified=False)
    response = make_app().test_client().post("/tasks/nightly", headers=bearer(token))
    assert (response.status_code, response.json["error"]["code"]) == (403, "not_scheduler")


LOCAL_CASES: list[tuple[str, str, dict[str, str], int]] = [
    ("token", "POST /api/validate", bearer(LOCAL_TOKEN), 200),
    ("token", "POST /api/validate", bearer("wrong"), 401),
    ("token", "POST /api/validate", {}, 401),
    ("token", "POST /api/sync", bearer(LOCAL_TOKEN), 200),
    ("token", "GET /api/tree", bearer(LOCAL_TOKEN), 200),
    ("token", "GET /api/tree", {}, 401),
    ("token", "GET /tree", {}, 401),
    ("token", "GET /tasks/nightly", bearer(LOCAL_TOKEN), 200),
    ("token", "GET /tasks/nightly", {}, 401),
    ("none", "POST /api/validate", SCRIPT, 200),
    ("none", "POST /api/sync", SCRIPT, 200),
    ("none", "POST /api/sync", {}, 403),
    ("none", "GET /tree", {}, 200),
    ("none", "GET /tasks/nightly", SCRIPT, 200),
    ("none", "GET /tasks/nightly", {}, 403),
]


@pytest.mark.parametrize(("mode", "call", "headers", "status"), LOCAL_CASES)
def test_local_modes(
    make_app: AppFactory, mode: str, call: str, headers: dict[str, str], status: int
) -> None:
    method, path = call.split()
    body = VALIDATE if path == "/api/validate" else {}
    response = (
        make_app(AUTH_MODE=mode)
        .test_client()
        .open(path, method=method, json=body if method == "POST" else None, headers=headers)
    )
    assert response.status_code == status


def test_local_link_becomes_a_reading_cookie(make_app: AppFactory) -> None:
    app = make_app(AUTH_MODE="token")
    client = app.test_client()
    bad = client.get("/tree?token=wrong")
    assert page_error(bad) == (401, "invalid_token")
    code = services_of(app).auth.links.issue()
    response = client.get(f"/tree?token={code}&status=at_risk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/tree?status=at_risk"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/tree").status_code == 200
    assert client.get("/api/tree").status_code == 200
    # a cookie never authorises a write: another site could make the browser send it
    assert client.post("/api/sync", json={}).status_code == 401
    assert client.post("/api/validate", json=VALIDATE).status_code == 401


def test_google_tokens_are_not_local_tokens(make_app: AppFactory, google: FakeGoogle) -> None:
    app = make_app(AUTH_MODE="token")
    response = app.test_client().post(
        "/api/validate", json=VALIDATE, headers=bearer(google.id_token())
    )
    assert response.status_code == 401


def test_certificates_are_fetched_once_per_max_age(
    make_app: AppFactory, google: FakeGoogle
) -> None:
    client = make_app().test_client()
    for _ in range(3):
        response = client.get("/api/tree", headers=bearer(google.id_token()))
        assert response.status_code == 200
    assert google.certs_fetches == 1


def test_unreachable_certificates_are_a_503(make_app: AppFactory, google: FakeGoogle) -> None:
    google.certs_down = True
    response = (
        make_app()
        .test_client()
        .post("/api/validate", json=VALIDATE, headers=bearer(google.id_token()))
    )
    assert (response.status_code, response.json["error"]["code"]) == (503, "certs_unavailable")


def test_bad_credentials_come_before_a_bad_body(make_app: AppFactory) -> None:
    response = make_app().test_client().post("/api/validate", data="not json")
    assert response.status_code == 401


def test_the_scheduler_account_cannot_validate(make_app: AppFactory, google: FakeGoogle) -> None:
    token = google.scheduler_token()
    response = make_app().test_client().post("/api/validate", json=VALIDATE, headers=bearer(token))
    assert response.status_code == 401
    assert SCHEDULER not in response.json["error"]["message"]
