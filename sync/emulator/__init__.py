"""A fake Google Sheets v4 / Drive v3 API for tests, demos and the local ``emulator`` command.

gspread's own code runs unchanged against it; only the HTTP transport is redirected. Its
answers are held against recordings of the real API (``tests/emulator/test_contract.py``).

The public surface:

- :class:`Emulator` -- the state and the test controls:
  ``create_spreadsheet(title, tabs) -> id``; ``values(id, tab)``; ``set_access(id, ...)``;
  ``fail_next(count, status=, kind=, spreadsheet_id=, retry_after=, after=)``;
  ``add_latency(seconds, kind=, spreadsheet_id=)``; ``before_next(callback, kind=, ...)``;
  edits a person makes: ``edit_values``, ``insert_rows``, ``delete_rows``, ``move_rows``,
  ``sort_rows``, ``rename_tab``; ``set_quota``; ``stats()``, ``reset_stats()``, ``log``,
  ``snapshot()``, ``paused()``.
- :func:`make_client` -- a real ``gspread.Client`` whose HTTP reaches the emulator in process
  (or a running server with ``endpoint=``).
- :func:`emulator_session`, :func:`mount_emulator`, :func:`mount_endpoint` -- the same wiring
  for code that takes a ``requests`` session.
- :func:`serve` (blocking) and :func:`start` (background) -- the API on ``127.0.0.1:PORT``.
- :func:`spreadsheet_from_xlsx` -- load a workbook as a spreadsheet; :func:`seed_workspace`
  loads a whole local workspace (hub and team workbooks) and returns the hub's id.
- :class:`EmulatorApp` -- the WSGI app itself; ``GET /_emulator/stats`` gives the counts.

Every write (through the API or a person's edit) moves the file's Drive ``modifiedTime`` (in
milliseconds) and enters Drive's change feed: ``changes.getStartPageToken``, ``changes.list``
and ``files.list`` with ``modifiedTime`` in ``q`` answer as Drive v3 does.
"""

from __future__ import annotations

from .app import EmulatorApp
from .emulator import Emulator, Match, RequestInfo
from .errors import ApiError
from .seed import seed_workspace, spreadsheet_from_xlsx
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
    "seed_workspace",
    "serve",
    "spreadsheet_from_xlsx",
    "start",
]
