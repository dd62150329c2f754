"""`/api/*`: what the add-on calls (validate one sheet, sync everything), the tree as JSON, and
when the last sync was (the tree page polls it to refresh itself after a sync)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from sync.state import State

from .config import AuthMode
from .errors import ApiError
from .locks import Busy
from .org import Unregistered
from .payloads import sync_payload, validate_payload
from .state import services
from .store import NO_STATE, NoState

__all__ = [
    "MAX_SPREADSHEET_LENGTH",
    "blueprint",
    "busy_error",
    "json_body",
    "synced_at",
    "tree_response",
]

blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_SPREADSHEET_LENGTH = 2048


def json_body() -> Any:
    """The request's JSON, None when it is absent or not JSON. JSON nested deeper than the
    parser follows (it raises RecursionError, not ValueError) is "not JSON" too: a 400 for the
    caller, never a 500."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def _json_object() -> dict[str, Any]:
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "invalid_request",
            'Send a JSON object with Content-Type: application/json, e.g. {"spreadsheet": "KEY"}.',
        )
    return body


def _spreadsheet(body: dict[str, Any]) -> str:
    value = body.get("spreadsheet")
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_SPREADSHEET_LENGTH:
        raise ApiError(
            400,
            "invalid_request",
            '"spreadsheet" must be the spreadsheet\'s key or URL (Google) or its path as written '
            "in the hub's Teams tab (local), as a non-empty string.",
        )
    return value


def busy_error() -> ApiError:
    return ApiError(
        409,
        "sync_running",
        "A sync of the whole organisation is already running; wait for it to finish (a few "
        "minutes for a large organisation) and try again.",
        {"Retry-After": "60"},
    )


@blueprint.post("/validate")
def validate() -> Response:
    """Validate the caller's sheet against the organisation and write its output columns."""
    found = services()
    found.auth.principal(request)
    spreadsheet = _spreadsheet(_json_object())
    try:
        validated = found.organisation.validate(spreadsheet)
    except NoState:
        raise ApiError(
            409,
            "no_state",
            f"{NO_STATE} (Sync now in the add-on's okrtree menu, or `okrtree sync`); "
            "then validate again.",
        ) from None
    except Unregistered:
        raise ApiError(
            403,
            "unregistered_spreadsheet",
            f"{spreadsheet} is not registered in the hub's Teams tab, so okrtree will not read or "
            "write it; ask your okrtree administrator to add it.",
        ) from None
    return jsonify(validate_payload(spreadsheet, validated.team, validated.run))


@blueprint.post("/sync")
def sync() -> Response:
    """A full sync of the organisation, for administrators."""
    found = services()
    found.auth.require_admin(found.auth.principal(request))
    if request.get_data(cache=True):  # no body, or an object ({} from the add-on)
        if not isinstance(json_body(), dict):
            raise ApiError(400, "invalid_request", "Send no body, or the JSON object {}.")
    try:
        outcome = found.organisation.sync()
    except Busy:
        raise busy_error() from None
    return jsonify(sync_payload(outcome))


@blueprint.post("/link")
def link() -> Response:
    """A new one-time link to the tree page, for another browser (`okrtree serve` with a token)."""
    found = services()
    if found.config.auth_mode is not AuthMode.TOKEN:
        raise ApiError(
            404,
            "no_links",
            "Only `okrtree serve` with a token hands out links; open the tree page directly.",
        )
    found.auth.require_admin(found.auth.principal(request))
    code = found.auth.links.issue()
    return jsonify({"url": url_for("views.tree", token=code, _external=True)})


def tree_response() -> Response:
    """The cached tree body, gzip when the client accepts it, 304 for a matching ETag."""
    found = services()
    body = found.tree.body(found.organisation.state_to_show())
    compressed = request.accept_encodings.quality("gzip") > 0
    response = Response(
        body.gzip if compressed else body.json, status=200, mimetype="application/json"
    )
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(f"{body.etag}-gz" if compressed else body.etag)
    response.make_conditional(request)
    return response


@blueprint.get("/tree")
def tree() -> Response:
    """The combined alignment tree from the last sync's state."""
    services().auth.principal(request, allow_session=True)
    return tree_response()


def synced_at(state: State | None) -> str | None:
    """When `state`'s run finished, as ISO 8601 UTC to the microsecond: a new sync, a new
    value, wherever it ran (the service, the nightly job, `okrtree sync`)."""
    if state is None:
        return None
    return dt.datetime.fromtimestamp(state.taken, dt.UTC).isoformat().replace("+00:00", "Z")


@blueprint.get("/synced")
def synced() -> Response:
    """When the last sync finished; reads no spreadsheet (one look at the shared state), so
    polling is cheap."""
    found = services()
    found.auth.principal(request, allow_session=True)
    response = jsonify({"synced_at": synced_at(found.organisation.store.load())})
    response.headers["Cache-Control"] = "private, no-cache"
    return response
