"""The last full run as data: what a sync read, in a versioned, compact form (gzip JSON, in
members that a save writes again only when they changed: `members`).

The state holds the inputs of the run, not its results: the hub's `Teams` and `Settings` tabs (and
`History` and `Check-ins`, for trends and check-in logs, as the run left them: with the rows it
appended; each in brief (`logcondense`) beside its whole rows, packed apart as gzip JSON in
base64, a piece per append, and unpacked only when asked for, so a long log costs a run little)
and every team's snapshot (grid as read, or why it could not be read), plus what the
backend needs to know later whether a sheet changed (`TeamSnapshot.version`, and the hub's
`HubSnapshot.version`, at which its log tabs are as kept here) or to write it without reading it
again (`TeamSnapshot.handle`). Loading recomputes the run from them, so a state can never disagree
with the code that judges it. Never pickle: a state file is data, whoever wrote it.

Cells are JSON values; dates and times, which JSON lacks, are `{"d": "2026-11-20"}`,
`{"t": "2026-11-20T09:30:00"}`, `{"h": "09:30:00"}` (a time of day alone, as a reader gives a
date cell holding a number under 1) and `{"s": [0, 5400, 0]}` (a duration: days, seconds and
microseconds).
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheets_templates.definition import INPUT_TABS, HubTab

from ..compute import compute, sort_findings
from ..engine import Run, attach_history, gc_paused
from ..errors import SourceError
from ..google.keys import spreadsheet_key
from ..hub import parse_settings, parse_teams
from ..lastsync import code_stamp
from ..ledger import Ledger, ledger_of
from ..logcondense import condense
from ..logtab import CondensedLog, whole_log
from ..model import Code, Finding
from ..snapshot import Grid, HubSnapshot, TeamSnapshot
from .ledger_codec import finding_json, ledger_json, read_finding, read_ledger
from .members import Kept, MemberReader, MemberWriter, join, split

__all__ = ["SCHEMA", "BadState", "State", "decode", "encode", "state_of"]

SCHEMA = 5  # bump when the shape below changes: older files are then ignored and rebuilt
# The input tabs, and the logs that give each item its trend and check-ins.
KEPT_HUB_TABS = (*INPUT_TABS, HubTab.HISTORY, HubTab.CHECK_INS)
GRID_LEVEL = 1  # each sheet's grid is packed at every save that read it
MAX_CHUNKS = 30  # a log's packed pieces, one per append, merged into one past this
# Findings a run adds after computing (refused writes); everything else is recomputed on load.
_AFTER_COMPUTE = (Code.NOT_WRITTEN,)


class BadState(ValueError):
    """The bytes are not a state this version of okrtree wrote (the message says why)."""


@dataclass(slots=True)
class State:
    """One full run as data: where and when it ran, and everything it read."""

    source: str
    as_of: dt.date
    taken: float  # seconds since the epoch, when the run finished
    hub: HubSnapshot  # the input tabs only
    snapshots: list[TeamSnapshot]
    findings: list[Finding] = field(default_factory=list)  # added after computing
    # What the run computed, for a next sync on the same date that recomputes only what an
    # edit touched (`sync.delta`); None when unknown.
    ledger: Ledger | None = None
    # Per snapshot, its grid packed (gzip JSON) while it is not unpacked into the snapshot: a
    # sync that recomputes a few teams unpacks only theirs (`grid_of`), the rest `unpack()`.
    packed: list[bytes | None] | None = field(default=None, repr=False, compare=False)
    # What was read from members of the saved state, to save again as it was (`members`).
    kept: Kept = field(default_factory=dict, repr=False, compare=False)
    _run: Run | None = field(default=None, repr=False, compare=False)

    def grid_of(self, index: int) -> Grid | None:
        """Snapshot `index`'s grid, unpacked if it was not (None when it has none or its packed
        form is unusable: the sheet is then read again)."""
        snapshot = self.snapshots[index]
        packed = self.packed[index] if self.packed is not None else None
        if snapshot.grid is None and packed is not None:
            try:
                snapshot.grid = _unpack(packed)
            except (BadState, OSError, EOFError, ValueError):
                snapshot.version = None
            self.packed[index] = None  # type: ignore[index]
        return snapshot.grid

    def unpack(self) -> State:
        """This state with every snapshot's grid unpacked (once)."""
        if self.packed is not None:
            for index in range(len(self.snapshots)):
                self.grid_of(index)
            self.packed = None
        return self

    @gc_paused()  # an edge like the engine's: computing a large organisation allocates much
    def run(self) -> Run:
        """The run these inputs give (computed once per state)."""
        if self._run is None:
            table = parse_teams(self.hub)
            settings = parse_settings(self.hub)
            snapshots = self.unpack().snapshots
            computed = compute(table.teams, settings, snapshots, self.as_of, table.findings)
            tabs = {title: whole_log(grid) or [] for title, grid in self.hub.tabs.items()}
            hub = HubSnapshot(self.hub.source, tabs, version=self.hub.version)
            computed = attach_history(computed, hub, False)
            if self.findings:
                result = computed.result
                result.findings = sort_findings([*result.findings, *self.findings])
            self._run = Run(computed, hub, table.teams, self.snapshots)
        return self._run


