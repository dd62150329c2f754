"""State fixtures: a full run of the example organisation, and a local Cloud Storage emulator
(`gcp-storage-emulator`, in memory, on a free loopback port) that the real
`google-cloud-storage` client talks to through `STORAGE_EMULATOR_HOST`."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sheets_templates.builder import create_workspace
from sync.engine import Run, run
from sync.sources import open_backend

AS_OF = dt.date(2026, 11, 21)
BUCKET = "okrtree-test.appspot.com"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    directory = tmp_path / "org"
    create_workspace(directory, example=True)
    return directory


@pytest.fixture
def full_run(workspace: Path) -> Run:
    return run(open_backend(str(workspace)), AS_OF)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def storage_emulator() -> Iterator[Any]:
    """The Cloud Storage emulator, with the test bucket; `STORAGE_EMULATOR_HOST` set for it."""
    from gcp_storage_emulator.server import create_server

    port = _free_port()
    server = create_server("127.0.0.1", port, in_memory=True, default_bucket=BUCKET)
    server.start()
    before = os.environ.get("STORAGE_EMULATOR_HOST")
    os.environ["STORAGE_EMULATOR_HOST"] = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        server.stop()
        if before is None:
            os.environ.pop("STORAGE_EMULATOR_HOST", None)
        else:
            os.environ["STORAGE_EMULATOR_HOST"] = before


@pytest.fixture
def storage_client(storage_emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real `google.cloud.storage.Client` on the emulator, its objects wiped first."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", os.environ["STORAGE_EMULATOR_HOST"])
    storage_emulator.wipe(keep_buckets=True)
    return storage.Client(project="okrtree-test", credentials=AnonymousCredentials())
