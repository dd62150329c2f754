"""Browser sign-in for the tree page: Google's authorization-code flow, answered from memory."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import WEB_CLIENT_ID, AppFactory, FakeGoogle

WEB = {
    "WEB_CLIENT_ID": WEB_CLIENT_ID,
    "WEB_CLIENT_SECRET": "web-secret",
    "SECRET_KEY": "the same on every instance",
    "SERVICE_URL": "https://acme-okr.ew.r.appspot.com",
}


@pytest.fixture
def web(make_app: AppFactory) -> Flask:
    return make_app(**WEB)


def start(client: FlaskClient, next_path: str = "/tree?team=Sales") -> dict[str, list[str]]:
    response = client.get("/login", query_string={"next": next_path})
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://accounts.google.com/o/oauth2/v2/auth"
    )
    return parse_qs(target.query)


def test_an_unsigned_browser_is_sent_to_sign_in(web: Flask) -> None:
    response = web.test_client().get("/tree?status=at_risk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/tree?status%3Dat_risk"


def test_sign_in_round_trip(web: Flask, google: FakeGoogle) -> None:
    client = web.test_client()
    query = start(client)
    assert query["client_id"] == [WEB_CLIENT_ID] and query["hd"] == ["northwind.example"]
    assert query["redirect_uri"] == ["https://acme-okr.ew.r.appspot.com/oauth2callback"]
    assert query["scope"] == ["openid email"] and query["response_type"] == ["code"]
    google.token_answers.append({"id_token": google.id_token(aud=WEB_CLIENT_ID, azp=None)})
    back = client.get("/oauth2callback", query_string={"code": "c0de", "state": query["state"][0]})
    assert back.status_code == 302 and back.headers["Location"] == "/tree?team=Sales"
    cookie = back.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    sent = parse_qs(google.token_requests[0])
    assert sent["code"] == ["c0de"] and sent["client_secret"] == ["web-secret"]
    page = client.get("/tree")
    assert page.status_code == 200 and "wei.zhang@northwind.example" in page.text
    assert "Sign out" in page.text
    assert client.get("/api/tree").status_code == 200
    assert client.post("/api/sync", json={}).status_code == 401  # reading only
    assert client.get("/logout").status_code == 200
    assert client.get("/tree").status_code == 302


@pytest.mark.parametrize(
    ("claims", "state_ok", "answer", "status", "code"),
    [
        ({}, False, True, 401, "sign_in_failed"),
        ({}, True, False, 401, "sign_in_failed"),
        ({"aud": "addon-123.apps.googleusercontent.com"}, True, True, 401, "invalid_token"),
        ({"email": "eve@gmail.com", "hd": None}, True, True, 403, "domain_not_allowed"),
        ({"exp": 1, "iat": 0}, True, True, 401, "invalid_token"),
    ],
)
def test_sign_in_refusals(
    web: Flask,
    google: FakeGoogle,
    claims: dict[str, object],
    state_ok: bool,
    answer: bool,
    status: int,
    code: str,
) -> None:
    client = web.test_client()
    state = start(client)["state"][0]
    if answer:
        token = google.id_token(**{"aud": WEB_CLIENT_ID, **claims})
        google.token_answers.append({"id_token": token})
    back = client.get(
        "/oauth2callback", query_string={"code": "c", "state": state if state_ok else "forged"}
    )
    assert (back.status_code, back.json["error"]["code"]) == (status, code)
    assert client.get("/tree").status_code == 302


def test_a_callback_without_a_started_sign_in(web: Flask) -> None:
    back = web.test_client().get("/oauth2callback?code=c&state=s")
    assert (back.status_code, back.json["error"]["code"]) == (401, "sign_in_failed")
    denied = web.test_client().get("/oauth2callback?error=access_denied")
    assert denied.status_code == 401 and "access_denied" in denied.json["error"]["message"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_only_returns_to_this_site(web: Flask, google: FakeGoogle, target: str) -> None:
    client = web.test_client()
    state = start(client, target)["state"][0]
    google.token_answers.append({"id_token": google.id_token(aud=WEB_CLIENT_ID)})
    back = client.get("/oauth2callback", query_string={"code": "c", "state": state})
    assert back.headers["Location"] == "/tree"


def test_no_sign_in_routes_without_a_web_client(make_app: AppFactory) -> None:
    assert make_app().test_client().get("/login").status_code == 404
