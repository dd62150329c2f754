"""The service's configuration: defaults, `OKRTREE_*` environment variables, test overrides.

Everything is read inside `create_app` (never at import time) into one frozen `ServiceConfig`, so
a handler never parses a string and a misconfigured deployment stops at start-up with one line
naming the variable to set, instead of failing on the first user's click.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.errors import ConfigError

__all__ = ["DEFAULTS", "AuthMode", "ServiceConfig", "load_config", "secret_key"]


class AuthMode(StrEnum):
    """Who may call: Google ID tokens (deployed), a one-time local token, or anyone (local)."""

    GOOGLE = "google"
    TOKEN = "token"
    NONE = "none"


DEFAULTS: dict[str, Any] = {
    "AUTH_MODE": AuthMode.GOOGLE.value,
    "SOURCE": None,
    "STATE_DIR": None,
    "STATE_BUCKET": None,  # a Cloud Storage bucket shared by every instance (App Engine)
    "STATE_STORE": None,  # a ready `sync.state.StateStore` (tests)
    "OAUTH_CLIENT_IDS": "",
    "ALLOWED_DOMAINS": "",
    "ADMINS": "",
    "SCHEDULER_ACCOUNTS": "",
    "SERVICE_URL": None,
    "AS_OF": None,
    "TIMEZONE": None,
    "ON_APP_ENGINE": None,  # None: decided from App Engine's own GAE_ENV variable
    "LOCAL_TOKEN": None,
    "WEB_CLIENT_ID": None,
    "WEB_CLIENT_SECRET": None,
    "HTTP_SESSION": None,  # a requests.Session for Google's certificates and token endpoints
    "CREDENTIALS": None,  # Google hubs: a service-account key file (else the environment's)
    "SHEETS_API": None,  # Google hubs: a ready `sync.google.api.SheetsApi` (tests, emulator)
    "DIGEST_WEBHOOK": None,  # a Google Chat or Slack incoming webhook for the weekly digest
    "DIGEST_WEBHOOK_KIND": None,  # google_chat or slack, for an address that says neither
    "DIGEST_SESSION": None,  # a requests.Session for the webhook post (tests)
}


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """The parsed configuration; `client_ids` etc. are tuples, e-mails and domains lower-case."""

    auth_mode: AuthMode
    source: str
    state_dir: Path | None
    state_bucket: str | None
    client_ids: tuple[str, ...]
    allowed_domains: frozenset[str]
    admins: frozenset[str]
    scheduler_accounts: frozenset[str]
    service_url: str | None
    as_of: dt.date | None
    timezone: ZoneInfo | None
    on_app_engine: bool
    local_token: str | None
    web_client_id: str | None
    web_client_secret: str | None

    @property
    def web_login(self) -> bool:
        """Whether browsers can sign in with Google to see the tree page."""
        return self.auth_mode is AuthMode.GOOGLE and bool(self.web_client_id)

    def today(self) -> dt.date:
        """The date runs are judged against: `AS_OF` when fixed, else today in `TIMEZONE`."""
        if self.as_of is not None:
            return self.as_of
        return dt.datetime.now(self.timezone).date() if self.timezone else dt.date.today()


def _names(value: object, key: str) -> tuple[str, ...]:
    """A list from `a,b c` text (environment) or a JSON list, blanks dropped."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(part for part in re.split(r"[\s,;]+", value) if part)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(str(part).strip() for part in value if str(part).strip())
    raise ConfigError(f"OKRTREE_{key} must be a comma-separated list, not {value!r}")


def _lower(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.lower().lstrip("@") for v in values)


def _flag(value: object, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"OKRTREE_{key} must be true or false, not {value!r}")


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"OKRTREE_AS_OF must be a date like 2026-11-21, not {value!r}") from None


def _zone(value: object) -> ZoneInfo | None:
    if value in (None, ""):
        return None
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"OKRTREE_TIMEZONE must be a time zone name like Europe/Berlin, not {value!r}"
        ) from None


