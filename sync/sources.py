"""Which backend serves a SOURCE: a workspace folder, or a Google hub spreadsheet URL/key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .backends.base import Backend
from .errors import SourceError
from .google.keys import is_google_source, looks_like_key

if TYPE_CHECKING:  # gspread loads only when a Google hub is opened
    from .google.api import SheetsApi

__all__ = ["is_google_hub", "maybe_a_folder", "open_backend", "taken_as_key"]

GOOGLE_KEY_LENGTH = 44  # the keys of spreadsheets Google makes today
KEYISH_LENGTH = 12  # letters and digits mixed, this long, with no folder of that name: a key


def is_google_hub(source: str) -> bool:
    """Whether SOURCE is a Google hub rather than a workspace folder: a web address, or text
    shaped like a spreadsheet key that is no existing path. `SourceError` for a web address
    that is not Google Sheets'. The one place that decides what a source is.
    """
    if source.strip().lower().startswith(("http://", "https://")) or taken_as_key(source):
        if not is_google_source(source):
            raise SourceError(
                f"{source}: not a Google Sheets URL; use the hub's address "
                "(https://docs.google.com/spreadsheets/d/KEY/edit) or its key"
            )
        return True
    return False


def open_backend(
    source: str,
    *,
    api: SheetsApi | None = None,
    credentials: str | None = None,
    endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Backend:
    """The backend for SOURCE; raises `SourceError` with the way out when there is none.

    A folder that exists is a workspace; a Google hub (`is_google_hub`) is read through `api`,
    the caller's Sheets client (the service shares one among all its backends), else through a
    new one made with `credentials` (a service-account JSON file or `anonymous`; else the
    environment, see `sync.google.credentials`) and sent to `endpoint` (else
    `OKRTREE_SHEETS_ENDPOINT`) when given.
    """
    path = Path(source)
    if is_google_hub(source):
        from .backends.gsheets import GoogleBackend

        if api is None:
            from .google.api import make_api

            api = make_api(credentials, endpoint=endpoint, env=env)
        return GoogleBackend(source, api)
    from .backends.xlsx import XlsxBackend

    if not path.exists():
        raise SourceError(_missing(source))
    if not path.is_dir():
        raise SourceError(f"{source}: not a folder; SOURCE is a workspace folder holding hub.xlsx")
    return XlsxBackend(path)


def taken_as_key(source: str) -> bool:
    """A bare spreadsheet key: key-shaped, and no file or folder of that name is here."""
    return looks_like_key(source) and not Path(source).exists()


def maybe_a_folder(source: str) -> bool:
    """Taken as a key, but not the length of one Google made: perhaps a folder was meant.

    >>> maybe_a_folder("northwind-okrs-2026-q4"), maybe_a_folder("1" + "a" * 43)
    (True, False)
    """
    return taken_as_key(source) and len(source.strip()) != GOOGLE_KEY_LENGTH


_KEYISH = re.compile(r"[A-Za-z0-9_-]{3,}(\.\.\.|…)?")
_ELLIPSIS = ("...", "…")


def _missing(source: str) -> str:
    """Why SOURCE is neither a folder nor a Google hub, guessing which one was meant.

    >>> _missing("1X1f...").split(": ", 1)[1][:51]
    'no such folder, and no whole Google spreadsheet key'
    >>> _missing("my-org")
    'my-org: no such workspace folder; create one with `okrtree init my-org`'
    """
    text = source.strip()
    key_shaped = _KEYISH.fullmatch(text) is not None
    mixed = any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
    if key_shaped and (text.endswith(_ELLIPSIS) or (mixed and len(text) >= KEYISH_LENGTH)):
        why = (
            f"it ends in '{next(e for e in _ELLIPSIS if text.endswith(e))}'"
            if text.endswith(_ELLIPSIS)
            else f"it has {len(text)} characters"
        )
        return (
            f"{source}: no such folder, and no whole Google spreadsheet key: {why}; "
            "copy the whole key (44 characters) or the hub's URL"
        )
    return f"{source}: no such workspace folder; create one with `okrtree init {source}`"
