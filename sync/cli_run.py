"""Running `validate`, `sync` and `tree` for the command line, and what a run shows.

A sync loads the state of the last one (`sync.state`) so that it reads only what changed, and
saves its own. On a local workspace it also keeps the record of what it showed and the files it
left (`sync.lastsync`): a re-sync on the same date that finds every file as left shows that
instead of reading, computing and writing the same again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import lastsync
from .backends.base import Backend
from .delta_run import DeltaSync, delta_sync
from .engine import Run, gc_paused, run, whole_trends
from .errors import OkrError, SourceError
from .ledger import json_body, team_chunks
from .model import Code, Finding, Severity
from .snapshot import TeamSnapshot
from .sources import maybe_a_folder, open_backend
from .state import DirectoryStore, State, open_state_store, state_of
from .summary import Overview, print_summary

__all__ = ["EXIT_ERRORS", "Shown", "execute", "show", "sync_and_record"]

EXIT_ERRORS = 1


@contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{phase} teams", total=total)
            bar.update(tasks[phase], completed=done)  # type: ignore[arg-type]

        yield update


@contextmanager
def _named(source: str) -> Iterator[None]:
    """Errors of a run on `source`, saying which reading of SOURCE was taken when it may matter."""
    try:
        yield
    except OkrError as err:
        if maybe_a_folder(source):  # say which reading was taken, in case a folder was meant
            note = f"{source} was read as a Google spreadsheet key: no folder of that name is here"
            raise SourceError(f"{err} ({note})") from err
        raise


def execute(
    source: str,
    as_of: dt.date,
    *,
    write: bool = False,
    history: bool = False,
    credentials: str | None = None,
    full: bool = True,
    backend: Backend | None = None,
    as_json: bool = False,
    state: State | None = None,
) -> Run:
    """One run; a sync (`write`) reads only what changed since the state unless `full` (the
    state already loaded: `state`), and saves its own state for the next sync and the service
    (with its `--json` pieces when `as_json`)."""
    with _named(source):
        if backend is None:
            backend = open_backend(source, credentials=credentials)
        store = open_state_store(source) if write else None
        previous = None
        if store is not None and not full:
            previous = state if state is not None else store.load()
        kept = previous.unpack().snapshots if previous is not None else ([] if write else None)
        with _progress(sys.stderr.isatty()) as progress:
            outcome = run(
                backend,
                as_of,
                write=write,
                history=history,
                progress=progress,  # type: ignore[arg-type]
                previous=kept,
                previous_hub=previous.hub if previous is not None else None,
            )
    if store is not None:
        if as_json:
            _with_chunks(outcome)
        store.save(state_of(outcome, source))
    return outcome


def _with_chunks(outcome: Run) -> None:
    """Every item's whole trend, and each team's items as `--json` shows them (once)."""
    computed = outcome.computed
    if computed.chunks is None:
        with gc_paused():  # without collections: each would walk the run's millions of objects
            whole_trends(outcome)
            computed.chunks = team_chunks(computed.result, outcome.teams)


@dataclass(slots=True)
class Shown:
    """What a run shows: its summary, and its `--json` text but the writes (when asked for)."""

    overview: Overview
    body: bytes | None = None

    @classmethod
    def of(cls, outcome: Run, as_json: bool) -> Shown:
        result = outcome.computed.result
        if not as_json:
            return cls(Overview.of(result))
        _with_chunks(outcome)
        with gc_paused():
            return cls(Overview.of(result), json_body(result, outcome.computed.chunks or []))


def show(shown: Shown, as_json: bool, *, verbose: bool, wrote: bool) -> None:
    """Print what a run shows and exit: 1 when it found errors, else 0."""
    overview = shown.overview
    if as_json:
        assert shown.body is not None
        parts = lastsync.json_text(shown.body, overview.writes_spreadsheets, overview.writes_cells)
        sys.stdout.flush()  # anything printed before goes first
        for part in [*parts, b"\n"]:
            sys.stdout.buffer.write(part)
        sys.stdout.buffer.flush()
    else:
        print_summary(Console(), overview, show_writes=wrote, verbose=verbose)
    errors = any(f.severity is Severity.ERROR for f in overview.findings)
    sys.exit(EXIT_ERRORS if errors else 0)


def sync_and_record(
    source: str,
    as_of: dt.date,
    *,
    history: bool = False,
    full: bool = False,
    credentials: str | None = None,
    as_json: bool = False,
) -> Shown:
    """`okrtree sync`: what the last sync showed, when it stands for this one (see the module
    docstring); else a run, recorded for the next sync when the backend can vouch for it."""
    with _named(source):
        backend = open_backend(source, credentials=credentials)
    record: Path | None = getattr(backend, "last_sync", None)
    if record is not None and not full:
        last = _standing(backend, record, source, as_of, history, as_json)
        if last is not None:
            return last
    state = None if full else open_state_store(source).load()
    delta = None
    if state is not None and not history:
        delta = _delta(backend, source, state, as_of, as_json)
    if delta is not None:
        shown = Shown(delta.overview, delta.body)
        if record is not None:
            files = _vouched(backend, delta.findings, delta.snapshots)
            _record(record, files, as_of, history, shown, delta.packed_body)
        return shown
    outcome = execute(
        source,
        as_of,
        write=True,
        history=history,
        full=full,
        backend=backend,
        as_json=as_json,
        state=state,
    )
    shown = Shown.of(outcome, as_json)
    if record is not None:
        files = _vouched(backend, outcome.computed.result.findings, outcome.snapshots)
        _record(record, files, as_of, history, shown)
    return shown


def _record(
    record: Path,
    files: list[Any] | None,
    as_of: dt.date,
    history: bool,
    shown: Shown,
    packed: list[bytes] | None = None,
) -> None:
    """Keep what the sync showed for the next, when every write went through (`packed`: its
    `--json` body as gzip members already)."""
    if files is None:
        lastsync.forget(record)
    else:
        code = lastsync.code_stamp()
        kept = lastsync.LastSync(as_of, history, code, files, shown.overview, shown.body)
        lastsync.save(record, kept, packed)


def _delta(
    backend: Backend, source: str, previous: State, as_of: dt.date, as_json: bool
) -> DeltaSync | None:
    """The sync recomputing only the teams that changed since the state, if it can."""
    delta = delta_sync(backend, previous, as_of, lastsync.code_stamp(), as_json)
    if delta is not None:
        open_state_store(source).save(delta.state)
    return delta


def _standing(
    backend: Any, record: Path, source: str, as_of: dt.date, history: bool, as_json: bool
) -> Shown | None:
    """What the last sync showed, with nothing written, if nothing moved since it ran."""
    last = lastsync.load(record)
    if last is None or not last.stands_for(as_of, history):
        return None
    if as_json and last.unpack_body is None:
        return None
    store = open_state_store(source)  # the state too must still be there for the service
    if not isinstance(store, DirectoryStore) or not store.path.is_file():
        return None
    if not backend.files_unmoved(last.files):
        return None
    overview = dataclasses.replace(last.overview, writes_spreadsheets=0, writes_cells=0)
    return Shown(overview, last.shown_body() if as_json else None)


def _vouched(
    backend: Any, findings: list[Finding], snapshots: list[TeamSnapshot]
) -> list[Any] | None:
    """The files a sync left as it computed them, if every write went through."""
    if any(f.code is Code.NOT_WRITTEN for f in findings):
        return None  # the next sync tries again
    seen: Callable[[list[Any]], list[Any] | None] = backend.seen_files
    return seen(snapshots)