def _text(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def load_config(config: Mapping[str, Any]) -> ServiceConfig:
    """Parse and check Flask's `app.config`; raise `ConfigError` naming what to set."""
    try:
        mode = AuthMode(str(config["AUTH_MODE"]).strip().lower())
    except ValueError:
        raise ConfigError(
            f"OKRTREE_AUTH_MODE must be google, token or none, not {config['AUTH_MODE']!r}"
        ) from None
    source = _text(config["SOURCE"])
    if source is None:
        raise ConfigError(
            "OKRTREE_SOURCE is not set; set it to the workspace folder or the hub spreadsheet's URL"
        )
    on_app_engine = config["ON_APP_ENGINE"]
    if on_app_engine is None:
        on_app_engine = os.environ.get("GAE_ENV", "").startswith("standard")
    state_dir = _text(config["STATE_DIR"])
    settings = ServiceConfig(
        auth_mode=mode,
        source=source,
        state_dir=Path(state_dir) if state_dir else None,
        state_bucket=_text(config["STATE_BUCKET"]),
        client_ids=_names(config["OAUTH_CLIENT_IDS"], "OAUTH_CLIENT_IDS"),
        allowed_domains=_lower(_names(config["ALLOWED_DOMAINS"], "ALLOWED_DOMAINS")),
        admins=_lower(_names(config["ADMINS"], "ADMINS")),
        scheduler_accounts=_lower(_names(config["SCHEDULER_ACCOUNTS"], "SCHEDULER_ACCOUNTS")),
        service_url=(_text(config["SERVICE_URL"]) or "").rstrip("/") or None,
        as_of=_date(config["AS_OF"]),
        timezone=_zone(config["TIMEZONE"]),
        on_app_engine=_flag(on_app_engine, "ON_APP_ENGINE"),
        local_token=_text(config["LOCAL_TOKEN"]),
        web_client_id=_text(config["WEB_CLIENT_ID"]),
        web_client_secret=_text(config["WEB_CLIENT_SECRET"]),
    )
    _check(settings, config)
    return settings


def _check(settings: ServiceConfig, config: Mapping[str, Any]) -> None:
    """Refuse combinations that would leave the service open or unusable."""
    if settings.auth_mode is AuthMode.GOOGLE:
        if not settings.client_ids:
            raise ConfigError(
                "OKRTREE_OAUTH_CLIENT_IDS is not set; set it to the add-on's OAuth client id "
                "(Apps Script project settings), so its users' ID tokens are accepted"
            )
        if not settings.allowed_domains:
            raise ConfigError(
                "OKRTREE_ALLOWED_DOMAINS is not set; set it to your Google Workspace domain(s), "
                "e.g. example.com, so only your organisation can call the service"
            )
        if settings.web_client_id and not (settings.web_client_secret and config["SECRET_KEY"]):
            raise ConfigError(
                "OKRTREE_WEB_CLIENT_ID needs OKRTREE_WEB_CLIENT_SECRET and OKRTREE_SECRET_KEY "
                "(the same random value on every instance) for the tree page's Google sign-in"
            )
    if settings.auth_mode is AuthMode.TOKEN and not settings.local_token:
        raise ConfigError("OKRTREE_LOCAL_TOKEN is not set; `okrtree serve` makes one for you")
    if settings.scheduler_accounts and not settings.service_url:
        raise ConfigError(
            "OKRTREE_SCHEDULER_ACCOUNTS needs OKRTREE_SERVICE_URL, the audience of the "
            "scheduler's OIDC token (the URL the scheduler calls, without /tasks/nightly)"
        )


def secret_key(config: Mapping[str, Any]) -> str:
    """The session-signing key: the configured one, or a fresh random one for this process
    (enough for `okrtree serve`; deployed sign-in needs the same key on every instance)."""
    return str(config.get("SECRET_KEY") or secrets.token_urlsafe(32))
