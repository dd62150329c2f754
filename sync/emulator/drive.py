"""Drive v3 ``files`` as gspread and okrtree use them: create, list, get, copy, delete, share.

Only spreadsheets exist in this Drive and folders are not modelled, so a ``'<id>' in parents``
clause matches every file. ``q`` understands ``and``-joined clauses on ``mimeType``, ``name``,
``trashed``, ``modifiedTime``/``createdTime`` (``<``, ``<=``, ``=``, ``!=``, ``>``, ``>=``
against an RFC 3339 time, UTC when it has no offset) and ``in parents``. Errors use Drive's
own shape, which carries an ``errors`` list rather than a ``status``.
"""

from __future__ import annotations

import copy
import datetime as dt
import operator
import re
from collections.abc import Callable
from typing import Any

from .changes import drive_invalid, page_size
from .errors import ApiError, bad_request
from .fieldmask import parse_mask, select
from .state import SPREADSHEET_MIME, Spreadsheet
from .store import Store

__all__ = [
    "copy_file",
    "create_file",
    "create_permission",
    "delete_file",
    "delete_permission",
    "drive_not_found",
    "get_file",
    "list_files",
    "list_permissions",
]

_DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
_CONDITION = re.compile(
    r"""^\s*(?:(?P<field>mimeType|name|trashed)\s*(?P<op>=|!=|contains)\s*(?P<value>"[^"]*"|'[^']*'|true|false)"""
    r"""|(?P<time>modifiedTime|createdTime)\s*(?P<cmp><=|>=|!=|<|>|=)\s*(?P<moment>"[^"]*"|'[^']*')"""
    r"""|(?P<parent>"[^"]*"|'[^']*')\s+in\s+parents)\s*$"""
)
_COMPARE: dict[str, Callable[[dt.datetime, dt.datetime], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
}


def drive_not_found(file_id: str) -> ApiError:
    """Drive's 404 for a file the caller cannot see."""
    message = f"File not found: {file_id}."
    return ApiError(
        404,
        message,
        status="",
        errors=[
            {
                "message": message,
                "domain": "global",
                "reason": "notFound",
                "location": "fileId",
                "locationType": "parameter",
            }
        ],
    )


def _visible(store: Store, file_id: str) -> Spreadsheet:
    spreadsheet = store.spreadsheets.get(file_id)
    if spreadsheet is None or not (spreadsheet.exists and spreadsheet.readable):
        raise drive_not_found(file_id)
    return spreadsheet


def _shape(spreadsheet: Spreadsheet, fields: str | None) -> dict[str, Any]:
    return select(spreadsheet.drive_file(), parse_mask(fields or _DEFAULT_FILE_FIELDS))


def create_file(store: Store, body: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``files.create`` of an empty spreadsheet (the way gspread creates one)."""
    mime = body.get("mimeType")
    if mime != SPREADSHEET_MIME:
        raise bad_request(f"Only {SPREADSHEET_MIME} files can be created here, not {mime!r}.")
    spreadsheet = store.create(str(body.get("name") or "Untitled spreadsheet"))
    return _shape(spreadsheet, params.get("fields"))


def copy_file(
    store: Store, file_id: str, body: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    """``files.copy``: a full copy of the spreadsheet under a new id."""
    source = _visible(store, file_id)
    title = body.get("name") or f"Copy of {source.title}"
    target = store.create(str(title))
    target.sheets = copy.deepcopy(source.sheets)
    target.developer_metadata = copy.deepcopy(source.developer_metadata)
    target.locale, target.time_zone = source.locale, source.time_zone
    return _shape(target, params.get("fields"))


def get_file(store: Store, file_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """``files.get`` metadata (gspread reads ``createdTime``/``modifiedTime`` from here)."""
    return _shape(_visible(store, file_id), params.get("fields"))


def delete_file(store: Store, file_id: str) -> None:
    """``files.delete``."""
    spreadsheet = _visible(store, file_id)
    if not spreadsheet.writable:
        raise ApiError(
            403,
            "The user does not have sufficient permissions for this file.",
            status="",
            errors=[{"domain": "global", "reason": "insufficientFilePermissions"}],
        )
    store.forget(file_id)


def _moment(text: str) -> dt.datetime:
    """An RFC 3339 time from a query; without an offset it is UTC, as Drive reads it."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise drive_invalid("q") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _matches(spreadsheet: Spreadsheet, query: str) -> bool:
    for clause in re.split(r"\s+and\s+", query.strip(), flags=re.I) if query.strip() else []:
        found = _CONDITION.match(clause)
        if not found:
            raise drive_invalid("q")
        if found.group("parent"):
            continue
        if found.group("time"):
            actual_time = {
                "modifiedTime": spreadsheet.modified_time,
                "createdTime": spreadsheet.created_time,
            }[found.group("time")]
            wanted = _moment(found.group("moment")[1:-1])
            if not _COMPARE[found.group("cmp")](actual_time, wanted):
                return False
            continue
        field, op, raw = found.group("field", "op", "value")
        value = raw.strip("'\"") if raw[0] in "'\"" else raw
        actual = {
            "mimeType": SPREADSHEET_MIME,
            "name": spreadsheet.title,
            "trashed": "true" if spreadsheet.trashed else "false",
        }[field]
        if op == "=" and actual != value:
            return False
        if op == "!=" and actual == value:
            return False
        if op == "contains" and value.lower() not in actual.lower():
            return False
    return True


def list_files(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """``files.list``: ``q`` as above, ``pageSize`` (100 unless given, at most 1000) and page
    tokens as offsets; ``fields`` masks the answer (``files(id,modifiedTime),nextPageToken``)."""
    query = str(params.get("q") or "")
    size = page_size(params)
    found = [
        s
        for s in store.spreadsheets.values()
        if s.exists
        and s.readable
        and not (s.trashed and "trashed" not in query)
        and _matches(s, query)
    ]
    token = str(params.get("pageToken") or "0")
    if not token.isdigit():
        raise drive_invalid("pageToken")
    start = int(token)
    page = found[start : start + size]
    answer: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
    if start + size < len(found):
        answer["nextPageToken"] = str(start + size)
    answer["files"] = [s.drive_file() for s in page]
    fields = params.get("fields")
    if fields:
        return select(answer, parse_mask(str(fields)))
    answer["files"] = [select(f, parse_mask(_DEFAULT_FILE_FIELDS)) for f in answer["files"]]
    return answer


def create_permission(store: Store, file_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``permissions.create`` (sharing); the grant is recorded on the spreadsheet."""
    spreadsheet = _visible(store, file_id)
    kind, role = body.get("type"), body.get("role")
    if kind not in ("user", "group", "domain", "anyone") or role not in (
        "owner",
        "organizer",
        "fileOrganizer",
        "writer",
        "commenter",
        "reader",
    ):
        raise bad_request("Invalid permission type or role.", status="")
    permission = {
        "kind": "drive#permission",
        "id": str(store.rng.randrange(10**19, 10**20)),
        "type": kind,
        "role": role,
    }
    for key in ("emailAddress", "domain"):
        if body.get(key):
            permission[key] = body[key]
    spreadsheet.permissions.append(permission)
    spreadsheet.mark_changed()
    return permission


def list_permissions(store: Store, file_id: str) -> dict[str, Any]:
    """``permissions.list``: the owner, then every recorded grant."""
    spreadsheet = _visible(store, file_id)
    owner = {
        "kind": "drive#permission",
        "id": "owner",
        "type": "user",
        "role": "owner",
        "emailAddress": "okrtree@emulator.invalid",
    }
    return {"kind": "drive#permissionList", "permissions": [owner, *spreadsheet.permissions]}


def delete_permission(store: Store, file_id: str, permission_id: str) -> None:
    """``permissions.delete``."""
    spreadsheet = _visible(store, file_id)
    kept = [p for p in spreadsheet.permissions if p["id"] != permission_id]
    if len(kept) == len(spreadsheet.permissions):
        raise ApiError(404, f"Permission not found: {permission_id}.", status="")
    spreadsheet.permissions = kept
    spreadsheet.mark_changed()
