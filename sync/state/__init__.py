"""The state of the last full run, kept where every process of an organisation finds it.

`codec` turns a run into data and back (versioned gzip JSON, never pickle), `store` keeps it in
a folder, `gcs` in a Cloud Storage bucket, `locate` picks the store for a source.
"""

from .codec import SCHEMA, BadState, State, decode, encode, state_of
from .locate import open_state_store, state_name
from .store import DirectoryStore, StateStore

__all__ = [
    "SCHEMA",
    "BadState",
    "DirectoryStore",
    "State",
    "StateStore",
    "decode",
    "encode",
    "open_state_store",
    "state_name",
    "state_of",
]
