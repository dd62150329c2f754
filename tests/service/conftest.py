"""Service fixtures: the example organisation on disk, apps in each auth mode, and a Google
that signs ID tokens with a key made here and serves its certificate from memory.

The real google-auth verifier runs against it: only the HTTP session under
`google.auth.transport.requests.Request` is ours, and it never touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask
from flask.testing import FlaskClient
from google.auth import crypt, jwt

from service import create_app
from sheets_templates.builder import create_workspace
from sync.engine import run
from sync.sources import open_backend
from sync.state import open_state_store, state_of

AS_OF = "2026-11-21"
CLIENT_ID = "addon-123.apps.googleusercontent.com"
WEB_CLIENT_ID = "web-456.apps.googleusercontent.com"
DOMAIN = "northwind.example"
ADMIN = f"maria.chen@{DOMAIN}"
USER = f"wei.zhang@{DOMAIN}"
SCHEDULER = "okrtree-scheduler@acme-okr.iam.gserviceaccount.com"
SERVICE_URL = "https://worker-dot-acme-okr.ew.r.appspot.com"
CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
TOKEN_URL = "https://oauth2.googleapis.com/token"
LOCAL_TOKEN = "local-token-for-tests"


@dataclass
class Key:
    """An RSA key and a self-signed certificate for it, as Google publishes them."""

    kid: str
    private_pem: bytes
    cert_pem: str

    @classmethod
    def make(cls, kid: str) -> Key:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.google.test")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .sign(private, hashes.SHA256())
        )
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(kid, pem, cert.public_bytes(serialization.Encoding.PEM).decode())

    def sign(self, payload: dict[str, Any], kid: str | None = None) -> str:
        signer = crypt.RSASigner.from_string(self.private_pem, key_id=kid or self.kid)
        return jwt.encode(signer, payload).decode()


@pytest.fixture(scope="session")
def google_key() -> Key:
    return Key.make("test-key-1")


@pytest.fixture(scope="session")
def stranger_key() -> Key:
    """A key Google never published: tokens signed with it must be refused."""
    return Key.make("test-key-1")


class MemoryAdapter(requests.adapters.BaseAdapter):
    """Answers known URLs from handlers; anything else fails as if offline."""

    def __init__(self, routes: dict[str, Callable[[requests.PreparedRequest], tuple]]) -> None:
        super().__init__()
        self.routes = routes
        self.calls: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = (request.url or "").split("?")[0]
        self.calls.append(url)
        handler = self.routes.get(url)
        if handler is None:
            raise requests.ConnectionError(f"no network in tests: {url}")
        status, body, headers = handler(request)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers.update({"Content-Type": "application/json", **headers})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


@dataclass
class FakeGoogle:
    """Google's certificate and token endpoints, and ID tokens signed by `key`."""

    key: Key
    token_answers: list[dict[str, Any]] = field(default_factory=list)
    token_requests: list[str] = field(default_factory=list)
    certs_down: bool = False
    adapter: MemoryAdapter = field(init=False)
    session: requests.Session = field(init=False)

    def __post_init__(self) -> None:
        self.adapter = MemoryAdapter({CERTS_URL: self._certs, TOKEN_URL: self._token})
        self.session = requests.Session()
        self.session.mount("https://", self.adapter)
        self.session.mount("http://", self.adapter)

    def _certs(self, _request: requests.PreparedRequest) -> tuple:
        if self.certs_down:
            return 503, {"error": "unavailable"}, {}
        return 200, {self.key.kid: self.key.cert_pem}, {"Cache-Control": "public, max-age=3600"}

    def _token(self, request: requests.PreparedRequest) -> tuple:
        self.token_requests.append(str(request.body))
        if not self.token_answers:
            return 400, {"error": "invalid_grant"}, {}
        return 200, self.token_answers.pop(0), {}

    @property
    def certs_fetches(self) -> int:
        return self.adapter.calls.count(CERTS_URL)

    def id_token(self, key: Key | None = None, kid: str | None = None, **claims: Any) -> str:
        """A Google ID token for `USER` of the add-on, claims overridable (None drops one)."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": "https://accounts.google.com",
            "aud": CLIENT_ID,
            "azp": CLIENT_ID,
            "sub": "110000000000000000001",
            "email": USER,
            "email_verified": True,
            "hd": DOMAIN,
            "iat": now - 10,
            "exp": now + 3600,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return (key or self.key).sign(payload, kid)

    def scheduler_token(self, **claims: Any) -> str:
        wanted: dict[str, Any] = {"aud": SERVICE_URL, "azp": None, "email": SCHEDULER, "hd": None}
        return self.id_token(**{**wanted, **claims})


@pytest.fixture
def google(google_key: Key) -> FakeGoogle:
    return FakeGoogle(google_key)


@pytest.fixture
def bare_workspace(tmp_path: Path) -> Path:
    """A fresh copy of the example organisation that no sync has seen yet."""
    directory = tmp_path / "org"
    create_workspace(directory, example=True)
    return directory


def keep_state(source: str, as_of: dt.date) -> None:
    """Save the state of a read-only full run, as a sync would (without writing the sheets)."""
    outcome = run(open_backend(source), as_of)
    open_state_store(source).save(state_of(outcome, source))


@pytest.fixture
def workspace(bare_workspace: Path) -> Path:
    """A fresh copy of the example organisation (validate and sync write into it), with the
    state of a full read saved, as after an administrator's first sync."""
    keep_state(str(bare_workspace), dt.date.fromisoformat(AS_OF))
    return bare_workspace


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(workspace: Path, google: FakeGoogle) -> AppFactory:
    """`make_app(AUTH_MODE="token", ...)`: an app on the example organisation, Google mode by
    default, with the fake Google's session."""

    def build(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "SOURCE": str(workspace),
            "AS_OF": AS_OF,
            "AUTH_MODE": "google",
            "OAUTH_CLIENT_IDS": CLIENT_ID,
            "ALLOWED_DOMAINS": DOMAIN,
            "ADMINS": ADMIN,
            "SCHEDULER_ACCOUNTS": SCHEDULER,
            "SERVICE_URL": SERVICE_URL,
            "ON_APP_ENGINE": False,
            "HTTP_SESSION": google.session,
            "LOCAL_TOKEN": LOCAL_TOKEN,
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


SCRIPT = {"X-Okrtree": "1"}  # what a script sends to `okrtree serve --no-auth`


def script_client(app: Flask) -> FlaskClient:
    """A test client sending `SCRIPT` on every request, as scripts on this machine do."""
    client = app.test_client()
    client.environ_base["HTTP_X_OKRTREE"] = "1"
    return client
