"""The local backend: a workspace folder holding `hub.xlsx` and the teams' `.xlsx` workbooks.

Reads are values only (cached formula results) and fast; writes touch only the cells the planner
asks for, refuse when the file changed since it was read or holds content openpyxl would lose, and
replace the file atomically.

The writers (`xlsx_patch`, `xlsx_hub`) and `xlsx_inputs` are imported when first used: they use
openpyxl, and importing it (with numpy) would cost every `validate` about 0.4 s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from sheets_templates.definition import HUB_FILE, HubTab

from ..errors import SourceError
from ..logcondense import after_append
from ..logtab import CondensedLog, whole_log
from ..model import Team, id_key
from ..plan import table_digest
from ..snapshot import (
    CellValue,
    Grid,
    HubSnapshot,
    Link,
    OutputTable,
    SheetChanges,
    TeamSnapshot,
    sheet_identity,
    to_read,
)
from .base import WriteRefused
from .xlsx_bounds import MAX_HUB_ROWS
from .xlsx_chunks import PartIndex
from .xlsx_hub_changes import as_grid, count_changes
from .xlsx_lock import workspace_lock
from .xlsx_paths import PathRefused, file_key, workbook_path
from .xlsx_quiet import files_unmoved, seen_files
from .xlsx_read import Unreadable, WorkbookReader
from .xlsx_safety import (
    FileStamp,
    remove_leftovers,
    unwritable_reason,
    write_through,
)
from .xlsx_state import load_digests, load_parts, save_state
from .xlsx_team_read import read_team
from .xlsx_versions import unchanged_workbooks, version_after
from .xlsx_workers import in_workers

__all__ = ["HUB_FILE", "LAST_SYNC_FILE", "XlsxBackend"]

LAST_SYNC_FILE = Path(".okrtree") / "last-sync.json.gz"  # `sync.lastsync`

VOUCHABLE_TABS = (HubTab.ALIGNMENT_TREE, HubTab.FINDINGS)  # output tabs rewritten whole every time
LOG_TABS = (id_key(HubTab.HISTORY), id_key(HubTab.CHECK_INS))  # append-only


class XlsxBackend:
    """`sync.backends.base.Backend` over a local workspace folder.

    The backend remembers, per team workbook, the file stamp seen at read time and whether it may
    be written, so `write_team` can refuse when someone saved the file in between.
    """

    def __init__(self, workspace: Path | str) -> None:
        self.workspace = Path(workspace)
        self.hub_path = self.workspace / HUB_FILE
        self.last_sync = self.workspace / LAST_SYNC_FILE
        self._stamps: dict[str, FileStamp] = {}
        self._unwritable: dict[str, str | None] = {}
        self._hub_seen: tuple[FileStamp, dict[str, Grid]] | None = None
        self._hub_digests: dict[str, str] = {}
        self._hub_written: dict[str, OutputTable] = {}
        self._kept_logs: HubSnapshot | None = None
        self._logs_written: dict[str, OutputTable] = {}  # by this run, since `read_hub`

    # -- reading -------------------------------------------------------------------------------

    def read_hub(self) -> HubSnapshot:
        """Every tab of hub.xlsx as values; `SourceError` when there is no usable hub."""
        if not self.workspace.is_dir():
            raise SourceError(
                f"workspace folder {self.workspace} does not exist; "
                f"create one with `okrtree init {self.workspace}`"
            )
        if not self.hub_path.is_file():
            raise SourceError(
                f"{self.hub_path} not found; a workspace needs a hub.xlsx "
                f"(`okrtree init` makes one)"
            )
        try:
            stamp = FileStamp.of(self.hub_path)
            # History is always read: a snapshot keeps its earlier rows.
            digests = {
                tab: digest
                for tab, digest in load_digests(self.workspace, stamp).items()
                if tab in VOUCHABLE_TABS
            }
            version = _version(stamp)
            kept = self._kept_logs
            logs = kept.tabs if kept is not None and kept.version == version else {}
            with WorkbookReader(self.hub_path, HUB_FILE, max_rows=MAX_HUB_ROWS) as book:
                tabs = {
                    title: logs[title] if title in logs and _is_log(title) else book.grid(title)
                    for title in book.titles
                    if title not in digests
                }
        except (Unreadable, OSError) as err:
            raise SourceError(
                f"{self.hub_path} cannot be read as an Excel workbook: {err}"
            ) from err
        self._hub_seen = (stamp, tabs)
        self._hub_digests = digests
        self._logs_written = {}
        return HubSnapshot(str(self.workspace), tabs, dict(digests), version)

    def keep_logs(self, hub: HubSnapshot) -> None:
        """The hub's log tabs as an earlier run left them (`HubSnapshot.version`): `read_hub`
        takes them from there, not from the file, while the file is still that version.
        They only grow by okrtree's writes; a person's edit makes a new version."""
        self._kept_logs = hub

    def hub_version(self) -> str | None:
        """`LogKeepingBackend`: the hub file's version now (None when there is none)."""
        try:
            return _version(FileStamp.of(self.hub_path))
        except OSError:
            return None

    def hub_as_left(self, hub: HubSnapshot) -> HubSnapshot:
        """The run's hub with its log tabs as this run left them, at the hub's version now;
        no version when a tab written cannot be known without reading it back."""
        if self._hub_seen is None:
            return hub
        tabs = dict(hub.tabs)
        version: str | None = _version(self._hub_seen[0])
        if not self._logs_written:
            return HubSnapshot(hub.source, tabs, hub.digests, version)
        from .xlsx_dates import workbook_epoch  # openpyxl: loaded by the write already
        from .xlsx_hub_readback import as_read

        epoch = workbook_epoch(self.hub_path)
        for name, table in self._logs_written.items():
            grid = as_read(table, epoch)  # of rows to append, those rows only
            kept = tabs.get(name)
            if table.earlier is None and grid is not None:
                tabs[name] = grid
            elif isinstance(kept, CondensedLog) and grid is not None:
                tabs[name] = after_append(name, kept, grid[1:])
            else:  # unknown without reading it back
                version = None
        return HubSnapshot(hub.source, tabs, hub.digests, version)

    def read_teams(self, teams: list[Team]) -> list[TeamSnapshot]:
        """Each team's OKR tab, in the given order; problems become snapshots with `error`.

        Many workbooks are read by a few forked worker processes (`xlsx_workers`).
        """
        places = [self._place(team) for team in teams]
        identities = [
            sheet_identity(_file_identity(place), team.tab) if place else None
            for team, place in zip(teams, places, strict=True)
        ]
        wanted = to_read(identities)
        reads = self._read_all([teams[index] for index in wanted])
        snaps = [TeamSnapshot(team=t.name, source=t.source, tab=t.tab) for t in teams]
        for index, (snap, stamp) in zip(wanted, reads, strict=True):
            snaps[index] = snap
            place = places[index]
            if stamp is not None and place is not None:
                key = file_key(place)
                self._stamps[key] = stamp
                self._unwritable[key] = snap.unwritable
        for snap, identity in zip(snaps, identities, strict=True):
            snap.identity = identity
        return snaps

    def _place(self, team: Team) -> Path | None:
        if not team.source.strip():
            return None
        try:
            return workbook_path(self.workspace, team.source)
        except PathRefused:
            return None

    def _read_all(self, teams: list[Team]) -> list[tuple[TeamSnapshot, FileStamp | None]]:
        return in_workers(partial(read_team, self.workspace), teams)

    def read_hub_inputs(self) -> HubSnapshot:
        """Only the hub's `Teams` and `Settings` tabs: what a validate click needs."""
        from .xlsx_inputs import read_hub_inputs  # openpyxl: see the module docstring

        return read_hub_inputs(self.workspace, self.hub_path)

    def unchanged(self, previous: list[TeamSnapshot]) -> list[TeamSnapshot]:
        """`IncrementalBackend`: the kept snapshots whose workbook did not change since."""
        kept = unchanged_workbooks(self.workspace, previous)
        for snap, stamp in kept:
            place = workbook_path(self.workspace, snap.source)
            self._stamps[file_key(place)] = stamp
            # A write replaces the file, and with it the inode the identity was taken from.
            snap.identity = sheet_identity(_file_identity(place), snap.tab)
        return [snap for snap, _ in kept]

    def versions(self, snapshots: list[TeamSnapshot], *, written: bool = False) -> None:
        """`IncrementalBackend`: each workbook's version, from the stamp read or written."""
        for snap in snapshots:
            path = self.workspace / snap.source.strip()
            snap.version = version_after(
                path, self._stamps.get(_source_key(self.workspace, snap.source))
            )

    def seen_files(self, snapshots: list[TeamSnapshot]) -> list[object] | None:
        """`sync.lastsync`: the hub and every team workbook with the stamp this backend took
        (None when one was not stamped)."""
        hub = (self.hub_path, self._hub_seen[0]) if self._hub_seen else None
        return seen_files(self.workspace, hub, self._stamps, snapshots)

    def files_unmoved(self, files: list[object]) -> bool:
        """`sync.lastsync`: whether every file `seen_files` gave is still as it was."""
        return files_unmoved(self.workspace, self.hub_path, files)

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the workspace's sync lock for a whole read-and-write run, and first remove the
        temporary files a killed run left behind (only a lock holder may)."""
        with workspace_lock(self.workspace):
            remove_leftovers(self.workspace)
            yield

    def write_teams(self, batch: list[SheetChanges]) -> list[str | None]:
        """Write many team tabs; for each, None or why it was not written (`NOT_WRITTEN`).

        Workbooks are patched by forked worker processes, as they are read; the tabs of one
        workbook are written one after the other by the same worker.
        """
        if not batch:
            return []  # nothing to write: not even the writer (openpyxl) is loaded
        from . import xlsx_patch  # noqa: F401  # once, before forking: the workers inherit it

        groups: dict[str, list[int]] = {}
        for index, changes in enumerate(batch):
            key = _source_key(self.workspace, changes.source)
            groups.setdefault(key, []).append(index)
        keys = list(groups)
        jobs = [[batch[i] for i in groups[key]] for key in keys]
        stamps = [self._stamps.get(key) for key in keys]
        refusals = [self._unwritable.get(key) for key in keys]
        done = in_workers(
            partial(_write_workbook, self.workspace), list(zip(stamps, refusals, jobs, strict=True))
        )
        reasons: list[str | None] = [None] * len(batch)
        for key, (group_reasons, stamp) in zip(keys, done, strict=True):
            for index, reason in zip(groups[key], group_reasons, strict=True):
                reasons[index] = reason
            if stamp is not None:
                self._saved(key, self._stamps.get(key), stamp)
        return reasons

    def write_team(self, changes: SheetChanges) -> None:
        """Apply `changes` to one team workbook, or raise `WriteRefused` having written nothing.

        Only the changed cells' rows are patched in the tab's XML; every other part of the
        workbook is copied as it is (see `xlsx_patch`).
        """
        if not changes.changes:
            return
        source = changes.source.strip()
        if not (self.workspace / source).is_file():
            raise WriteRefused(f"{source} no longer exists; run again")
        try:
            path = workbook_path(self.workspace, source)
        except PathRefused as refused:
            raise WriteRefused(str(refused)) from refused
        key = file_key(path)
        reason = self._unwritable.get(key)
        if reason:
            raise WriteRefused(reason)
        reason = unwritable_reason(path, source)  # opened in an editor since the read?
        if reason:
            raise WriteRefused(reason)
        expected = self._stamps.get(key)
        if expected is not None and FileStamp.of(path) != expected:
            raise WriteRefused(_changed_since_read(source))
        from .xlsx_patch import patch_cells  # when first writing: see the module docstring

        cells = {(c.row, c.column): c.value for c in changes.changes}
        ids = {(row, changes.id_column): text for row, text in changes.expected_ids.items()}

        def patch(target: Path) -> None:
            patch_cells(path, changes.tab, cells, target, expected=ids)

        write_through(path, source, patch, expected)
        self._saved(key, expected, FileStamp.of(path))

    def _saved(self, key: str, before: FileStamp | None, after: FileStamp) -> None:
        """Record okrtree's own save of a team workbook. A team tab kept in the hub itself
        leaves the hub as read but for that tab's output cells, so the hub may still be written
        after it (the hub writer starts from the file as saved)."""
        self._stamps[key] = after
        seen = self._hub_seen
        if seen is not None and before == seen[0] and key == file_key(self.hub_path.resolve()):
            self._hub_seen = (after, seen[1])

    def write_hub(self, tables: list[OutputTable]) -> int:
        """Replace the given output tabs of hub.xlsx; return how many cells changed.

        The hub must be the file read at the start of the run (a person's save since then is
        kept, and the run says `NOT_WRITTEN`); any failure is a `WriteRefused`.
        """
        read_stamp, known = self._hub_seen or (None, {})
        tables = [t for t in tables if not self._unchanged(t, known)]
        if not tables:
            return 0
        reason = unwritable_reason(self.hub_path, HUB_FILE)
        if reason:
            raise WriteRefused(reason)
        if read_stamp is not None and FileStamp.of(self.hub_path) != read_stamp:
            raise WriteRefused(_changed_since_read(HUB_FILE))

        from .xlsx_hub import write_tables  # when first writing: see the module docstring

        parts = load_parts(self.workspace, FileStamp.of(self.hub_path))
        chunked: dict[str, PartIndex] = {}

        def replace(target: Path) -> None:
            chunked.update(write_tables(self.hub_path, tables, target, VOUCHABLE_TABS, parts))

        write_through(self.hub_path, HUB_FILE, replace, read_stamp)
        stamp = FileStamp.of(self.hub_path)
        before = {
            t.name: self._before(t.name, known) if t.earlier is None else None for t in tables
        }
        self._hub_seen = (stamp, {k: v for k, v in known.items() if k not in before})
        self._hub_written.update({t.name: t for t in tables})
        self._logs_written.update({t.name: t for t in tables if _is_log(t.name)})
        # This run's record: digests of the tabs it vouches for now, the others' when asked.
        for table in tables:
            self._hub_digests.pop(table.name, None)
            digest = _whole_digest(table)
            if table.name in VOUCHABLE_TABS and digest is not None:
                self._hub_digests[table.name] = digest
        vouched = {k: v for k, v in self._hub_digests.items() if k in VOUCHABLE_TABS}
        save_state(self.workspace, stamp, vouched, chunked)
        return sum(count_changes(before[t.name], t) for t in tables)

    def _before(self, name: str, known: dict[str, Grid]) -> Grid | None:
        """A tab's cells before this write: as read, or as this backend last wrote them."""
        if name in known:
            return whole_log(known[name])
        written = self._hub_written.get(name)
        return as_grid(written) if written is not None else None

    def _unchanged(self, table: OutputTable, known: dict[str, Grid]) -> bool:
        """The tab already shows `table`: as okrtree last wrote it, or as read (no links).
        The digest is only computed when there is something to compare it with."""
        recorded = self._hub_digests.get(table.name)
        written = self._hub_written.get(table.name)
        if recorded is None and written is not None:
            recorded = _whole_digest(written)
        if table.grown or (table.replaces is not None and table.digest is None):
            return False
        grid = whole_log(known.get(table.name))
        if recorded is None and not grid:
            return False
        digest = _whole_digest(table)
        if recorded == digest:
            return True
        if not grid:
            return False
        header = ["" if v is None else str(v) for v in grid[0]]
        rows: list[list[CellValue | Link]] = [list(row) for row in grid[1:]]
        return table_digest(OutputTable(table.name, header, rows)) == digest


