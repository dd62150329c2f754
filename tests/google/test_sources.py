"""Which backend a SOURCE opens: a folder, a Google URL, or something shaped like a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.backends.gsheets import GoogleBackend
from sync.backends.xlsx import XlsxBackend
from sync.errors import ConfigError, SourceError
from sync.google.keys import spreadsheet_key
from sync.sources import open_backend

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
ENV = {"OKRTREE_CREDENTIALS": "anonymous"}


@pytest.mark.parametrize(
    "source",
    [
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
        f"https://docs.google.com/spreadsheets/u/1/d/{KEY}/edit",
        f"  {KEY}  ",
        KEY,
    ],
)
def test_google_sources(source: str) -> None:
    backend = open_backend(source, env=ENV)
    assert isinstance(backend, GoogleBackend) and backend.hub_key == KEY


def test_an_existing_folder_wins_over_a_key_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / KEY).mkdir()
    monkeypatch.chdir(tmp_path)
    assert isinstance(open_backend(KEY, env=ENV), XlsxBackend)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("https://example.com/sheet", "not a Google Sheets URL"),
        ("my-org", "no such workspace folder"),
        ("short-key", "no such workspace folder"),
    ],
)
def test_neither(source: str, says: str) -> None:
    with pytest.raises(SourceError, match=says):
        open_backend(source, env=ENV)


def test_credentials_and_endpoint_pass_through() -> None:
    backend = open_backend(KEY, credentials="anonymous", endpoint="http://127.0.0.1:9", env={})
    assert isinstance(backend, GoogleBackend)
    adapter = backend.api.http.session.get_adapter("https://sheets.googleapis.com/v4/x")
    assert getattr(adapter, "base_url", None) == "http://127.0.0.1:9"
    with pytest.raises(ConfigError, match="OKRTREE_SHEETS_ENDPOINT"):
        open_backend(KEY, env={**ENV, "OKRTREE_SHEETS_ENDPOINT": "127.0.0.1:9"})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing", KEY),
        (f"http://DOCS.google.com/spreadsheets/d/{KEY}", KEY),
        ("teams/sales.xlsx", None),
        ("", None),
        ("abc def ghi jkl mno pqr stu", None),
    ],
)
def test_spreadsheet_keys(text: str, key: str | None) -> None:
    assert spreadsheet_key(text) == key
