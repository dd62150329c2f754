"""Google sign-in for browsers opening the tree page (deployed service only).

The add-on's "Open alignment tree" opens `/tree` in a browser tab, which has no ID token to send.
This is the standard OAuth 2.0 authorization-code flow: `/login` sends the reader to Google,
`/oauth2callback` swaps the code for an ID token at Google's token endpoint, verifies it with
the same google-auth checks and domain rule as the API, and keeps the e-mail in a signed,
HTTP-only session cookie that lets the browser read the tree (never write or sync).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import requests
from flask import Blueprint, Response, redirect, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from .errors import ApiError
from .state import services
from .views import SESSION_LIFETIME

__all__ = ["AUTHORIZE_URL", "TOKEN_URL", "blueprint"]

blueprint = Blueprint("login", __name__)
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
_STATE = "okrtree.login"


def _callback_url() -> str:
    base = services().config.service_url
    return f"{base}/oauth2callback" if base else url_for("login.callback", _external=True)


def _safe_next(value: str | None) -> str:
    """Only a path on this site, so the sign-in cannot be used to send people elsewhere."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return url_for("views.tree")


@blueprint.get("/login")
def start() -> BaseResponse:
    """Send the browser to Google's sign-in, remembering where it was going."""
    config = services().config
    state = secrets.token_urlsafe(24)
    session[_STATE] = {"state": state, "next": _safe_next(request.args.get("next"))}
    query = {
        "client_id": config.web_client_id,
        "redirect_uri": _callback_url(),
        "response_type": "code",
        "scope": "openid email",
        "state": state,
        "prompt": "select_account",
    }
    if len(config.allowed_domains) == 1:
        query["hd"] = next(iter(config.allowed_domains))
    return redirect(f"{AUTHORIZE_URL}?{urlencode(query)}")


def _refused(message: str) -> ApiError:
    return ApiError(401, "sign_in_failed", f"{message} Open the tree page again to sign in.")


@blueprint.get("/oauth2callback")
def callback() -> BaseResponse:
    """Google's answer: check the state, swap the code for an ID token, remember the reader."""
    found = services()
    pending = session.pop(_STATE, None)
    if request.args.get("error"):
        raise _refused(f"Google sign-in was not completed ({request.args['error'][:100]}).")
    code = request.args.get("code")
    state = request.args.get("state")
    if not isinstance(pending, dict) or not code or not state:
        raise _refused("This sign-in link is incomplete or was already used.")
    if not secrets.compare_digest(str(pending.get("state")), state):
        raise _refused("This sign-in answer does not belong to this browser.")
    session_http: requests.Session = found.auth.http_session
    try:
        answer = session_http.post(
            TOKEN_URL,
            data={
                "code": code,
                "client_id": found.config.web_client_id,
                "client_secret": found.config.web_client_secret,
                "redirect_uri": _callback_url(),
                "grant_type": "authorization_code",
            },
            timeout=15,
        )
    except requests.RequestException as err:
        raise ApiError(
            503, "sign_in_unavailable", "Google's sign-in could not be reached; try again."
        ) from err
    token = answer.json().get("id_token") if answer.ok else None
    if not isinstance(token, str):
        raise _refused("Google did not confirm the sign-in.")
    claims = found.auth.verify_google(token, found.config.web_client_id or "")
    email = found.auth.checked_email(claims)
    found.auth.remember(email, SESSION_LIFETIME)
    return redirect(_safe_next(str(pending.get("next") or "")))


@blueprint.get("/logout")
def logout() -> Response:
    """Forget this browser's sign-in."""
    session.clear()
    return Response(
        "<!doctype html><title>okrtree</title><p>You are signed out. "
        f'<a href="{url_for("views.tree")}">Sign in again</a></p>',
        mimetype="text/html",
    )
