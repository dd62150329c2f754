"""Pages for people: the alignment tree (`/tree`), and `/healthz` for load balancers.

The tree page refreshes itself after a sync: `static/refresh.js` polls `/api/synced` every
`POLL_SECONDS` and reloads when the state changed. Failures answer as a page that says what
to do (`errors`), not as the API's JSON."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sheets_templates import template
from sync.model import STATUS_LABELS, Status

from .api import synced_at
from .auth import LOCAL_USER
from .config import AuthMode
from .errors import ApiError
from .itemview import build_item_page
from .links import NEW_LINK, Redeemed
from .state import services
from .treeview import Filters, build_page

__all__ = ["POLL_SECONDS", "SESSION_LIFETIME", "blueprint", "status_colours"]

blueprint = Blueprint("views", __name__)
SESSION_LIFETIME = 12 * 3600.0  # seconds a browser stays signed in
POLL_SECONDS = 30  # how often the tree page asks whether a sync happened since it was drawn


def status_colours() -> dict[str, str]:
    """The template's status colours (by label) keyed by status value, for the page's CSS."""
    by_label = template()["status_colours"]
    return {status.value: by_label[STATUS_LABELS[status]] for status in Status}


@blueprint.get("/healthz")
def healthz() -> Response:
    """Alive: answers without reading any spreadsheet, so health checks cost no quota."""
    return jsonify({"status": "ok"})


@blueprint.get("/")
def index() -> BaseResponse:
    return redirect(url_for("views.tree"))


def _exchange_token() -> BaseResponse | None:
    """`/tree?token=CODE` from `okrtree serve`: spend the link's one-time code for a session
    cookie and drop it from the address (so copying the address does not share it)."""
    token = request.args.get("token")
    found = services()
    if token is None or found.config.auth_mode is not AuthMode.TOKEN:
        return None
    redeemed = found.auth.links.redeem(token)
    if redeemed is not Redeemed.OK:
        spent = redeemed is Redeemed.SPENT
        raise ApiError(
            401,
            "link_used" if spent else "invalid_token",
            (
                "That link was already used: each link opens one browser, once. "
                if spent
                else "That link is not this server's. "
            )
            + NEW_LINK,
        )
    found.auth.remember("local", SESSION_LIFETIME)
    rest = {k: v for k, v in request.args.items() if k != "token"}
    return redirect(url_for("views.tree") + (f"?{urlencode(rest)}" if rest else ""))


def _signed_in() -> tuple[str, bool] | BaseResponse:
    """Who reads the page (blank for the local user) and whether they may sign out; or where
    to send a browser that must sign in first."""
    found = services()
    try:
        principal = found.auth.principal(request, allow_session=True)
    except ApiError as err:
        if err.code != "missing_token" or found.config.auth_mode is not AuthMode.GOOGLE:
            raise
        if found.config.web_login:
            return redirect(url_for("login.start", next=request.full_path.rstrip("?")))
        raise ApiError(
            401,
            err.code,
            "This page needs a Google sign-in, which this okrtree service has not set up "
            "(OKRTREE_WEB_CLIENT_ID); ask your okrtree administrator, or use the add-on.",
            err.headers,
        ) from None
    email = "" if principal.email == LOCAL_USER else principal.email
    return email, found.config.web_login and principal.via == "session"


def _page(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.get("/tree")
def tree() -> BaseResponse:
    """The combined alignment tree: collapsible, filterable, usable without JavaScript."""
    exchanged = _exchange_token()
    if exchanged is not None:
        return exchanged
    reader = _signed_in()
    if isinstance(reader, BaseResponse):
        return reader
    state = services().organisation.state_to_show()
    page = build_page(state.run(), Filters.from_args(request.args))
    return _page(
        render_template(
            "tree.html",
            page=page,
            synced_at=synced_at(state),
            poll_seconds=POLL_SECONDS,
            status_colours=status_colours(),
            signed_in=reader[0],
            can_sign_out=reader[1],
        )
    )


@blueprint.get("/item/<path:item_id>")
def item(item_id: str) -> BaseResponse:
    """One item: its score over time against the pace, check-ins, findings and neighbours."""
    reader = _signed_in()
    if isinstance(reader, BaseResponse):
        return reader
    outcome = services().organisation.state_to_show().run()
    page = build_item_page(outcome, item_id)
    if page is None:
        raise ApiError(404, "unknown_item", f"There is no item '{item_id}' in the last sync.")
    snapshot = next((s for s in outcome.snapshots if s.team == page.item.team), None)
    link = snapshot.link(page.item.row) if snapshot else ""
    page.link = link if link.startswith("https://") else None
    return _page(
        render_template(
            "item.html",
            page=page,
            result=outcome.computed.result,
            status_colours=status_colours(),
            signed_in=reader[0],
        )
    )
