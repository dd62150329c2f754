"""The Google Sheets backend: the same core over gspread + google-auth, at the floor of calls.

One read for the hub (every tab's values, ids and link targets in one `spreadsheets.get`), one
read per team spreadsheet (its OKR tab's values and id together, in parallel threads within the
rate limit), and for a sync: per team spreadsheet whose output cells
change, one check of its ID column and header (`values.batchGet`) and one `batchUpdate`; the
hub's output tabs in one more. A re-sync with nothing new writes nothing.

Failures stay with their team: a spreadsheet that cannot be read becomes
`SPREADSHEET_UNREADABLE` (naming the account to share it with), one that cannot be written
safely becomes `NOT_WRITTEN`; the others go on.
"""

from __future__ import annotations

import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sheets_templates.definition import INPUT_TABS, OUTPUT_TABS, TEAM_TAB

from ..errors import SourceError
from ..google.api import GoogleApiError, SheetsApi
from ..google.cells import quote_tab
from ..google.keys import row_link_template, spreadsheet_key, spreadsheet_url
from ..model import Settings, Team
from ..snapshot import (
    Grid,
    HubSnapshot,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    find_tab,
    sheet_identity,
    to_read,
    whole_table,
)
from .base import WriteRefused
from .gsheets_changes import modified_times
from .gsheets_hub import changed_cells, hub_requests, read_digest
from .gsheets_read import (
    HUB_FIELDS,
    HUB_INPUT_FIELDS,
    HUB_TABS_FIELDS,
    TAB_TITLES_FIELDS,
    TEAM_FIELDS,
    Tab,
    parse_tabs,
)
from .gsheets_write import ROWS_MOVED, check_ranges, rows_moved, team_requests

__all__ = ["DEFAULT_WORKERS", "GoogleBackend"]

log = logging.getLogger(__name__)
DEFAULT_WORKERS = 8
_BAD_RANGE = "Unable to parse range"
_PAST_GRID = "exceeds grid limits"
_PROTECTED = "protected cell or object"  # Google's words for an edit a protected range refuses


@dataclass(slots=True)
class _TeamRead:
    """What writing a team tab later needs from its read."""

    key: str
    sheet_id: int
    title: str
    columns: int
    grid: Grid


