"""SPEC §2 on real workbooks: a column is read only under a recognised header, and a number that
is not finite is INVALID_NUMBER, so `--json` stays JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from sheets_templates.builder import new_hub_workbook
from sync.backends.xlsx import XlsxBackend
from sync.cli import cli
from sync.engine import run
from sync.model import Code

from .conftest import rezip, sheet_xml

AS_OF = dt.date(2026, 11, 21)


def _workspace(
    root: Path, header: list[str], rows: list[list[Any]], epoch: dt.datetime = WINDOWS_EPOCH
) -> Path:
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[{"Team": "Core", "Level": "Company", "Spreadsheet": "team.xlsx"}],
        settings={"Cycle start": dt.date(2026, 10, 1), "Cycle end": dt.date(2026, 12, 31)},
    )
    wb = Workbook()
    wb.epoch = epoch
    ws = wb.active
    assert ws is not None
    ws.title = "OKRs"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(root / "team.xlsx")
    return root


REQUIRED = ["ID", "Type", "Title", "Parent"]


@pytest.mark.parametrize(
    "extra",
    [["Priority"], ["Priority", "Notes"], ["", "Priority"]],
    ids=["one column", "two columns", "after a blank header"],
)
def test_a_column_of_the_teams_own_is_never_read_as_okr_data(
    tmp_path: Path, extra: list[str]
) -> None:
    header = [*REQUIRED, "Why now", *extra]
    values = ["High, Low", "see CO-9", "x"][: len(extra)]
    rows = [["CO-1", "Objective", "Grow", "", "because", *values]]
    root = _workspace(tmp_path, header, rows)
    result = run(XlsxBackend(root), AS_OF).computed.result
    assert [(f.code, f.id) for f in result.findings] == [(Code.NO_KEY_RESULTS, "CO-1")]
    [item] = result.items
    assert item.depends_on == [] and item.weight == 1.0


@pytest.mark.parametrize(
    "spoil",
    [
        None,
        sheet_xml(lambda t: t.replace("<v>7</v>", "<v>1e309</v>")),
        sheet_xml(lambda t: t.replace("<v>7</v>", "<v>NaN</v>")),
    ],
    ids=["text 1e309", "number cell 1e309", "number cell NaN"],
)
def test_a_number_that_is_not_finite_is_invalid_and_json_stays_json(
    tmp_path: Path, spoil: Any
) -> None:
    header = [*REQUIRED, "Start", "Target", "Current", "Owner"]
    current = "1e309" if spoil is None else 7
    rows = [
        ["CO-1", "Objective", "Grow", "", None, None, None, "a@x.example"],
        ["CO-2", "Key Result", "Big", "", 0, 10, current, "a@x.example"],
    ]
    root = _workspace(tmp_path, header, rows)
    if spoil is not None:
        rezip(root / "team.xlsx", {"xl/worksheets/sheet1.xml": spoil})
    outcome = CliRunner().invoke(
        cli, ["validate", str(root), "--as-of", AS_OF.isoformat(), "--json"]
    )
    assert outcome.exit_code == 1, outcome.output
    data = json.loads(outcome.output, parse_constant=_refuse)
    invalid = [f for f in data["findings"] if f["code"] == "INVALID_NUMBER"]
    assert [f["id"] for f in invalid] == ["CO-2"]
    assert "column Current" in invalid[0]["message"]
    assert [i["score"] for i in data["items"]] == [None, None]


def _refuse(name: str) -> None:
    raise AssertionError(f"--json printed {name}, which is not JSON")


@pytest.mark.parametrize(
    ("typed", "epoch"),
    [
        (dt.datetime(2026, 1, 2), WINDOWS_EPOCH),
        (dt.datetime(2026, 1, 2, 13, 30), WINDOWS_EPOCH),
        (dt.datetime(2026, 1, 2), MAC_EPOCH),
        (True, WINDOWS_EPOCH),
        (7, WINDOWS_EPOCH),
        (2.5, WINDOWS_EPOCH),
    ],
    ids=[
        "a date (1-2 typed)",
        "a date and time",
        "a date in a workbook counting from 1904",
        "a yes/no",
        "a whole number",
        "a fraction",
    ],
)
def test_an_id_the_spreadsheet_turned_into_a_value_is_still_written_beside(
    tmp_path: Path, typed: object, epoch: dt.datetime
) -> None:
    header = [*REQUIRED, "Why now", "Score", "Status", "Warnings"]
    root = _workspace(tmp_path, header, [[typed, "Objective", "Grow", "", "because"]], epoch)
    outcome = run(XlsxBackend(root), AS_OF, write=True)
    codes = [f.code for f in outcome.computed.result.findings]
    assert Code.NOT_WRITTEN not in codes
    wb = load_workbook(root / "team.xlsx", read_only=True)
    try:
        written = [c.value for c in next(wb["OKRs"].iter_rows(min_row=2, max_row=2))]
    finally:
        wb.close()
    assert written[5:7] == [None, "No data"]
    assert str(written[7]).startswith(f"{Code.NO_KEY_RESULTS}: ")


@pytest.mark.parametrize(
    ("merge", "score_column"),
    [("L2:O3", 16), ("K1:N1", 15), ("L3:L4", 13), ("A1:R1", 10)],
    ids=["a note box beside the rows", "a header cell", "down the rows", "a banner above"],
)
def test_missing_output_columns_go_right_of_a_merged_cell_beside_the_data(
    tmp_path: Path, merge: str, score_column: int
) -> None:
    header = ["ID", "Type", "Title", "Owner", "Parent", "Why now", "Start", "Target", "Current"]
    rows = [["CO-1", "Objective", "Grow", "a", None, "x"], ["CO-2", "Key Result", "R", "b"]]
    if merge == "A1:R1":
        rows = [header, *rows]
        header = ["Our OKRs"]
    root = _workspace(tmp_path, header, rows)
    wb = load_workbook(root / "team.xlsx")
    wb["OKRs"][merge.split(":")[0]] = wb["OKRs"][merge.split(":")[0]].value or "see the wiki"
    wb["OKRs"].merge_cells(merge)
    wb.save(root / "team.xlsx")
    outcome = run(XlsxBackend(root), AS_OF, write=True)
    assert Code.NOT_WRITTEN not in [f.code for f in outcome.computed.result.findings]
    wb = load_workbook(root / "team.xlsx", read_only=True)
    try:
        cells = {c.value: c.column for row in wb["OKRs"].iter_rows() for c in row if c.value}
    finally:
        wb.close()
    assert [cells["Score"], cells["Status"], cells["Warnings"]] == [
        score_column + i for i in range(3)
    ]
    again = run(XlsxBackend(root), AS_OF, write=True).computed.result
    assert (again.writes_spreadsheets, again.writes_cells) == (0, 0)
