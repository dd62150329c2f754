"""The rollover side of a backend (`sync.rollover_run.Roller`), local or Google."""

from __future__ import annotations

from .backends.base import Backend
from .rollover_run import Roller

__all__ = ["roller_for"]


def roller_for(backend: Backend) -> Roller:
    """The roller that writes where `backend` reads."""
    from .backends.xlsx import XlsxBackend

    if isinstance(backend, XlsxBackend):
        from .backends.xlsx_roller import XlsxRoller

        return XlsxRoller(backend)
    from .backends.gsheets import GoogleBackend
    from .backends.gsheets_roller import GoogleRoller

    if isinstance(backend, GoogleBackend):
        return GoogleRoller(backend)
    raise TypeError(f"no rollover for {type(backend).__name__}")
