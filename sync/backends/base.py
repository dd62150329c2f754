"""The `Backend` protocol: what the engine needs from a place where OKRs live, and its failures.

A failed read of the hub raises `sync.errors.SourceError`; a team sheet that cannot be read is a
snapshot with `error`; a write a backend declines raises `WriteRefused`, which the engine turns
into a `NOT_WRITTEN` finding. New backends (and `IncrementalBackend`s) follow this shape.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Settings, Team
from ..snapshot import HubSnapshot, OutputTable, SheetChanges, TeamSnapshot

__all__ = ["Backend", "IncrementalBackend", "SettingsBackend", "WriteRefused"]


class WriteRefused(Exception):  # noqa: N818 - it is an outcome, not a bug
    """A backend declined to write a spreadsheet; the message says why (becomes NOT_WRITTEN)."""


class Backend(Protocol):
    """What the engine needs from a place where OKRs live (a folder of .xlsx, Google Sheets)."""

    def read_hub(self) -> HubSnapshot:
        """Read the hub; raise `SourceError` when it cannot be read at all."""
        ...

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        """Read each team's OKR tab, in the given order; a failure is a snapshot with `error`."""
        ...

    def write_team(self, changes: SheetChanges) -> None:
        """Apply one team's changes atomically, or raise `WriteRefused` writing nothing."""
        ...

    def write_hub(self, tables: list[OutputTable]) -> int:
        """Replace the given hub output tabs; return the number of cells that changed."""
        ...


class IncrementalBackend(Backend, Protocol):
    """A backend that can tell which team spreadsheets changed since an earlier read."""

    def unchanged(self, previous: list[TeamSnapshot]) -> list[TeamSnapshot]:
        """Of `previous` (snapshots kept from an earlier run, each with its `version`), those whose
        spreadsheet is still what was read; they stand for this run's reads, and writes to them
        are checked as if they had been read now. Called once per run, before `read_teams`."""
        ...

    def versions(self, snapshots: list[TeamSnapshot], *, written: bool = False) -> None:
        """Set `version` on snapshots just read (or, with `written`, just written to and patched
        to match): None when the backend cannot vouch that a later equal version means equal
        content."""
        ...


class LogKeepingBackend(IncrementalBackend, Protocol):
    """A backend that takes the hub's log tabs from an earlier run while the hub is still the
    file that run left (a local workspace), so a run may recompute only a few teams."""

    def keep_logs(self, hub: HubSnapshot) -> None:
        """Take the log tabs from `hub` (an earlier run's) while the hub is that version."""
        ...

    def hub_version(self) -> str | None:
        """The hub's version now, as `read_hub` would give it, without reading the hub."""
        ...

    def hub_as_left(self, hub: HubSnapshot) -> HubSnapshot:
        """The run's hub with its log tabs as this run left them, at the hub's version now."""
        ...


class SettingsBackend(Backend, Protocol):
    """A backend that takes something from the hub's parsed Settings (a Google hub its
    requests-per-minute limits)."""

    def use_settings(self, settings: Settings) -> None:
        """Called by the engine once the Settings are parsed, before the teams are read."""
        ...
