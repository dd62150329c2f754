"""Which store holds an organisation's state: a bucket when one is configured, else a folder.

- `OKRTREE_STATE_BUCKET` (or `bucket=`): `gs://BUCKET/okrtree/state-<source digest>.json.gz`,
  shared by every App Engine instance, the worker and any CLI pointed at the same bucket. On
  App Engine the project's default bucket is `PROJECT_ID.appspot.com`.
- `OKRTREE_STATE_DIR` (or `directory=`): `DIR/state-<source digest>.json.gz`.
- otherwise a workspace keeps it beside its hub, `WORKSPACE/.okrtree/state.json.gz`, and a
  Google hub in the user's cache, `$XDG_CACHE_HOME/okrtree/<hub key>/state.json.gz`
  (`~/.cache` when unset).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..google.keys import spreadsheet_key
from .store import DirectoryStore, StateStore

__all__ = ["STATE_FILE", "open_state_store", "state_name"]

STATE_FILE = "state.json.gz"


def state_name(source: str) -> str:
    """The file name of `source`'s state in a shared folder or bucket.

    >>> state_name("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUv/edit")
    'state-1AbCdEfGhIjKlMnOpQrStUv.json.gz'
    """
    key = spreadsheet_key(source)
    if key is None:
        key = hashlib.sha256(str(Path(source).resolve()).encode("utf-8")).hexdigest()[:20]
    return f"state-{key}.json.gz"


def _cache_home(env: Mapping[str, str]) -> Path:
    home = env.get("XDG_CACHE_HOME")
    return Path(home) if home else Path.home() / ".cache"


def open_state_store(
    source: str,
    *,
    bucket: str | None = None,
    directory: Path | None = None,
    env: Mapping[str, str] | None = None,
    client: Any = None,
) -> StateStore:
    """The store for `source`'s state (see the module docstring for the order)."""
    env = os.environ if env is None else env
    bucket = bucket or env.get("OKRTREE_STATE_BUCKET") or None
    if bucket:
        from .gcs import GcsStore

        return GcsStore(bucket, f"okrtree/{state_name(source)}", source, client)
    if directory is None and env.get("OKRTREE_STATE_DIR"):
        directory = Path(env["OKRTREE_STATE_DIR"])
    if directory is not None:
        return DirectoryStore(directory / state_name(source), source)
    key = spreadsheet_key(source)
    if key is not None and not Path(source).exists():
        return DirectoryStore(_cache_home(env) / "okrtree" / key / STATE_FILE, source)
    return DirectoryStore(Path(source) / ".okrtree" / STATE_FILE, source)
