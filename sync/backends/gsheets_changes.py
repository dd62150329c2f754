"""Which team spreadsheets changed: Drive's `modifiedTime` of every spreadsheet okrtree can open.

One `files.list` page holds 1,000 files, so an organisation of N teams costs ceil(N / 1,000)
Drive calls per sync, however many changed; Drive's quota is separate from the Sheets API's
and far larger. A spreadsheet whose `modifiedTime` is still the one seen before its last read
is unchanged; okrtree's own writes move it too, so a sheet written by a sync is read again by
the next one. (A saved `changes` page token would cost one call on a quiet night, but it also
lists every other file the account can see, and forgets the token after a while.)
"""

from __future__ import annotations

from ..google.api import SheetsApi

__all__ = ["LIST_FIELDS", "PAGE_SIZE", "SPREADSHEETS_QUERY", "modified_times"]

PAGE_SIZE = 1000  # Drive's most
LIST_FIELDS = "nextPageToken,files(id,modifiedTime)"
SPREADSHEETS_QUERY = "mimeType='application/vnd.google-apps.spreadsheet' and trashed=false"


def modified_times(api: SheetsApi) -> dict[str, str]:
    """Spreadsheet key -> `modifiedTime` (RFC 3339 text) for every spreadsheet the account sees."""
    times: dict[str, str] = {}
    token: str | None = None
    while True:
        params = {
            "q": SPREADSHEETS_QUERY,
            "fields": LIST_FIELDS,
            "pageSize": PAGE_SIZE,
            "supportsAllDrives": "true",
            "includeItemsFromAllDrives": "true",
        }
        if token:
            params["pageToken"] = token
        page = api.list_files(params)
        for found in page.get("files") or []:
            if found.get("id") and found.get("modifiedTime"):
                times[str(found["id"])] = str(found["modifiedTime"])
        token = page.get("nextPageToken")
        if not token:
            return times
