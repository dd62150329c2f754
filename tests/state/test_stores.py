"""The stores: a folder and a Cloud Storage bucket (the real client on a local emulator).

Both answer the newest state, cache it until it changes, refuse what is not a state with a log
line, and replace it atomically.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from sync.engine import Run
from sync.state import SCHEMA, DirectoryStore, State, StateStore, encode, state_of
from sync.state.gcs import GcsStore
from sync.state.locate import open_state_store, state_name

from .conftest import BUCKET

SOURCE = "org"
KEY = "1AbCdEfGhIjKlMnOpQrStUv"


@pytest.fixture(params=["directory", "gcs"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """`make_store()`: another handle on one store (as another process or instance has)."""
    if request.param == "directory":
        return lambda: DirectoryStore(tmp_path / "state" / "state.json.gz", SOURCE)
    client = request.getfixturevalue("storage_client")
    return lambda: GcsStore(BUCKET, "okrtree/state-org.json.gz", SOURCE, client)


def test_empty_then_shared(make_store: Any, full_run: Run) -> None:
    first, second = make_store(), make_store()
    assert first.load() is None
    first.save(state_of(full_run, SOURCE, taken=1000.0))
    loaded = second.load()
    assert loaded is not None and loaded.taken == 1000.0
    assert second.load() is loaded  # unchanged: the decoded state is reused
    first.save(state_of(full_run, SOURCE, taken=2000.0))
    assert second.load().taken == 2000.0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "content",
    [b"", b"\x80\x04\x95 a pickle", b"{}", "wrong schema", "another source"],
    ids=["empty", "pickle", "not gzip", "wrong schema", "another source"],
)
def test_anything_else_is_ignored_with_a_log_line(
    make_store: Any,
    full_run: Run,
    content: bytes | str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = make_store()
    if content == "wrong schema":
        store.save(state_of(full_run, SOURCE))
        data = _replace_schema(store)
    elif content == "another source":
        data = encode(state_of(full_run, "elsewhere"))
    else:
        data = content  # type: ignore[assignment]
    _put(store, data)
    with caplog.at_level(logging.WARNING, logger="sync.state"):
        assert make_store().load() is None
    assert (
        "ignoring the okrtree state" in caplog.text and "the next sync rebuilds it" in caplog.text
    )
    store.save(state_of(full_run, SOURCE, taken=3.0))  # rebuilt by the next sync
    assert make_store().load().taken == 3.0  # type: ignore[union-attr]


def _replace_schema(store: StateStore) -> bytes:
    import json

    from sync.state.members import join, split

    current = store.load()
    assert isinstance(current, State)
    text, members = split(encode(current))
    document = json.loads(text)
    document["schema"] = SCHEMA + 1
    return join(json.dumps(document), members)


def _put(store: Any, data: bytes) -> None:
    if isinstance(store, DirectoryStore):
        store.path.parent.mkdir(parents=True, exist_ok=True)
        store.path.write_bytes(data)
    else:
        store.bucket.blob(store.name).upload_from_string(data)


def test_a_directory_write_is_atomic(tmp_path: Path, full_run: Run) -> None:
    """Readers polling while states are written see an old state or a new one, never a part."""
    folder = tmp_path / "state"
    writer = DirectoryStore(folder / "state.json.gz", SOURCE)
    writer.save(state_of(full_run, SOURCE, taken=0.0))
    seen: list[float | None] = []
    done = threading.Event()

    def read() -> None:
        reader = DirectoryStore(folder / "state.json.gz", SOURCE)
        while not done.is_set():
            state = reader.load()
            seen.append(None if state is None else state.taken)

    thread = threading.Thread(target=read)
    thread.start()
    for taken in range(1, 30):
        writer.save(state_of(full_run, SOURCE, taken=float(taken)))
    done.set()
    thread.join()
    assert seen and None not in seen
    assert [p.name for p in folder.iterdir()] == ["state.json.gz"]  # no temporary left


def test_a_failed_directory_write_leaves_the_old_state(
    tmp_path: Path, full_run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DirectoryStore(tmp_path / "state" / "state.json.gz", SOURCE)
    store.save(state_of(full_run, SOURCE, taken=1.0))

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        store.save(state_of(full_run, SOURCE, taken=2.0))
    monkeypatch.undo()
    assert DirectoryStore(store.path, SOURCE).load().taken == 1.0  # type: ignore[union-attr]
    assert [p.name for p in store.path.parent.iterdir()] == ["state.json.gz"]


class _Rival:
    """A bucket whose object another writer replaces just before our first upload."""

    def __init__(self, inner: Any, rival: bytes) -> None:
        self.inner = inner
        self.rival: bytes | None = rival

    def get_blob(self, name: str) -> Any:
        return self.inner.get_blob(name)

    def blob(self, name: str) -> Any:
        blob = self.inner.blob(name)
        if self.rival is None:
            return blob
        rival, self.rival = self.rival, None

        def racing(data: bytes, **kwargs: Any) -> None:
            from google.api_core import exceptions

            self.inner.blob(name).upload_from_string(rival)  # the other sync wins the race
            raise exceptions.PreconditionFailed("generation moved")

        blob.upload_from_string = racing
        return blob


@pytest.mark.parametrize(("ours", "theirs", "kept"), [(2.0, 1.0, 2.0), (1.0, 2.0, 2.0)])
def test_a_gcs_writer_that_loses_the_race_keeps_the_newer_state(
    storage_client: Any, full_run: Run, ours: float, theirs: float, kept: float
) -> None:
    store = GcsStore(BUCKET, "okrtree/race.json.gz", SOURCE, storage_client)
    store._bucket = _Rival(store.bucket, encode(state_of(full_run, SOURCE, taken=theirs)))
    store.save(state_of(full_run, SOURCE, taken=ours))
    fresh = GcsStore(BUCKET, "okrtree/race.json.gz", SOURCE, storage_client)
    assert fresh.load().taken == kept  # type: ignore[union-attr]


def test_a_warm_gcs_reader_pays_one_metadata_call(storage_client: Any, full_run: Run) -> None:
    GcsStore(BUCKET, "okrtree/s.json.gz", SOURCE, storage_client).save(state_of(full_run, SOURCE))
    reader = GcsStore(BUCKET, "okrtree/s.json.gz", SOURCE, storage_client)
    calls: list[str] = []
    session = storage_client._http
    original = session.request

    def counting(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(f"{method} {'download' if 'alt=media' in url else 'metadata'}")
        return original(method, url, *args, **kwargs)

    session.request = counting
    reader.load()
    assert calls == ["GET metadata", "GET download"]
    calls.clear()
    reader.load()
    assert calls == ["GET metadata"]


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("ws", {}, "ws/.okrtree/state.json.gz"),
        ("ws", {"OKRTREE_STATE_DIR": "/srv/state"}, "/srv/state/"),
        (
            "1AbCdEfGhIjKlMnOpQrStUv",
            {"XDG_CACHE_HOME": "/c"},
            "/c/okrtree/1AbCdEfGhIjKlMnOpQrStUv/",
        ),
        ("1AbCdEfGhIjKlMnOpQrStUv", {"OKRTREE_STATE_BUCKET": "p.appspot.com"}, "gs://p.appspot"),
    ],
)
def test_where_the_state_is_kept(
    source: str, env: dict[str, str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ws").mkdir()
    store = open_state_store(source, env=env)
    assert store.where.startswith(expected)
    if "OKRTREE_STATE_DIR" in env:
        assert store.where.endswith(state_name(source))
