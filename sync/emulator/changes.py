"""Drive v3 ``changes``: the start page token and the change feed since a token.

Every file carries the number of its latest change (``change_id``, from one counter per
store); a deleted file leaves a ``removed`` entry. A page token is the first change number a
caller has not seen yet, so ``changes.list`` answers, in order, each file whose latest change
is at or after the token -- once, in its current state, as Drive coalesces repeated changes to
one file. A file the caller can no longer see is reported ``removed`` without its resource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import rfc3339
from .errors import ApiError
from .fieldmask import parse_mask, select

if TYPE_CHECKING:
    from .store import Store

__all__ = ["drive_invalid", "list_changes", "page_size", "start_page_token"]

_DEFAULT_CHANGE_FIELDS = (
    "kind,nextPageToken,newStartPageToken,"
    "changes(kind,changeType,type,time,removed,fileId,file(kind,id,name,mimeType))"
)


def drive_invalid(
    location: str, message: str = "Invalid Value", reason: str = "invalid"
) -> ApiError:
    """Drive's 400 for a bad query parameter: its own shape, an ``errors`` list, no status."""
    return ApiError(
        400,
        message,
        status="",
        errors=[
            {
                "message": message,
                "domain": "global",
                "reason": reason,
                "location": location,
                "locationType": "parameter",
            }
        ],
    )


def page_size(params: dict[str, Any]) -> int:
    """``pageSize``: 100 when absent, 1 to 1000 accepted, as both list methods document."""
    raw = params.get("pageSize")
    if raw in (None, ""):
        return 100
    try:
        size = int(str(raw))
    except ValueError:
        raise drive_invalid("pageSize") from None
    if not 1 <= size <= 1000:
        raise drive_invalid("pageSize")
    return size


def start_page_token(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """``changes.getStartPageToken``: the token of the next change to happen."""
    answer = {"kind": "drive#startPageToken", "startPageToken": str(store.clock.last + 1)}
    fields = params.get("fields")
    return select(answer, parse_mask(str(fields))) if fields else answer


def _token(params: dict[str, Any], store: Store) -> int:
    raw = params.get("pageToken")
    if raw in (None, ""):
        raise drive_invalid("pageToken", "Required parameter: pageToken", "required")
    text = str(raw)
    if not text.isdigit() or not 1 <= int(text) <= store.clock.last + 1:
        raise drive_invalid("pageToken")
    return int(text)


def _entries(store: Store, since: int) -> list[tuple[int, dict[str, Any]]]:
    """Each file changed at or after ``since``, with its change number, in feed order."""
    found: list[tuple[int, dict[str, Any]]] = []
    for key, spreadsheet in store.spreadsheets.items():
        if spreadsheet.change_id < since:
            continue
        change: dict[str, Any] = {"kind": "drive#change", "changeType": "file", "type": "file"}
        change["time"] = rfc3339(spreadsheet.change_time)
        change["fileId"] = key
        if spreadsheet.exists and spreadsheet.readable:
            change |= {"removed": False, "file": spreadsheet.drive_file()}
        else:
            change["removed"] = True
        found.append((spreadsheet.change_id, change))
    for key, (number, moment) in store.removed.items():
        if number >= since and key not in store.spreadsheets:
            change = {"kind": "drive#change", "changeType": "file", "type": "file"}
            change |= {"time": rfc3339(moment), "fileId": key, "removed": True}
            found.append((number, change))
    return sorted(found, key=lambda pair: pair[0])


def list_changes(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """``changes.list`` from ``pageToken``: a page of changes, then ``nextPageToken`` while
    more remain or ``newStartPageToken`` at the end; ``includeRemoved=false`` leaves out files
    that are gone; ``fields`` masks the answer."""
    since = _token(params, store)
    size = page_size(params)
    entries = _entries(store, since)
    if str(params.get("includeRemoved", "true")).lower() == "false":
        entries = [(number, change) for number, change in entries if not change["removed"]]
    page, rest = entries[:size], entries[size:]
    answer: dict[str, Any] = {"kind": "drive#changeList"}
    if rest:
        answer["nextPageToken"] = str(rest[0][0])
    else:
        answer["newStartPageToken"] = str(store.clock.last + 1)
    answer["changes"] = [change for _, change in page]
    return select(answer, parse_mask(str(params.get("fields") or _DEFAULT_CHANGE_FIELDS)))
