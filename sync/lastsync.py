"""The record of the last sync, so that a re-sync with nothing to do does nothing.

A sync whose every write went through leaves each file holding what it computed. Its record keeps
what it saw of those files (`files`: the stamps the backend took before its reads and after its
writes, so a save by someone else in between never counts as seen), the date and options it ran
with, a stamp of okrtree's own code, and what it showed: the summary (`Overview`) and, when it
printed one, the `--json` text. A later sync with the same date, options and code that finds
every file as recorded would read, compute and write the same again, so it shows that outcome,
with no writes, instead. A new date recomputes (statuses move with it), as does any save.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sheets_templates

from .model import Code, Finding, Severity, Status
from .summary import Overview

__all__ = ["LastSync", "code_stamp", "forget", "json_text", "load", "save"]

SCHEMA = 1
_CODE_SUFFIXES = (".py", ".json")


@dataclass(slots=True)
class LastSync:
    """One sync's record; `files` are the backend's stamps (plain JSON values)."""

    as_of: dt.date
    history: bool  # the run recorded History rows
    code: str  # `code_stamp()`
    files: list[Any]
    overview: Overview
    body: bytes | None = None  # `json_body` of the run, when it printed --json
    # A record loaded: its body, unpacked when asked for (only once the record stands).
    unpack_body: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)

    def shown_body(self) -> bytes | None:
        """The body: as given, or unpacked from the record loaded."""
        if self.body is None and self.unpack_body is not None:
            self.body = self.unpack_body()
        return self.body

    def stands_for(self, as_of: dt.date, history: bool) -> bool:
        """Whether this record answers a sync on `as_of` with these options, by this code."""
        return self.as_of == as_of and self.history == history and self.code == code_stamp()


def code_stamp() -> str:
    """okrtree's own code as installed (its files' names, sizes and times), hashed: a record
    made by other code does not stand for this code's run."""
    stamp = hashlib.sha256()
    for root in (Path(__file__).parent, Path(sheets_templates.__file__).parent):
        for folder, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if name.endswith(_CODE_SUFFIXES):
                    info = os.stat(os.path.join(folder, name))
                    stamp.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


def json_text(body: bytes, spreadsheets: int, cells: int) -> list[bytes | memoryview]:
    """`json.dumps(result_json(result))` as UTF-8 from its body and the run's writes, in parts
    (a copy of a large organisation's text costs time and memory)."""
    writes = json.dumps({"writes": {"spreadsheets": spreadsheets, "cells": cells}})
    return [memoryview(body)[:-1], b", ", writes[1:].encode()]


def _overview(overview: Overview) -> dict[str, Any]:
    return {
        "as_of": overview.as_of.isoformat(),
        "cycle": overview.cycle,
        "phrase": overview.phrase,
        "teams": overview.teams,
        "unread": overview.unread,
        "items": overview.items,
        "statuses": {status.value: count for status, count in overview.statuses.items()},
        "findings": [
            [f.severity.value, f.code.value, f.id, f.team, f.message, list(f.related), f.row]
            for f in overview.findings
        ],
    }


def _read_overview(raw: dict[str, Any]) -> Overview:
    return Overview(
        dt.date.fromisoformat(raw["as_of"]),
        str(raw["cycle"]),
        str(raw["phrase"]),
        int(raw["teams"]),
        int(raw["unread"]),
        int(raw["items"]),
        {Status(status): int(count) for status, count in raw["statuses"].items()},
        [
            Finding(Severity(s), Code(c), i, t, str(m), tuple(r), row)
            for s, c, i, t, m, r, row in raw["findings"]
        ],
    )


def save(path: Path, record: LastSync, packed: list[bytes] | None = None) -> None:
    """Keep `record` at `path` (replaced atomically); a failure only costs speed later.
    `packed`: its body as gzip members already (`ledger.packed_body`), written as they are."""
    head = {
        "schema": SCHEMA,
        "as_of": record.as_of.isoformat(),
        "history": record.history,
        "code": record.code,
        "files": record.files,
        "overview": _overview(record.overview),
        "json": record.body is not None,
    }
    text = (json.dumps(head, ensure_ascii=False) + "\n").encode("utf-8")
    if packed is None or record.body is None:
        members = [gzip.compress(text + (record.body or b""), compresslevel=1, mtime=0)]
    else:
        members = [gzip.compress(text, compresslevel=1, mtime=0), *packed]
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(b"".join(members))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def forget(path: Path) -> None:
    """No record: the next sync runs in full."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def load(path: Path) -> LastSync | None:
    """The record at `path`; None when there is none or it is not one this version wrote. Its
    body stays packed until asked for (`LastSync.shown_body`)."""
    try:
        data = path.read_bytes()
        reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
        text = reader.decompress(data, _STEP)
        while b"\n" not in text and reader.unconsumed_tail:
            text += reader.decompress(reader.unconsumed_tail, _STEP)
        end = text.index(b"\n")
        head = json.loads(text[:end])
        if head.get("schema") != SCHEMA:
            return None

        def unpack_body() -> bytes:
            rest = text[end + 1 :] + reader.decompress(reader.unconsumed_tail)
            return rest + (gzip.decompress(reader.unused_data) if reader.unused_data else b"")

        return LastSync(
            dt.date.fromisoformat(head["as_of"]),
            bool(head["history"]),
            str(head["code"]),
            list(head["files"]),
            _read_overview(head["overview"]),
            None,
            unpack_body if head["json"] else None,
        )
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, zlib.error):
        return None


_STEP = 1 << 16  # the head is read this much at a time, the body only when it is shown
