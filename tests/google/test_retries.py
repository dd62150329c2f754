"""429, 5xx and timeouts: retried a bounded number of times with backoff, honouring
Retry-After; a team that keeps failing gets its finding and the others go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gspread
import pytest
import requests

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator, make_client
from sync.google.api import GoogleApiError, SheetsApi
from sync.google.ratelimit import Quotas
from sync.google.retry import RetryPolicy
from sync.model import Code
from tests.clock import FakeClock

from .conftest import ACCOUNT, RecordingHTTPClient, kinds, sync, team_keys


def to(emulator: Emulator, key: str) -> list[tuple[str, int]]:
    return [(info.kind, status) for info, status in emulator.log if info.spreadsheet_id == key]


def test_a_429_waits_as_long_as_retry_after_says(
    emulator: Emulator,
    clock: FakeClock,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
) -> None:
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    emulator.fail_next(2, status=429, spreadsheet_id=key, retry_after=7)
    outcome = sync(backend(hub), write=False)
    assert not outcome.computed.result.has_errors
    assert to(emulator, key) == [("spreadsheets.get", 429)] * 2 + [("spreadsheets.get", 200)]
    assert [s for s in clock.sleeps if s >= 7] == [7, 7]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_are_retried_with_growing_waits(
    emulator: Emulator,
    clock: FakeClock,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    status: int,
) -> None:
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    emulator.fail_next(3, status=status, spreadsheet_id=key)
    outcome = sync(backend(hub), write=False)
    assert not outcome.computed.result.has_errors
    assert [s for _, s in to(emulator, key)] == [status] * 3 + [200]
    assert clock.sleeps == [0.75, 1.5, 3.0]  # 1, 2, 4 seconds, jitter drawn at the middle


class Flaky(RecordingHTTPClient):
    """Times out the first `failures` requests whose URL holds `needle`."""

    needle = ""
    failures = 0

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.needle and self.needle in endpoint and type(self).failures > 0:
            type(self).failures -= 1
            raise requests.ReadTimeout(f"read timed out: {endpoint}")
        return super().request(method, endpoint, *args, **kwargs)


@pytest.mark.parametrize(("failures", "unreadable"), [(2, False), (5, True), (9, True)])
def test_timeouts_are_retried_a_bounded_number_of_times(
    emulator: Emulator,
    clock: FakeClock,
    org: Callable[[int], str],
    failures: int,
    unreadable: bool,
) -> None:
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]

    class Timeouts(Flaky):
        needle = key

    Timeouts.failures = failures
    client = make_client(emulator, http_client=Timeouts)
    api = SheetsApi(
        client.http_client,
        Quotas.build(env={}, clock=clock, sleep=clock.sleep),
        RetryPolicy(attempts=5, sleep=clock.sleep, random=lambda: 0.5),
        ACCOUNT,
    )
    outcome = sync(GoogleBackend(hub, api), write=False)
    findings = [
        f for f in outcome.computed.result.findings if f.code == Code.SPREADSHEET_UNREADABLE
    ]
    assert [f.team for f in findings] == (["T1"] if unreadable else [])
    if unreadable:
        assert "after 5 attempts" in findings[0].message and "timed out" in findings[0].message
        assert Timeouts.failures == failures - 5  # five tries, not one more
    ok = [t.team.name for t in outcome.computed.result.teams if t.ok]
    assert ok == (["Company", "T2"] if unreadable else ["Company", "T1", "T2"])


def test_a_team_that_keeps_failing_to_read_is_unreadable_and_the_others_go_on(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]
    emulator.fail_next(50, status=503, spreadsheet_id=key)
    outcome = sync(backend(hub))
    result = outcome.computed.result
    unreadable = [f for f in result.findings if f.code == Code.SPREADSHEET_UNREADABLE]
    assert [f.team for f in unreadable] == ["T1"]
    assert "HTTP 503 after 5 attempts" in unreadable[0].message
    assert len(to(emulator, key)) == 5
    assert result.writes_spreadsheets == 3  # Company, T2 and the hub


def test_a_team_that_keeps_failing_to_write_is_not_written_and_the_others_go_on(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]
    emulator.fail_next(50, status=500, kind="spreadsheets.batchUpdate", spreadsheet_id=key)
    outcome = sync(backend(hub))
    result = outcome.computed.result
    refused = [f for f in result.findings if f.code == Code.NOT_WRITTEN]
    assert [f.team for f in refused] == ["T1"]
    assert "kept failing" in refused[0].message
    assert result.writes_spreadsheets == 3
    findings = emulator.values(hub, "Findings")
    assert any("NOT_WRITTEN" in row for row in findings)


def test_refusals_are_not_retried(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    key = team_keys(emulator, hub)["T1"]
    emulator.set_access(key, readable=False)
    sync(backend(hub), write=False)
    assert to(emulator, key) == [("spreadsheets.get", 403)]


@pytest.mark.parametrize("after", [False, True], ids=["not applied", "answer lost"])
def test_a_failed_hub_write_that_adds_tabs_ends_with_each_tab_once(
    emulator: Emulator,
    org: Callable[[int], str],
    backend: Callable[[str], GoogleBackend],
    after: bool,
) -> None:
    hub = org(2)
    emulator.fail_next(
        1, status=500, kind="spreadsheets.batchUpdate", spreadsheet_id=hub, after=after
    )
    outcome = sync(backend(hub))
    titles = [s.title for s in emulator.spreadsheet(hub).sheets]
    assert sorted(titles) == ["Alignment Tree", "Check-ins", "Findings", "Settings", "Teams"]
    assert outcome.computed.result.writes_spreadsheets == 3
    emulator.reset_stats()
    sync(backend(hub))
    assert "spreadsheets.batchUpdate" not in kinds(emulator)  # and it is all in place


def test_a_hub_that_cannot_be_written_is_not_written_and_the_teams_stand(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    emulator.set_access(hub, writable=False)
    result = sync(backend(hub)).computed.result
    refused = [f for f in result.findings if f.code == Code.NOT_WRITTEN]
    assert [f.team for f in refused] == [None]
    assert f"share it with {ACCOUNT} (Editor)" in refused[0].message
    assert result.writes_spreadsheets == 2  # both teams


def test_a_hub_write_that_keeps_failing_is_not_written(
    emulator: Emulator, org: Callable[[int], str], backend: Callable[[str], GoogleBackend]
) -> None:
    hub = org(2)
    sync(backend(hub))
    emulator.edit_values(hub, "Findings", "A1", [["edited"]])
    emulator.fail_next(50, status=503, kind="spreadsheets.batchUpdate", spreadsheet_id=hub)
    result = sync(backend(hub)).computed.result
    [refused] = [f for f in result.findings if f.code == Code.NOT_WRITTEN]
    assert "HTTP 503 after 5 attempts" in refused.message


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [
        (1, None, 1.0),
        (2, None, 2.0),
        (6, None, 32.0),
        (9, None, 32.0),
        (1, 5.0, 5.0),
        (3, 1.0, 4.0),
        (1, 999.0, 120.0),
    ],
)
def test_backoff_is_capped_and_retry_after_bounded(
    attempt: int, retry_after: float | None, expected: float
) -> None:
    assert RetryPolicy(random=lambda: 1.0).delay(attempt, retry_after) == expected
    low = RetryPolicy(random=lambda: 0.0).delay(attempt, retry_after)
    assert low >= min(expected, 120.0) / 2


def test_an_unexpected_error_is_not_swallowed(clock: FakeClock) -> None:
    class Broken(gspread.http_client.HTTPClient):
        def request(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            raise KeyError("a bug")

    api = SheetsApi(
        Broken(None, session=requests.Session()),
        Quotas.build(env={}),
        RetryPolicy(sleep=clock.sleep),
    )
    with pytest.raises(KeyError):
        api.get_spreadsheet("k" * 30, fields="sheets")
    assert clock.sleeps == []


def test_gave_up_errors_say_how_often_they_tried(emulator: Emulator, api: SheetsApi) -> None:
    key = emulator.create_spreadsheet("x", {"OKRs": [["ID"]]})
    emulator.fail_next(9, status=429, spreadsheet_id=key)
    with pytest.raises(GoogleApiError, match="HTTP 429 after 5 attempts") as caught:
        api.get_spreadsheet(key, fields="sheets")
    assert caught.value.status == 429 and not caught.value.ambiguous


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (requests.ConnectionError("connection reset"), "connection failed"),
        (requests.exceptions.ChunkedEncodingError("IncompleteRead(120 bytes read)"), "cut off"),
        (requests.exceptions.ContentDecodingError("incorrect header check"), "cut off"),
    ],
    ids=["reset", "answer cut off", "gzip cut off"],
)
@pytest.mark.parametrize(("failures", "unreadable"), [(2, False), (5, True)])
def test_a_broken_connection_is_retried_and_stays_with_its_team(
    emulator: Emulator,
    clock: FakeClock,
    org: Callable[[int], str],
    error: Exception,
    said: str,
    failures: int,
    unreadable: bool,
) -> None:
    """A connection that drops while the answer arrives is as transient as a timeout: retried,
    and when it keeps failing only that team is unreadable."""
    hub = org(3)
    key = team_keys(emulator, hub)["T1"]

    class Dropping(RecordingHTTPClient):
        left = failures

        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            if key in endpoint and type(self).left > 0:
                type(self).left -= 1
                raise error
            return super().request(method, endpoint, *args, **kwargs)

    client = make_client(emulator, http_client=Dropping)
    api = SheetsApi(
        client.http_client,
        Quotas.build(env={}, clock=clock, sleep=clock.sleep),
        RetryPolicy(attempts=5, sleep=clock.sleep, random=lambda: 0.5),
        ACCOUNT,
    )
    result = sync(GoogleBackend(hub, api), write=False).computed.result
    found = [f for f in result.findings if f.code == Code.SPREADSHEET_UNREADABLE]
    assert [f.team for f in found] == (["T1"] if unreadable else [])
    assert not unreadable or said in found[0].message
    assert [t.team.name for t in result.teams if t.ok] == (
        ["Company", "T2"] if unreadable else ["Company", "T1", "T2"]
    )
