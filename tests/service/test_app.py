"""The factory's configuration, errors as JSON, and the health check."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service import create_app
from service.config import AuthMode
from service.state import Services
from sync.errors import ConfigError

from .conftest import LOCAL_TOKEN, AppFactory, bearer, script_client

AUTH = bearer(LOCAL_TOKEN)
GOOGLE = {"SOURCE": "org", "OAUTH_CLIENT_IDS": "id", "ALLOWED_DOMAINS": "example.com"}


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"SOURCE": None}, "OKRTREE_SOURCE is not set"),
        ({"SOURCE": "  "}, "OKRTREE_SOURCE is not set"),
        ({"AUTH_MODE": "open"}, "OKRTREE_AUTH_MODE must be google, token or none"),
        ({"OAUTH_CLIENT_IDS": ""}, "OKRTREE_OAUTH_CLIENT_IDS is not set"),
        ({"ALLOWED_DOMAINS": ""}, "OKRTREE_ALLOWED_DOMAINS is not set"),
        ({"AS_OF": "21/11/2026"}, "OKRTREE_AS_OF must be a date"),
        ({"TIMEZONE": "Mars/Olympus"}, "OKRTREE_TIMEZONE must be a time zone"),
        ({"ON_APP_ENGINE": "maybe"}, "OKRTREE_ON_APP_ENGINE must be true or false"),
        ({"ADMINS": 7}, "OKRTREE_ADMINS must be a comma-separated list"),
        ({"SCHEDULER_ACCOUNTS": "s@x.iam.gserviceaccount.com"}, "needs OKRTREE_SERVICE_URL"),
        ({"WEB_CLIENT_ID": "web"}, "needs OKRTREE_WEB_CLIENT_SECRET and OKRTREE_SECRET_KEY"),
        ({"AUTH_MODE": "token"}, "OKRTREE_LOCAL_TOKEN is not set"),
    ],
)
def test_a_misconfiguration_stops_the_start(config: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(match)):
        create_app({**GOOGLE, **config})


def test_configuration_comes_from_okrtree_variables(
    monkeypatch: pytest.MonkeyPatch, workspace: Path
) -> None:
    monkeypatch.setenv("OKRTREE_SOURCE", str(workspace))
    monkeypatch.setenv("OKRTREE_OAUTH_CLIENT_IDS", "a.apps.googleusercontent.com, b")
    monkeypatch.setenv("OKRTREE_ALLOWED_DOMAINS", "Example.com @northwind.example")
    monkeypatch.setenv("OKRTREE_ADMINS", '["Boss@Example.com"]')
    monkeypatch.setenv("OKRTREE_AS_OF", "2026-11-21")
    monkeypatch.setenv("OKRTREE_ON_APP_ENGINE", "true")
    monkeypatch.setenv("OKRTREE_STATE_BUCKET", "acme-okr.appspot.com")
    config = services(create_app()).config
    assert config.auth_mode is AuthMode.GOOGLE and config.source == str(workspace)
    assert config.client_ids == ("a.apps.googleusercontent.com", "b")
    assert config.allowed_domains == {"example.com", "northwind.example"}
    assert config.admins == {"boss@example.com"}
    assert config.today() == dt.date(2026, 11, 21)
    assert config.on_app_engine is True and config.state_bucket == "acme-okr.appspot.com"


def test_app_engine_is_recognised_by_its_own_variable(
    monkeypatch: pytest.MonkeyPatch, workspace: Path
) -> None:
    monkeypatch.setenv("GAE_ENV", "standard")
    assert services(create_app({**GOOGLE, "SOURCE": str(workspace)})).config.on_app_engine
    monkeypatch.delenv("GAE_ENV")
    assert not services(create_app({**GOOGLE, "SOURCE": str(workspace)})).config.on_app_engine


def test_today_follows_the_time_zone(workspace: Path) -> None:
    config = services(create_app({**GOOGLE, "TIMEZONE": "Pacific/Kiritimati"})).config
    assert config.today() == dt.datetime.now(config.timezone).date()


def services(app: Flask) -> Services:
    found = app.extensions["okrtree"]
    assert isinstance(found, Services)
    return found


def test_health_needs_no_credentials_and_no_source(make_app: AppFactory, tmp_path: Path) -> None:
    client = make_app(SOURCE=str(tmp_path / "nowhere")).test_client()
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not_found"),
        ("GET", "/api/validate", 405, "method_not_allowed"),
        ("DELETE", "/api/tree", 405, "method_not_allowed"),
        ("PUT", "/tasks/nightly", 405, "method_not_allowed"),
    ],
)
def test_http_errors_are_json(
    make_app: AppFactory, method: str, path: str, status: int, code: str
) -> None:
    response = make_app().test_client().open(path, method=method)
    assert response.status_code == status and response.mimetype == "application/json"
    assert response.json["error"]["code"] == code
    assert "/openapi.json" in response.json["error"]["message"]
    if status == 405:
        assert "Allow" in response.headers


def test_an_unreadable_source_is_a_503(make_app: AppFactory, tmp_path: Path) -> None:
    client = make_app(SOURCE=str(tmp_path / "nowhere"), AUTH_MODE="token").test_client()
    for method, path in [("POST", "/api/validate"), ("GET", "/api/tree"), ("POST", "/api/sync")]:
        response = client.open(
            path, method=method, json={"spreadsheet": "teams/x.xlsx"}, headers=AUTH
        )
        assert response.status_code == 503
        assert response.json["error"]["code"] == "source_unavailable"
        assert "okrtree init" in response.json["error"]["message"]


def test_a_broken_hub_is_a_503(make_app: AppFactory, workspace: Path) -> None:
    (workspace / "hub.xlsx").write_bytes(b"not a workbook")
    (workspace / ".okrtree" / "state.json.gz").unlink()  # no sync's state to show instead
    response = make_app(AUTH_MODE="none").test_client().get("/api/tree")
    assert response.status_code == 503
    assert "cannot be read as an Excel workbook" in response.json["error"]["message"]


def test_unexpected_failures_leak_nothing(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(AUTH_MODE="none")

    def explode() -> None:
        raise RuntimeError("secret detail at /srv/okrtree/internal.py")

    def misconfigured() -> None:
        raise ConfigError("OKRTREE_SOMETHING is wrong")

    app.add_url_rule("/explode", view_func=explode)
    app.add_url_rule("/misconfigured", view_func=misconfigured)
    client = app.test_client()
    for path, code in [("/explode", "internal_error"), ("/misconfigured", "misconfigured")]:
        response = client.get(path)
        assert response.status_code == 500 and response.json["error"]["code"] == code
        assert "secret" not in response.text and "Traceback" not in response.text
        assert "OKRTREE_SOMETHING" not in response.text
    assert "secret detail" in caplog.text  # the administrator can see it in the log


def test_big_bodies_are_refused(make_app: AppFactory) -> None:
    body = {"spreadsheet": "x" * 100_000}
    response = script_client(make_app(AUTH_MODE="none")).post("/api/validate", json=body)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"


def test_main_builds_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, workspace: Path
) -> None:
    import importlib
    import sys

    monkeypatch.setenv("OKRTREE_SOURCE", str(workspace))
    monkeypatch.setenv("OKRTREE_AUTH_MODE", "none")
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    sys.modules.pop("main", None)
    main = importlib.import_module("main")
    assert main.app.test_client().get("/healthz").status_code == 200
    sys.modules.pop("main", None)
