"""What okrtree sends: user text as text (never a formula, even when it starts with `=`),
okrtree's own links as formulas, and never NaN, infinity or numpy types."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from sync.backends.gsheets import GoogleBackend
from sync.backends.gsheets_write import team_requests
from sync.emulator import Emulator
from sync.google.api import SheetsApi, clean_json
from sync.google.cells import extended_value
from sync.snapshot import CellChange, Link, OutputTable, SheetChanges

from .conftest import CYCLE, HEADER, RecordingHTTPClient, sync


def _org(emulator: Emulator, title: str, owner: str) -> tuple[str, str]:
    okrs = [
        HEADER,
        ["EQ-1", "Objective", title, owner, "", "", "", "", "", "", "", "why"],
        ["EQ-2", "Key Result", "=2+2", "", "", "", 0, 10, 5, "", "2026-11-20"],
    ]
    key = emulator.create_spreadsheet("team", {"OKRs": okrs}, user_entered=False)
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    hub = emulator.create_spreadsheet(
        "hub",
        {
            "Teams": [["Team", "Level", "Spreadsheet"], ["Eq", "Company", url]],
            "Settings": [
                [k, v.isoformat() if hasattr(v, "isoformat") else v] for k, v in CYCLE.items()
            ],
        },
    )
    return hub, key


def _entered(emulator: Emulator, key: str, tab: str, row: int, column: int) -> dict[str, Any]:
    return dict(emulator.sheet(key, tab).cells[(row - 1, column - 1)]["userEnteredValue"])


def test_text_starting_with_equals_lands_as_text_everywhere(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub, key = _org(emulator, '=IMPORTXML("http://evil.example","//a")', "=owner")
    outcome = sync(backend(hub))
    assert not outcome.computed.result.has_errors
    tree = emulator.values(hub, "Alignment Tree", render="FORMULA")
    assert tree[1][:1] == ['=IMPORTXML("http://evil.example","//a")']
    assert _entered(emulator, hub, "Alignment Tree", 2, 1) == {
        "stringValue": '=IMPORTXML("http://evil.example","//a")'
    }
    assert _entered(emulator, hub, "Alignment Tree", 2, 6) == {"stringValue": "=owner"}
    assert _entered(emulator, hub, "Alignment Tree", 3, 1) == {"stringValue": "    =2+2"}
    link = _entered(emulator, hub, "Alignment Tree", 2, tree[0].index("Link") + 1)
    assert link["formulaValue"].startswith('=HYPERLINK("https://docs.google.com/spreadsheets/d/')


def test_a_warnings_text_starting_with_equals_is_written_as_text(
    emulator: Emulator, backend: Callable[[str], GoogleBackend]
) -> None:
    hub, key = _org(emulator, "Goal", "o@x.example")
    one = backend(hub)
    one.read_teams(sync(one, write=False).teams)
    changes = SheetChanges(
        "Eq",
        f"https://docs.google.com/spreadsheets/d/{key}/edit",
        "OKRs",
        1,
        [CellChange(2, 15, "=1+1 is what a person typed"), CellChange(3, 15, "=SUM(A:A)")],
        {2: "EQ-1", 3: "EQ-2"},
    )
    one.write_team(changes)
    assert _entered(emulator, key, "OKRs", 2, 15) == {"stringValue": "=1+1 is what a person typed"}
    assert _entered(emulator, key, "OKRs", 3, 15) == {"stringValue": "=SUM(A:A)"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=A1", {"stringValue": "=A1"}),
        ("", None),
        (None, None),
        (float("nan"), None),
        (float("inf"), None),
        (np.float64(0.25), {"numberValue": 0.25}),
        (np.int64(3), {"numberValue": 3}),
        (np.bool_(True), {"boolValue": True}),
        (True, {"boolValue": True}),
        (0.53, {"numberValue": 0.53}),
    ],
)
def test_values_become_plain_json_cells(value: object, expected: dict[str, Any] | None) -> None:
    got = extended_value(value)
    assert got == expected
    if got is not None:
        assert all(type(v) in (str, int, float, bool) for v in got.values())


def test_clean_json_leaves_no_nan_and_no_numpy() -> None:
    body = {"a": [np.float64(1.5), float("nan"), (np.int32(2), float("-inf"))], "b": {"c": None}}
    cleaned = clean_json(body)
    assert cleaned == {"a": [1.5, None, [2, None]], "b": {"c": None}}
    assert type(cleaned["a"][0]) is float and type(cleaned["a"][2][0]) is int
    json.dumps(cleaned, allow_nan=False)
    with pytest.raises(TypeError, match="object"):
        clean_json({"x": object()})


def test_nan_and_numpy_never_reach_google(
    emulator: Emulator, api: SheetsApi, backend: Callable[[str], GoogleBackend]
) -> None:
    hub, key = _org(emulator, "Goal", "o@x.example")
    one = backend(hub)
    sync(one, write=False)
    changes = SheetChanges(
        "Eq",
        f"https://docs.google.com/spreadsheets/d/{key}/edit",
        "OKRs",
        1,
        [CellChange(2, 13, float("nan")), CellChange(3, 13, np.float64(0.5))],  # type: ignore[arg-type]
        {2: "EQ-1", 3: "EQ-2"},
    )
    one.write_team(changes)
    table = OutputTable(
        "Findings", ["Severity", "Score"], [["warning", float("nan")], ["info", np.float64(0.1)]]
    )  # type: ignore[list-item]
    one.write_hub([table])
    http = api.http
    assert isinstance(http, RecordingHTTPClient)
    sent = [body for _, body in http.bodies if body is not None]
    assert sent
    for body in sent:
        text = json.dumps(body, allow_nan=False)  # raises on NaN or infinity
        assert "NaN" not in text
        _no_numpy(body)
    assert (1, 12) not in emulator.sheet(key, "OKRs").cells  # NaN cleared the cell
    assert _entered(emulator, key, "OKRs", 3, 13) == {"numberValue": 0.5}


def _no_numpy(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _no_numpy(item)
    elif isinstance(value, list):
        for item in value:
            _no_numpy(item)
    else:
        assert type(value) in (str, int, float, bool, type(None)), type(value)
        if isinstance(value, float):
            assert math.isfinite(value)


def test_team_writes_send_values_only_never_formats_or_formulas() -> None:
    changes = SheetChanges(
        "T",
        "k",
        "OKRs",
        1,
        [
            CellChange(1, 13, "Score"),
            CellChange(5, 13, 0.5),
            CellChange(5, 14, "On track"),
            CellChange(5, 15, None),
            CellChange(7, 15, "=x"),
            CellChange(7, 30, "far"),
        ],
        {},
    )
    requests = team_requests(9, 26, changes)
    assert requests[0] == {"appendDimension": {"sheetId": 9, "dimension": "COLUMNS", "length": 4}}
    updates = [r["updateCells"] for r in requests[1:]]
    assert {u["fields"] for u in updates} == {"userEnteredValue"}
    assert [
        (u["start"]["rowIndex"], u["start"]["columnIndex"], len(u["rows"][0]["values"]))
        for u in updates
    ] == [(0, 12, 1), (4, 12, 3), (6, 14, 1), (6, 29, 1)]
    assert updates[1]["rows"][0]["values"][2] == {}  # a clear
    assert updates[2]["rows"][0]["values"][0] == {"userEnteredValue": {"stringValue": "=x"}}
    assert "formulaValue" not in json.dumps(requests)


def test_hub_links_are_formulas_and_only_links_are(emulator: Emulator, api: SheetsApi) -> None:
    hub = emulator.create_spreadsheet("hub", {"Teams": [["Team"]], "Settings": [["Cycle"]]})
    one = GoogleBackend(hub, api)
    one.read_hub()
    target = "https://docs.google.com/spreadsheets/d/K/edit#gid=5&range=A12"
    one.write_hub(
        [
            OutputTable(
                "Findings", ["Message", "Link"], [["=not a formula", Link("Open row 12", target)]]
            )
        ]
    )
    assert _entered(emulator, hub, "Findings", 2, 1) == {"stringValue": "=not a formula"}
    assert _entered(emulator, hub, "Findings", 2, 2) == {
        "formulaValue": f'=HYPERLINK("{target}","Open row 12")'
    }
