"""The hub's largest tab made in a forked process is the tab made in turn, formats and all."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.backends import xlsx_hub_fork
from sync.backends.xlsx_hub import write_tables
from sync.snapshot import Link, OutputTable

STATUSES = ["On track", "At risk", "Off track", "No data", "Done"]


def tables() -> list[OutputTable]:
    header = ["Tree", "Depth", "ID", "Type", "Team", "Owner", "Score", "Status", "Warnings", "Link"]
    rows: list[list[Any]] = [
        [f"{'    ' * (i % 3)}Item {i}", i % 3, f"X-{i}", "Objective", "Core", None, i / 40,
         STATUSES[i % len(STATUSES)], i % 2, Link(f"Open row {i}", f"team.xlsx#'OKRs'!A{i}")]
        for i in range(30)
    ]  # fmt: skip
    day = dt.date(2026, 11, 21)
    return [
        OutputTable(
            "Findings",
            ["Severity", "Code", "ID", "Team", "Message", "Link"],
            [["warning", "STALE", "X-1", "Core", "old", None]],
        ),  # fmt: skip
        OutputTable("Alignment Tree", header, rows),
        OutputTable("History", ["Date", "ID", "Score", "Status"], [[day, "X-1", 0.5, "At risk"]]),
    ]


def looks(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Each output tab's cells: value, fill, number format, bold, named style."""
    wb = load_workbook(path)
    return {
        tab: [
            (c.value, c.fill.fgColor.rgb, c.number_format, c.font.bold, c.style)
            for row in wb[tab].iter_rows()
            for c in row
        ]
        for tab in ("Alignment Tree", "Findings", "History")
    }


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tabs generated in this process."""
    made: list[str] = []
    generate: Callable[..., Any] = xlsx_hub_fork.sheet_xml

    def spy(table: OutputTable, styles: Any, **options: Any) -> Any:
        made.append(table.name)
        return generate(table, styles, **options)

    monkeypatch.setattr(xlsx_hub_fork, "sheet_xml", spy)
    return made


@pytest.mark.parametrize(
    ("prepared", "made_here"),
    [(True, ["Findings", "History"]), (False, ["Findings", "History", "Alignment Tree"])],
    ids=["formats added first", "a format the child would add: made again here"],
)
def test_a_forked_tab_is_the_tab_made_in_turn(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepared: bool,
    made_here: list[str],
) -> None:
    in_turn, forked = tmp_path / "in_turn.xlsx", tmp_path / "forked.xlsx"
    write_tables(workspace / "hub.xlsx", tables(), in_turn)
    monkeypatch.setattr(xlsx_hub_fork, "FORK_FROM_ROWS", 10)
    if not prepared:
        monkeypatch.setattr(xlsx_hub_fork, "prepare_styles", lambda table, styles: None)
    made = counted(monkeypatch)
    digested = tables()
    write_tables(workspace / "hub.xlsx", digested, forked, ["Alignment Tree"])
    assert made == made_here
    assert looks(forked) == looks(in_turn)
    assert digested[1].digest is not None and digested[0].digest is None


def test_with_other_threads_running_nothing_is_forked(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_hub_fork, "FORK_FROM_ROWS", 10)
    made = counted(monkeypatch)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        write_tables(workspace / "hub.xlsx", tables(), tmp_path / "out.xlsx")
    finally:
        release.set()
        other.join()
    assert made == ["Findings", "Alignment Tree", "History"]
