"""Requests a browser can be tricked into sending: DNS rebinding and cross-site requests against
`okrtree serve --no-auth`, JSON nested past the parser, and links used twice."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.guard import loopback_host
from service.state import services_of

from .conftest import LOCAL_TOKEN, SCRIPT, AppFactory, bearer, page_error

PORT = "8080"
SERVED = f"127.0.0.1:{PORT}"
VALIDATE = {"spreadsheet": "teams/platform.xlsx"}


class LocalClient(FlaskClient):
    """A client reaching the app as `okrtree serve` on port 8080 does, under the name `host`."""

    host = SERVED

    def open(self, *args: Any, **kwargs: Any) -> Any:
        overrides = kwargs.setdefault("environ_overrides", {})
        overrides.update({"HTTP_HOST": self.host, "SERVER_PORT": PORT})
        return super().open(*args, **kwargs)


def local(app: Flask, host: str = SERVED) -> FlaskClient:
    client = LocalClient(app, app.response_class, use_cookies=True)
    client.host = host
    return client


@pytest.fixture
def no_auth(make_app: AppFactory) -> Flask:
    return make_app(AUTH_MODE="none")


# -- DNS rebinding: the Host header --------------------------------------------------------------

HOSTS = [
    ("127.0.0.1:8080", True),
    ("localhost:8080", True),
    ("LocalHost:8080", True),
    ("[::1]:8080", True),
    ("127.0.0.2:8080", True),  # any loopback address
    ("evil.example:8080", False),
    ("127.0.0.1.nip.io:8080", False),
    ("localhost.:8080", False),
    ("localhost:8081", False),  # another port
    ("localhost", False),  # port 80, not the one served
    ("192.168.1.20:8080", False),
    ("[::1]x:8080", False),
    ("", False),
]


@pytest.mark.parametrize(("host", "accepted"), HOSTS)
def test_no_auth_answers_only_loopback_host_names(
    no_auth: Flask, host: str, accepted: bool
) -> None:
    for path in ("/tree", "/api/tree", "/healthz"):
        response = local(no_auth, host).get(path)
        if accepted:
            assert response.status_code == 200, (path, response.text)
        else:
            assert response.status_code == 400, path
            code = page_error(response)[1] if path == "/tree" else response.json["error"]["code"]
            assert code == "untrusted_host"


@pytest.mark.parametrize(("host", "accepted"), HOSTS)
def test_loopback_host_decides_alone(host: str, accepted: bool) -> None:
    assert loopback_host(host, "http", PORT) is accepted


@pytest.mark.parametrize(
    ("host", "scheme", "port", "accepted"),
    [("localhost", "http", "80", True), ("localhost", "https", "443", True),
     ("localhost", "https", "80", False), ("[::1]", "http", "80", True)],
)  # fmt: skip
def test_a_host_without_a_port_means_the_scheme_default(
    host: str, scheme: str, port: str, accepted: bool
) -> None:
    assert loopback_host(host, scheme, port) is accepted


@pytest.mark.parametrize("mode", ["token", "google"])
def test_other_modes_leave_the_host_to_authentication(make_app: AppFactory, mode: str) -> None:
    response = local(make_app(AUTH_MODE=mode), "okr.example.com").get("/api/tree")
    assert response.status_code == 401


# -- cross-site requests ---------------------------------------------------------------------

THIS = f"http://{SERVED}"
CROSS_SITE = [
    ("no headers at all", {}, 403),
    ("a cross-site Origin", {"Origin": "http://evil.example"}, 403),
    ("a sandboxed frame", {"Origin": "null"}, 403),
    ("another port", {"Origin": "http://127.0.0.1:9999"}, 403),
    ("another scheme", {"Origin": f"https://{SERVED}"}, 403),
    ("another loopback name", {"Origin": "http://localhost:8080"}, 403),
    ("a cross-site Referer", {"Referer": "http://evil.example/page"}, 403),
    ("a cross-site Origin with the header", {"Origin": "http://evil.example", **SCRIPT}, 403),
    ("the same Origin", {"Origin": THIS}, 200),
    ("the same Origin, other case", {"Origin": THIS.upper()}, 200),
    ("a same-origin Referer", {"Referer": f"{THIS}/tree?status=at_risk"}, 200),
    ("the custom header", SCRIPT, 200),
    ("an Authorization header", bearer("anything"), 200),
]


@pytest.mark.parametrize(("call"), ["POST /api/sync", "POST /api/validate", "GET /tasks/nightly"])
@pytest.mark.parametrize(
    ("headers", "status"), [case[1:] for case in CROSS_SITE], ids=[case[0] for case in CROSS_SITE]
)
def test_no_auth_refuses_requests_from_other_sites(
    no_auth: Flask, call: str, headers: dict[str, str], status: int
) -> None:
    method, path = call.split()
    body = VALIDATE if path == "/api/validate" else {}
    response = local(no_auth).open(
        path, method=method, json=body if method == "POST" else None, headers=headers
    )
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json["error"]["code"] == "cross_site_request"
        assert "X-Okrtree: 1" in response.json["error"]["message"]


def test_a_refused_sync_does_not_run(no_auth: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    organisation = services_of(no_auth).organisation
    runs: list[bool] = []
    real = organisation.sync

    def counted(**options: Any) -> Any:
        runs.append(True)
        return real(**options)

    monkeypatch.setattr(organisation, "sync", counted)
    local(no_auth).post("/api/sync", headers={"Origin": "http://evil.example"})
    local(no_auth).get("/tasks/nightly", headers={"Referer": "http://evil.example/"})
    assert runs == []
    assert local(no_auth).post("/api/sync", headers=SCRIPT).status_code == 200
    assert runs == [True]


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://evil.example"}])
def test_reads_need_no_proof(no_auth: Flask, headers: dict[str, str]) -> None:
    assert local(no_auth).get("/api/tree", headers=headers).status_code == 200


# -- bodies nested past the parser -----------------------------------------------------------


def nested(depth: int, kind: str) -> str:
    opening, closing = {"array": ("[", "]"), "object": ('{"a":', "}")}[kind]
    return opening * depth + "1" + closing * depth


NESTED = [
    (path, kind, depth)
    for path in ("/api/validate", "/api/sync")
    for kind in ("array", "object")
    for depth in (10, 1_000, 10_000)
    if not (path == "/api/sync" and kind == "object")  # any object is a valid sync body
]


@pytest.mark.parametrize(("path", "kind", "depth"), NESTED)
@pytest.mark.parametrize(
    ("mode", "headers"), [("none", SCRIPT), ("token", bearer(LOCAL_TOKEN))], ids=["none", "token"]
)
def test_deeply_nested_json_is_a_400(
    make_app: AppFactory, path: str, mode: str, headers: dict[str, str], kind: str, depth: int
) -> None:
    response = (
        make_app(AUTH_MODE=mode)
        .test_client()
        .post(path, data=nested(depth, kind), content_type="application/json", headers=headers)
    )
    assert response.status_code == 400, response.text
    assert response.json["error"]["code"] == "invalid_request"


# -- one-time links ----------------------------------------------------------------------------


@pytest.fixture
def token_app(make_app: AppFactory) -> Flask:
    return make_app(AUTH_MODE="token")


def issue(app: Flask) -> str:
    return services_of(app).auth.links.issue()


def test_a_link_opens_one_browser_once(token_app: Flask) -> None:
    code = issue(token_app)
    first = token_app.test_client()
    assert first.get(f"/tree?token={code}").status_code == 302
    assert first.get("/tree").status_code == 200  # the cookie reads
    again = first.get(f"/tree?token={code}")
    assert page_error(again) == (401, "link_used")
    second = token_app.test_client()
    refused = second.get(f"/tree?token={code}")
    assert page_error(refused) == (401, "link_used")
    assert "restart `okrtree serve` or POST /api/link" in refused.text
    assert second.get("/tree").status_code == 401
    assert second.get("/api/tree", headers=bearer(LOCAL_TOKEN)).status_code == 200


@pytest.mark.parametrize(
    ("link", "code"),
    [
        (LOCAL_TOKEN, "invalid_token"),  # the API token is no link
        ("wrong", "invalid_token"),
        ("", "invalid_token"),
    ],
)
def test_only_issued_codes_open_a_link(token_app: Flask, link: str, code: str) -> None:
    issue(token_app)
    response = token_app.test_client().get(f"/tree?token={link}")
    assert page_error(response) == (401, code)


def test_the_token_by_header_asks_for_a_new_link(token_app: Flask) -> None:
    client = token_app.test_client()
    assert client.post("/api/link").status_code == 401
    urls = [client.post("/api/link", headers=bearer(LOCAL_TOKEN)).json["url"] for _ in range(2)]
    assert urls[0] != urls[1] and all(u.startswith("http://localhost/tree?token=") for u in urls)
    for url in urls:
        browser = token_app.test_client()
        assert browser.get(url).status_code == 302
        assert browser.get(url).status_code == 401


@pytest.mark.parametrize(("mode", "headers"), [("none", SCRIPT), ("google", {})])
def test_links_exist_only_with_a_token(
    make_app: AppFactory, mode: str, headers: dict[str, str]
) -> None:
    response = make_app(AUTH_MODE=mode).test_client().post("/api/link", headers=headers)
    assert (response.status_code, response.json["error"]["code"]) == (404, "no_links")
