"""The WSGI application: Google's URL paths routed onto the emulator.

The same paths are answered whether a request arrives through the in-process transport or the
loopback server: ``/v4/spreadsheets/...`` (Sheets), ``/drive/v3/files/...`` and
``/drive/v3/changes`` (Drive), plus ``/_emulator/stats``. Ranges are read from the raw, still
percent-encoded path, so a ``:`` or ``/`` inside a tab title never looks like a method suffix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from . import changes, datafilter, drive, values
from .batch import apply_batch, copy_sheet_to
from .emulator import Emulator
from .errors import ApiError, bad_request
from .faults import WRITE_KINDS, RequestInfo
from .griddata import spreadsheet_json
from .metadata import get_metadata, search_metadata

__all__ = ["EmulatorApp", "Route", "route"]


@dataclass(frozen=True)
class Route:
    """A request understood: its kind and the ids and range found in the path."""

    kind: str
    spreadsheet_id: str | None = None
    range: str | None = None
    extra: str | None = None


def _raw_path(environ: dict[str, Any]) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return str(raw).split("?", 1)[0]
    path = str(environ.get("PATH_INFO", "")).encode("latin-1").decode("utf-8", "replace")
    return quote(path, safe="/:!'$,@")


_ACTIONS = {
    "append",
    "batchClear",
    "batchClearByDataFilter",
    "batchGet",
    "batchGetByDataFilter",
    "batchUpdate",
    "batchUpdateByDataFilter",
    "clear",
    "copyTo",
    "search",
}


def _split_action(segment: str) -> tuple[str, str | None]:
    """``key:batchUpdate`` -> ``("key", "batchUpdate")``; a ``:`` inside a range is not one."""
    if ":" in segment:
        head, action = segment.rsplit(":", 1)
        if action in _ACTIONS:
            return head, action
    return segment, None


def route(method: str, raw_path: str) -> Route | None:
    """Map a method and raw path to a :class:`Route`; ``None`` for paths Google lacks."""
    parts = [p for p in raw_path.split("/") if p]
    if parts[:2] == ["v4", "spreadsheets"]:
        return _sheets_route(method, parts[2:])
    if parts[:3] == ["drive", "v3", "files"]:
        return _drive_route(method, parts[3:])
    if parts[:3] == ["drive", "v3", "changes"] and method == "GET":
        kinds = {(): "drive.changes.list", ("startPageToken",): "drive.changes.getStartPageToken"}
        kind = kinds.get(tuple(parts[3:]))
        return Route(kind) if kind else None
    return None


def _sheets_route(method: str, parts: list[str]) -> Route | None:
    if not parts:
        return Route("spreadsheets.create") if method == "POST" else None
    key, action = _split_action(parts[0])
    key = unquote(key)
    if len(parts) == 1:
        if action == "batchUpdate" and method == "POST":
            return Route("spreadsheets.batchUpdate", key)
        if action is None and method == "GET":
            return Route("spreadsheets.get", key)
        return None
    if parts[1].startswith("developerMetadata"):
        _, meta_action = _split_action(parts[1])
        if len(parts) == 2 and meta_action == "search" and method == "POST":
            return Route("developerMetadata.search", key)
        if len(parts) == 3 and method == "GET":
            return Route("developerMetadata.get", key, extra=unquote(parts[2]))
        return None
    if parts[1] == "sheets" and len(parts) == 3 and method == "POST":
        sheet_id, copy_action = _split_action(parts[2])
        return Route("sheets.copyTo", key, extra=sheet_id) if copy_action == "copyTo" else None
    if parts[1].startswith("values"):
        _, batch_action = _split_action(parts[1])
        if len(parts) == 2:
            kinds = {
                ("GET", "batchGet"),
                ("POST", "batchUpdate"),
                ("POST", "batchClear"),
                ("POST", "batchGetByDataFilter"),
                ("POST", "batchUpdateByDataFilter"),
                ("POST", "batchClearByDataFilter"),
            }
            if (method, batch_action) in kinds:
                return Route(f"values.{batch_action}", key)
            return None
        rng, verb = _split_action("/".join(parts[2:]))
        text = unquote(rng)
        table = {
            ("GET", None): "values.get",
            ("PUT", None): "values.update",
            ("POST", "append"): "values.append",
            ("POST", "clear"): "values.clear",
        }
        kind = table.get((method, verb))
        return Route(kind, key, text) if kind else None
    return None


def _drive_route(method: str, parts: list[str]) -> Route | None:
    if not parts:
        return {"GET": Route("drive.files.list"), "POST": Route("drive.files.create")}.get(method)
    file_id = unquote(parts[0])
    if len(parts) == 1:
        kinds = {"GET": "drive.files.get", "DELETE": "drive.files.delete"}
        return Route(kinds[method], file_id) if method in kinds else None
    if parts[1] == "copy" and method == "POST":
        return Route("drive.files.copy", file_id)
    if parts[1] == "permissions":
        if len(parts) == 2:
            kinds = {"GET": "drive.permissions.list", "POST": "drive.permissions.create"}
            return Route(kinds[method], file_id) if method in kinds else None
        if method == "DELETE":
            return Route("drive.permissions.delete", file_id, extra=unquote(parts[2]))
    if parts[1] == "comments" and len(parts) == 2:
        kinds = {"GET": "drive.comments.list", "POST": "drive.comments.create"}
        return Route(kinds[method], file_id) if method in kinds else None
    return None


def _json_body(request: Request) -> dict[str, Any]:
    data = request.get_data(as_text=True)
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except ValueError as err:
        raise bad_request(f"Invalid JSON payload received. {err}") from err
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON payload received. Expected an object.")
    return body


def _params(args: MultiDict[str, str]) -> dict[str, Any]:
    return {key: args.get(key) for key in args}


class EmulatorApp:
    """WSGI callable serving one :class:`Emulator`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request, _raw_path(environ))
        return response(environ, start_response)

    def respond(self, request: Request, raw_path: str) -> Response:
        """Answer one request, applying counts, hooks, latency and faults first."""
        if raw_path.rstrip("/") == "/_emulator/stats":
            return _json(200, self.emulator.stats())
        found = route(request.method, raw_path)
        if found is None:
            return _json(404, ApiError(404, "Method not found.").body())
        info = RequestInfo(
            found.kind,
            request.method,
            raw_path,
            found.spreadsheet_id,
            found.kind in WRITE_KINDS,
        )
        fault = self.emulator.before_request(info)
        if fault is None or fault.after:
            try:
                with self.emulator.lock:
                    status, payload = self.dispatch(found, request)
                response = _json(status, payload)
            except ApiError as err:
                response = _json(err.code, err.body())
        if fault is not None:
            response = _json(fault.status, fault.error(info.write).body())
            if fault.retry_after is not None:
                response.headers["Retry-After"] = f"{fault.retry_after:g}"
        self.emulator.after_request(info, response.status_code)
        return response

    def dispatch(self, found: Route, request: Request) -> tuple[int, Any]:
        """Run the handler for a route; returns the status and JSON payload."""
        store = self.emulator.store
        params = _params(request.args)
        kind, key = found.kind, found.spreadsheet_id or ""
        if kind.startswith("drive."):
            return self._drive(found, request, params)
        if kind == "spreadsheets.create":
            body = _json_body(request)
            tabs = [s.get("properties", {}).get("title") for s in body.get("sheets", [])]
            title = body.get("properties", {}).get("title") or "Untitled spreadsheet"
            created = store.create(
                title, [t or f"Sheet{i + 1}" for i, t in enumerate(tabs)] or None
            )
            return 200, created.to_json()
        spreadsheet = store.get(key, write=kind in WRITE_KINDS)
        if kind == "spreadsheets.get":
            include = str(params.get("includeGridData", "false")).lower() == "true"
            ranges = request.args.getlist("ranges")
            return 200, spreadsheet_json(spreadsheet, ranges, include, params.get("fields"))
        if kind == "spreadsheets.batchUpdate":
            return 200, apply_batch(store, spreadsheet, _json_body(request))
        if kind == "developerMetadata.search":
            return 200, search_metadata(spreadsheet, _json_body(request))
        if kind == "developerMetadata.get":
            return 200, get_metadata(spreadsheet, found.extra or "")
        if kind == "sheets.copyTo":
            body = _json_body(request)
            target = store.get(str(body.get("destinationSpreadsheetId", "")), write=True)
            return 200, copy_sheet_to(store, spreadsheet, int(found.extra or 0), target)
        if kind == "values.get":
            return 200, values.get(spreadsheet, found.range or "", params)
        if kind == "values.batchGet":
            return 200, values.batch_get(spreadsheet, request.args.getlist("ranges"), params)
        if kind == "values.update":
            return 200, values.update(spreadsheet, found.range or "", _json_body(request), params)
        if kind == "values.batchUpdate":
            return 200, values.batch_update(spreadsheet, _json_body(request))
        if kind == "values.append":
            return 200, values.append(spreadsheet, found.range or "", _json_body(request), params)
        if kind == "values.clear":
            return 200, values.clear(spreadsheet, found.range or "")
        if kind == "values.batchClear":
            return 200, values.batch_clear(spreadsheet, _json_body(request))
        if kind == "values.batchGetByDataFilter":
            return 200, datafilter.batch_get_by_filter(spreadsheet, _json_body(request))
        if kind == "values.batchUpdateByDataFilter":
            return 200, datafilter.batch_update_by_filter(spreadsheet, _json_body(request))
        if kind == "values.batchClearByDataFilter":
            return 200, datafilter.batch_clear_by_filter(spreadsheet, _json_body(request))
        raise ApiError(404, "Method not found.")

    def _drive(self, found: Route, request: Request, params: dict[str, Any]) -> tuple[int, Any]:
        store, key, kind = self.emulator.store, found.spreadsheet_id or "", found.kind
        if kind == "drive.files.create":
            return 200, drive.create_file(store, _json_body(request), params)
        if kind == "drive.files.list":
            return 200, drive.list_files(store, params)
        if kind == "drive.changes.getStartPageToken":
            return 200, changes.start_page_token(store, params)
        if kind == "drive.changes.list":
            return 200, changes.list_changes(store, params)
        if kind == "drive.files.get":
            return 200, drive.get_file(store, key, params)
        if kind == "drive.files.delete":
            drive.delete_file(store, key)
            return 204, None
        if kind == "drive.files.copy":
            return 200, drive.copy_file(store, key, _json_body(request), params)
        if kind == "drive.permissions.create":
            return 200, drive.create_permission(store, key, _json_body(request))
        if kind == "drive.permissions.list":
            return 200, drive.list_permissions(store, key)
        if kind == "drive.permissions.delete":
            drive.delete_permission(store, key, found.extra or "")
            return 204, None
        if kind == "drive.comments.list":
            drive.get_file(store, key, {})
            return 200, {"comments": []}
        if kind == "drive.comments.create":
            drive.get_file(store, key, {})
            return 200, {"id": "comment"}
        raise ApiError(404, "Method not found.")


def _json(status: int, payload: Any) -> Response:
    if status == 204 or payload is None:
        return Response(b"", status=status, content_type="text/html")
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return Response(text, status=status, content_type="application/json; charset=UTF-8")
