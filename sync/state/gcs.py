"""The state in a Google Cloud Storage object, shared by every service instance and the CLI.

A reader asks for the object's metadata (one call) and downloads it only when its generation
moved; a writer replaces it with a generation precondition, so two syncs finishing together
cannot interleave: the one that loses looks again and keeps whichever state is newer.
`google.cloud.storage` is imported here only, when a bucket is configured.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from ..errors import OkrError
from .codec import State, encode
from .store import load_checked

__all__ = ["GcsStore"]

log = logging.getLogger(__name__)
_ATTEMPTS = 5


class GcsStore:
    """The state as `gs://bucket/name`; `client` is a `google.cloud.storage.Client` (made from
    the environment's credentials when not given)."""

    def __init__(self, bucket: str, name: str, source: str, client: Any = None) -> None:
        self.bucket_name = bucket
        self._client = client
        self._bucket: Any = None
        self.name = name
        self.source = source
        self.where = f"gs://{bucket}/{name}"
        self._lock = threading.Lock()
        self._cached: tuple[int, State | None] | None = None

    @property
    def bucket(self) -> Any:
        """The bucket; the client is made at first use, so configuring a store needs no
        credentials until the first request."""
        if self._bucket is None:
            if self._client is None:
                from google.cloud import storage

                self._client = storage.Client()
            self._bucket = self._client.bucket(self.bucket_name)
        return self._bucket

    def _generation(self) -> int | None:
        blob = self.bucket.get_blob(self.name)
        return None if blob is None else int(blob.generation)

    def load(self) -> State | None:
        from google.api_core import exceptions

        generation = self._generation()
        if generation is None:
            return None
        with self._lock:
            if self._cached is not None and self._cached[0] == generation:
                return self._cached[1]
        try:
            data = self.bucket.blob(self.name).download_as_bytes(if_generation_match=generation)
        except (exceptions.PreconditionFailed, exceptions.NotFound):
            return self.load()  # replaced between the two calls: look again
        state = load_checked(data, self.source, self.where)
        with self._lock:
            self._cached = (generation, state)
        return state

    def save(self, state: State) -> None:
        from google.api_core import exceptions

        data = encode(state)
        for _ in range(_ATTEMPTS):
            generation = self._generation()
            if generation is not None:
                current = self.load()
                if current is not None and current.taken > state.taken:
                    log.info("a newer state is already in %s; keeping it", self.where)
                    return
            blob = self.bucket.blob(self.name)
            try:
                blob.upload_from_string(
                    data,
                    content_type="application/gzip",
                    if_generation_match=generation or 0,
                )
            except exceptions.PreconditionFailed:
                continue  # someone saved in between: compare with theirs
            with self._lock:
                self._cached = (int(blob.generation), state)
            return
        raise OkrError(f"could not save the okrtree state to {self.where}: it kept changing")
