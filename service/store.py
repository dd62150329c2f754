"""The service's side of the shared state (`sync.state`): which store, and "no state yet".

Every full sync (the CLI's `okrtree sync`, `/api/sync`, the nightly worker) saves the state of
its run there, and every request that needs the organisation loads the newest one first: a
warm process pays one metadata call (a `stat`, or one Cloud Storage metadata request) and
reuses what it decoded, so a sync made anywhere shows at the next request everywhere.
"""

from __future__ import annotations

import os

from sync.state import StateStore, open_state_store

from .config import ServiceConfig

__all__ = ["NO_STATE", "NoState", "open_store"]

NO_STATE = "no sync has run yet; an administrator runs one"


class NoState(Exception):  # noqa: N818 - an outcome the API turns into 409
    """The store holds no state for the organisation yet."""


def open_store(config: ServiceConfig) -> StateStore:
    """A Cloud Storage bucket when `OKRTREE_STATE_BUCKET` is set, else a folder
    (`OKRTREE_STATE_DIR`, or the source's default; see `sync.state.locate`)."""
    cache = {k: v for k, v in os.environ.items() if k == "XDG_CACHE_HOME"}
    return open_state_store(
        config.source, bucket=config.state_bucket, directory=config.state_dir, env=cache
    )
