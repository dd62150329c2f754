"""The end of a cycle and the weekly digest in the service: `POST /api/rollover` for
administrators (on the worker: it writes every team spreadsheet) and the `/digest` page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from sync.digest import build_digest, parse_since
from sync.digest_render import digest_json
from sync.engine import run
from sync.model import STATUS_LABELS
from sync.rollers import roller_for
from sync.rollover import NewCycle
from sync.rollover_run import RolloverRefused, report_json, rollover
from sync.state import state_of

from .api import busy_error, json_body
from .errors import ApiError
from .locks import Busy
from .state import services

__all__ = ["blueprint"]

blueprint = Blueprint("cycle", __name__)


def _date(body: dict[str, Any], name: str) -> dt.date:
    value = body.get(name)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApiError(
            400, "invalid_request", f"'{name}' must be a date like 2027-01-01, not {value!r}."
        ) from None


@blueprint.post("/api/rollover")
def rollover_api() -> Response:
    """Close the cycle and open the next, for administrators; `dry_run` shows the plan only.

    Body: `{"cycle": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31", "dry_run": true}`.
    """
    found = services()
    found.auth.require_admin(found.auth.principal(request))
    body = json_body()
    if not isinstance(body, dict) or not str(body.get("cycle") or "").strip():
        raise ApiError(400, "invalid_request", "Send {cycle, start, end, dry_run}.")
    new = NewCycle(str(body["cycle"]).strip(), _date(body, "start"), _date(body, "end"))
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise ApiError(400, "invalid_request", "'dry_run' must be true or false.")
    organisation = found.organisation
    try:
        with organisation.sync_lock.hold():
            backend = organisation.backend()
            report = rollover(
                backend, roller_for(backend), new, organisation.today(), dry_run=dry_run
            )
    except Busy:
        raise busy_error() from None
    except RolloverRefused as err:
        raise ApiError(409, "rollover_refused", str(err)) from None
    if report.settings_written:  # every instance shows the new cycle from now on
        fresh = run(organisation.backend(), organisation.today(), previous=[])
        organisation.store.save(state_of(fresh, organisation.source))
    return jsonify({**report_json(report), "complete": report.complete})


@blueprint.get("/digest")
def digest_page() -> Response:
    """The digest of the last week (or `?since=`): the organisation as the shared state has it,
    with the hub's History and Check-ins read now (the state keeps only its input tabs)."""
    found = services()
    found.auth.principal(request, allow_session=True)
    outcome = found.organisation.state_to_show().run()
    result = outcome.computed.result
    try:
        since = parse_since(request.args.get("since"), result.as_of)
    except ValueError as err:
        raise ApiError(400, "invalid_request", str(err)) from None
    tabs = found.organisation.backend().read_hub().tabs
    made = build_digest(result, outcome.snapshots, tabs, since)
    html = render_template(
        "digest.html",
        digest=digest_json(made),
        labels={s.value: label for s, label in STATUS_LABELS.items()},
        tree=url_for("views.tree"),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-cache"
    return response
