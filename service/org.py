"""The organisation behind the service: the shared state, validating one sheet, syncs.

This is the only part of the service that calls the engine. Each operation opens its own
backend (`sync.sources.open_backend`), because a backend remembers what it read so it can refuse
to write a spreadsheet that changed since; nothing about one request leaks into the next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sync.backends.base import Backend
from sync.engine import Run, run, run_team
from sync.google.keys import spreadsheet_key as google_key
from sync.hub import parse_teams
from sync.model import Team
from sync.sources import open_backend
from sync.state import State, StateStore, state_of

from .locks import SyncLock
from .store import NoState

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

    `state()` is the newest full run in the shared store (one metadata call when nothing
    changed); `validate` reads the hub's input tabs and one sheet and judges it against that
    state; `sync` reads what changed, writes everything under the sync lock and saves the new
    state for every other process.
    """

    def __init__(
        self,
        source: str,
        store: StateStore,
        sync_lock: SyncLock,
        today: Callable[[], dt.date],
        *,
        backend_for: Callable[[str], Backend] = open_backend,
    ) -> None:
        self.source = source
        self.store = store
        self.sync_lock = sync_lock
        self.today = today
        self.backend_for = backend_for
        self._building = threading.Lock()

    def backend(self) -> Backend:
        return self.backend_for(self.source)

    def state(self) -> State:
        """The newest state; `NoState` when no sync has run yet."""
        current = self.store.load()
        if current is None:
            raise NoState(self.source)
        return current

    def state_to_show(self) -> State:
        """The newest state for showing the tree; before any sync, one full read (no writes)
        becomes the state. Concurrent callers wait for one read rather than each reading."""
        current = self.store.load()
        if current is not None:
            return current
        with self._building:
            current = self.store.load()
            if current is not None:
                return current
            return self._keep(run(self.backend(), self.today(), previous=[]))

    def _keep(self, outcome: Run) -> State:
        kept = state_of(outcome, self.source)
        self.store.save(kept)
        return kept

    def validate(self, spreadsheet: str) -> Validated:
        """Check one registered sheet against the organisation and write its output cells.

        Reads the hub's `Teams` and `Settings` tabs (to map the spreadsheet to its team, as
        registered now) and that sheet; everyone else comes from the state. Raises `NoState`
        before the first sync and `Unregistered` for any other spreadsheet.
        """
        backend = self.backend()  # an unusable source says so first
        previous = self.state()
        read_inputs = getattr(backend, "read_hub_inputs", backend.read_hub)
        hub = read_inputs()
        team = find_team(parse_teams(hub).teams, spreadsheet)
        if team is None:
            raise Unregistered(spreadsheet)
        # The Teams and Settings as they are now, History and Check-ins as the sync left them
        # (for the items' trends): the click reads no growing log tab.
        fresh = {title.casefold() for title in hub.tabs}
        synced = previous.run()  # its hub holds the whole logs, not the state's brief of them
        logs = {t: g for t, g in synced.hub.tabs.items() if t.casefold() not in fresh}
        tabs = {**logs, **hub.tabs}
        earlier = dataclasses.replace(synced, hub=dataclasses.replace(hub, tabs=tabs))
        return Validated(team, run_team(backend, earlier, team.name, self.today()))

    def sync(self, *, history: bool = False, full: bool = False) -> Run:
        """A sync (with `history`, also today's History rows) reading only the sheets changed
        since the state (all with `full`); raises `locks.Busy` while another one runs. Its
        state is saved for everyone."""
        with self.sync_lock.hold():
            previous = None if full else self.store.load()
            outcome = run(
                self.backend(),
                self.today(),
                write=True,
                history=history,
                previous=previous.unpack().snapshots if previous is not None else [],
            )
            self._keep(outcome)
            return outcome
