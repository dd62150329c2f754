"""Every failure as JSON `{"error": {"code", "message"}}` with the right status.

Library errors are translated here, at the edge: `SourceError` (the hub or workspace cannot be
used) is 503, because the service is fine but cannot do its job until the source is fixed;
`ConfigError` and anything unexpected are 500 with a generic message, the details going to the
log only, so no traceback or internal path reaches a caller.

Pages for people (the `views` blueprint: `/tree`) answer the same failures as a short HTML page
that says what to do (how to get a link, how to sign in); the API keeps its JSON.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, has_request_context, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from sync.errors import ConfigError, SourceError

__all__ = ["ApiError", "error_response", "register_error_handlers"]

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A request the service refuses: `status`, a stable `code` and a message with the way out."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


_JSON = frozenset({"views.healthz"})  # for machines, though among the pages
_HEADINGS = {
    401: "This page needs a link or a sign-in",
    403: "Not allowed",
    404: "Nothing here",
    503: "The organisation cannot be read",
}


def error_response(status: int, code: str, message: str) -> Response:
    """The error as JSON, or as a page when a person's page (`/tree`) asked."""
    if has_request_context() and request.blueprint == "views" and request.endpoint not in _JSON:
        return _page(status, code, message)
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _page(status: int, code: str, message: str) -> Response:
    from .state import services  # state builds on this module

    try:
        auth_mode = services().config.auth_mode.value
    except KeyError:  # the failure came before the app's services were installed
        auth_mode = ""
    html = render_template(
        "error.html",
        status=status,
        code=code,
        message=message,
        heading=_HEADINGS.get(status, "Something went wrong"),
        auth_mode=auth_mode,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


_HTTP_MESSAGES = {
    404: "There is nothing at this address; see /openapi.json for the service's endpoints.",
    405: "This endpoint does not accept that method; see /openapi.json for the ones it does.",
}


def _api_error(err: ApiError) -> Response:
    response = error_response(err.status, err.code, err.message)
    response.headers.update(err.headers)
    return response


def _http_error(err: HTTPException) -> Response:
    status = err.code or 500
    message = _HTTP_MESSAGES.get(status) or (err.description or err.name)
    response = error_response(status, _snake(err.name), message)
    headers = dict(err.get_headers())
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if headers.get(name):
            response.headers[name] = headers[name]
    return response


def _source_error(err: SourceError) -> Response:
    log.warning("source unusable: %s", err)
    return error_response(503, "source_unavailable", f"The organisation cannot be read: {err}")


def _config_error(err: ConfigError) -> Response:
    log.error("configuration error: %s", err)
    return error_response(
        500,
        "misconfigured",
        "The okrtree service is misconfigured; its administrator can see why in the service's log.",
    )


def _unexpected(err: Exception) -> Response:
    log.exception("unexpected error", exc_info=err)
    return error_response(
        500,
        "internal_error",
        "The okrtree service failed unexpectedly. Try again in a minute; "
        "if it keeps failing, tell your okrtree administrator.",
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SourceError, _source_error)
    app.register_error_handler(ConfigError, _config_error)
    app.register_error_handler(Exception, _unexpected)
