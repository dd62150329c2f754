"""`/tasks/nightly`: the scheduled full sync that also records the day's History rows.

App Engine cron calls it with GET (Cloud Scheduler may use POST); both do the same. It runs on
the `worker` service, whose request deadline is long enough for a large organisation. On the
hub's `Digest day` it then posts the week's digest to `OKRTREE_DIGEST_WEBHOOK`, if set; a post
that fails is retried and logged, and the sync's answer stays the sync's.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .api import busy_error
from .digest_post import weekly_digest
from .locks import Busy
from .payloads import sync_payload
from .state import services

__all__ = ["blueprint"]

blueprint = Blueprint("tasks", __name__, url_prefix="/tasks")


@blueprint.route("/nightly", methods=["GET", "POST"])
def nightly() -> Response:
    """Full sync plus today's History rows, for App Engine cron or the scheduler account."""
    found = services()
    found.auth.scheduler(request)
    try:
        outcome = found.organisation.sync(history=True)
    except Busy:
        raise busy_error() from None
    config = current_app.config
    posted = weekly_digest(
        outcome,
        config.get("DIGEST_WEBHOOK"),
        config.get("DIGEST_WEBHOOK_KIND"),
        found.config.today(),
        session=config.get("DIGEST_SESSION"),
    )
    digest = posted.as_json() if posted is not None else None
    return jsonify({**sync_payload(outcome), "history": True, "digest": digest})
