"""Fixtures shared by the test folders."""

from __future__ import annotations

import pytest

from sync.emulator import Emulator


@pytest.fixture
def emulator() -> Emulator:
    """A fresh, empty fake Sheets API whose injected latency does not really sleep."""
    emu = Emulator()
    emu.sleep = lambda seconds: None
    return emu


@pytest.fixture(autouse=True)
def private_state_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test keeps a Google hub's sync state in its own cache folder, never the user's, and
    no bucket or state folder leaks in from the environment."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("OKRTREE_STATE_BUCKET", raising=False)
    monkeypatch.delenv("OKRTREE_STATE_DIR", raising=False)
