"""Which Google identity okrtree acts as, and the e-mail people must share spreadsheets with.

Order: `--credentials FILE` (or `anonymous`), then `OKRTREE_CREDENTIALS`, then
`GOOGLE_APPLICATION_CREDENTIALS`, then Application Default Credentials. Anonymous credentials
send no token at all: they are for the offline emulator, which needs none.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import DefaultCredentialsError, GoogleAuthError
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials as UserCredentials

from ..errors import ConfigError

__all__ = [
    "ANONYMOUS",
    "CREDENTIALS_ENV",
    "HOW_TO_PROVIDE",
    "SCOPES",
    "Identity",
    "account_email",
    "resolve_credentials",
]

ANONYMOUS = "anonymous"
CREDENTIALS_ENV = "OKRTREE_CREDENTIALS"
ADC_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
# Sheets to read and write; Drive to share the spreadsheets `okrtree init --google` creates.
SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
HOW_TO_PROVIDE = (
    "no Google credentials found; pass --credentials FILE (a service-account JSON key), "
    f"set {ADC_ENV}=FILE, or run `gcloud auth application-default login`"
)

DefaultLoader = Callable[..., tuple[Any, Any]]


@dataclass(frozen=True, slots=True)
class Identity:
    """Credentials, the account's e-mail when known (to say whom to share with), and where
    they came from (for messages)."""

    credentials: Credentials
    account: str | None
    origin: str

    @property
    def anonymous(self) -> bool:
        return isinstance(self.credentials, AnonymousCredentials)


def account_email(credentials: object) -> str | None:
    """The service account's e-mail; None for user or anonymous credentials."""
    email = getattr(credentials, "service_account_email", None)
    if isinstance(email, str) and "@" in email:
        return email
    return None


def _load(file: Path) -> Credentials:
    """Credentials from a JSON file the user pointed at (so its content is theirs to trust)."""
    info = json.loads(file.read_text(encoding="utf-8"))
    kind = info.get("type") if isinstance(info, dict) else None
    if kind == "service_account":
        return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    if kind == "authorized_user":
        return UserCredentials.from_authorized_user_info(info, scopes=list(SCOPES))
    with warnings.catch_warnings():  # other kinds: google-auth's loader, which warns on each
        warnings.simplefilter("ignore", DeprecationWarning)
        credentials, _ = google.auth.load_credentials_from_file(str(file), scopes=list(SCOPES))
    return credentials


def _from_file(path: str, origin: str) -> Identity:
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConfigError(
            f"{origin}: {path} is not a file; give the path of a service-account JSON key "
            "(IAM > Service accounts > Keys > Add key > JSON)"
        )
    try:
        credentials = _load(file)
    except (GoogleAuthError, ValueError, OSError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ConfigError(
            f"{origin}: {path} is not a usable Google credentials file ({first}); "
            "download a service-account JSON key again"
        ) from err
    return Identity(credentials, account_email(credentials), origin)


def _named(value: str, origin: str) -> Identity:
    if value.strip().casefold() == ANONYMOUS:
        return Identity(AnonymousCredentials(), None, origin)
    return _from_file(value, origin)


def resolve_credentials(
    option: str | None = None,
    env: Mapping[str, str] | None = None,
    default: DefaultLoader | None = None,
) -> Identity:
    """The identity to use; `ConfigError` with the ways to provide one when there is none.

    `default` stands in for `google.auth.default` (Application Default Credentials).
    """
    env = os.environ if env is None else env
    default = default or google.auth.default
    if option:
        return _named(option, "--credentials")
    if env.get(CREDENTIALS_ENV):
        return _named(env[CREDENTIALS_ENV], CREDENTIALS_ENV)
    if env.get(ADC_ENV):
        return _from_file(env[ADC_ENV], ADC_ENV)
    try:
        credentials, _ = default(scopes=list(SCOPES))
    except DefaultCredentialsError as err:
        raise ConfigError(HOW_TO_PROVIDE) from err
    return Identity(credentials, account_email(credentials), "application default credentials")