def state_of(run: Run, source: str, taken: float | None = None) -> State:
    """The state to keep after `run` (its snapshots as they are now, writes applied)."""
    tabs = {
        title: grid
        for title, grid in run.hub.tabs.items()
        if title.strip().casefold() in {t.casefold() for t in KEPT_HUB_TABS}
    }
    hub = HubSnapshot(run.hub.source, tabs, version=run.hub.version)
    extra = [f for f in run.computed.result.findings if f.code in _AFTER_COMPUTE]
    computed = run.computed
    ledger = None
    if computed.tree_filled is not None:  # a sync: its hub tabs were planned
        ledger = ledger_of(
            computed, run.teams, computed.tree_filled, computed.chunks or [], code_stamp()
        )
    state = State(
        source,
        run.computed.result.as_of,
        time.time() if taken is None else taken,
        hub,
        list(run.snapshots),
        extra,
        ledger,
    )
    state._run = run
    return state


# -- encoding ----------------------------------------------------------------------------------


def _cell(value: object) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):  # a serial number under 1 in a date or time format
        return {"h": value.isoformat()}
    if isinstance(value, dt.timedelta):  # a duration format
        return {"s": [value.days, value.seconds, value.microseconds]}
    raise TypeError(f"a cell cannot hold {type(value).__name__}")


def _snapshot(snap: TeamSnapshot, packed: bytes | None, members: MemberWriter) -> dict[str, Any]:
    out: dict[str, Any] = {"team": snap.team, "source": snap.source, "tab": snap.tab}
    if snap.grid is not None:  # an empty grid is a read of an empty tab, not a failed read
        packed = _pack(snap.grid, GRID_LEVEL)
    if packed is not None:
        out["grid"] = members.raw(packed)
    for name in ("error", "link_template", "unwritable", "version", "handle", "identity"):
        value = getattr(snap, name)
        if value:
            out[name] = value
    if snap.merged:
        out["merged"] = [list(box) for box in snap.merged]
    if snap.volatile:
        out["volatile"] = True
    return out


def _dumps(value: object) -> str:
    return json.dumps(value, default=_cell, ensure_ascii=False, separators=(",", ":"))


def _pack(grid: Grid, level: int = 6) -> bytes:
    return gzip.compress(_dumps(grid).encode("utf-8"), compresslevel=level, mtime=0)


def _hub(hub: HubSnapshot, members: MemberWriter) -> dict[str, Any]:
    """The hub's tabs, a log tab in brief with its whole rows packed apart (`_log`)."""
    settings = parse_settings(hub)
    cycle = (settings.cycle_start, settings.cycle_end)
    tabs: dict[str, Grid] = {}
    logs: dict[str, dict[str, Any]] = {}
    for title, grid in hub.tabs.items():
        brief = grid if isinstance(grid, CondensedLog) else condense(title, grid, cycle)
        if brief is None:
            tabs[title] = grid
        else:
            logs[title] = _log(brief, members)
    return {"source": hub.source, "tabs": tabs, "logs": logs, "version": hub.version}


