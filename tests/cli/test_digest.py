"""`okrtree digest` on the example organisation with a History and Check-ins of known changes."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_templates.example import EXPECTED_WARNINGS
from sync.digest import build_digest, parse_since
from sync.digest_render import render
from sync.model import Code, Finding, Severity, Status
from sync.snapshot import TeamSnapshot

from .conftest import EXAMPLE_AS_OF, run_cli

SINCE = "2026-11-12"


def _statuses(org: Path) -> dict[str, str]:
    code, out, _ = run_cli("validate", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    assert code == 0
    return {item["id"]: item["status"] for item in json.loads(out)["items"]}


LABELS = {"done": "Done", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}


def _write_tab(org: Path, name: str, rows: list[list[object]]) -> None:
    path = org / "hub.xlsx"
    wb = load_workbook(path)
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def history(org: Path) -> dict[str, str]:
    """A History in which MOB-4 and AMER-2 were on track, GRO-2 off track and CO-1 as now on
    2026-11-10; a later row (after --since) and an earlier one must not count."""
    now = _statuses(org)
    assert (now["MOB-4"], now["AMER-2"], now["GRO-2"]) == ("off_track", "at_risk", "at_risk")
    day = dt.date(2026, 11, 10)
    rows: list[list[object]] = [["Date", "ID", "Score", "Status"]]
    rows.append([dt.date(2026, 11, 1), "GRO-2", 0.9, "Done"])
    rows += [
        [day, "MOB-4", 0.5, "On track"],
        [day, "amer-2 ", 0.5, "On track"],  # IDs compare trimmed and ignoring case
        [day, "GRO-2", 0.1, "Off track"],
        [day, "CO-1", 0.5, LABELS[now["CO-1"]]],
        ["2026-11-15", "CO-1", 0.0, "Off track"],  # after --since: not "then"
        [None, None, None, None],
        ["not a date", "CO-2", 1, "Done"],
    ]
    _write_tab(org, "History", rows)
    _write_tab(
        org,
        "Check-ins",
        [
            ["Date", "ID", "Team", "Owner", "Current", "Score", "Status", "Confidence", "Note"],
            [dt.date(2026, 11, 5), "SAL-2", "Sales", "x", 600, 0.5, "On track", 7, ""],
            [dt.date(2026, 11, 13), "SAL-2", "Sales", "x", 650, 0.6, "On track", 8, ""],
            [dt.date(2026, 11, 20), "SAL-3", "Sales", "x", 0.2, 0.6, "On track", None, ""],
            ["2026-11-19", "MOB-2", "Mobile", "y", 4.3, 0.6, "On track", "High", "ok"],
        ],
    )
    return now


def _digest(org: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("digest", str(org), "--as-of", EXAMPLE_AS_OF, "--since", SINCE, *extra)


def test_digest_json_from_a_known_history(org: Path, history: dict[str, str]) -> None:
    code, out, err = _digest(org, "--format", "json")
    assert (code, err) == (0, "")
    digest = json.loads(out)
    assert (digest["since"], digest["as_of"], digest["cycle"]) == (SINCE, EXAMPLE_AS_OF, "2026-Q4")
    changes = [(c["id"], c["before"], c["status"], c["worse"]) for c in digest["changes"]]
    assert changes == [
        ("MOB-4", "on_track", "off_track", True),  # worst first
        ("AMER-2", "on_track", "at_risk", True),
        ("GRO-2", "off_track", "at_risk", False),
    ]
    assert digest["changes"][0]["link"].endswith("!A5")
    stale = {s["owner"]: [k["id"] for k in s["key_results"]] for s in digest["stale"]}
    assert stale == {"tom.becker@northwind.example": ["TB-2"]}
    assert digest["stale"][0]["key_results"][0]["last_check_in"] == "2026-10-23"
    then = digest["counts"]["then"]
    assert (then["on_track"], then["off_track"], sum(then.values())) == (
        2 + (history["CO-1"] == "on_track"),
        1,
        4,
    )
    now = digest["counts"]["now"]
    assert sum(now.values()) == len(history)
    assert now["at_risk"] == list(history.values()).count("at_risk")
    assert digest["check_ins"] == {"Sales": 2, "Mobile": 1}
    assert digest["errors"] == []
    gaps = [g["id"] for g in digest["confidence_gaps"]]
    assert gaps == [w for code, w in EXPECTED_WARNINGS if code == "CONFIDENCE_GAP"]


def test_digest_markdown_reads_as_sections(org: Path, history: dict[str, str]) -> None:
    code, out, _ = _digest(org, "--format", "markdown")
    assert code == 0
    assert out.startswith("**OKR digest of 2026-Q4: 2026-11-12 to 2026-11-21**")
    assert "- Worse: MOB-4" in out and "On track → Off track" in out
    assert "- **tom.becker@northwind.example**: TB-2" in out
    assert "(last check-in 2026-10-23)" in out
    assert (
        out.index("### Status changes")
        < out.index("### Whom to ask")
        < out.index("### Status counts")
    )
    assert "](" not in out  # local row links are not web links


def test_digest_lists_errors_by_team(org: Path) -> None:
    (org / "teams" / "mobile.xlsx").write_bytes(b"not a workbook")
    code, out, _ = _digest(org, "--format", "json")
    assert code == 0  # the digest reports errors; it does not fail on them
    errors = {e["team"]: [f["message"] for f in e["findings"]] for e in json.loads(out)["errors"]}
    assert list(errors) == ["Mobile"]
    assert "mobile.xlsx" in errors["Mobile"][0]


def test_digest_without_history_says_nothing_changed(org: Path) -> None:
    _write_tab(org, "History", [["Date", "ID", "Score", "Status"]])  # the example's, emptied
    code, out, _ = _digest(org)
    assert code == 0
    assert "No status changed since 2026-11-12." in out


@pytest.mark.parametrize(
    ("since", "message"),
    [("yesterday", "neither a date"), ("2026-11-21", "is not before"), ("2026-13-01", "neither")],
)
def test_bad_since_exits_2(org: Path, since: str, message: str) -> None:
    code, out, err = run_cli("digest", str(org), "--as-of", EXAMPLE_AS_OF, "--since", since)
    assert code == 2 and out == ""
    assert message in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, dt.date(2026, 11, 14)), ("14d", dt.date(2026, 11, 7)), (" 1D ", dt.date(2026, 11, 20))]
    + [("2026-10-01", dt.date(2026, 10, 1))],
)
def test_parse_since(text: str | None, expected: dt.date) -> None:
    assert parse_since(text, dt.date(2026, 11, 21)) == expected


class _Later(StrEnum):
    """The check-in warning, by its SPEC §7 code, for a run that reports it."""

    CONFIDENCE_GAP = "CONFIDENCE_GAP"


def test_confidence_gaps_are_listed_with_the_confidence_recorded(org: Path) -> None:
    from sync.engine import run
    from sync.sources import open_backend

    outcome = run(open_backend(str(org)), dt.date.fromisoformat(EXAMPLE_AS_OF))
    result = outcome.computed.result
    item = next(i for i in result.items if i.id == "MOB-4")
    item.confidence = None  # known only from the Check-ins tab below
    code = getattr(Code, "CONFIDENCE_GAP", _Later.CONFIDENCE_GAP)
    result.findings = [f for f in result.findings if f.code != code]  # the example's own gaps
    result.findings.append(Finding(Severity.WARNING, code, "MOB-4", "Mobile", "talk"))  # type: ignore[arg-type]
    tabs = dict(outcome.hub.tabs)
    tabs["Check-ins"] = [["Date", "ID", "Confidence"], ["2026-11-20", "mob-4", 9]]
    snapshots = [TeamSnapshot("Mobile", "https://x", "OKRs", link_template="https://x/r{row}")]
    digest = build_digest(result, snapshots, tabs, dt.date(2026, 11, 14))
    assert [(g.id, g.detail, g.status) for g in digest.gaps] == [("MOB-4", "9", Status.OFF_TRACK)]
    chat = render(digest, "chat")
    assert f"• <https://x/r{item.row}|MOB-4 {item.title}>" in chat
    assert "confidence 9 but Off track" in chat
