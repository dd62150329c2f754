"""Spreadsheet keys and URLs: what a hub's `Spreadsheet` cell or a SOURCE argument may hold.

>>> spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit#gid=0")
'1AbCdEfGhIjKlMnOpQrStUvWxYz'
>>> spreadsheet_key("teams/sales.xlsx") is None
True
>>> row_link_template("KEY", 7).format(row=12)
'https://docs.google.com/spreadsheets/d/KEY/edit#gid=7&range=A12'
"""

from __future__ import annotations

import re

__all__ = [
    "KEY_PATTERN",
    "is_google_source",
    "looks_like_key",
    "row_link_template",
    "spreadsheet_key",
    "spreadsheet_url",
]

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,}")
_URL = re.compile(
    r"https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)", re.IGNORECASE
)
SPREADSHEET_URL = "https://docs.google.com/spreadsheets/d/{key}/edit"


def looks_like_key(text: str) -> bool:
    """A bare key: 20 or more letters, digits, `_` or `-` (Google's keys are 44 long)."""
    return KEY_PATTERN.fullmatch(text.strip()) is not None


def spreadsheet_key(text: str) -> str | None:
    """The key in a spreadsheet URL, or the text itself when it is a bare key; else None."""
    text = text.strip()
    found = _URL.match(text)
    if found:
        return found.group(1)
    return text if looks_like_key(text) else None


def is_google_source(text: str) -> bool:
    """Whether SOURCE names a Google spreadsheet (a URL, or something shaped like a key)."""
    return spreadsheet_key(text) is not None


def spreadsheet_url(key: str) -> str:
    """The browser address of a spreadsheet."""
    return SPREADSHEET_URL.format(key=key)


def row_link_template(key: str, gid: int) -> str:
    """A `TeamSnapshot.link_template`: opens the tab `gid` at column A of `{row}`."""
    return f"{spreadsheet_url(key)}#gid={gid}&range=A{{row}}"
