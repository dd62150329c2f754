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
