"""`/openapi.json`: every endpoint, request, response and error of this service (OpenAPI 3.1).

The document describes the instance that serves it (the sign-in routes appear only where browser
sign-in is configured), so a client or a contract test never probes routes that are not there.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from .config import AuthMode, ServiceConfig
from .openapi_schemas import SCHEMAS, STATUSES, ref
from .state import services

__all__ = ["blueprint", "spec"]

blueprint = Blueprint("openapi", __name__)


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def _page(description: str) -> dict[str, Any]:
    """An error answered to a person's page as HTML (the API answers JSON)."""
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def _errors(*statuses: int) -> dict[str, Any]:
    text = {
        400: "the body is not what the endpoint expects",
        401: "no credentials, or credentials that are malformed, expired or not for this service",
        403: "authenticated, but not allowed to do this",
        404: "no such item in the last sync",
        409: "a sync is already running",
        503: "the organisation (or Google's sign-in) cannot be reached or used right now",
    }
    out = {str(s): _json("Error", text[s]) for s in statuses}
    out["default"] = _json("Error", "any other failure (404, 405, 500, ...)")
    return out


def _operation(summary: str, description: str, **fields: Any) -> dict[str, Any]:
    return {"summary": summary, "description": description, **fields}


def _query(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def _paths(config: ServiceConfig) -> dict[str, Any]:
    user: list[dict[str, list[str]]] = [{"bearer": []}]
    reader: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
    validate = _operation(
        "Validate one team sheet",
        "Reads the hub and this sheet, judges it against the organisation as the last sync "
        "saw it, writes its Score/Status/Warnings, and returns its items and findings.",
        security=user,
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": ref("ValidateRequest")}},
        },
        responses={
            "200": _json("ValidateResponse", "the sheet's items and findings"),
            **_errors(400, 401, 403, 503),
        },
    )
    sync = _operation(
        "Sync the whole organisation (administrators)",
        "Reads every team, writes every sheet's output columns and the hub's tabs.",
        security=user,
        requestBody={
            "required": False,
            "content": {"application/json": {"schema": ref("SyncRequest")}},
        },
        responses={
            "200": _json("SyncResponse", "what the sync found and wrote"),
            **_errors(401, 403, 409, 503),
        },
    )
    nightly = _operation(
        "Nightly sync recording today's History rows",
        "For App Engine cron (X-Appengine-Cron, trusted only on App Engine) or a scheduler "
        "service account's OIDC token.",
        security=[{"appEngineCron": []}, {"bearer": []}],
        responses={
            "200": _json("NightlyResponse", "what the sync found and wrote"),
            **_errors(401, 403, 409, 503),
        },
    )
    tree_params = [
        _query("team", "only this team (and what it aligns under)"),
        _query("status", "only this status: " + ", ".join(STATUSES)),
        _query("owner", "only this owner"),
        _query("q", "search in ID, title, team and owner"),
    ]
    if config.auth_mode is AuthMode.TOKEN:
        tree_params.append(
            _query("token", "a one-time link's code (`okrtree serve`'s link, or POST /api/link)")
        )
    tree_page = {
        "description": "the page",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    link = _operation(
        "A one-time link to the tree page (`okrtree serve` with a token)",
        "A new link that opens the tree page in one browser, once; 404 on other services.",
        security=user,
        responses={"200": _json("LinkResponse", "the link"), **_errors(401, 403)},
    )
    paths: dict[str, Any] = {
        "/api/validate": {"post": validate},
        "/api/sync": {"post": sync},
        "/api/rollover": {
            "post": _operation(
                "Close the cycle and open the next (administrators)",
                "A final sync with History, then each team tab archived as '<Tab> <cycle>' and "
                "rewritten with what carries over; the hub's Settings last. With dry_run, the "
                "plan only. Running it again after a failure finishes it.",
                security=user,
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": ref("RolloverRequest")}},
                },
                responses={
                    "200": _json("RolloverResponse", "the plan per team, and what was done"),
                    **_errors(400, 401, 403, 409, 503),
                },
            )
        },
        "/digest": {
            "get": _operation(
                "The digest page",
                "What changed since a date, whom to ask for an update, open errors.",
                security=reader,
                parameters=[
                    {
                        **_query("since", "a date (YYYY-MM-DD) or days back (7d); default 7d"),
                        "schema": {
                            "anyOf": [
                                {"type": "string", "format": "date"},
                                {"type": "string", "pattern": "^[0-9]{1,4}[dD]$"},
                            ]
                        },
                    }
                ],
                responses={"200": tree_page, **_errors(400, 401, 503)},
            )
        },
        "/api/link": {"post": link},
        "/api/tree": {
            "get": _operation(
                "The combined alignment tree as JSON",
                "Served from the last sync's state; gzip and ETag aware.",
                security=reader,
                responses={
                    "200": _json("TreeResponse", "every item once, depth-first"),
                    "304": {"description": "unchanged since the ETag sent"},
                    **_errors(401, 503),
                },
            )
        },
        "/tree": {
            "get": _operation(
                "The alignment tree page",
                "Collapsible tree with score bars, statuses, warnings, filters and search.",
                security=reader,
                parameters=tree_params,
                responses={
                    "200": tree_page,
                    "302": {"description": "to sign in, or to drop the token from the URL"},
                    "401": _page("no link or sign-in yet: the page says how to get one"),
                    "503": _page("the organisation cannot be read right now"),
                    "default": _page("any other failure, as a page that says what to do"),
                },
            )
        },
        "/api/synced": {
            "get": _operation(
                "When the last sync was",
                "The time the tree's state was saved; reads no spreadsheet. The tree page "
                "polls it and reloads itself when it changes.",
                security=reader,
                responses={"200": _json("SyncedResponse", "the time"), **_errors(401)},
            )
        },
        "/item/{item_id}": {
            "get": _operation(
                "The page of one item",
                "Its score over time against the pace, its check-ins with confidence and "
                "notes, its findings, parent and children, and dependencies both ways.",
                security=reader,
                parameters=[
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "description": "the item's ID, any case",
                        "schema": {"type": "string"},
                    }
                ],
                responses={
                    "200": tree_page,
                    "302": {"description": "to sign in"},
                    "401": _page("no link or sign-in yet: the page says how to get one"),
                    "404": _page("no such item in the last sync"),
                    "503": _page("the organisation cannot be read right now"),
                    "default": _page("any other failure, as a page that says what to do"),
                },
            )
        },
        "/tasks/nightly": {"get": nightly, "post": {**nightly, "operationId": "nightlyPost"}},
        "/healthz": {
            "get": _operation(
                "Liveness",
                "Answers without reading any spreadsheet.",
                security=[],
                responses={"200": _json("Health", "the service is up")},
            )
        },
        "/openapi.json": {
            "get": _operation(
                "This document",
                "The OpenAPI description of this instance.",
                security=[],
                responses={
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            )
        },
    }
    if config.web_login:
        paths["/login"] = {
            "get": _operation(
                "Sign in with Google (browsers)",
                "Redirects to Google's sign-in.",
                security=[],
                parameters=[_query("next", "the path to return to")],
                responses={"302": {"description": "to Google"}, **_errors()},
            )
        }
        paths["/oauth2callback"] = {
            "get": _operation(
                "Google's sign-in answer",
                "Verifies the sign-in and sets the session cookie.",
                security=[],
                parameters=[_query(n, f"from Google: {n}") for n in ("code", "state", "error")],
                responses={"302": {"description": "back to the page"}, **_errors(401, 403, 503)},
            )
        }
        paths["/logout"] = {
            "get": _operation(
                "Sign out",
                "Forgets this browser's sign-in.",
                security=[],
                responses={
                    "200": {
                        "description": "signed out",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            )
        }
    return paths


def spec(config: ServiceConfig) -> dict[str, Any]:
    """The OpenAPI document for a service with this configuration."""
    bearer = (
        "a Google ID token (the add-on's ScriptApp.getIdentityToken())"
        if config.auth_mode is AuthMode.GOOGLE
        else "the token `okrtree serve` printed"
    )
    about = (
        "Validate, score and align OKRs kept in spreadsheets. Every error is "
        '{"error": {"code", "message"}}.'
    )
    if config.auth_mode is AuthMode.NONE:
        about += (
            " Without authentication (`okrtree serve --no-auth`) only loopback host names are "
            "answered, and every POST and the nightly task need the header 'X-Okrtree: 1' (or "
            "a same-origin Origin)."
        )
    return {
        "openapi": "3.1.0",
        "info": {"title": "okrtree", "version": "1", "description": about},
        "paths": _paths(config),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": bearer},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "a signed-in browser (reading only)",
                },
                "appEngineCron": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Appengine-Cron",
                    "description": "set by App Engine cron; stripped from outside requests",
                },
            },
        },
    }


@blueprint.get("/openapi.json")
def document() -> Response:
    return jsonify(spec(services().config))
