"""The hub's output tabs in Google: frozen bold header, scores in their row's status colour,
0.00 scores, indented tree grouped by depth, wrapped text, HYPERLINKs that open the source row,
History kept by date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sheets_templates import template
from sync.backends.gsheets import GoogleBackend
from sync.emulator import Emulator
from sync.engine import run
from sync.google.cells import rgb
from sync.model import STATUS_LABELS

from .conftest import AS_OF, sync, team_keys


def colour(hex_colour: str) -> dict[str, float]:
    return {k: v for k, v in rgb(hex_colour).items() if v}


def fmt(emulator: Emulator, hub: str, tab: str, row: int, column: int) -> dict[str, Any]:
    cell = emulator.sheet(hub, tab).cells.get((row - 1, column - 1), {})
    return dict(cell.get("userEnteredFormat") or {})


@pytest.fixture
def synced(emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]) -> str:
    sync(backend(example_hub))
    return example_hub


def test_output_tabs_come_after_the_input_tabs_with_a_frozen_filtered_header(
    emulator: Emulator, synced: str
) -> None:
    sheets = sorted(emulator.spreadsheet(synced).sheets, key=lambda s: s.index)
    assert [s.title for s in sheets] == [
        "Teams",
        "Settings",
        "Alignment Tree",
        "Findings",
        "History",  # the example's quarter
        "Check-ins",
    ]
    for title in ("Alignment Tree", "Findings"):
        sheet = emulator.sheet(synced, title)
        assert sheet.frozen_rows == 1
        assert sheet.basic_filter is not None
        header = fmt(emulator, synced, title, 1, 1)
        assert header["textFormat"]["bold"] is True and header["backgroundColor"]


def test_each_score_wears_its_rows_status_colour(emulator: Emulator, synced: str) -> None:
    rows = emulator.values(synced, "Alignment Tree", render="UNFORMATTED_VALUE")
    at = {name: rows[0].index(name) + 1 for name in rows[0]}
    checked = 0
    for r, row in enumerate(rows[1:], start=2):
        if len(row) < at["Status"] or not isinstance(row[at["Score"] - 1], int | float):
            continue
        score = fmt(emulator, synced, "Alignment Tree", r, at["Score"])
        wanted = template()["status_colours"][row[at["Status"] - 1]]
        assert score["backgroundColor"] == colour(wanted), (r, row)
        checked += 1
    assert checked > 10


def test_tree_rows_are_grouped_by_depth_and_regrouped_on_the_next_write(
    emulator: Emulator, synced: str, backend: Callable[[str], GoogleBackend]
) -> None:
    rows = emulator.values(synced, "Alignment Tree", render="UNFORMATTED_VALUE")
    depth = rows[0].index("Depth")
    depths = [row[depth] if len(row) > depth and row[depth] != "" else 0 for row in rows[1:]]
    sheet = emulator.sheet(synced, "Alignment Tree")
    assert max(sheet.row_depths.values()) == max(depths) >= 3
    for index, value in enumerate(depths, start=1):  # sheet row index 1 is the first item
        assert sheet.row_depths.get(index, 0) == value, (index, rows[index])
    before = sheet.row_groups()
    read = backend(synced)
    read.read_hub()
    tree = next(t for t in read._hub_tabs if t.title == "Alignment Tree")
    assert tree.row_groups == [(g["range"]["startIndex"], g["range"]["endIndex"]) for g in before]
    run(backend(synced), dt.date(2026, 12, 20), write=True)  # other statuses: a new tree
    assert emulator.values(synced, "Alignment Tree", render="UNFORMATTED_VALUE") != rows
    assert emulator.sheet(synced, "Alignment Tree").row_groups() == before  # not stacked up


@pytest.mark.parametrize(
    ("depths", "groups"),
    [
        ([0, 0], []),
        ([0, 1, 1, 0, 1], [(2, 4), (5, 6)]),
        ([0, 1, 2, 2, 1, 0], [(2, 6), (3, 5)]),
        ([0, 1, 2, 3, 0, 1, 2], [(2, 5), (6, 8), (3, 5), (7, 8), (4, 5)]),
        ([0, 9], [(2, 3)] * 7),  # no deeper than the 7 levels Excel offers
    ],
)
def test_row_groups_are_runs_at_each_depth(depths: list[int], groups: list[tuple]) -> None:
    from sync.backends.gsheets_hub import row_groups
    from sync.snapshot import OutputTable

    table = OutputTable("Alignment Tree", ["Tree", "Depth"], [["t", d] for d in depths])
    assert row_groups(table) == groups


def test_wrapped_and_centred_columns_follow_the_template(emulator: Emulator, synced: str) -> None:
    rows = emulator.values(synced, "Alignment Tree", render="UNFORMATTED_VALUE")
    at = {name: rows[0].index(name) + 1 for name in rows[0]}
    r = next(
        r
        for r, row in enumerate(rows[1:], start=2)
        if len(row) >= at["First warning"] and row[at["First warning"] - 1]
    )
    assert fmt(emulator, synced, "Alignment Tree", r, at["First warning"])["wrapStrategy"] == "WRAP"
    assert (
        fmt(emulator, synced, "Alignment Tree", r, at["Depth"])["horizontalAlignment"] == "CENTER"
    )
    findings = emulator.values(synced, "Findings", render="UNFORMATTED_VALUE")
    message = findings[0].index("Message") + 1
    assert fmt(emulator, synced, "Findings", 2, message)["wrapStrategy"] == "WRAP"


def test_scores_statuses_tree_and_links(emulator: Emulator, synced: str) -> None:
    rows = emulator.values(synced, "Alignment Tree", render="UNFORMATTED_VALUE")
    header = rows[0]
    at = {name: header.index(name) + 1 for name in header}
    by_id = {row[at["ID"] - 1]: (r, row) for r, row in enumerate(rows[1:], start=2)}
    r, row = by_id["CO-2"]
    assert row[at["Tree"] - 1].startswith("    Grow annual") and row[at["Depth"] - 1] == 1
    score = fmt(emulator, synced, "Alignment Tree", r, at["Score"])
    assert score["numberFormat"] == {"type": "NUMBER", "pattern": "0.00"}
    assert score["backgroundColor"] == colour(template()["status_colours"]["On track"])  # 0.60
    status = fmt(emulator, synced, "Alignment Tree", r, at["Status"])
    assert status["backgroundColor"] == colour(template()["status_colours"]["On track"])
    formula = emulator.sheet(synced, "Alignment Tree").cells[(r - 1, at["Link"] - 1)]
    key = team_keys(emulator, synced)["Northwind"]
    gid = emulator.sheet(key, "OKRs").sheet_id
    assert formula["userEnteredValue"]["formulaValue"] == (
        f'=HYPERLINK("https://docs.google.com/spreadsheets/d/{key}/edit#gid={gid}&range=A3",'
        '"Open row 3")'
    )
    depth = {row[at["ID"] - 1]: row[at["Depth"] - 1] for row in rows[1:]}
    tree = {row[at["ID"] - 1]: row[at["Tree"] - 1] for row in rows[1:]}
    assert all(tree[i].startswith("    " * depth[i]) for i in tree)
    assert not any(tree[i].startswith("    " * (depth[i] + 1)) for i in tree)


def test_history_records_what_moved_once_per_date(
    emulator: Emulator, example_hub: str, backend: Callable[[str], GoogleBackend]
) -> None:
    run(backend(example_hub), AS_OF, write=True, history=True)
    first = emulator.values(example_hub, "History")
    run(backend(example_hub), AS_OF, write=True, history=True)
    assert emulator.values(example_hub, "History") == first
    day = AS_OF + dt.timedelta(days=1)
    items = run(backend(example_hub), day, write=True, history=True).computed.result.items
    run(backend(example_hub), day, write=True, history=True)
    later = emulator.values(example_hub, "History")
    assert later[: len(first)] == first
    before = {row[1]: (row[2], row[3]) for row in first[1:]}
    moved = [
        i.id
        for i in items
        if before[i.id] != ("" if i.score is None else f"{i.score:.2f}", STATUS_LABELS[i.status])
    ]
    assert [row[1] for row in later[len(first) :]] == moved
    assert {row[0] for row in later[len(first) :]} <= {"2026-11-22"}
    assert fmt(emulator, example_hub, "History", 2, 1)["numberFormat"]["type"] == "DATE"
    tabs = sorted(emulator.spreadsheet(example_hub).sheets, key=lambda s: s.index)
    assert [s.title for s in tabs][-2:] == ["History", "Check-ins"]


def test_a_hub_tab_renamed_in_another_case_is_reused_not_duplicated(
    emulator: Emulator, synced: str, backend: Callable[[str], GoogleBackend]
) -> None:
    emulator.rename_tab(synced, "Findings", "findings")
    emulator.edit_values(synced, "findings", "A2", [["edited"]])
    sync(backend(synced))
    titles = sorted(s.title for s in emulator.spreadsheet(synced).sheets)
    assert titles == ["Alignment Tree", "Check-ins", "Findings", "History", "Settings", "Teams"]
