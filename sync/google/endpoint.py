"""Sending Sheets and Drive traffic to another base URL (the offline emulator).

gspread builds every URL from `gspread.urls` (`https://sheets.googleapis.com/v4/...` and
`https://www.googleapis.com/drive/v3/...`), so rewriting those two prefixes in a transport
adapter reroutes all of it without touching gspread. Nothing else is rerouted.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from ..errors import ConfigError

__all__ = ["ENDPOINT_ENV", "GOOGLE_PREFIXES", "RedirectAdapter", "endpoint_from", "redirect"]

ENDPOINT_ENV = "OKRTREE_SHEETS_ENDPOINT"
GOOGLE_PREFIXES = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")


class RedirectAdapter(HTTPAdapter):
    """An ordinary HTTP adapter that first swaps a Google prefix for `base_url`."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        url = request.url or ""
        for prefix in GOOGLE_PREFIXES:
            if url.startswith(prefix):
                request = request.copy()
                request.url = f"{self.base_url}/{url[len(prefix) :]}"
                break
        return super().send(request, *args, **kwargs)


def endpoint_from(option: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The endpoint to use (option, else `OKRTREE_SHEETS_ENDPOINT`), checked; None for Google."""
    env = os.environ if env is None else env
    value = (option or env.get(ENDPOINT_ENV) or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{ENDPOINT_ENV}={value!r} is not a base URL; use e.g. http://127.0.0.1:8765 "
            "(the address `okrtree emulator` prints)"
        )
    return value.rstrip("/")


def redirect(session: requests.Session, base_url: str, pool_size: int = 10) -> requests.Session:
    """Mount the redirect on `session` for both Google prefixes; returns the session."""
    adapter = RedirectAdapter(base_url, pool_connections=2, pool_maxsize=pool_size)
    for prefix in GOOGLE_PREFIXES:
        session.mount(prefix, adapter)
    return session
