"""Who is calling, and what they may do.

- Deployed (`AuthMode.GOOGLE`): the add-on sends `Authorization: Bearer <Google ID token>`
  (`ScriptApp.getIdentityToken()`). google-auth checks signature, issuer, expiry and audience
  (the add-on's OAuth client id); the service then requires a verified e-mail in an allowed
  domain. Administrators (full syncs) are listed by e-mail. Browsers that signed in on the tree
  page (`service.login`) carry a session cookie, which is accepted for reading only.
- `okrtree serve` (`AuthMode.TOKEN`): one random token, sent as a Bearer token. Browsers open a
  one-time link instead (`/tree?token=CODE`, see `service.links`), traded for a session cookie.
  The token's holder is the local administrator.
- `AuthMode.NONE`: everyone is the local administrator (`okrtree serve --no-auth`, loopback).
- The nightly task is accepted from App Engine cron (the `X-Appengine-Cron` header, trusted only
  when the service runs on App Engine, whose front end strips that header from outside
  requests), or with an OIDC token of a configured scheduler service account.

Cookies never authorise a POST, so no other site can make a signed-in browser sync or write.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from flask import Request, g, session
from google.auth import exceptions as google_exceptions
from google.auth import jwt, transport
from google.auth.transport import requests as google_requests
from google.oauth2 import id_token

from .certs import CachingRequest
from .config import AuthMode, ServiceConfig
from .errors import ApiError
from .links import OneTimeLinks

__all__ = ["CLOCK_SKEW", "LOCAL_USER", "SESSION_KEY", "Authenticator", "Principal"]

SESSION_KEY = "okrtree.user"
LOCAL_USER = "local"
CLOCK_SKEW = 10  # seconds: a token Google issued a moment ago may look early to our clock


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: an e-mail (or `local`), whether an administrator, and how."""

    email: str
    admin: bool
    via: str  # "id_token", "session", "local_token", "no_auth", "cron", "scheduler"


def _unauthorized(code: str, message: str) -> ApiError:
    error = "invalid_request" if code == "missing_token" else "invalid_token"
    return ApiError(
        401, code, message, {"WWW-Authenticate": f'Bearer realm="okrtree", error="{error}"'}
    )


