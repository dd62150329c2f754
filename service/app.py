"""The application factory: configuration, the organisation, authentication, the routes.

Everything a request needs is built here, once, from configuration read here (never at import
time): `create_app()` on App Engine (`main.py`), `create_app({...})` in tests and `okrtree serve`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import requests
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from sync.model import STATUS_LABELS, Status
from sync.plan import TYPE_LABELS
from sync.sources import is_google_hub, open_backend

from . import api, cycle, login, openapi, tasks, views
from .auth import Authenticator
from .config import DEFAULTS, AuthMode, load_config, secret_key
from .errors import register_error_handlers
from .guard import install_guard
from .locks import SyncLock
from .org import Organisation
from .state import Services, install
from .store import open_store
from .treecache import TreeCache
from .treeview import search_text

if TYPE_CHECKING:
    from sync.google.api import SheetsApi

__all__ = ["create_app"]

MAX_BODY = 64 * 1024  # requests are a spreadsheet key; anything bigger is not for us


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A configured service: defaults, then `OKRTREE_*` environment variables, then
    `test_config`. Raises `sync.errors.ConfigError` naming the variable to set."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("OKRTREE")
    if test_config:
        app.config.from_mapping(test_config)
    config = load_config(app.config)
    app.config.update(
        SECRET_KEY=secret_key(app.config),
        MAX_CONTENT_LENGTH=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.auth_mode is AuthMode.GOOGLE,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=views.SESSION_LIFETIME),
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if config.on_app_engine:  # behind Google's front end: https and the public host
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    http_session = app.config["HTTP_SESSION"] or requests.Session()
    organisation = Organisation(
        config.source,
        app.config["STATE_STORE"] or open_store(config),
        SyncLock(config.source, config.state_dir),
        config.today,
        backend_for=partial(open_backend, api=_sheets_api(config.source, app.config)),
    )
    install(app, Services(config, organisation, Authenticator(config, http_session), TreeCache()))

    app.jinja_env.globals.update(
        type_labels={t.value: label for t, label in TYPE_LABELS.items()},
        status_labels={s.value: STATUS_LABELS[s] for s in Status},
        search_text=search_text,
    )
    for blueprint in (
        api.blueprint,
        tasks.blueprint,
        views.blueprint,
        openapi.blueprint,
        cycle.blueprint,
    ):
        app.register_blueprint(blueprint)
    if config.web_login:
        app.register_blueprint(login.blueprint)
    install_guard(app)
    register_error_handlers(app)
    return app


def _sheets_api(source: str, config: Mapping[str, Any]) -> SheetsApi | None:
    """The app's one Sheets client, for a Google hub (`SHEETS_API` when given, e.g. one talking
    to the emulator): every backend the app opens (one per operation) goes through it, so its
    rate limiter and retries see every request the process makes, and the credentials are
    resolved once, here, where a missing one stops the start-up with the way out."""
    if config["SHEETS_API"] is not None or not is_google_hub(source):
        return config["SHEETS_API"]
    from sync.google.api import make_api

    return make_api(config["CREDENTIALS"] or None)