def _write_workbook(
    workspace: Path, job: tuple[FileStamp | None, str | None, list[SheetChanges]]
) -> tuple[list[str | None], FileStamp | None]:
    """Write the tabs of one workbook in order: why each was not written, and the new stamp."""
    stamp, unwritable, batch = job
    backend = XlsxBackend(workspace)
    key = _source_key(workspace, batch[0].source)
    if stamp is not None:
        backend._stamps[key] = stamp
    backend._unwritable[key] = unwritable
    reasons: list[str | None] = []
    for changes in batch:
        try:
            backend.write_team(changes)
            reasons.append(None)
        except WriteRefused as err:
            reasons.append(str(err))
    return reasons, backend._stamps.get(key)


# -- reading helpers ---------------------------------------------------------------------------


def _file_identity(path: Path) -> str:
    """The file itself, however it is reached: through links, hard links, or a name in another
    case on a file system that ignores case."""
    try:
        stat = path.stat()
    except OSError:
        return str(path)
    return f"{stat.st_dev}:{stat.st_ino}"


def _source_key(workspace: Path, source: str) -> str:
    """`file_key` of the workbook a Spreadsheet value leads to (through links, as read)."""
    try:
        return file_key(workbook_path(workspace, source))
    except PathRefused:
        return file_key(workspace / source.strip())


def _is_log(title: str) -> bool:
    """A hub log tab, found by its title as the planner finds it."""
    return id_key(title) in LOG_TABS


def _whole_digest(table: OutputTable) -> str | None:
    """`table_digest` of the whole tab: for rows that replace some, the one given with them
    (None when none was), never one of those rows alone."""
    return table.digest if table.replaces is not None else table_digest(table)


def _version(stamp: FileStamp) -> str:
    return f"{stamp.mtime_ns}:{stamp.size}:{stamp.inode}"


# -- writing helpers ---------------------------------------------------------------------------


def _changed_since_read(source: str) -> str:
    return f"{source} changed since it was read; run again"
