"""Which backend serves a SOURCE: a workspace folder, or (with the Google backend) a hub URL/key."""

from __future__ import annotations

from pathlib import Path

from .errors import SourceError
from .snapshot import Backend

__all__ = ["open_backend"]


def open_backend(source: str) -> Backend:
    """The backend for SOURCE; raises `SourceError` with the way out when there is none."""
    from .backends.xlsx import XlsxBackend

    path = Path(source)
    if not path.exists():
        raise SourceError(
            f"{source}: no such workspace folder; create one with `okrtree init {source}`"
        )
    if not path.is_dir():
        raise SourceError(f"{source}: not a folder; SOURCE is a workspace folder holding hub.xlsx")
    return XlsxBackend(path)
