"""Which of a set of spreadsheets changed since the last look, asked of Drive in few calls.

Two ways in, one answer out (the keys that changed, and a token for next time):

- **a page token** from an earlier answer: Drive's change feed (`changes.list`), one call per
  1,000 changed files in the account -- one call on a quiet night. It reports files edited,
  deleted, trashed or no longer shared with the caller.
- **a time** (an aware `datetime`), for a first look without a token: `files.list` of the
  spreadsheets modified after it, one call per 1,000 of those. A file deleted or unshared since
  is not listed, so it is not reported; the token way reports it.

Either way the token for next time is taken *before* the look (`changes.getStartPageToken`
first on the time way; the feed's `newStartPageToken`, valid from the moment it is answered, on
the token way), so an edit made during a sync is reported next time, never lost. A token Drive
refuses (400/404) reports every key as changed with a fresh token: a full read, never a gap.

The caller's own writes move a file's `modifiedTime` too. With `skip_own_writes` a file whose
last modification was the caller's (`modifiedByMeTime` equal to `modifiedTime`) is not
reported; only pass it when nothing a person typed can hide behind a later own write (e.g. the
sync re-reads the rows it writes just before writing them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from gspread.urls import DRIVE_FILES_API_V3_URL

from .api import GoogleApiError, SheetsApi

__all__ = ["CHANGES_URL", "SPREADSHEET_MIME", "DriveChanges", "changed_since", "start_token"]

CHANGES_URL = DRIVE_FILES_API_V3_URL.rsplit("/", 1)[0] + "/changes"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_PAGE = 1000  # the largest page both list methods allow
_ALL_DRIVES = {"supportsAllDrives": "true", "includeItemsFromAllDrives": "true"}
_FILE_FIELDS = "id,modifiedTime,modifiedByMeTime"


class DriveChanges(NamedTuple):
    """The keys that changed (a subset of those asked about) and the token for next time."""

    changed: frozenset[str]
    token: str


def start_token(api: SheetsApi) -> str:
    """A token from which Drive's feed reports every later change (`getStartPageToken`)."""
    answer = api.call(
        "get",
        f"{CHANGES_URL}/startPageToken",
        write=False,
        params={"supportsAllDrives": "true", "fields": "startPageToken"},
        what="asking Drive for a change token",
    )
    return str(answer["startPageToken"])


def changed_since(
    api: SheetsApi,
    keys: Iterable[str],
    since: str | dt.datetime | None,
    *,
    skip_own_writes: bool = False,
) -> DriveChanges:
    """The spreadsheets among `keys` changed since `since` (a page token, an aware time, or
    None for "never looked": every key), and the token to pass next time."""
    wanted = frozenset(keys)
    if since is None:
        return DriveChanges(wanted, start_token(api))
    if isinstance(since, dt.datetime):
        if since.tzinfo is None:
            raise ValueError("the time to compare modifiedTime with must carry its time zone")
        token = start_token(api)
        found = _modified_after(api, since, skip_own_writes)
        return DriveChanges(wanted & found, token)
    try:
        found, token = _feed(api, since, skip_own_writes)
    except GoogleApiError as err:
        if err.status not in (400, 404):
            raise
        return DriveChanges(wanted, start_token(api))
    return DriveChanges(wanted & found, token)


def _counts(file: dict[str, Any], skip_own_writes: bool) -> bool:
    """Whether a listed file counts as changed (not when the last change was the caller's)."""
    if not skip_own_writes:
        return True
    return file.get("modifiedByMeTime") != file.get("modifiedTime")


def _pages(api: SheetsApi, url: str, params: dict[str, Any], what: str) -> Iterator[dict[str, Any]]:
    """Every page of a Drive list, following `nextPageToken`."""
    while True:
        page = api.call("get", url, write=False, params=params, what=what)
        yield page
        following = page.get("nextPageToken")
        if not following:
            return
        params = params | {"pageToken": following}


def _feed(api: SheetsApi, token: str, skip_own_writes: bool) -> tuple[frozenset[str], str]:
    """File ids in the change feed from `token`, and its `newStartPageToken`."""
    params = _ALL_DRIVES | {
        "pageToken": token,
        "pageSize": str(_PAGE),
        "fields": f"nextPageToken,newStartPageToken,changes(fileId,removed,file({_FILE_FIELDS}))",
    }
    found: set[str] = set()
    new_token = token
    for page in _pages(api, CHANGES_URL, params, "listing Drive changes"):
        for change in page.get("changes") or []:
            file = change.get("file") or {}
            if change.get("removed") or _counts(file, skip_own_writes):
                found.add(str(change["fileId"]))
        new_token = str(page.get("newStartPageToken") or new_token)
    return frozenset(found), new_token


def _modified_after(api: SheetsApi, since: dt.datetime, skip_own_writes: bool) -> frozenset[str]:
    """Ids of the spreadsheets the caller can see that were modified after `since`."""
    moment = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    params = _ALL_DRIVES | {
        "q": f"mimeType = '{SPREADSHEET_MIME}' and modifiedTime > '{moment}'",
        "pageSize": str(_PAGE),
        "fields": f"nextPageToken,files({_FILE_FIELDS})",
    }
    found = {
        str(file["id"])
        for page in _pages(api, DRIVE_FILES_API_V3_URL, params, "listing changed spreadsheets")
        for file in page.get("files") or []
        if _counts(file, skip_own_writes)
    }
    return frozenset(found)