class Authenticator:
    """Checks credentials against the configuration. `http_session` is the one way out to Google
    (certificates, the sign-in token endpoint): tests pass a session that answers from memory,
    so the real google-auth verification runs against keys made in the test."""

    def __init__(self, config: ServiceConfig, http_session: requests.Session) -> None:
        self.config = config
        self.http_session = http_session
        self.request: transport.Request = CachingRequest(
            google_requests.Request(session=http_session)
        )
        self.links = OneTimeLinks()

    # -- credentials -------------------------------------------------------------------------

    @staticmethod
    def bearer(request: Request) -> str | None:
        """The Bearer token, None when there is no Authorization header; 401 when malformed."""
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise _unauthorized(
                "malformed_token",
                "The Authorization header must be 'Bearer <token>': one token, nothing else.",
            )
        return token

    def verify_google(self, token: str, audience: str | Collection[str]) -> Mapping[str, Any]:
        """google-auth's verification of a Google-issued ID token; 401 saying why it failed."""
        try:
            jwt.decode_header(token)
        except (ValueError, google_exceptions.GoogleAuthError):
            raise _unauthorized(
                "malformed_token", "The Bearer token is not a JSON Web Token; sign in again."
            ) from None
        wanted = audience if isinstance(audience, str) else list(audience)
        try:
            claims = id_token.verify_oauth2_token(
                token, self.request, audience=wanted, clock_skew_in_seconds=CLOCK_SKEW
            )
        except google_exceptions.TransportError as err:
            raise ApiError(
                503,
                "certs_unavailable",
                "Google's sign-in certificates could not be fetched; try again in a minute.",
            ) from err
        except (ValueError, google_exceptions.GoogleAuthError) as err:
            raise _unauthorized(
                "invalid_token", f"The Google sign-in token was refused ({err}); sign in again."
            ) from err
        return claims

    def checked_email(self, claims: Mapping[str, Any]) -> str:
        """The caller's verified e-mail, if its domain is allowed (the Workspace `hd` claim
        when present, so a personal account using a work address is not taken for staff)."""
        email = str(claims.get("email") or "").strip().lower()
        if "@" not in email:
            raise _unauthorized(
                "no_email",
                "The sign-in token carries no e-mail address; allow okrtree to see your e-mail "
                "address when asked, then try again.",
            )
        if claims.get("email_verified") not in (True, "true"):
            raise ApiError(403, "email_unverified", f"{email} is not a verified address.")
        domain = email.rsplit("@", 1)[1]
        workspace = str(claims.get("hd") or domain).lower()
        allowed = self.config.allowed_domains
        if domain not in allowed or workspace not in allowed:
            raise ApiError(
                403,
                "domain_not_allowed",
                f"{email} is not in a domain allowed to use this okrtree service "
                f"({', '.join(sorted(allowed))}); sign in with your organisation's account.",
            )
        return email

    # -- callers -----------------------------------------------------------------------------

    def _local(self, via: str) -> Principal:
        return Principal(LOCAL_USER, True, via)

    def _google_user(self, token: str) -> Principal:
        email = self.checked_email(self.verify_google(token, self.config.client_ids))
        return Principal(email, email in self.config.admins, "id_token")

    def _from_session(self) -> Principal | None:
        stored = session.get(SESSION_KEY)
        if not isinstance(stored, dict) or stored.get("mode") != self.config.auth_mode.value:
            return None
        if float(stored.get("expires", 0)) < time.time():
            return None
        email = str(stored.get("email", ""))
        if self.config.auth_mode is AuthMode.TOKEN:
            return self._local("session")
        return Principal(email, email in self.config.admins, "session")

    def remember(self, email: str, lifetime: float) -> None:
        """Keep a signed-in browser for `lifetime` seconds (a signed, HTTP-only cookie)."""
        session.clear()
        session[SESSION_KEY] = {
            "mode": self.config.auth_mode.value,
            "email": email,
            "expires": time.time() + lifetime,
        }
        session.permanent = True

    def token_matches(self, token: str) -> bool:
        local = self.config.local_token or ""
        return bool(local) and hmac.compare_digest(token.encode(), local.encode())

    def principal(self, request: Request, *, allow_session: bool = False) -> Principal:
        """The caller of this request, or 401/403. `allow_session`: a browser's cookie counts
        (reading only)."""
        cached = g.get("principal")
        if isinstance(cached, Principal):
            return cached
        found = self._principal(request, allow_session)
        g.principal = found
        return found

    def _principal(self, request: Request, allow_session: bool) -> Principal:
        mode = self.config.auth_mode
        if mode is AuthMode.NONE:
            return self._local("no_auth")
        token = self.bearer(request)
        if token is not None:
            if mode is AuthMode.TOKEN:
                if not self.token_matches(token):
                    raise _unauthorized(
                        "invalid_token",
                        "That token is not this server's; use the link `okrtree serve` printed.",
                    )
                return self._local("local_token")
            return self._google_user(token)
        if allow_session:
            remembered = self._from_session()
            if remembered is not None:
                return remembered
        if mode is AuthMode.TOKEN:
            raise _unauthorized(
                "missing_token",
                "Open the link `okrtree serve` printed (it carries a token), or send "
                "'Authorization: Bearer <token>'.",
            )
        raise _unauthorized(
            "missing_token",
            "Sign in: send 'Authorization: Bearer <Google ID token>' (the okrtree add-on does).",
        )

    @staticmethod
    def require_admin(principal: Principal) -> None:
        if not principal.admin:
            raise ApiError(
                403,
                "not_admin",
                f"{principal.email} is not an okrtree administrator; only administrators "
                "(OKRTREE_ADMINS) can sync the whole organisation.",
            )

    # -- the nightly task --------------------------------------------------------------------

    def scheduler(self, request: Request) -> Principal:
        """App Engine cron, or a scheduler service account's OIDC token; 401/403 otherwise."""
        if request.headers.get("X-Appengine-Cron") is not None:
            if not self.config.on_app_engine:
                raise ApiError(
                    403,
                    "untrusted_cron_header",
                    "X-Appengine-Cron is only trusted on App Engine, which strips it from "
                    "outside requests; use a scheduler service account's OIDC token instead.",
                )
            if request.headers["X-Appengine-Cron"].strip().lower() == "true":
                return Principal("app-engine-cron", True, "cron")
        if self.config.auth_mode is not AuthMode.GOOGLE:
            return self.principal(request)  # `okrtree serve`: the local administrator
        token = self.bearer(request)
        if token is None:
            raise _unauthorized(
                "missing_token",
                "The nightly task runs from App Engine cron or with a scheduler service "
                "account's OIDC token ('Authorization: Bearer ...').",
            )
        return self._scheduler_account(token)

    def _scheduler_account(self, token: str) -> Principal:
        url = self.config.service_url
        if not self.config.scheduler_accounts or url is None:
            raise ApiError(
                403,
                "not_scheduler",
                "No scheduler service account is configured (OKRTREE_SCHEDULER_ACCOUNTS); "
                "only App Engine cron can run the nightly task.",
            )
        claims = self.verify_google(token, [url, f"{url}/tasks/nightly"])
        email = str(claims.get("email") or "").lower()
        if email not in self.config.scheduler_accounts or claims.get("email_verified") not in (
            True,
            "true",
        ):
            raise ApiError(
                403,
                "not_scheduler",
                f"{email or 'This token'} is not a scheduler account of this service "
                "(OKRTREE_SCHEDULER_ACCOUNTS).",
            )
        return Principal(email, True, "scheduler")
