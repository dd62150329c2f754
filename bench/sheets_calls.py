"""Benchmark: Sheets API calls of okrtree's Google backend beside the common gspread recipe.

    python bench/sheets_calls.py [--sizes 10 100 1000] [--latency 0.1] [--timed 1000]
                                 [--nightly 1000]

Both run against the fake Sheets API in process (`sync.emulator`), which counts requests by
kind. okrtree: one read per spreadsheet, one ID check and one write per changed spreadsheet,
the hub in one write; a rollover adds per team one tab list, one ID check and one write. The
common recipe, per team: `open_by_key` -> `worksheet()` -> `get_all_records()` ->
`update_cell()` per changed cell (the same cells okrtree writes), and each hub output tab that
changes looked up, cleared and rewritten; its rollover renames each tab, duplicates it back,
rewrites its rows, and sets the three Settings cells one by one. Then what the shared state
(`sync.state`) saves: a validate click on a cold service instance (the state loaded from the
store, then the hub's Teams and Settings tabs and the one sheet), and a nightly re-sync when a
share of the team sheets was edited (the hub, one Drive listing per 1,000 spreadsheets, and only
the edited sheets). Then okrtree's wall time for the
`--timed` organisation with `--latency` seconds added to every request (quota limits lifted,
so the time shown is what latency costs; at Google's default 60 requests a minute the quota,
not latency, sets the pace, as printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gspread  # noqa: E402

from sheets_templates.builder import team_column_names  # noqa: E402
from sync.backends.gsheets import GoogleBackend  # noqa: E402
from sync.backends.gsheets_roller import GoogleRoller  # noqa: E402
from sync.emulator import Emulator, make_client  # noqa: E402
from sync.engine import run  # noqa: E402
from sync.google.api import SheetsApi  # noqa: E402
from sync.google.ratelimit import DEFAULT_PER_MINUTE, Quotas  # noqa: E402
from sync.model import Status  # noqa: E402
from sync.plan import plan_hub, plan_teams  # noqa: E402
from sync.rollover import NewCycle, plan_tab, rolled_grid  # noqa: E402
from sync.rollover_run import rollover  # noqa: E402
from sync.snapshot import Link  # noqa: E402
from sync.state import DirectoryStore, state_of  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
HEADER = team_column_names()
UNLIMITED = 10**9


def build(emulator: Emulator, teams: int) -> str:
    """An organisation of `teams` spreadsheets (2 objectives, 6 key results each)."""
    hub_rows: list[list[Any]] = [["Team", "Level", "Parent team", "Spreadsheet", "Tab"]]
    for t in range(teams):
        parent_team = "" if t == 0 else f"Team {(t - 1) // 8}"
        rows: list[list[Any]] = [HEADER]
        for o in range(2):
            parent = "" if t == 0 else f"T{(t - 1) // 8}-{o * 4 + 2}"
            rows.append([f"T{t}-{o * 4 + 1}", "Objective", f"Goal {o}", "a@x.example", parent])
            for k in range(3):
                current = (t * 7 + o * 3 + k) % 11
                rows.append(
                    [
                        f"T{t}-{o * 4 + 2 + k}",
                        "Key Result",
                        f"Measure {k}",
                        "b@x.example",
                        "",
                        "",
                        0,
                        10,
                        current,
                        "",
                        "2026-11-18",
                    ]
                )
        key = emulator.create_spreadsheet(f"Team {t}", {"OKRs": rows})
        level = "Company" if t == 0 else "Team"
        url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
        hub_rows.append([f"Team {t}", level, parent_team, url, "OKRs"])
    settings = [["Cycle", "2026-Q4"], ["Cycle start", "2026-10-01"], ["Cycle end", "2026-12-31"]]
    return emulator.create_spreadsheet("hub", {"Teams": hub_rows, "Settings": settings})


def backend(emulator: Emulator, hub: str) -> GoogleBackend:
    api = SheetsApi(make_client(emulator).http_client, Quotas.build(UNLIMITED, UNLIMITED, env={}))
    return GoogleBackend(hub, api)


def counts(emulator: Emulator) -> tuple[int, int]:
    stats = emulator.stats()
    emulator.reset_stats()
    return stats["reads"], stats["writes"]


NEXT = NewCycle("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))
PHASES = ("validate", "sync", "re-sync", "rollover")


def okrtree_calls(teams: int) -> dict[str, tuple[int, int]]:
    emulator = Emulator()
    emulator.sleep = lambda seconds: None
    hub = build(emulator, teams)
    out = {}
    for phase, write in (("validate", False), ("sync", True), ("re-sync", True)):
        run(backend(emulator, hub), AS_OF, write=write)
        out[phase] = counts(emulator)
    google = backend(emulator, hub)
    rollover(google, GoogleRoller(google), NEXT, AS_OF)
    out["rollover"] = counts(emulator)
    return out


def recipe_rollover(emulator: Emulator, hub: str) -> tuple[int, int]:
    """The rollover by hand with gspread: the same final sync, then per team rename the tab,
    duplicate it back, rewrite its rows; then the hub's three Settings cells."""
    planned = run(backend(emulator, hub), AS_OF, write=True, history=True)
    gc = make_client(emulator)
    done = {(i.team, i.row) for i in planned.computed.result.items if i.status is Status.DONE}
    for snapshot in planned.snapshots:
        key = snapshot.source.split("/d/")[1].split("/")[0]
        worksheet = gc.open_by_key(key).worksheet(snapshot.tab)
        grid = worksheet.get_all_values()
        plan = plan_tab(grid, {row for team, row in done if team == snapshot.team})  # type: ignore[arg-type]
        assert plan is not None
        worksheet.update_title(f"{snapshot.tab} 2026-Q4")
        fresh = worksheet.duplicate(insert_sheet_index=0, new_sheet_name=snapshot.tab)
        rows = rolled_grid(grid, plan)[plan.header_row :]  # type: ignore[arg-type]
        fresh.update([["" if v is None else v for v in r] for r in rows], f"A{plan.header_row + 1}")
    settings = gc.open_by_key(hub).worksheet("Settings")
    for row, value in ((1, NEXT.name), (2, NEXT.start.isoformat()), (3, NEXT.end.isoformat())):
        settings.update_cell(row, 2, value)
    return counts(emulator)