class GoogleBackend:
    """`sync.backends.base.Backend` over a Google hub spreadsheet and its teams' spreadsheets."""

    def __init__(
        self,
        hub: str,
        api: SheetsApi,
        *,
        workers: int = DEFAULT_WORKERS,
        rng: random.Random | None = None,
    ) -> None:
        key = spreadsheet_key(hub)
        if key is None:
            raise SourceError(f"{hub} is not a Google Sheets URL or spreadsheet key")
        self.hub_key = key
        self.api = api
        self.workers = max(1, workers)
        self.rng = rng or random.Random()
        self._hub_tabs: list[Tab] = []
        self._teams: dict[tuple[str, str], _TeamRead] = {}
        self._modified: dict[str, str] | None = None  # Drive modifiedTime by key, before reads

    @property
    def hub_url(self) -> str:
        return spreadsheet_url(self.hub_key)

    def _share_hint(self, access: str) -> str:
        who = self.api.account or "the account okrtree runs as"
        return f"share it with {who} ({access})"

    # -- reading -------------------------------------------------------------------------------

    def read_hub(self) -> HubSnapshot:
        """Every tab of the hub in one request; `SourceError` when it cannot be read."""
        try:
            answer = self.api.get_spreadsheet(self.hub_key, fields=HUB_FIELDS, grid_data=True)
        except GoogleApiError as err:
            raise SourceError(self._hub_problem(err)) from err
        self._hub_tabs = parse_tabs(answer)
        tabs = {tab.title: tab.grid for tab in self._hub_tabs}
        digests = {}
        for name in OUTPUT_TABS:
            tab = _by_title(self._hub_tabs, name)
            if tab is not None:
                digests[name.value] = read_digest(tab)
        return HubSnapshot(source=self.hub_url, tabs=tabs, digests=digests)

    def use_settings(self, settings: Settings) -> None:
        """Take the hub's `Reads/Writes per minute` for the client's limiters, unless an option
        or the environment fixed them (`SettingsBackend`)."""
        self.api.quotas.apply_settings(settings.reads_per_minute, settings.writes_per_minute)

    def _hub_problem(self, err: GoogleApiError) -> str:
        if err.status == 403:
            return f"the hub {self.hub_url} cannot be opened: {self._share_hint('Editor')}"
        if err.status == 404:
            return f"the hub {self.hub_url} does not exist; check the URL or key"
        return f"the hub {self.hub_url} could not be read: {err}"

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        """Each team's OKR tab, in the given order, read in parallel within the rate limit.
        A team on the same spreadsheet and tab as an earlier one is not read (DUPLICATE_SHEET)."""
        identities = [_identity(team) for team in teams]
        wanted = to_read(identities)
        chosen = [teams[index] for index in wanted]
        if len(chosen) <= 1 or self.workers == 1:
            reads = [self._read_team(team) for team in chosen]
        else:
            with ThreadPoolExecutor(min(self.workers, len(chosen))) as pool:
                reads = list(pool.map(self._read_team, chosen))
        snaps = [TeamSnapshot(team=t.name, source=t.source, tab=t.tab) for t in teams]
        for index, snap in zip(wanted, reads, strict=True):
            snaps[index] = snap
        for snap, identity in zip(snaps, identities, strict=True):
            snap.identity = identity
        return snaps

    def _read_team(self, team: Team) -> TeamSnapshot:
        snap = TeamSnapshot(team=team.name, source=team.source, tab=team.tab)
        source = team.source.strip()
        key = spreadsheet_key(source)
        if not source:
            snap.error = (
                f"team {team.name} has no spreadsheet; paste its URL into the Spreadsheet "
                "column of the hub's Teams tab"
            )
            return snap
        if key is None:
            snap.error = (
                f"{source} is not a Google Sheets URL or key; paste the team spreadsheet's URL "
                "into the Spreadsheet column of the hub's Teams tab"
            )
            return snap
        try:
            tab = self._fetch_tab(key, source, team.tab)
        except GoogleApiError as err:
            snap.error = self._read_problem(source, err)
            return snap
        except _MissingTab as missing:
            snap.error = str(missing)
            return snap
        snap.grid = tab.grid
        snap.link_template = row_link_template(key, tab.sheet_id)
        snap.volatile = tab.formulas
        snap.handle = {"key": key, "sheet_id": tab.sheet_id, "title": tab.title}
        snap.handle["columns"] = tab.columns
        self._teams[(source, team.tab)] = _TeamRead(
            key, tab.sheet_id, tab.title, tab.columns, tab.grid
        )
        return snap

    def read_hub_inputs(self) -> HubSnapshot:
        """Only the hub's `Teams` and `Settings` tabs, in one request: what a click needs. The
        output tabs, which grow with the organisation, are not downloaded."""
        ranges = [quote_tab(name) for name in INPUT_TABS]
        try:
            answer = self.api.get_spreadsheet(self.hub_key, fields=HUB_INPUT_FIELDS, ranges=ranges)
        except GoogleApiError as err:
            raise SourceError(self._hub_problem(err)) from err
        tabs = {tab.title: tab.grid for tab in parse_tabs(answer)}
        return HubSnapshot(source=self.hub_url, tabs=tabs)

    # -- knowing what changed (`IncrementalBackend`) -------------------------------------------

    def unchanged(self, previous: list[TeamSnapshot]) -> list[TeamSnapshot]:
        """The kept snapshots whose spreadsheet's Drive `modifiedTime` did not move; one Drive
        listing per 1,000 spreadsheets. Without Drive access every sheet is read."""
        try:
            self._modified = modified_times(self.api)
        except GoogleApiError as err:
            log.warning("cannot list Drive files (%s); every team sheet is read", err)
            self._modified = {}
        kept = []
        for snap in previous:
            handle = snap.handle
            key = str(handle.get("key", ""))
            if not key or snap.grid is None or self._modified.get(key) != snap.version:
                continue
            try:
                read = _TeamRead(
                    key,
                    int(handle["sheet_id"]),
                    str(handle["title"]),
                    int(handle["columns"]),
                    snap.grid,
                )
            except (KeyError, TypeError, ValueError):
                continue
            self._teams[(snap.source.strip(), snap.tab)] = read
            kept.append(snap)
        return kept

    def versions(self, snapshots: list[TeamSnapshot], *, written: bool = False) -> None:
        """The `modifiedTime` listed before the read; none after okrtree's own write (its new
        time is unknown, so the next sync reads the sheet again)."""
        for snap in snapshots:
            key = str(snap.handle.get("key", ""))
            known = self._modified or {}
            snap.version = None if written or snap.grid is None else known.get(key)

    def _fetch_tab(self, key: str, source: str, wanted: str) -> Tab:
        """The tab's values and id in one request; a tab named in another case or with extra
        spaces costs one more (its exact title is looked up first)."""
        title = wanted.strip() or TEAM_TAB
        try:
            answer = self.api.get_spreadsheet(key, fields=TEAM_FIELDS, ranges=[quote_tab(title)])
        except GoogleApiError as err:
            if err.status != 400 or _BAD_RANGE not in err.detail:
                raise
            titles = [
                t.title for t in parse_tabs(self.api.get_spreadsheet(key, fields=TAB_TITLES_FIELDS))
            ]
            found = find_tab(titles, wanted)
            if found is None:
                raise _MissingTab(
                    f"{source} has no tab {title!r} (it has: {', '.join(titles)}); rename the "
                    "tab or fix the Tab column of the hub's Teams tab"
                ) from err
            answer = self.api.get_spreadsheet(key, fields=TEAM_FIELDS, ranges=[quote_tab(found)])
        tabs = parse_tabs(answer)
        if not tabs:
            raise _MissingTab(f"{source} has no tab {title!r}; fix the Tab column of the hub")
        return tabs[0]

    def _read_problem(self, source: str, err: GoogleApiError) -> str:
        if err.status == 403:
            access = "Viewer to validate, Editor to sync"
            return f"{source} cannot be opened: {self._share_hint(access)}"
        if err.status == 404:
            return (
                f"{source} does not exist or was deleted; fix the Spreadsheet column of the "
                "hub's Teams tab"
            )
        return f"{source} could not be read ({err}); run again later"

    # -- writing -------------------------------------------------------------------------------

    def write_team(self, changes: SheetChanges) -> None:
        """Check the rows did not move, then write `changes` in one request; `WriteRefused`
        (nothing written) otherwise."""
        read = self._teams.get((changes.source.strip(), changes.tab))
        if read is None:
            raise WriteRefused("it was not read in this run; run again")
        ranges = check_ranges(read.title, changes)
        try:
            header_now, ids_now = self.api.values_batch_get(read.key, ranges)
        except GoogleApiError as err:
            if err.status == 400 and _PAST_GRID in err.detail:  # rows deleted from a cut grid
                raise WriteRefused(ROWS_MOVED) from err
            raise WriteRefused(self._write_problem(err)) from err
        reason = rows_moved(read.grid, changes, header_now, ids_now)
        if reason is not None:
            raise WriteRefused(reason)
        try:
            self.api.batch_update(read.key, team_requests(read.sheet_id, read.columns, changes))
        except GoogleApiError as err:
            raise WriteRefused(self._write_problem(err)) from err

    def _write_problem(self, err: GoogleApiError) -> str:
        if err.status == 403:
            detail = f" ({err.detail})" if err.detail else ""
            return f"okrtree may not edit it{detail}; {self._share_hint('Editor')}"
        if err.status == 404:
            return "it no longer exists"
        if err.status == 400 and _BAD_RANGE in err.detail:
            return "its tab was renamed or deleted since the read; run again"
        if err.status == 400 and _PROTECTED in err.detail:
            who = self.api.account or "the account okrtree runs as"
            return (
                "a protected range covers cells okrtree writes (Score, Status, Warnings, or the "
                f"hub's output tabs); add {who} to its editors, or make it show a warning only"
            )
        return f"the Sheets API kept failing ({err})"

    def write_hub(self, tables: list[OutputTable]) -> int:
        """Replace the given output tabs in one request; return the number of cells changed.
        `WriteRefused` (the run's `NOT_WRITTEN`) when Google will not take it."""
        if not tables:
            return 0
        tables = [whole_table(t) for t in tables]  # the appends are planned from whole tabs
        tabs = self._hub_tabs
        count = sum(changed_cells(t, _by_title(tabs, t.name)) for t in tables)
        requests, adds = hub_requests(tables, tabs, self.rng)
        appends = [t for t in tables if t.kept_rows and _by_title(tabs, t.name) is not None]
        try:
            self.api.batch_update(self.hub_key, requests, idempotent=not adds and not appends)
        except GoogleApiError as err:
            if not err.ambiguous:
                raise WriteRefused(self._write_problem(err)) from err
            # The batch may have run (a lost answer): look at the tabs again and send what
            # brings them to the wanted state from there. A batch runs whole or not at all,
            # so an appended log that grew says it ran: appending again would double it.
            try:
                if appends:
                    ranges = [quote_tab(t.name) for t in appends]
                    logs = parse_tabs(
                        self.api.get_spreadsheet(
                            self.hub_key, fields=HUB_FIELDS, ranges=ranges, grid_data=True
                        )
                    )
                    if any(_grew(_by_title(logs, t.name), t) for t in appends):
                        return count
                answer = self.api.get_spreadsheet(self.hub_key, fields=HUB_TABS_FIELDS)
                requests, _ = hub_requests(tables, parse_tabs(answer), self.rng)
                self.api.batch_update(self.hub_key, requests)
            except GoogleApiError as again:
                raise WriteRefused(self._write_problem(again)) from again
        return count


class _MissingTab(Exception):
    """The team spreadsheet has no such tab (the message says which it has)."""


def _grew(tab: Tab | None, table: OutputTable) -> bool:
    """The tab holds more rows than the header and the rows it had when read."""
    filled = [row for row in (tab.grid if tab else []) if any(v not in (None, "") for v in row)]
    return len(filled) > 1 + table.kept_rows


def _identity(team: Team) -> str | None:
    key = spreadsheet_key(team.source.strip())
    return sheet_identity(key, team.tab) if key else None


def _by_title(tabs: list[Tab], name: str) -> Tab | None:
    return next((t for t in tabs if t.title.casefold() == name.casefold()), None)
