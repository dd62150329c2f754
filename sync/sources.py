"""Which backend serves a SOURCE: a workspace folder, or a Google hub spreadsheet URL/key."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .errors import SourceError
from .google.keys import is_google_source, looks_like_key
from .snapshot import Backend

__all__ = ["open_backend"]


def open_backend(
    source: str,
    *,
    credentials: str | None = None,
    endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Backend:
    """The backend for SOURCE; raises `SourceError` with the way out when there is none.

    A folder that exists is a workspace; a Google Sheets URL, or text shaped like a spreadsheet
    key that is no existing path, is a Google hub, opened with `credentials` (a service-account
    JSON file or `anonymous`; else the environment, see `sync.google.credentials`) and sent to
    `endpoint` (else `OKRTREE_SHEETS_ENDPOINT`) when given.
    """
    path = Path(source)
    if source.strip().lower().startswith(("http://", "https://")) or (
        not path.exists() and looks_like_key(source)
    ):
        if not is_google_source(source):
            raise SourceError(
                f"{source}: not a Google Sheets URL; use the hub's address "
                "(https://docs.google.com/spreadsheets/d/KEY/edit) or its key"
            )
        from .backends.gsheets import GoogleBackend
        from .google.api import make_api

        return GoogleBackend(source, make_api(credentials, endpoint=endpoint, env=env))
    from .backends.xlsx import XlsxBackend

    if not path.exists():
        raise SourceError(
            f"{source}: no such workspace folder; create one with `okrtree init {source}`"
        )
    if not path.is_dir():
        raise SourceError(f"{source}: not a folder; SOURCE is a workspace folder holding hub.xlsx")
    return XlsxBackend(path)
