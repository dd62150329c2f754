"""What okrtree last wrote into a workspace's hub, kept beside it in `.okrtree/hub-state.json`.

Reading a 100,000-row Alignment Tree back only to find it unchanged costs more than the rest of
a no-change sync. When hub.xlsx is byte-for-byte the file okrtree last saved (same size and
modification time), the digests recorded then stand for those tabs and they need not be read.
Any other save of the hub, by a person or a tool, voids the record; a tab then read in full and
found unchanged is vouched for again once okrtree next rewrites it.

The same rule holds the index of each sheet part okrtree wrote in chunks (`xlsx_chunks`), by
which a few of its rows are replaced or rows appended without compressing the whole part again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .xlsx_chunks import PartIndex, index_from_json, index_to_json
from .xlsx_safety import FileStamp

__all__ = ["STATE_FILE", "load_digests", "load_parts", "save_state"]

STATE_FILE = Path(".okrtree") / "hub-state.json"


def _load(workspace: Path, hub: FileStamp) -> dict[str, object]:
    """The record, if the hub is still the file it was made for; else an empty one."""
    try:
        state = json.loads((workspace / STATE_FILE).read_text(encoding="utf-8"))
        if isinstance(state, dict) and state["hub"] == [hub.mtime_ns, hub.size]:
            return state
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no record, or not one this version wrote
    return {}


def load_digests(workspace: Path, hub: FileStamp) -> dict[str, str]:
    """The recorded digests, if the hub is still the file they were recorded for; else none."""
    digests = _load(workspace, hub).get("digests")
    if not isinstance(digests, dict):
        return {}  # not a record this version wrote: read the tabs
    return {str(tab): str(digest) for tab, digest in digests.items()}


def load_parts(workspace: Path, hub: FileStamp) -> dict[str, PartIndex]:
    """The recorded index of each chunked sheet part, by part name, if the hub is still the
    file they were recorded for; a part whose index is garbled has none."""
    parts = _load(workspace, hub).get("parts")
    if not isinstance(parts, dict):
        return {}
    indexes = {}
    for part, value in parts.items():
        try:
            indexes[str(part)] = index_from_json(value)
        except (ValueError, TypeError):
            pass  # that part is written whole
    return indexes


def save_state(
    workspace: Path, hub: FileStamp, digests: dict[str, str], parts: dict[str, PartIndex]
) -> None:
    """Record the digests and part indexes for the hub file as it is now; a failure only
    costs speed later."""
    path = workspace / STATE_FILE
    record = {
        "hub": [hub.mtime_ns, hub.size],
        "digests": digests,
        "parts": {part: index_to_json(index) for part, index in parts.items()},
    }
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
