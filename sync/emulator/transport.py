"""Real gspread, fake Google: HTTP transports that reach the emulator instead of the network.

:func:`make_client` builds an ordinary ``gspread.Client`` with anonymous credentials (no token
is ever fetched) whose session hands Sheets and Drive requests to the emulator's WSGI app in
process; every other URL is refused, so a test cannot reach the network by accident.
:func:`mount_endpoint` does the same for a base URL such as ``http://127.0.0.1:8765``, for
clients configured with ``OKRTREE_SHEETS_ENDPOINT``.

>>> emu = Emulator()
>>> key = emu.create_spreadsheet("Hub", {"Teams": [["Team"], ["Platform"]]})
>>> make_client(emu).open_by_key(key).worksheet("Teams").get_all_values()
[['Team'], ['Platform']]
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

import gspread
import requests
from google.auth.credentials import AnonymousCredentials
from google.auth.transport.requests import AuthorizedSession
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from ..google.endpoint import GOOGLE_PREFIXES, RedirectAdapter
from .app import EmulatorApp
from .emulator import Emulator

__all__ = [
    "GOOGLE_PREFIXES",
    "EndpointAdapter",
    "NoNetworkAdapter",
    "WsgiAdapter",
    "emulator_session",
    "make_client",
    "mount_emulator",
    "mount_endpoint",
]


class NoNetworkAdapter(BaseAdapter):
    """Refuses every request: mounted under ``http://`` and ``https://`` as a safety net."""

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        raise requests.ConnectionError(f"the emulator session does not go online: {request.url}")

    def close(self) -> None:
        """Nothing to release."""


class WsgiAdapter(BaseAdapter):
    """Runs each request through a WSGI app in process and returns its answer."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = b"".join(
                part if isinstance(part, bytes) else str(part).encode() for part in body
            )
        environ = self._environ(request, url, body)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        return self._response(request, captured, content)

    @staticmethod
    def _environ(request: requests.PreparedRequest, url: Any, body: bytes) -> dict[str, Any]:
        headers: Mapping[str, str] = request.headers or {}
        raw = url.path + (f"?{url.query}" if url.query else "")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": (request.method or "GET").upper(),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(url.path).encode("utf-8").decode("latin-1"),
            "QUERY_STRING": url.query,
            "RAW_URI": raw,
            "REQUEST_URI": raw,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme or "https",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        return environ

    def _response(
        self, request: requests.PreparedRequest, captured: dict[str, Any], content: bytes
    ) -> requests.Response:
        response = requests.Response()
        code, _, reason = str(captured["status"]).partition(" ")
        response.status_code = int(code)
        response.reason = reason
        response.headers = CaseInsensitiveDict(captured["headers"])
        response.encoding = get_encoding_from_headers(response.headers) or "utf-8"
        response._content = content
        response.raw = io.BytesIO(content)
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[assignment]
        return response

    def close(self) -> None:
        """Nothing to release."""


# Sending Google-bound traffic to another base URL is the library's own redirect.
EndpointAdapter = RedirectAdapter


def mount_emulator(session: requests.Session, emulator: Emulator) -> requests.Session:
    """Point a session's Sheets and Drive traffic at the emulator; refuse everything else."""
    adapter: BaseAdapter = WsgiAdapter(EmulatorApp(emulator))
    session.mount("https://", NoNetworkAdapter())
    session.mount("http://", NoNetworkAdapter())
    for prefix in GOOGLE_PREFIXES:
        session.mount(prefix, adapter)
    return session


def mount_endpoint(session: requests.Session, base_url: str) -> requests.Session:
    """Point a session's Sheets and Drive traffic at a running emulator server."""
    adapter: BaseAdapter = EndpointAdapter(base_url)
    for prefix in GOOGLE_PREFIXES:
        session.mount(prefix, adapter)
    return session


def emulator_session(emulator: Emulator) -> AuthorizedSession:
    """An anonymous ``AuthorizedSession`` wired to the emulator, for ``session=`` arguments."""
    return mount_emulator(AuthorizedSession(AnonymousCredentials()), emulator)  # type: ignore[return-value]


def make_client(
    emulator: Emulator | None = None,
    *,
    endpoint: str | None = None,
    http_client: gspread.http_client.HTTPClientType = gspread.HTTPClient,
) -> gspread.Client:
    """A real ``gspread.Client`` talking to the emulator in process, or to ``endpoint``."""
    client = gspread.Client(AnonymousCredentials(), http_client=http_client)
    session = client.http_client.session
    if endpoint is not None:
        mount_endpoint(session, endpoint)
    elif emulator is not None:
        mount_emulator(session, emulator)
    else:
        raise ValueError("make_client needs an emulator or an endpoint URL")
    return client
