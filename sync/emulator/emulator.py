"""The :class:`Emulator`: one fake Google account's Sheets and Drive, and the test controls.

Tests seed spreadsheets, point a real gspread client at the emulator (see
:mod:`sync.emulator.transport`), inject trouble, act as a person editing the sheet between two
API calls, and read request counts afterwards.

>>> emu = Emulator()
>>> key = emu.create_spreadsheet("Team A", {"OKRs": [["ID", "Type"], ["O1", "Objective"]]})
>>> emu.values(key, "OKRs")
[['ID', 'Type'], ['O1', 'Objective']]
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import grid
from .a1 import CellBox, column_number, parse_cells
from .faults import Fault, Hook, Latency, Match, Quota, RequestInfo
from .state import Sheet, Spreadsheet
from .store import Store

__all__ = ["Emulator", "Match", "RequestInfo"]


class Emulator:
    """In-memory Sheets v4 + Drive v3 state with fault and edit injection.

    All methods are thread-safe: the loopback server answers from worker threads.
    """

    def __init__(self, seed: int = 0, account: str = "okrtree@emulator.invalid") -> None:
        self.store = Store(seed, account)
        self.lock = threading.RLock()
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[RequestInfo, int]] = []
        self.faults: list[Fault] = []
        self.latencies: list[Latency] = []
        self.hooks: list[Hook] = []
        self.quotas: list[Quota] = []
        self.sleep: Callable[[float], Any] = time.sleep
        self.clock: Callable[[], float] = time.monotonic

    # -- seeding and inspection -------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str,
        tabs: dict[str, list[list[Any]]] | None = None,
        user_entered: bool = True,
    ) -> str:
        """Create a spreadsheet with one tab per entry, filled from plain values; returns its id.

        Values are entered as a person would type them (``user_entered``): ``"45%"`` becomes
        0.45, ``"2026-11-05"`` a date. Each tab is at least 1000 x 26, like a new Google tab.
        """
        with self.lock:
            tabs = tabs or {"Sheet1": []}
            spreadsheet = self.store.create(title, list(tabs))
            for sheet, rows in zip(spreadsheet.sheets, tabs.values(), strict=True):
                _fill(sheet, CellBox(0, 0, None, None), rows, user_entered)
            return spreadsheet.spreadsheet_id

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """Direct access to the stored spreadsheet, for assertions beyond plain values."""
        with self.lock:
            return self.store.spreadsheets[spreadsheet_id]

    def sheet(self, spreadsheet_id: str, tab: str) -> Sheet:
        """A tab by title; ``KeyError`` when missing."""
        found = self.spreadsheet(spreadsheet_id).sheet_by_title(tab)
        if found is None:
            raise KeyError(f"no tab {tab!r} in spreadsheet {spreadsheet_id}")
        return found

    def values(
        self, spreadsheet_id: str, tab: str, render: str = "FORMATTED_VALUE"
    ) -> list[list[Any]]:
        """A whole tab as ``values.get`` would answer it (trailing blanks trimmed)."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, tab)
            return sheet.read(sheet.check_box(CellBox(0, 0, None, None)), render, "SERIAL_NUMBER")

    def set_access(
        self,
        spreadsheet_id: str,
        *,
        readable: bool = True,
        writable: bool = True,
        enforce_protection: bool = False,
        exists: bool = True,
    ) -> None:
        """Decide what the caller may do, answered as Google answers it.

        Not ``readable`` (a file not shared with the caller): Sheets answers 403, Drive 404.
        Not ``writable`` (shared as viewer): writes answer 403. Not ``exists``: 404 everywhere,
        as for a deleted file or a mistyped key. ``enforce_protection`` makes protected ranges
        bind the caller (an editor who is not the owner).
        """
        with self.lock:
            spreadsheet = self.store.spreadsheets[spreadsheet_id]
            spreadsheet.exists = exists
            spreadsheet.readable = readable
            spreadsheet.writable = writable
            spreadsheet.enforce_protection = enforce_protection
            spreadsheet.mark_changed()

    # -- edits a person makes in the UI -----------------------------------------------------

    def edit_values(
        self, spreadsheet_id: str, tab: str, top_left: str, rows: list[list[Any]]
    ) -> None:
        """Type values into a tab from an A1 cell, as a person would (the tab grows to fit)."""
        with self.lock:
            _fill(self.sheet(spreadsheet_id, tab), parse_cells(top_left), rows, True)
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    def insert_rows(self, spreadsheet_id: str, tab: str, row: int, count: int = 1) -> None:
        """Insert ``count`` empty rows so that the first new one is 1-based ``row``."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, tab)
            grid.insert_dimension(sheet, "ROWS", row - 1, row - 1 + count, row > 1)
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    def delete_rows(self, spreadsheet_id: str, tab: str, row: int, count: int = 1) -> None:
        """Delete ``count`` rows starting at 1-based ``row``."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, tab)
            grid.delete_dimension(sheet, "ROWS", row - 1, row - 1 + count)
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    def move_rows(
        self, spreadsheet_id: str, tab: str, row: int, count: int = 1, *, before: int
    ) -> None:
        """Drag ``count`` rows starting at 1-based ``row`` to sit just above 1-based row
        ``before`` (counted before the move), as a person reordering key results would."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, tab)
            grid.move_dimension(sheet, "ROWS", row - 1, row - 1 + count, before - 1)
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    def sort_rows(
        self,
        spreadsheet_id: str,
        tab: str,
        column: str | int,
        *,
        first_row: int = 2,
        ascending: bool = True,
    ) -> None:
        """Sort the tab's rows from ``first_row`` (1-based; 2 keeps a header) by one column,
        given as letters or a 1-based number, like Data > Sort range."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, tab)
            col = column_number(column) if isinstance(column, str) else column - 1
            grid.sort_rows(sheet, first_row - 1, sheet.rows, 0, sheet.cols, [(col, ascending)])
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    def rename_tab(self, spreadsheet_id: str, tab: str, new_title: str) -> None:
        """Rename a tab, as a person double-clicking it would."""
        with self.lock:
            self.sheet(spreadsheet_id, tab).title = new_title
            self.store.spreadsheets[spreadsheet_id].touch(by_me=False)

    # -- injected trouble -------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 429,
        kind: str | None = None,
        spreadsheet_id: str | None = None,
        retry_after: float | None = 1.0,
        message: str | None = None,
        after: bool = False,
    ) -> Fault:
        """Answer the next ``count`` matching requests with ``status`` (429 carries
        ``Retry-After``). The requests are counted but not run -- unless ``after``, when they
        run and only the answer is replaced (a response lost on the way back)."""
        fault = Fault(
            Match(kind, spreadsheet_id),
            status,
            count,
            retry_after if status == 429 else None,
            message,
            after,
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def add_latency(
        self, seconds: float, *, kind: str | None = None, spreadsheet_id: str | None = None
    ) -> Latency:
        """Delay every matching request by ``seconds`` (until :meth:`clear_faults`)."""
        latency = Latency(Match(kind, spreadsheet_id), seconds)
        with self.lock:
            self.latencies.append(latency)
        return latency

    def set_quota(
        self,
        limit: int,
        *,
        kind: str | None = None,
        spreadsheet_id: str | None = None,
        window: float = 60.0,
    ) -> Quota:
        """Answer 429 (with ``Retry-After``) once more than ``limit`` matching requests arrive
        within ``window`` seconds of :attr:`clock`; ``kind="read"`` with 60 is Google's
        per-user read quota."""
        quota = Quota(Match(kind, spreadsheet_id), limit, window)
        with self.lock:
            self.quotas.append(quota)
        return quota

    def before_next(
        self,
        callback: Callable[[], Any],
        *,
        kind: str | None = None,
        spreadsheet_id: str | None = None,
        times: int = 1,
    ) -> Hook:
        """Run ``callback`` just before the next matching request is answered.

        ``emu.before_next(lambda: emu.insert_rows(key, "OKRs", 5), kind="write",
        spreadsheet_id=key)`` is a person inserting row 5 between okrtree's read and write.
        """
        hook = Hook(Match(kind, spreadsheet_id), callback, times)
        with self.lock:
            self.hooks.append(hook)
        return hook

    def clear_faults(self) -> None:
        """Drop every pending fault, latency, hook and quota."""
        with self.lock:
            self.faults.clear()
            self.latencies.clear()
            self.hooks.clear()
            self.quotas.clear()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the lock: no request is answered inside the block."""
        with self.lock:
            yield

    # -- request bookkeeping (used by the WSGI app) -----------------------------------------

    def before_request(self, info: RequestInfo) -> Fault | None:
        """Count the request, run due hooks, sleep for latency; returns a fault to answer with."""
        with self.lock:
            self.counts[info.kind] += 1
            self.counts["writes" if info.write else "reads"] += 1
            self.counts["total"] += 1
            due = [h for h in self.hooks if h.remaining > 0 and h.match(info)]
            for hook in due:
                hook.remaining -= 1
                hook.calls.append(info)
            self.hooks = [h for h in self.hooks if h.remaining > 0]
            delay = sum(lat.seconds for lat in self.latencies if lat.match(info))
        for hook in due:
            hook.callback()
        if delay:
            self.sleep(delay)
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.match(info):
                    fault.remaining -= 1
                    self.faults = [f for f in self.faults if f.remaining > 0]
                    return fault
            now = self.clock()
            for quota in self.quotas:
                wait = quota.admit(now) if quota.match(info) else None
                if wait is not None:
                    return Fault(quota.match, 429, 0, retry_after=math.ceil(wait))
        return None

    def after_request(self, info: RequestInfo, status: int) -> None:
        """Keep the request log that tests may inspect."""
        with self.lock:
            self.log.append((info, status))

    def stats(self) -> dict[str, int]:
        """Requests so far by kind, plus ``total``, ``reads`` and ``writes``."""
        with self.lock:
            out = dict(self.counts)
            for key in ("total", "reads", "writes"):
                out.setdefault(key, 0)
            return out

    def reset_stats(self) -> None:
        """Start counting from zero (the log is cleared too)."""
        with self.lock:
            self.counts.clear()
            self.log.clear()

    def snapshot(self) -> dict[str, Spreadsheet]:
        """A deep copy of every spreadsheet, to compare before and after a run."""
        with self.lock:
            return copy.deepcopy(self.store.spreadsheets)


def _fill(sheet: Sheet, start: CellBox, rows: list[list[Any]], user_entered: bool) -> None:
    """Enter rows of plain values from ``start``; ``None`` leaves a cell alone."""
    width = max((len(r) for r in rows), default=0)
    sheet.ensure_size(start.row0 + len(rows), start.col0 + width)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.set_value(start.row0 + i, start.col0 + j, value, user_entered)
