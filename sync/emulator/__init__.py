"""A fake Google Sheets v4 / Drive v3 API for tests, demos and the local ``emulator`` command.

The public surface:

- :class:`Emulator` -- state plus test controls (seed, inject faults/latency/edits, counts);
- :func:`make_client` -- a real ``gspread.Client`` whose HTTP reaches the emulator in process;
- :func:`emulator_session` / :func:`mount_endpoint` -- sessions for other ``session=`` users;
- :func:`serve` / :func:`start` -- the same API on ``127.0.0.1:PORT``;
- :class:`EmulatorApp` -- the WSGI app itself.
"""

from __future__ import annotations

from .app import EmulatorApp
from .emulator import Emulator, Match, RequestInfo
from .errors import ApiError
from .server import RunningServer, serve, start
from .transport import emulator_session, make_client, mount_emulator, mount_endpoint

__all__ = [
    "ApiError",
    "Emulator",
    "EmulatorApp",
    "Match",
    "RequestInfo",
    "RunningServer",
    "emulator_session",
    "make_client",
    "mount_emulator",
    "mount_endpoint",
    "serve",
    "start",
]
