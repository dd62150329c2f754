"""What okrtree last wrote into a workspace's hub, kept beside it in `.okrtree/hub-state.json`.

Reading a 100,000-row Alignment Tree back only to find it unchanged costs more than the rest of
a no-change sync. When hub.xlsx is byte-for-byte the file okrtree last saved (same size and
modification time), the digests recorded then stand for those tabs and they need not be read.
Any other save of the hub, by a person or a tool, voids the record; a tab then read in full and
found unchanged is vouched for again once okrtree next rewrites it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .xlsx_safety import FileStamp

__all__ = ["STATE_FILE", "load_digests", "save_digests"]

STATE_FILE = Path(".okrtree") / "hub-state.json"


def load_digests(workspace: Path, hub: FileStamp) -> dict[str, str]:
    """The recorded digests, if the hub is still the file they were recorded for; else none."""
    try:
        state = json.loads((workspace / STATE_FILE).read_text(encoding="utf-8"))
        if state["hub"] == [hub.mtime_ns, hub.size]:
            return {str(tab): str(digest) for tab, digest in state["digests"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no record, or not one this version wrote: read the tabs
    return {}


def save_digests(workspace: Path, hub: FileStamp, digests: dict[str, str]) -> None:
    """Record the digests for the hub file as it is now; a failure only costs speed later."""
    path = workspace / STATE_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"hub": [hub.mtime_ns, hub.size], "digests": digests}), encoding="utf-8"
        )
        os.replace(temporary, path)
    except OSError:
        pass