def _log(log: CondensedLog, members: MemberWriter) -> dict[str, Any]:
    """A log in brief; its chunks packed once each (gzip JSON), merged into one when they grow
    many."""
    chunks = log.chunks if len(log.chunks) <= MAX_CHUNKS else [log.whole()]
    packed = [chunk if isinstance(chunk, bytes) else _pack(chunk) for chunk in chunks]
    out: dict[str, Any] = {
        "rows": members.json(log if log.base is None else log.base),
        "body_rows": log.body_rows,
        "chunks": [members.raw(chunk) for chunk in packed],
    }
    if log.base is not None and log.dropped:
        out["dropped"] = log.dropped
    if log.base is not None and log.added:
        out["added"] = log.added
    if log.sparks is not None:
        out["sparks"] = members.json(log.sparks)
    if log.cycle is not None:
        out["cycle"] = [day.isoformat() for day in log.cycle]
    if log.last_day is not None:
        out["last_day"] = log.last_day.isoformat()
    return out


def encode(state: State) -> bytes:
    """The state as a container of gzip members (`members`)."""
    members = MemberWriter(state.kept, _dumps)
    document = {
        "schema": SCHEMA,
        "source": state.source,
        "as_of": state.as_of.isoformat(),
        "taken": state.taken,
        "hub": _hub(state.hub, members),
        "teams": [
            _snapshot(s, state.packed[i] if state.packed is not None else None, members)
            for i, s in enumerate(state.snapshots)
        ],
        "findings": [finding_json(f) for f in state.findings],
    }
    if state.ledger is not None:
        document["ledger"] = ledger_json(state.ledger, members)
    return join(_dumps(document), members.members)


# -- decoding ----------------------------------------------------------------------------------


