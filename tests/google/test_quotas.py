"""The client-side rate limiter: under the per-minute quotas, so a big organisation never
meets a 429; limits from options, the environment or the hub's Settings."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.engine import read_and_compute
from sync.errors import ConfigError, SourceError
from sync.google.ratelimit import Quotas, RateLimiter, per_minute
from sync.hub import parse_settings
from sync.snapshot import HubSnapshot
from tests.clock import FakeClock

from .conftest import AS_OF, fast_org, sync

CYCLE = [["Cycle start", "2026-10-01"], ["Cycle end", "2026-12-31"]]


def most_in_any_window(stamps: list[float], window: float) -> int:
    """The most stamps within any `window` seconds (a microsecond of rounding allowed)."""
    stamps = sorted(stamps)
    best, start = 0, 0
    for end, moment in enumerate(stamps):
        while moment - stamps[start] >= window - 1e-6:
            start += 1
        best = max(best, end - start + 1)
    return best


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 30),
    requests=st.integers(0, 120),
    margin=st.sampled_from([0.0, 0.5, 1.0]),
    gaps=st.lists(st.floats(0, 5), max_size=120),
)
def test_never_more_than_the_limit_in_any_minute(
    limit: int, requests: int, margin: float, gaps: list[float]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(limit, clock=clock, sleep=clock.sleep, margin=margin)
    stamps = []
    for i in range(requests):
        if i < len(gaps):
            clock.sleep(gaps[i])  # time passing between requests
        limiter.acquire()
        stamps.append(clock())
    assert most_in_any_window(stamps, 60.0 + margin) <= limit
    if requests <= limit and not gaps:
        assert clock() == 0  # a burst within the limit does not wait


def test_parallel_workers_share_one_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep, margin=0)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            limiter.acquire()
            with lock:
                stamps.append(clock())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stamps) == 80
    assert most_in_any_window(stamps, 60.0) <= 10
    assert clock() >= 7 * 60  # 80 requests at 10 a minute take at least 7 more minutes


@pytest.mark.parametrize(("limited", "meets_429"), [(True, False), (False, True)])
def test_a_big_organisation_meets_no_429_under_the_limiter(
    emulator: Emulator,
    clock: FakeClock,
    backend: Callable[[str], GoogleBackend],
    limited: bool,
    meets_429: bool,
) -> None:
    hub = fast_org(emulator, 90)
    emulator.set_quota(60, kind="read")
    emulator.set_quota(60, kind="write")
    one = backend(hub)
    one.workers = 1  # one fake clock for all: threads would see each other's sleeps as latency
    if not limited:  # the control: without the limiter the same run does meet the quota
        one.api.quotas = Quotas.build(10**6, 10**6, env={}, clock=clock, sleep=clock.sleep)
    outcome = sync(one)
    statuses = [status for _, status in emulator.log]
    assert (429 in statuses) is meets_429
    assert not outcome.computed.result.has_errors  # retries carried the control through
    if limited:
        assert clock() - 1000.0 >= 2 * 60  # 91 reads + 90 checks at 60 a minute


def test_hub_settings_set_the_limits_unless_the_environment_does(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub = fast_org(emulator, 2, {"Reads per minute": 300, "Writes per minute": "120"})
    one = backend(hub)
    one.read_hub()  # a read alone changes nothing: the engine applies the parsed Settings
    assert (one.api.quotas.reads.limit, one.api.quotas.writes.limit) == (60, 60)
    read_and_compute(one, AS_OF)
    assert (one.api.quotas.reads.limit, one.api.quotas.writes.limit) == (300, 120)
    fixed = Quotas.build(env={"OKRTREE_READS_PER_MINUTE": "30"})
    fixed.apply_settings(300, 120)
    assert (fixed.reads.limit, fixed.writes.limit) == (30, 120)


@pytest.mark.parametrize(
    ("explicit", "env", "found", "expected"),
    [
        (None, {}, {}, 60),
        (None, {}, {"reads": 90}, 90),
        (None, {"OKRTREE_READS_PER_MINUTE": "45"}, {"reads": 90}, 45),
        (20, {"OKRTREE_READS_PER_MINUTE": "45"}, {"reads": 90}, 20),
    ],
)
def test_limit_precedence(
    explicit: int | None, env: dict[str, str], found: dict[str, int], expected: int
) -> None:
    assert per_minute("reads", explicit, env, found) == expected


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        ([["Reads per minute", 300]], (300, None)),
        ([["  writes PER minute ", "90"], ["Cycle", "2026-Q4"]], (None, 90)),
        ([["Reads per minute", None]], (None, None)),
        ([["Reads per minute", ""], ["Other", 1]], (None, None)),
    ],
)
def test_settings_keys(grid: list[list[object]], expected: tuple[int | None, int | None]) -> None:
    settings = parse_settings(HubSnapshot("hub", {"Settings": [*CYCLE, *grid]}))
    assert (settings.reads_per_minute, settings.writes_per_minute) == expected


@pytest.mark.parametrize("bad", ["lots", 0, -5, 2.5])
def test_a_bad_limit_stops_the_run(bad: object) -> None:
    hub = HubSnapshot("hub", {"Settings": [*CYCLE, ["Reads per minute", bad]]})
    with pytest.raises(SourceError, match=r"Settings row 3 \(Reads per minute\): .* whole number"):
        parse_settings(hub)
    with pytest.raises(ConfigError, match="OKRTREE_WRITES_PER_MINUTE"):
        per_minute("writes", None, {"OKRTREE_WRITES_PER_MINUTE": str(bad)})


def test_a_client_keeps_its_own_limiters_and_its_backends_share_them() -> None:
    from sync.google.api import make_api
    from sync.sources import open_backend

    env = {"OKRTREE_CREDENTIALS": "anonymous", "OKRTREE_SHEETS_ENDPOINT": "http://127.0.0.1:9"}
    first = make_api(env=env)
    raised = make_api(env={**env, "OKRTREE_READS_PER_MINUTE": "500"})
    assert raised.quotas is not first.quotas  # no state shared behind the callers' backs
    assert (first.quotas.reads.limit, raised.quotas.reads.limit) == (60, 500)
    key = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
    one, two = open_backend(key, api=first), open_backend(key, api=first)
    assert isinstance(one, GoogleBackend) and isinstance(two, GoogleBackend)
    one.api.quotas.reads.acquire()
    assert two.api is first and len(two.api.quotas.reads.sent) == 1
