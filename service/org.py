"""The organisation behind the service: the snapshot, validating one sheet, full syncs.

This is the only part of the service that calls the engine. Each operation opens its own
backend (`sync.sources.open_backend`), because a backend remembers what it read so it can refuse
to write a spreadsheet that changed since; nothing about one request leaks into the next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync.engine import Run, run, run_team
from sync.google.keys import spreadsheet_key as google_key
from sync.hub import parse_teams
from sync.model import Team
from sync.snapshot import Backend
from sync.sources import open_backend

from .locks import SyncLock
from .store import Snapshot, SnapshotStore

__all__ = ["Organisation", "Unregistered", "Validated", "find_team", "spreadsheet_key"]


class Unregistered(Exception):  # noqa: N818 - an outcome the API turns into 403
    """The spreadsheet is not in the hub's Teams tab, so the service will not touch it."""


def spreadsheet_key(text: str) -> str:
    """How a spreadsheet is compared: a Google URL by its key, anything else as written.

    >>> spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbC_d-9/edit#gid=0")
    '1AbC_d-9'
    >>> spreadsheet_key(" teams/sales.xlsx ")
    'teams/sales.xlsx'
    """
    return google_key(text) or text.strip()


def find_team(teams: list[Team], spreadsheet: str) -> Team | None:
    """The first team (in Teams order) whose `Spreadsheet` is this one."""
    wanted = spreadsheet_key(spreadsheet)
    if not wanted:
        return None
    return next((t for t in teams if spreadsheet_key(t.source) == wanted), None)


@dataclass(frozen=True, slots=True)
class Validated:
    """One sheet validated: the team it belongs to and the run that judged it."""

    team: Team
    run: Run


class Organisation:
    """The organisation at `source`, as seen by one service process.

    `snapshot()` gives the last full run (building one with a full read when there is none, or
    when it is older than `max_age` seconds); `validate` reads the hub and one sheet; `sync`
    reads and writes everything under the sync lock and becomes the new snapshot.
    """

    def __init__(
        self,
        source: str,
        store: SnapshotStore,
        sync_lock: SyncLock,
        today: Callable[[], dt.date],
        *,
        max_age: float = 0.0,
        backend_for: Callable[[str], Backend] = open_backend,
    ) -> None:
        self.source = source
        self.store = store
        self.sync_lock = sync_lock
        self.today = today
        self.max_age = max_age
        self.backend_for = backend_for
        self._building = threading.Lock()

    def backend(self) -> Backend:
        return self.backend_for(self.source)

    def _fresh(self, snapshot: Snapshot | None) -> bool:
        return snapshot is not None and (not self.max_age or snapshot.age() <= self.max_age)

    def snapshot(self) -> Snapshot:
        """The last full run; one full read (no writes) when there is none or it is too old.
        Concurrent callers wait for one read rather than each reading everything."""
        current = self.store.get()
        if self._fresh(current):
            return current  # type: ignore[return-value]
        with self._building:
            current = self.store.get()
            if self._fresh(current):
                return current  # type: ignore[return-value]
            return self._keep(run(self.backend(), self.today()))

    def _keep(self, outcome: Run) -> Snapshot:
        snapshot = Snapshot(outcome, self.source, time.time())
        self.store.put(snapshot)
        return snapshot

    def validate(self, spreadsheet: str) -> Validated:
        """Check one registered sheet against the organisation and write its output cells.

        Reads the hub (to map the spreadsheet to its team, as registered now) and that sheet;
        everyone else comes from the snapshot. Raises `Unregistered` for any other spreadsheet.
        """
        backend = self.backend()
        hub = backend.read_hub()
        team = find_team(parse_teams(hub).teams, spreadsheet)
        if team is None:
            raise Unregistered(spreadsheet)
        previous = dataclasses.replace(self.snapshot().run, hub=hub)
        return Validated(team, run_team(backend, previous, team.name, self.today()))

    def sync(self, *, history: bool = False) -> Run:
        """A full sync (with `history`, also today's History rows); raises `locks.Busy` while
        another one runs. The result becomes the snapshot."""
        with self.sync_lock.hold():
            outcome = run(self.backend(), self.today(), write=True, snapshot=history)
            self._keep(outcome)
            return outcome
