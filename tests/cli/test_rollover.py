"""`okrtree rollover` on a workspace: every cell of the new tab follows the rules of SPEC §8, the
archive is the tab as the final sync left it, and bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_roller import XlsxRoller
from sync.cli import cli  # noqa: F401 - registers the commands
from sync.errors import SourceError
from sync.model import TargetKind
from sync.rollover import NewCycle
from sync.rollover_run import rollover
from sync.values import parse_target

from .conftest import run_cli

END_AS_OF = "2026-12-31"
NEXT = ["--cycle", "2027-Q1", "--start", "2027-01-01", "--end", "2027-03-31"]
CLEARED = {"Current", "Updated", "Confidence", "Note", "Score", "Status", "Warnings"}


def _tabs(path: Path) -> dict[str, list[list[object]]]:
    wb = load_workbook(path, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


def _team_files(org: Path) -> list[Path]:
    return sorted(p for p in org.rglob("*.xlsx") if p.name != "hub.xlsx")


def _stamps(org: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in org.rglob("*.xlsx")}


def _synced_copy(org: Path, tmp_path: Path) -> Path:
    """The organisation as the final `sync --history` of the cycle leaves it."""
    copy = tmp_path / "synced"
    shutil.copytree(org, copy)
    code, _, _ = run_cli("sync", str(copy), "--as-of", END_AS_OF, "--snapshot")
    assert code == 0
    return copy


def _expected_rows(old: list[list[object]]) -> list[list[object]]:
    """The rules, applied to the final tab: done objectives go with their key results, done key
    results go, numeric Starts become the last Current, check-in and output cells empty."""
    header = [str(c) for c in old[0]]
    at = {name: header.index(name) for name in header}
    kept: list[list[object]] = []
    objective_done = False
    for row in old[1:]:
        if row[at["ID"]] is None and row[at["Title"]] is None:
            continue
        done = row[at["Status"]] == "Done"
        if row[at["Type"]] == "Objective":
            objective_done = done
            if done:
                continue
        elif done or objective_done:
            continue
        new = list(row)
        numeric = parse_target(row[at["Target"]])[0] is TargetKind.NUMBER
        if row[at["Type"]] == "Key Result" and numeric and row[at["Current"]] is not None:
            new[at["Start"]] = row[at["Current"]]
        for name in CLEARED:
            new[at[name]] = None
        kept.append(new)
    return kept


def test_rollover_follows_the_rules_cell_by_cell(org: Path, tmp_path: Path) -> None:
    synced = _synced_copy(org, tmp_path)
    code, out, err = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert (code, err) == (0, ""), out
    archived_something = carried_something = False
    for path in _team_files(org):
        before = _tabs(synced / path.relative_to(org))["OKRs"]
        after = _tabs(path)
        assert list(after) == ["OKRs", "OKRs 2026-Q4"]
        assert after["OKRs 2026-Q4"] == before  # the final values, outputs included
        live = after["OKRs"]
        assert live[0] == before[0]
        expected = _expected_rows(before)
        assert [r for r in live[1:] if any(v is not None for v in r)] == expected, path.name
        assert all(all(v is None for v in r) for r in live[1 + len(expected) :])
        archived_something |= len(expected) < len(before) - 1
        carried_something |= bool(expected)
    assert archived_something and carried_something
    settings = {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"] if r[0]}
    assert settings["Cycle"] == "2027-Q1"
    assert str(settings["Cycle start"])[:10] == "2027-01-01"
    assert str(settings["Cycle end"])[:10] == "2027-03-31"
    history = _tabs(org / "hub.xlsx")["History"]
    assert len(history) > 1  # the final sync recorded the cycle's last scores


def test_the_new_tab_keeps_dropdowns_colour_rules_and_formats(org: Path) -> None:
    path = org / "teams" / "engineering.xlsx"
    wb = load_workbook(path)
    before = wb["OKRs"]
    rules = [str(d.sqref) for d in before.data_validations.dataValidation]
    formats = len(before.conditional_formatting)
    widths = {k: v.width for k, v in before.column_dimensions.items()}
    wb.close()
    code, _, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert code == 0
    wb = load_workbook(path)
    for tab in ("OKRs", "OKRs 2026-Q4"):
        ws = wb[tab]
        assert [str(d.sqref) for d in ws.data_validations.dataValidation] == rules
        assert len(ws.conditional_formatting) == formats
        assert {k: v.width for k, v in ws.column_dimensions.items()} == widths
    assert [ws.sheet_view.tabSelected for ws in wb].count(True) <= 1
    wb.close()


def test_dry_run_json_shows_the_plan_and_writes_nothing(org: Path) -> None:
    before = _stamps(org)
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF, "--dry-run", "--json")
    assert code == 0
    assert _stamps(org) == before
    plan = json.loads(out)
    assert plan["dry_run"] is True and plan["settings_written"] is False
    assert (plan["from"]["name"], plan["to"]["name"]) == ("2026-Q4", "2027-Q1")
    northwind = next(t for t in plan["teams"] if t["team"] == "Northwind")
    assert northwind["archive_tab"] == "OKRs 2026-Q4"
    carried = {c["id"]: c for c in northwind["carried"]}
    assert carried["CO-2"]["new_start"] == 21.6 and carried["CO-2"]["new_row"] == 3
    assert {a["id"] for a in northwind["archived"]} == {"CO-4", "CO-5", "CO-6", "CO-7"}
    engineering = next(t for t in plan["teams"] if t["team"] == "Engineering")
    assert engineering["parent_archived"] == [{"id": "ENG-1", "parent": "CO-4"}]
    assert northwind["parent_archived"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cycle", "2027-Q1", "--start", "2026-12-31", "--end", "2027-03-31"], "after the"),
        (["--cycle", "2027-Q1", "--start", "2026-11-01", "--end", "2027-03-31"], "after the"),
        (["--cycle", "2027-Q1", "--start", "2027-13-01", "--end", "2027-03-31"], "not a date"),
        (["--cycle", "2027-Q1", "--start", "2027-01-01", "--end", "March"], "not a date"),
        (["--cycle", "2027-Q1", "--start", "2027-02-01", "--end", "2027-01-31"], "after --start"),
        (["--cycle", "2026-Q4", "--start", "2027-01-01", "--end", "2027-03-31"], "current cycle"),
    ],
)
def test_bad_dates_exit_2_writing_nothing(org: Path, args: list[str], message: str) -> None:
    before = _stamps(org)
    code, out, err = run_cli("rollover", str(org), *args, "--as-of", END_AS_OF)
    assert code == 2 and out == ""
    assert message in err
    assert _stamps(org) == before


def test_an_existing_archive_tab_exits_2_writing_nothing(org: Path) -> None:
    path = org / "teams" / "sales.xlsx"
    wb = load_workbook(path)
    wb.create_sheet("OKRs 2026-Q4")
    wb.save(path)
    before = _stamps(org)
    code, _, err = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert code == 2
    assert "teams/sales.xlsx already has a tab 'OKRs 2026-Q4'" in err
    assert _stamps(org) == before


def test_a_workspace_with_errors_rolls_what_it_can(org: Path) -> None:
    (org / "teams" / "mobile.xlsx").write_bytes(b"not a workbook")
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF, "--json")
    assert code == 1  # the unreadable team is an error finding
    report = json.loads(out)
    states = {t["team"]: t["state"] for t in report["teams"]}
    assert states["Mobile"] == "skipped"
    assert {s for team, s in states.items() if team != "Mobile"} == {"rolled"}
    assert report["settings_written"] is True
    assert any(f["code"] == "SPREADSHEET_UNREADABLE" for f in report["findings"])
    assert "OKRs 2026-Q4" in load_workbook(org / "teams" / "sales.xlsx").sheetnames


class _Killed(Exception):
    pass


class _DiesAfter(XlsxRoller):
    """A rollover killed after `limit` team workbooks were rolled."""

    def __init__(self, backend: XlsxBackend, limit: int) -> None:
        super().__init__(backend)
        self.limit = limit

    def roll_team(self, roll):  # type: ignore[no-untyped-def]
        if self.limit == 0:
            raise _Killed
        self.limit -= 1
        super().roll_team(roll)


def test_a_run_killed_half_way_is_finished_by_running_it_again(org: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    shutil.copytree(org, whole)
    assert run_cli("rollover", str(whole), *NEXT, "--as-of", END_AS_OF)[0] == 0
    new = NewCycle("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    backend = XlsxBackend(org)
    with pytest.raises(_Killed):
        rollover(backend, _DiesAfter(backend, 5), new, dt.date(2026, 12, 31))
    settings = {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"] if r[0]}
    assert settings["Cycle"] == "2026-Q4"  # written last, so not yet
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF, "--json")
    assert code == 0
    states = [t["state"] for t in json.loads(out)["teams"]]
    assert states.count("already_rolled") == 5 and "not_rolled" not in states
    for path in _team_files(org):
        again, once = _tabs(path), _tabs(whole / path.relative_to(org))
        assert list(again) == list(once) == ["OKRs", "OKRs 2026-Q4"]
        assert again["OKRs"] == once["OKRs"], path.name
    assert run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)[0] == 2  # cycle moved on


def test_a_team_open_in_an_editor_keeps_the_old_cycle_until_run_again(org: Path) -> None:
    lock = org / "teams" / ".~lock.data.xlsx#"
    lock.write_text("someone")
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert code == 1
    assert "Data" in out and "NOT rolled over" in out
    assert load_workbook(org / "teams" / "data.xlsx").sheetnames == ["OKRs"]
    assert {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"]}["Cycle"] == "2026-Q4"
    lock.unlink()
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert code == 0 and "already rolled over" in out
    assert {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"]}["Cycle"] == "2027-Q1"


def test_rollover_needs_a_hub(tmp_path: Path) -> None:
    backend = XlsxBackend(tmp_path)
    with pytest.raises(SourceError):
        new = NewCycle("x", dt.date(2027, 1, 1), dt.date(2027, 1, 2))
        rollover(backend, XlsxRoller(backend), new, dt.date(2027, 1, 1))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_opens_a_rolled_workbook_with_both_tabs(org: Path, tmp_path: Path) -> None:
    from tests.backends.test_xlsx_libreoffice import _as_csv

    assert run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)[0] == 0
    path = org / "teams" / "northwind.xlsx"
    shown = _as_csv(path, tmp_path / "lo")
    assert set(shown) == {"OKRs", "OKRs 2026-Q4"}
    tabs = _tabs(path)
    for name, rows in shown.items():
        ids = [r[0] for r in rows[1:] if r and r[0]]
        assert ids == [r[0] for r in tabs[name][1:] if r[0]]


def test_the_archive_keeps_comments_and_tables_of_its_own(org: Path) -> None:
    from openpyxl.comments import Comment
    from openpyxl.worksheet.table import Table

    path = org / "teams" / "northwind.xlsx"
    wb = load_workbook(path)
    wb["OKRs"]["C3"].comment = Comment("Board asked for this", "Maria")
    wb["OKRs"].add_table(Table(displayName="Okrs", ref="A1:O8"))
    wb.save(path)
    assert run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)[0] == 0
    wb = load_workbook(path)
    archive = wb["OKRs 2026-Q4"]
    assert archive["C3"].comment.text == "Board asked for this"
    names = {t.displayName for ws in wb for t in ws.tables.values()}
    assert len(names) == 2 and "Okrs" in names


def test_a_hub_open_in_an_editor_gets_its_cycle_on_the_next_run(org: Path) -> None:
    lock = org / ".~lock.hub.xlsx#"
    lock.write_text("someone")
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)
    assert code == 1
    assert "The hub's Settings were not written" in out and "hub.xlsx is open" in out
    assert {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"]}["Cycle"] == "2026-Q4"
    assert "OKRs 2026-Q4" in load_workbook(org / "teams" / "sales.xlsx").sheetnames
    lock.unlink()
    code, out, _ = run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF, "--json")
    assert code == 0
    report = json.loads(out)
    assert {t["state"] for t in report["teams"]} == {"already_rolled"}
    assert report["settings_written"] is True
    assert {r[0]: r[1] for r in _tabs(org / "hub.xlsx")["Settings"]}["Cycle"] == "2027-Q1"


def test_a_chart_in_the_archive_shows_the_archived_cells(org: Path) -> None:
    import zipfile

    from openpyxl.chart import BarChart, Reference

    path = org / "teams" / "northwind.xlsx"
    wb = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb["OKRs"], min_col=9, min_row=1, max_row=8), titles_from_data=True)
    wb["OKRs"].add_chart(chart, "Q2")
    wb.save(path)
    assert run_cli("rollover", str(org), *NEXT, "--as-of", END_AS_OF)[0] == 0
    with zipfile.ZipFile(path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        texts = [archive.read(n).decode() for n in charts]
    assert len(texts) == 2
    assert sum("'OKRs 2026-Q4'!$I$2:$I$8" in t for t in texts) == 1
    assert sum("OKRs!$I$2:$I$8" in t or "'OKRs'!$I$2:$I$8" in t for t in texts) == 1
