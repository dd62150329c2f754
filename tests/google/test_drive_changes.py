"""`changed_since`: which registered spreadsheets changed, asked of the fake Drive through the
one gateway, with the calls it costs counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sync.emulator import Emulator
from sync.google.api import SheetsApi
from sync.google.drive_changes import changed_since, start_token

from .conftest import kinds

Edit = Callable[[Emulator, SheetsApi, dict[str, str]], Any]


@pytest.fixture
def teams(emulator: Emulator) -> dict[str, str]:
    """Three registered team sheets and one spreadsheet okrtree does not know about."""
    names = ["A", "B", "C", "Stranger"]
    return {n: emulator.create_spreadsheet(f"Team {n}", {"OKRs": [["ID"], ["KR1"]]}) for n in names}


def registered(teams: dict[str, str]) -> set[str]:
    return {teams[n] for n in ("A", "B", "C")}


def person_types(name: str) -> Edit:
    return lambda emu, api, keys: emu.edit_values(keys[name], "OKRs", "B2", [["0.5"]])


def okrtree_writes(name: str) -> Edit:
    return lambda emu, api, keys: api.batch_update(
        keys[name],
        [{"updateSheetProperties": {"properties": {"title": "OKRs"}, "fields": "title"}}],
    )


def deleted(name: str) -> Edit:
    return lambda emu, api, keys: emu.store.delete(keys[name])


def unshared(name: str) -> Edit:
    return lambda emu, api, keys: emu.set_access(keys[name], readable=False)


EDITS: list[tuple[str, list[Edit], bool, set[str]]] = [
    ("quiet night", [], False, set()),
    ("one edit", [person_types("B")], False, {"B"}),
    ("two edits, one sheet", [person_types("A"), person_types("A")], False, {"A"}),
    ("two sheets", [person_types("A"), person_types("C")], False, {"A", "C"}),
    ("a stranger edited", [person_types("Stranger")], False, set()),
    ("deleted", [deleted("C")], False, {"C"}),
    ("no longer shared", [unshared("A")], False, {"A"}),
    ("own write counts", [okrtree_writes("B")], False, {"B"}),
    ("own write skipped", [okrtree_writes("B")], True, set()),
    ("own write, then a person", [okrtree_writes("B"), person_types("B")], True, {"B"}),
    ("a person, then own write", [person_types("B"), okrtree_writes("B")], False, {"B"}),
]


@pytest.mark.parametrize(
    ("edits", "skip_own", "expected"),
    [case[1:] for case in EDITS],
    ids=[case[0] for case in EDITS],
)
def test_token_way_reports_what_changed_in_one_call(
    emulator: Emulator,
    api: SheetsApi,
    teams: dict[str, str],
    edits: list[Edit],
    skip_own: bool,
    expected: set[str],
) -> None:
    token = start_token(api)
    for edit in edits:
        edit(emulator, api, teams)
    emulator.reset_stats()
    changed, new_token = changed_since(api, registered(teams), token, skip_own_writes=skip_own)
    assert changed == {teams[n] for n in expected}
    assert kinds(emulator) == {"drive.changes.list": 1}
    again, _ = changed_since(api, registered(teams), new_token)
    assert again == set()


@pytest.mark.parametrize(
    ("edited", "expected"),
    [([], set()), (["A"], {"A"}), (["A", "Stranger", "C"], {"A", "C"})],
)
def test_time_way_lists_sheets_modified_after_the_time(
    emulator: Emulator,
    api: SheetsApi,
    teams: dict[str, str],
    edited: list[str],
    expected: set[str],
) -> None:
    for key in teams.values():
        emulator.spreadsheet(key).modified_time = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    since = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    for name in edited:
        person_types(name)(emulator, api, teams)
    emulator.reset_stats()
    changed, token = changed_since(api, registered(teams), since)
    assert changed == {teams[n] for n in expected}
    assert kinds(emulator) == {"drive.changes.getStartPageToken": 1, "drive.files.list": 1}
    assert changed_since(api, registered(teams), token).changed == set()


@pytest.mark.parametrize("way", ["token", "time"])
def test_an_edit_during_the_look_is_reported_next_time(
    emulator: Emulator, api: SheetsApi, teams: dict[str, str], way: str
) -> None:
    since: str | dt.datetime = start_token(api)
    kind = "drive.changes.list"
    if way == "time":
        since, kind = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1), "drive.files.list"
    emulator.before_next(lambda: person_types("B")(emulator, api, teams), kind=kind)
    first = changed_since(api, registered(teams), since)
    second = changed_since(api, registered(teams), first.token)
    assert teams["B"] in first.changed | second.changed


def test_never_looked_means_every_key_and_a_token(
    emulator: Emulator, api: SheetsApi, teams: dict[str, str]
) -> None:
    emulator.reset_stats()
    changed, token = changed_since(api, registered(teams), None)
    assert changed == registered(teams)
    assert kinds(emulator) == {"drive.changes.getStartPageToken": 1}
    person_types("A")(emulator, api, teams)
    assert changed_since(api, registered(teams), token).changed == {teams["A"]}


@pytest.mark.parametrize("token", ["not-a-token", "99999999"])
def test_a_refused_token_means_a_full_read(
    api: SheetsApi, teams: dict[str, str], token: str
) -> None:
    changed, fresh = changed_since(api, registered(teams), token)
    assert changed == registered(teams)
    assert fresh.isdigit() and fresh != token


@pytest.mark.parametrize(("extra", "pages"), [(998, 1), (999, 2), (2100, 3)])  # + A and C
def test_long_feeds_are_paged_a_thousand_at_a_time(
    emulator: Emulator, api: SheetsApi, teams: dict[str, str], extra: int, pages: int
) -> None:
    token = start_token(api)
    person_types("A")(emulator, api, teams)
    for n in range(extra):
        emulator.create_spreadsheet(f"Other {n}")
    person_types("C")(emulator, api, teams)
    emulator.reset_stats()
    changed, _ = changed_since(api, registered(teams), token)
    assert changed == {teams["A"], teams["C"]}
    assert kinds(emulator) == {"drive.changes.list": pages}


def test_a_time_without_a_zone_is_refused(api: SheetsApi, teams: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="time zone"):
        changed_since(api, registered(teams), dt.datetime(2026, 11, 21, 10, 0))
