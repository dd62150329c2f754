"""Requests a browser can be tricked into sending, refused before any handler runs.

`okrtree serve --no-auth` trusts everyone who reaches its loopback port, so two tricks must fail:

- **DNS rebinding**: a page on `evil.example` points its own name at 127.0.0.1, and the browser
  then lets it read the answers. In that mode only a loopback `Host` is answered: `localhost`,
  `127.0.0.1`, `[::1]` (any loopback address), with the port being served; else 400.
- **Cross-site requests**: a form on another site POSTs to `/api/sync`. In that mode every
  request that changes something (any POST, and the nightly task) must come from this origin
  (`Origin`, else `Referer`) or, sent with no `Origin` (scripts), carry a header that browsers
  send to another origin only after a CORS preflight this service never grants (`X-Okrtree: 1`,
  or `Authorization`); else 403.

With a token or Google sign-in, such requests already need an `Authorization` header (cookies
never authorise a write), which no other site can make a browser send.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, Request, request

from .config import AuthMode
from .errors import ApiError
from .state import services

__all__ = ["CUSTOM_HEADER", "install_guard", "loopback_host", "same_origin"]

CUSTOM_HEADER = "X-Okrtree"
_PROOF_HEADERS = (CUSTOM_HEADER, "Authorization")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_STATE_CHANGING = frozenset({"tasks.nightly"})  # runs a sync on GET too (App Engine cron)


def _split_host(host: str) -> tuple[str, str | None]:
    """`[::1]:8080` -> (`::1`, `8080`); `localhost` -> (`localhost`, None)."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        if rest and not rest.startswith(":"):
            return "", None
        return name, rest[1:] or None
    name, colon, port = host.rpartition(":")
    return (name, port) if colon else (host, None)


def loopback_host(host: str, scheme: str, served_port: str) -> bool:
    """Whether a `Host` header names this machine by a loopback name and the port served."""
    name, port = _split_host(host.strip().lower())
    if (port or _DEFAULT_PORTS.get(scheme)) != served_port:
        return False
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(req: Request) -> bool:
    """Whether the browser says the request comes from a page of this origin: `Origin`, or
    `Referer` when a browser sends no `Origin`. Neither present is not same-origin."""
    served = f"{req.scheme}://{req.host}".lower()
    origin = req.headers.get("Origin")
    if origin is not None:
        return origin.strip().lower() == served
    referer = req.headers.get("Referer")
    return referer is not None and _origin_of(referer.strip()) == served


def _from_this_site(req: Request) -> bool:
    """A browser always names the page's origin on a POST; when it names another, the request
    is refused whatever else it carries. Without `Origin`, a proof header or a same-origin
    `Referer` is needed."""
    if req.headers.get("Origin") is not None:
        return same_origin(req)
    return any(req.headers.get(name) for name in _PROOF_HEADERS) or same_origin(req)


def _changes_state(req: Request) -> bool:
    return req.method not in ("GET", "HEAD", "OPTIONS") or req.endpoint in _STATE_CHANGING


def _check() -> None:
    if services().config.auth_mode is not AuthMode.NONE:
        return
    served_port = str(request.environ.get("SERVER_PORT", ""))
    if not loopback_host(request.host, request.scheme, served_port):
        raise ApiError(
            400,
            "untrusted_host",
            "okrtree serve --no-auth answers only to this machine's loopback names "
            f"(localhost, 127.0.0.1, [::1]) on port {served_port}; open the address it printed.",
        )
    if not _changes_state(request):
        return
    if _from_this_site(request):
        return
    raise ApiError(
        403,
        "cross_site_request",
        "This request does not come from the okrtree page, so it is refused: another web page "
        f"may not make your browser sync. Scripts send the header '{CUSTOM_HEADER}: 1'.",
    )


def install_guard(app: Flask) -> None:
    """Check every request of `app` before its handler runs."""
    app.before_request(_check)