def _cell(value: Any) -> Any:
    if isinstance(value, Link):
        target, text = value.target.replace('"', '""'), value.text.replace('"', '""')
        return f'=HYPERLINK("{target}","{text}")'
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def recipe_calls(teams: int) -> dict[str, tuple[int, int]]:
    """The common recipe, writing the cells okrtree's planner says change."""
    emulator = Emulator()
    emulator.sleep = lambda seconds: None
    hub = build(emulator, teams)
    gc = make_client(emulator)
    out = {}
    for phase, write in (("validate", False), ("sync", True), ("re-sync", True)):
        planned = run(backend(emulator, hub), AS_OF, write=False)  # what should change
        emulator.reset_stats()
        book = gc.open_by_key(hub)
        book.worksheet("Teams").get_all_records()
        book.worksheet("Settings").get_all_values()
        sheets = {}
        for team in planned.teams:
            key = team.source.split("/d/")[1].split("/")[0]
            worksheet = gc.open_by_key(key).worksheet(team.tab)
            worksheet.get_all_records()
            sheets[team.name] = worksheet
        if write:
            for _, changes in plan_teams(planned.computed, planned.teams, planned.snapshots):
                for change in changes.changes:
                    value = "" if change.value is None else change.value
                    sheets[changes.team].update_cell(change.row, change.column, value)
            for table in plan_hub(planned.computed, planned.hub, planned.snapshots, False) or []:
                rows = [table.header, *[[_cell(v) for v in row] for row in table.rows]]
                try:
                    tab = book.worksheet(table.name)
                except gspread.WorksheetNotFound:
                    tab = book.add_worksheet(table.name, len(rows) + 1, len(table.header))
                tab.clear()
                tab.update(rows, "A1", value_input_option="USER_ENTERED")
        out[phase] = counts(emulator)
        if phase == "re-sync":
            out["rollover"] = recipe_rollover(emulator, hub)
        if write and phase == "sync":
            # the recipe rewrites the hub tabs on every run; keep okrtree's state for re-sync
            run(backend(emulator, hub), AS_OF, write=True)
            emulator.reset_stats()
    return out