def _revive(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "d" in obj:
            return dt.date.fromisoformat(obj["d"])
        if "t" in obj:
            return dt.datetime.fromisoformat(obj["t"])
        if "h" in obj:
            return dt.time.fromisoformat(obj["h"])
        if "s" in obj:
            return dt.timedelta(*obj["s"])
    return obj


def _grid(value: Any) -> Grid:
    if type(value) is not list or set(map(type, value)) - {list}:
        raise BadState("a grid is not a list of rows")
    kinds = set(map(type, itertools.chain.from_iterable(value)))  # at C speed: a grid is large
    if kinds & {dict, list}:
        raise BadState(f"a cell holds a {'list' if list in kinds else 'dict'}")
    return value


def _text(value: Any, default: str | None = None) -> str | None:
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadState(f"{value!r} is not text")
    return value


def _merged(value: Any) -> list[tuple[int, int, int, int]]:
    if not isinstance(value, list) or not all(
        isinstance(box, list) and len(box) == 4 and all(type(n) is int for n in box)
        for box in value
    ):
        raise BadState("merged cells are not lists of four numbers")
    return [(box[0], box[1], box[2], box[3]) for box in value]


def _team(raw: Any) -> TeamSnapshot:
    if not isinstance(raw, dict):
        raise BadState("a team entry is not an object")
    handle = raw.get("handle") or {}
    if not isinstance(handle, dict):
        raise BadState("a team's handle is not an object")
    return TeamSnapshot(
        team=_text(raw.get("team")) or "",
        source=_text(raw.get("source"), "") or "",
        tab=_text(raw.get("tab"), "") or "",
        grid=None,
        error=_text(raw.get("error")),
        link_template=_text(raw.get("link_template"), "") or "",
        unwritable=_text(raw.get("unwritable")),
        merged=_merged(raw.get("merged", [])),
        version=_text(raw.get("version")),
        identity=_text(raw.get("identity")),
        volatile=bool(raw.get("volatile", False)),
        handle=handle,
    )


def _read_log(raw: dict[str, Any], members: MemberReader) -> CondensedLog:
    sparks = members.json(raw["sparks"]) if "sparks" in raw else None
    if sparks is not None and (type(sparks) is not dict or set(map(type, sparks.values())) - {str}):
        raise BadState("a sparkline is not text")
    last_day, cycle = raw.get("last_day"), raw.get("cycle")
    start, end = (
        (dt.date.fromisoformat(day) for day in cycle) if cycle is not None else (None, None)
    )
    base = _grid(members.json(raw["rows"]))
    dropped, added = raw.get("dropped", []), _grid(raw.get("added", []))
    if type(dropped) is not list or set(map(type, dropped)) - {int}:
        raise BadState("a log's dropped rows are not row numbers")
    gone = set(dropped)
    log = CondensedLog(
        [row for at, row in enumerate(base) if at not in gone] + added,
        [members.raw(chunk) for chunk in raw["chunks"]],
        int(raw["body_rows"]),
        unpack=_unpack,
        sparks=sparks,
        cycle=None if start is None or end is None else (start, end),
        last_day=None if last_day is None else dt.date.fromisoformat(last_day),
    )
    log.base, log.dropped, log.added = base, dropped, added
    return log


def _ledger(raw: Any, members: MemberReader) -> Ledger | None:
    """A ledger kept with the state, or None: one that cannot be read is only a cost later."""
    try:
        return None if raw is None else read_ledger(raw, members)
    except (KeyError, TypeError, ValueError, IndexError, OSError, EOFError):
        return None


def _unpack(packed: bytes) -> Grid:
    """A whole log tab as `_hub` packed it (checked with the state that held it)."""
    return _grid(json.loads(gzip.decompress(packed), object_hook=_revive))


def _source_identity(source: str) -> str:
    """What names one organisation however SOURCE is spelt: a Google hub's key (its URL, with
    or without `/edit#gid=0`, or the bare key), else the workspace folder's resolved path."""
    key = spreadsheet_key(source)
    if key is not None and not Path(source.strip()).exists():
        return key
    return str(Path(source.strip()).resolve())


def _same_source(written: Any, source: str) -> bool:
    """`okrtree sync URL` and `okrtree serve KEY` share one store path, and so one state."""
    return isinstance(written, str) and _source_identity(written) == _source_identity(source)


def decode(data: bytes, source: str) -> State:
    """The state in `data`, written for `source`; `BadState` for anything else."""
    try:
        text, packed = split(data)
        document = json.loads(text, object_hook=_revive)
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as err:
        raise BadState(f"not a state this version wrote ({err})") from None
    if not isinstance(document, dict):
        raise BadState("not a state object")
    if document.get("schema") != SCHEMA:
        raise BadState(f"schema {document.get('schema')!r}, this version reads {SCHEMA}")
    if not _same_source(document.get("source"), source):
        raise BadState(f"it is the state of {document.get('source')!r}")
    try:
        members = MemberReader(packed, {}, _revive)
        hub = document["hub"]
        tabs = {str(title): _grid(grid) for title, grid in hub["tabs"].items()}
        for title, log in hub.get("logs", {}).items():
            tabs[str(title)] = _read_log(log, members)
        state = State(
            source,
            dt.date.fromisoformat(document["as_of"]),
            float(document["taken"]),
            HubSnapshot(str(hub["source"]), tabs, version=_text(hub.get("version"))),
            [_team(raw) for raw in document["teams"]],
            [read_finding(raw) for raw in document.get("findings", [])],
            _ledger(document.get("ledger"), members),
            [members.raw(raw["grid"]) if "grid" in raw else None for raw in document["teams"]],
            members.kept,
        )
        teams = [t.name for t in parse_teams(state.hub).teams]
        parse_settings(state.hub)
    except (KeyError, TypeError, ValueError, AttributeError, SourceError, OSError, EOFError) as err:
        raise BadState(f"damaged ({type(err).__name__}: {err})") from None
    if [s.team for s in state.snapshots] != teams:
        raise BadState("its team snapshots do not follow its Teams tab")
    return state
