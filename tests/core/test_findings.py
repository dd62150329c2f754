"""SPEC §4: every finding code, from the smallest organisation that shows it.

Each case lists every finding the organisation must produce, as (code, id, team, related): no
more, no fewer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sync.model import Code, Finding, Severity
from tests.orgs import Org, kr, obj

DONE = {"target": 1, "current": 1}  # a key result that is done and raises nothing


def base(team: str = "Co", prefix: str = "O") -> list[dict[str, Any]]:
    return [obj(prefix), kr(f"{prefix}.1", **DONE)]


CASES: list[tuple[str, Org, list[tuple[Code, str | None, str | None, tuple[str, ...]]]]] = [
    ("clean", Org({"Co": base()}), []),
    (
        "unreadable",
        Org({"Co": base(), "Gone": None}),
        [(Code.SPREADSHEET_UNREADABLE, None, "Gone", ())],
    ),
    (
        "missing column",
        Org({"Co": base(), "Eng": [["ID", "Type", "Title"], ["E", "O", "x"]]}),
        [(Code.TEMPLATE_MISSING_COLUMN, None, "Eng", ())],
    ),
    (
        "no header",
        Org({"Co": base(), "Eng": [["Name", "Kind"]]}),
        [(Code.TEMPLATE_MISSING_COLUMN, None, "Eng", ())],
    ),
    (
        "invalid level",
        Org({"Co": base()}, levels={"Co": "Tribe"}),
        [(Code.INVALID_LEVEL, None, "Co", ()), (Code.UNALIGNED, "O", "Co", ())],
    ),
    (
        "duplicate team",
        Org({"Co": base()}, extra_team_rows=[["co ", "Team", None, "x.xlsx"]]),
        [(Code.DUPLICATE_TEAM, None, "co", ())],
    ),
    (
        "duplicate sheet",
        Org(
            {"Co": base(), "Mobile": base(prefix="M"), "Web": base(prefix="W")},
            sources={"Mobile": "co.xlsx", "Web": " CO.xlsx"},
        ),
        [(Code.DUPLICATE_SHEET, None, "Mobile", ()), (Code.DUPLICATE_SHEET, None, "Web", ())],
    ),
    (
        "unknown parent team",
        Org({"Co": base()}, parents={"Co": "Board"}),
        [(Code.UNKNOWN_PARENT_TEAM, None, "Co", ())],
    ),
    (
        "missing id",
        Org({"Co": [*base(), {"Title": "An orphan", "Type": "KR"}]}),
        [(Code.MISSING_ID, None, "Co", ())],
    ),
    (
        "duplicate id across teams",
        Org(
            {"Co": base(), "Eng": [obj("o", parent="O.1"), kr("E.1", **DONE)]},
            levels={"Eng": "Team"},
        ),
        [(Code.DUPLICATE_ID, "o", "Eng", ()), (Code.KR_WITHOUT_OBJECTIVE, "E.1", "Eng", ())],
    ),
    (
        "invalid type",
        Org({"Co": [*base(), {"ID": "X", "Type": "Goal", "Title": "x"}]}),
        [(Code.INVALID_TYPE, "X", "Co", ())],
    ),
    (
        "unknown parent",
        Org({"Co": [obj("O", parent="NOPE"), kr("O.1", **DONE)]}),
        [(Code.UNKNOWN_PARENT, "O", "Co", ())],
    ),
    (
        "key result under a key result",
        Org({"Co": [*base(), obj("P"), kr("P.1", parent="O.1", **DONE)]}),
        [(Code.BAD_PARENT, "P.1", "Co", ("O.1",)), (Code.NO_KEY_RESULTS, "P", "Co", ())],
    ),
    (
        "key result without objective",
        Org({"Co": [kr("K", **DONE), *base()]}),
        [(Code.KR_WITHOUT_OBJECTIVE, "K", "Co", ())],
    ),
    (
        "parent cycle",
        Org(
            {
                "Co": [
                    obj("B", parent="A"),
                    kr("B.1", **DONE),
                    obj("a", parent="C.1"),
                    kr("A.1", **DONE),
                    obj("C", parent="B"),
                    kr("C.1", **DONE),
                ]
            }
        ),
        [(Code.PARENT_CYCLE, "a", "Co", ("B", "C", "C.1"))],
    ),
    (
        "self parent",
        Org({"Co": [obj("S", parent="s"), kr("S.1", **DONE)]}),
        [(Code.PARENT_CYCLE, "S", "Co", ())],
    ),
    (
        "unknown dependency",
        Org({"Co": [obj("O", depends="X-9; team:Nobody"), kr("O.1", **DONE)]}),
        [(Code.UNKNOWN_DEPENDENCY, "O", "Co", ()), (Code.UNKNOWN_DEPENDENCY, "O", "Co", ())],
    ),
    (
        "dependency cycle",
        Org(
            {
                "Co": [
                    obj("O", depends="P"),
                    kr("O.1", depends="O", **DONE),
                    obj("P", depends="O.1"),
                    kr("P.1", **DONE),
                ]
            }
        ),
        [(Code.DEPENDENCY_CYCLE, "O", "Co", ("O.1", "P"))],
    ),
    (
        "self dependency",
        Org({"Co": [obj("O", depends="o"), kr("O.1", **DONE)]}),
        [(Code.DEPENDENCY_CYCLE, "O", "Co", ())],
    ),
    (
        "invalid numbers",
        Org(
            {
                "Co": [
                    obj("O", weight="heavy"),
                    kr("O.1", start="x", target="y", current="z", weight=-1),
                ]
            }
        ),
        [
            (Code.INVALID_NUMBER, "O", "Co", ()),
            (Code.INVALID_NUMBER, "O.1", "Co", ()),
            (Code.INVALID_NUMBER, "O.1", "Co", ()),
            (Code.INVALID_NUMBER, "O.1", "Co", ()),
            (Code.INVALID_NUMBER, "O.1", "Co", ()),
        ],
    ),
    (
        "zero range",
        Org({"Co": [obj("O"), kr("O.1", start=5, target=5, current=5)]}),
        [(Code.ZERO_RANGE, "O.1", "Co", ())],
    ),
    (
        "unaligned",
        Org(
            {
                "Co": base(),
                "Eng": [obj("E"), kr("E.1", **DONE), obj("F", why="Regulation"), kr("F.1", **DONE)],
            },
            levels={"Eng": "Team"},
            parents={"Eng": "Co"},
        ),
        [(Code.UNALIGNED, "E", "Eng", ())],
    ),
    (
        "alignment inverted",
        Org(
            {
                "Co": base(),
                "Dept": [obj("D", parent="T.1"), kr("D.1", **DONE)],
                "T": [
                    obj("T", parent="O.1"),
                    kr("T.1", **DONE),
                    obj("U", parent="V.1"),
                    kr("U.1", **DONE),
                ],
                "T2": [obj("V", parent="O.1"), kr("V.1", **DONE)],
            },
            levels={"Dept": "Department", "T": "Team", "T2": "Team"},
        ),
        [
            (Code.ALIGNMENT_INVERTED, "D", "Dept", ("T.1",)),
            (Code.ALIGNMENT_INVERTED, "U", "T", ("V.1",)),
        ],
    ),
    ("no key results", Org({"Co": [obj("O")]}), [(Code.NO_KEY_RESULTS, "O", "Co", ())]),
    (
        "too many",
        Org(
            {
                "Co": [
                    obj("A"),
                    *[kr(f"A.{n}", **DONE) for n in range(3)],
                    obj("B"),
                    kr("B.1", **DONE),
                    obj("C"),
                    kr("C.1", **DONE),
                ]
            },
            settings={"Max objectives per team": 2, "Max key results per objective": 2},
        ),
        [(Code.TOO_MANY_KEY_RESULTS, "A", "Co", ()), (Code.TOO_MANY_OBJECTIVES, None, "Co", ())],
    ),
    (
        "no owner",
        Org({"Co": [obj("O"), kr("O.1", owner=None, **DONE)]}),
        [(Code.NO_OWNER, "O.1", "Co", ())],
    ),
    (
        "unmeasurable",
        Org({"Co": [obj("O"), kr("O.1"), kr("O.2", **DONE)]}),
        [(Code.UNMEASURABLE, "O.1", "Co", ())],
    ),
    (
        "stale",
        Org(
            {
                "Co": [
                    obj("O"),
                    kr("O.1", updated=dt.date(2026, 11, 6), **DONE),
                    kr("O.2", updated="2026-11-07", **DONE),
                    kr("O.3", updated=None, **DONE),
                ]
            }
        ),
        [(Code.STALE, "O.1", "Co", ())],
    ),
    (
        "confidence gap",
        Org(
            {
                "Co": [
                    obj("O"),
                    kr("O.1", confidence="High", target=10, current=1),  # off track
                    kr("O.2", confidence=2, **DONE),
                    kr("O.3", confidence=6, target=10, current=1),
                ]
            }
        ),
        [
            (Code.CONFIDENCE_GAP, "O.1", "Co", ()),
            (Code.CONFIDENCE_GAP, "O.2", "Co", ()),
        ],
    ),
    (
        "invalid date",
        Org({"Co": [obj("O"), kr("O.1", updated="last week", **DONE)]}),
        [(Code.INVALID_DATE, "O.1", "Co", ())],
    ),
    (
        "dependency at risk",
        Org(
            {
                "Co": [
                    obj("A", depends="B"),
                    kr("A.1", **DONE),
                    obj("B", depends="C.1"),
                    kr("B.1", **DONE),
                    obj("C"),
                    kr("C.1", target=100, current=40),
                    kr("C.2", target=100, current=0),
                ]
            }
        ),
        [
            (Code.DEPENDENCY_AT_RISK, "A", "Co", ("C.1",)),
            (Code.DEPENDENCY_AT_RISK, "B", "Co", ("C.1",)),
        ],
    ),
    (
        "team dependency",
        Org(
            {
                "Co": [
                    obj("O", depends="team:eng"),
                    kr("O.1", **DONE),
                    obj("P"),
                    kr("P.1", depends="team:Eng", **DONE),
                ],
                "Eng": [obj("E", parent="O.1"), kr("E.1", **DONE)],
            },
            levels={"Eng": "Team"},
        ),
        [(Code.UNACKNOWLEDGED_DEPENDENCY, "P.1", "Co", ())],
    ),
]


@pytest.mark.parametrize(("org", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_findings(
    org: Org, expected: list[tuple[Code, str | None, str | None, tuple[str, ...]]]
) -> None:
    findings = org.compute().result.findings
    assert sorted((f.code, f.id, f.team, f.related) for f in findings) == sorted(
        expected, key=lambda e: (e[0], e[1] or "", e[2] or "", e[3])
    )


@pytest.mark.parametrize(("org", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_finding_message_names_its_team(org: Org, expected: object) -> None:
    for finding in org.compute().result.findings:
        assert finding.team and finding.team in finding.message
        if finding.row is not None:
            assert f"row {finding.row}" in finding.message


# SPEC §4: the codes that mean the data cannot be trusted; every other code is a warning.
SPEC_ERRORS = {
    Code.TEMPLATE_MISSING_COLUMN,
    Code.SPREADSHEET_UNREADABLE,
    Code.DUPLICATE_TEAM,
    Code.DUPLICATE_SHEET,
    Code.UNKNOWN_PARENT_TEAM,
    Code.INVALID_LEVEL,
    Code.MISSING_ID,
    Code.DUPLICATE_ID,
    Code.INVALID_TYPE,
    Code.UNKNOWN_PARENT,
    Code.BAD_PARENT,
    Code.KR_WITHOUT_OBJECTIVE,
    Code.PARENT_CYCLE,
    Code.UNKNOWN_DEPENDENCY,
    Code.DEPENDENCY_CYCLE,
    Code.INVALID_NUMBER,
    Code.ZERO_RANGE,
}


@pytest.mark.parametrize("code", list(Code))
def test_a_code_carries_its_severity_into_both_kinds_of_finding(code: Code) -> None:
    expected = Severity.ERROR if code in SPEC_ERRORS else Severity.WARNING
    assert code.severity is expected
    row = Finding.on_row(code, "Co", 4, "O.1", "Team Co, row 4", ["B", "A"])
    assert (row.severity, row.row, row.id, row.related) == (expected, 4, "O.1", ("B", "A"))
    team = Finding.on_team(code, "Co", "Team Co")
    assert (team.severity, team.row, team.id, team.related) == (expected, None, None, ())


@pytest.mark.parametrize(("org", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_finding_has_its_codes_severity(org: Org, expected: object) -> None:
    for finding in org.compute().result.findings:
        assert finding.severity is finding.code.severity


def test_every_code_is_shown_by_a_case() -> None:
    shown = {code for _, _, expected in CASES for code, *_ in expected}
    assert shown == set(Code) - {Code.NOT_WRITTEN}  # NOT_WRITTEN comes from writing (test_engine)


@pytest.mark.parametrize(
    ("cells", "column", "value"),
    [
        ({"current": "lots"}, "Current", "'lots'"),
        ({"start": "1,5"}, "Start", "'1,5'"),
        ({"target": ">= many"}, "Target", "'>= many'"),
        ({"weight": -2}, "Weight", "'-2'"),
        ({"updated": "05/11/2026"}, "Updated", "'05/11/2026'"),
    ],
)
def test_bad_cell_message_names_team_row_column_value_and_fix(
    cells: dict[str, object], column: str, value: str
) -> None:
    base_cells = {"target": 10, "current": 5, **cells}
    finding = next(
        f
        for f in Org({"Co": [obj("O"), kr("K", **base_cells)]}).compute().result.findings
        if f.id == "K"
    )
    assert f"Team Co, row 3 (K), column {column}: {value}" in finding.message
    assert "type" in finding.message  # says what to type instead


def test_findings_are_sorted_by_severity_code_and_id() -> None:
    org = Org(
        {
            "Co": [
                obj("Z", parent="nope"),
                kr("Z.1", owner=None, **DONE),
                obj("A"),
                kr("A.1", owner=None, **DONE),
                kr("A.2", current="x", target=1),
            ]
        }
    )
    findings = org.compute().result.findings
    keys = [(f.severity, f.code, f.id) for f in findings]
    assert keys == [
        (Severity.ERROR, Code.INVALID_NUMBER, "A.2"),
        (Severity.ERROR, Code.UNKNOWN_PARENT, "Z"),
        (Severity.WARNING, Code.NO_OWNER, "A.1"),
        (Severity.WARNING, Code.NO_OWNER, "Z.1"),
    ]


def test_duplicate_keeps_the_first_in_teams_order_then_row_order() -> None:
    org = Org(
        {
            "Co": [obj("O"), kr("K", **DONE), kr("k", title="second", **DONE)],
            "Eng": [obj("X"), kr("K ", title="third", **DONE)],
        }
    )
    result = org.compute().result
    assert [(i.id, i.title, i.team) for i in result.items if i.key == "k"] == [
        ("K", "Key result K", "Co")
    ]
    assert sorted((f.team, f.row) for f in result.findings if f.code is Code.DUPLICATE_ID) == [
        ("Co", 4),
        ("Eng", 3),
    ]


def test_bad_cells_of_one_row_are_reported_in_column_order() -> None:
    org = Org({"Co": [obj("O"), kr("K", start="a", target="b", current="c", updated="d")]})
    messages = [f.message for f in org.compute().result.findings if f.id == "K"]
    columns = [m.split("column ")[1].split(":")[0] for m in messages]
    assert columns == ["Start", "Target", "Current", "Updated"]