def timed(teams: int, latency: float) -> dict[str, float]:
    emulator = Emulator()
    hub = build(emulator, teams)
    emulator.add_latency(latency)
    out = {}
    for phase, write in (("validate", False), ("sync", True), ("re-sync", True)):
        started = time.perf_counter()
        run(backend(emulator, hub), AS_OF, write=write)
        out[phase] = time.perf_counter() - started
        reads, writes = counts(emulator)
        out[f"{phase} quota"] = 60 * max(reads, writes) / DEFAULT_PER_MINUTE
    return out


def _synced(emulator: Emulator, hub: str, store: DirectoryStore) -> None:
    """A sync that saves the state, as `okrtree sync`, `/api/sync` or the worker do."""
    previous = store.load()
    kept = previous.snapshots if previous is not None else []
    outcome = run(backend(emulator, hub), AS_OF, write=True, previous=kept)
    store.save(state_of(outcome, hub))


def click_calls(teams: int) -> dict[str, tuple[int, int]]:
    """A cold instance's validate click: on a sheet nobody changed, and on one just edited."""
    from service.locks import SyncLock
    from service.org import Organisation

    emulator = Emulator()
    emulator.sleep = lambda seconds: None
    hub = build(emulator, teams)
    with tempfile.TemporaryDirectory() as scratch:
        store = DirectoryStore(Path(scratch) / "state.json.gz", hub)
        _synced(emulator, hub, store)
        team = f"https://docs.google.com/spreadsheets/d/{_team_key(emulator, hub, teams // 2)}/edit"
        out = {}
        for phase in ("unchanged", "edited"):
            if phase == "edited":
                emulator.edit_values(_team_key(emulator, hub, teams // 2), "OKRs", "I3", [[10]])
            cold = Organisation(  # a new instance: nothing cached but the store
                hub,
                DirectoryStore(store.path, hub),
                SyncLock(hub),
                lambda: AS_OF,
                backend_for=lambda source: backend(emulator, hub),
            )
            emulator.reset_stats()
            cold.validate(team)
            out[phase] = counts(emulator)
    return out


def _team_key(emulator: Emulator, hub: str, index: int) -> str:
    url = str(emulator.values(hub, "Teams")[index + 1][3])
    return url.split("/d/")[1].split("/")[0]


def click_bytes(teams: int, history_days: int) -> dict[str, int]:
    """Bytes downloaded by a click's hub read (Teams and Settings only) and its team sheet,
    beside a read of the whole hub, for `teams` x 8 items with `history_days` of History."""
    emulator = Emulator()
    emulator.sleep = lambda seconds: None
    hub = build(emulator, teams)
    _synced_history(emulator, hub, history_days)
    client = make_client(emulator)
    received: list[int] = []
    client.http_client.session.hooks["response"].append(
        lambda response, *args, **kwargs: received.append(len(response.content))
    )
    api = SheetsApi(client.http_client, Quotas.build(UNLIMITED, UNLIMITED, env={}))
    google = GoogleBackend(hub, api)
    sizes = {}
    for name, read in (
        ("hub: Teams and Settings", google.read_hub_inputs),
        ("hub: every tab", google.read_hub),
    ):
        received.clear()
        read()
        sizes[name] = sum(received)
    team = run(google, AS_OF).teams[teams // 2]
    received.clear()
    google.read_teams([team])
    sizes["one team sheet"] = sum(received)
    sizes["History rows"] = len(emulator.values(hub, "History")) - 1
    return sizes


def _synced_history(emulator: Emulator, hub: str, days: int) -> None:
    """Nightly syncs with History for `days` days (the first writes every output tab)."""
    run(backend(emulator, hub), AS_OF, write=True, history=True)
    history = emulator.values(hub, "History")
    items = history[1:]
    rows = [history[0]]
    for day in range(days - 1, 0, -1):
        date = (AS_OF - dt.timedelta(days=day)).isoformat()
        rows.extend([date, *row[1:]] for row in items)
    rows.extend(items)
    emulator.edit_values(hub, "History", "A1", rows)


def nightly_calls(teams: int, shares: list[float]) -> dict[float, dict[str, int]]:
    """Re-syncs after `share` of the team sheets were edited: calls by kind."""
    out = {}
    for share in shares:
        emulator = Emulator()
        emulator.sleep = lambda seconds: None
        hub = build(emulator, teams)
        with tempfile.TemporaryDirectory() as scratch:
            store = DirectoryStore(Path(scratch) / "state.json.gz", hub)
            _synced(emulator, hub, store)  # the first sync writes every sheet...
            _synced(emulator, hub, store)  # ...so the next reads them once more
            edited = round(teams * share)
            for t in range(edited):
                emulator.edit_values(_team_key(emulator, hub, t), "OKRs", "I3", [[(t % 9) + 1]])
            emulator.reset_stats()
            _synced(emulator, hub, store)
            stats = emulator.stats()
            out[share] = {
                "edited": edited,
                "sheets": stats.get("spreadsheets.get", 0),
                "drive": stats.get("drive.files.list", 0),
                "reads": stats["reads"],
                "writes": stats["writes"],
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--timed", type=int, default=1000, help="0 skips the timed run")
    parser.add_argument("--nightly", type=int, default=1000, help="team sheets; 0 skips it")
    parser.add_argument(
        "--bytes", type=int, default=1250, help="teams (8 items each) for the click's bytes"
    )
    parser.add_argument("--history-days", type=int, default=7, help="days of History kept")
    args = parser.parse_args()
    print("API calls (reads / writes)")
    print(f"{'sheets':>7}  {'phase':<9} {'okrtree':>13}  {'gspread recipe':>15}  ratio")
    for size in args.sizes:
        ours, theirs = okrtree_calls(size), recipe_calls(size)
        for phase in PHASES:
            (r1, w1), (r2, w2) = ours[phase], theirs[phase]
            ratio = (r2 + w2) / max(1, r1 + w1)
            print(f"{size:>7}  {phase:<9} {r1:>6} / {w1:<5} {r2:>7} / {w2:<6} {ratio:5.1f}x")
    print("\nA validate click on a cold instance, with the state in the store (reads / writes)")
    print(f"{'sheets':>7}  {'sheet unchanged':>16}  {'sheet edited':>13}")
    for size in args.sizes:
        clicks = click_calls(size)
        (r1, w1), (r2, w2) = clicks["unchanged"], clicks["edited"]
        print(f"{size:>7}  {r1:>9} / {w1:<4}  {r2:>6} / {w2:<4}")
    if args.bytes:
        sizes = click_bytes(args.bytes, args.history_days)
        print(
            f"\nBytes a click downloads, {args.bytes * 8} items, {sizes.pop('History rows')} "
            f"History rows ({args.history_days} days)"
        )
        for name, size in sizes.items():
            print(f"  {name:<26} {size:>12,} bytes")
    if args.nightly:
        print(f"\nA nightly re-sync of {args.nightly} team sheets (without the state: always")
        print(f"{args.nightly + 1} reads)")
        print(f"{'edited':>7}  {'sheets read':>11}  {'Drive calls':>11}  {'reads':>6}  writes")
        for share, found in nightly_calls(args.nightly, [0.0, 0.05, 1.0]).items():
            print(
                f"{share:>6.0%}  {found['sheets']:>11}  {found['drive']:>11}  "
                f"{found['reads']:>6}  {found['writes']:>6}"
            )
    if args.timed:
        latency = f"{args.latency * 1000:.0f} ms per request"
        print(f"\nokrtree wall time, {args.timed} team sheets, {latency}")
        for phase, seconds in timed(args.timed, args.latency).items():
            if phase.endswith("quota"):
                minutes = math.ceil(seconds / 60)
                print(
                    f"  {'':<9} at {DEFAULT_PER_MINUTE} requests/min the quota needs ~{minutes} min"
                )
            else:
                print(f"  {phase:<9} {seconds:7.1f} s")


if __name__ == "__main__":
    main()
