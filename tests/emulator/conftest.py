"""Fixtures for the emulator's own tests: a fresh emulator and a real gspread client on it."""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
import requests

from sync.emulator import Emulator, emulator_session, make_client


@pytest.fixture
def gc(emulator: Emulator) -> gspread.Client:
    """gspread's real client, its HTTP answered by the emulator in process."""
    return make_client(emulator)


@pytest.fixture
def session(emulator: Emulator) -> Iterator[requests.Session]:
    """A bare session on the emulator, to look at raw answers (headers, bodies)."""
    with emulator_session(emulator) as s:
        yield s
