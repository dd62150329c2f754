"""Hostile and broken team workbooks: each is that team's SPREADSHEET_UNREADABLE, never a crash,
the other teams still validated, in bounded time and memory (SPEC §10)."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_templates.builder import new_hub_workbook, new_team_workbook
from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx_bounds import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_HUB_ROWS,
    MAX_ROWS,
    Unreadable,
    column_letters,
    scan_sheet,
)
from sync.engine import run
from sync.model import Code

from .conftest import ROWS, rezip, team

AS_OF = dt.date(2026, 11, 21)
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _sheet(rows: bytes, head: bytes = _HEAD) -> bytes:
    return head + b"<sheetData>" + rows + b"</sheetData></worksheet>"


def _wide_sparse(rows: int) -> bytes:
    """One number in column XFD on each row: a few MB of XML, a dense range of billions."""
    return _sheet(
        b"".join(
            b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(1, rows + 1)
        )
    )


def _with_strings(xml: bytes) -> Callable[[Path], None]:
    """Add or replace the shared strings part (the template has inline strings only)."""

    def spoil(path: Path) -> None:
        rezip(path, {STRINGS: xml})
        types = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        )
        rezip(path, {"[Content_Types].xml": lambda d: d.replace(b"</Types>", types.encode())})

    return spoil


def _huge_strings(mib: int) -> bytes:
    item = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    count = mib * 2**20 // len(item)
    return (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + item * count
        + b"</sst>"
    )


def _understate(member: str) -> Callable[[Path], None]:
    """A zip whose headers declare a part 1,000 bytes long when it unpacks to far more."""

    def spoil(path: Path) -> None:
        rezip(path, {member: _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>' * 200_000)})
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
        struct.pack_into("<I", data, info.header_offset + 22, 1000)
        name = member.encode()
        at = data.find(b"PK\x01\x02")  # central directory entries
        while at != -1:
            length = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46 : at + 46 + length] == name:
                struct.pack_into("<I", data, at + 24, 1000)
            at = data.find(b"PK\x01\x02", at + 4)
        path.write_bytes(bytes(data))

    return spoil


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&d;</t></si></sst>'
)

HOSTILE = [
    (
        "broken xml",
        lambda p: rezip(p, {SHEET: _sheet(b'<row r="1"><c r="A1"><v>1</v></row>')}),
        r"is not an Excel workbook or is damaged",
    ),
    (
        "xxe",
        lambda p: rezip(
            p,
            {
                SHEET: _sheet(
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', _XXE
                )
            },
        ),
        r"declares a DTD or entities",
    ),
    ("billion laughs", _with_strings(_LAUGHS), r"sharedStrings.xml declares a DTD"),
    ("zip bomb", _with_strings(_huge_strings(64)), r"unpacks to .* MiB .*it may be a zip bomb"),
    ("understated size", _understate(SHEET), r"is not an Excel workbook or is damaged"),
    (
        "wide sparse",
        lambda p: rezip(p, {SHEET: _wide_sparse(60_000)}),
        r"tab 'OKRs': cells reach XFD\d+ or further, a rectangle from A1 of more than the "
        r"10,000,000 cells",
    ),
    (
        "too many rows",
        lambda p: rezip(p, {SHEET: _sheet(b'<row r="100001"><c r="A100001"><v>1</v></c></row>')}),
        r"cells reach row 100,001, beyond the 100,000 rows",
    ),
    (
        "csv named xlsx",
        _write(b"ID,Type,Title\nCO-1,Objective,Grow\n"),
        r"not an Excel workbook but a text file \(perhaps a CSV",
    ),
    (
        "encrypted",
        _write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)),
        r"is password-protected",
    ),
    ("empty file", _write(b""), r"is not an Excel workbook"),
    (
        "zip, no workbook",
        lambda p: (p.unlink(), rezip(p, {"a.txt": b"hi"})),
        r"is not an Excel workbook \(no _rels",
    ),
]


def _two_teams(root: Path) -> Path:
    new_hub_workbook(
        root / "hub.xlsx",
        teams=[
            {"Team": "Core", "Level": "Company", "Spreadsheet": "core.xlsx"},
            {"Team": "Bad", "Level": "Team", "Spreadsheet": "bad.xlsx", "Parent team": "Core"},
        ],
        settings={"Cycle start": dt.date(2026, 10, 1), "Cycle end": dt.date(2026, 12, 31)},
    )
    new_team_workbook(root / "core.xlsx", "CO", ROWS)
    new_team_workbook(root / "bad.xlsx", "BA", [{"ID": "BA-1", "Type": "Objective", "Title": "x"}])
    return root


@pytest.mark.parametrize(
    ("spoil", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_a_hostile_workbook_is_its_teams_finding_and_the_others_go_on(
    tmp_path: Path, spoil: Callable[[Path], object], message: str
) -> None:
    root = _two_teams(tmp_path)
    spoil(root / "bad.xlsx")
    result = run(XlsxBackend(root), AS_OF).computed.result
    unreadable = [f for f in result.findings if f.code is Code.SPREADSHEET_UNREADABLE]
    assert [f.team for f in unreadable] == ["Bad"]
    assert re.search(message, unreadable[0].message), unreadable[0].message
    assert unreadable[0].message.startswith("Team Bad: bad.xlsx")
    assert [i.id for i in result.items] == [r["ID"] for r in ROWS]


_MEASURE = """
import datetime as dt, json, re, sys, time
from pathlib import Path
from sync.backends.xlsx import XlsxBackend
from sync.engine import run
started = time.perf_counter()
result = run(XlsxBackend(Path(sys.argv[1])), dt.date(2026, 11, 21)).computed.result
print(json.dumps({
    "seconds": time.perf_counter() - started,
    # VmHWM, unlike getrusage's ru_maxrss, starts afresh at exec (not the parent's peak)
    "peak_mib": int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1]) / 1024,
    "codes": sorted({f.code.value for f in result.findings if f.team == "Bad"}),
}))
"""


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: rezip(p, {SHEET: _wide_sparse(60_000)}),
        _with_strings(_huge_strings(200)),
        _understate(STRINGS),
    ],
    ids=["60,000 rows x XFD", "200 MiB of shared strings", "understated shared strings"],
)
def test_hostile_workbooks_are_refused_in_bounded_memory_and_time(
    tmp_path: Path, spoil: Callable[[Path], object]
) -> None:
    root = _two_teams(tmp_path)
    spoil(root / "bad.xlsx")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(root)], capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)
    assert measured["codes"] == ["SPREADSHEET_UNREADABLE"]
    assert measured["peak_mib"] < 200, measured
    assert measured["seconds"] < 10, measured


def test_a_broken_hub_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _two_teams(tmp_path)
    rezip(root / "hub.xlsx", {SHEET: _sheet(b"<row", _XXE)})
    done = subprocess.run(
        [sys.executable, "-m", "sync", "validate", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "hub.xlsx cannot be read as an Excel workbook" in done.stderr


# -- the limits scan agrees with the truth, whatever way the cells are written -------------------

_cells = st.lists(
    st.tuples(st.integers(1, MAX_ROWS + 50), st.integers(1, MAX_COLUMNS + 50)),
    min_size=1,
    max_size=6,
    unique=True,
)


def _xml(cells: list[tuple[int, int]], referenced: list[bool]) -> bytes:
    """Rows and cells, each with its reference or (where allowed) without, as the format permits:
    a cell without one follows the previous cell of its row."""
    out = []
    for (row, column), named in zip(sorted(cells), referenced, strict=False):
        ref = f' r="{column_letters(column)}{row}"' if named else ""
        filler = "" if named else "<c/>" * (column - 1)
        out.append(f'<row r="{row}">{filler}<c{ref}><v>1</v></c></row>')
    return _sheet("".join(out).encode())


@settings(max_examples=60, deadline=None)
@given(cells=_cells, referenced=st.lists(st.booleans(), min_size=6, max_size=6))
def test_the_scan_refuses_exactly_the_sheets_past_the_limits(
    cells: list[tuple[int, int]], referenced: list[bool]
) -> None:
    rows, columns = max(r for r, _ in cells), max(c for _, c in cells)
    # A cell written without a reference sits after the empty `<c/>` cells before it.
    filled = [
        range(1, c + 1) if not named else [c]
        for (_, c), named in zip(sorted(cells), referenced, strict=False)
    ]
    in_use = len({c for columns_of_row in filled for c in columns_of_row})
    too_far = rows > MAX_ROWS or in_use > MAX_COLUMNS or rows * columns > MAX_CELLS
    data = _xml(cells, referenced)
    if too_far:
        with pytest.raises(Unreadable, match=r"beyond the|more than the"):
            scan_sheet("t.xlsx", "OKRs", data)
    else:
        assert scan_sheet("t.xlsx", "OKRs", data) == []


def _row_of_columns(first: int, count: int, rows: int = 1) -> bytes:
    return _sheet(
        b"".join(
            b'<row r="%d">' % r
            + b"".join(
                b'<c r="%s%d"><v>1</v></c>' % (column_letters(c).encode(), r)
                for c in range(first, first + count)
            )
            + b"</row>"
            for r in range(1, rows + 1)
        )
    )


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        (_row_of_columns(1, MAX_COLUMNS), None),
        (_row_of_columns(1, MAX_COLUMNS + 1), r"cells fill 1,001 columns, beyond the 1,000"),
        (_row_of_columns(16_384 - 19, 20, rows=10), None),  # a few columns far right: read
        (_row_of_columns(16_384, 1, rows=MAX_CELLS // 16_384 + 1), r"10,000,000 cells"),
    ],
    ids=["1,000 columns", "1,001 columns", "20 columns ending at XFD", "rectangle too large"],
)
def test_columns_in_use_and_the_rectangle_are_bounded(data: bytes, refused: str | None) -> None:
    if refused is None:
        assert scan_sheet("t.xlsx", "OKRs", data) == []
    else:
        with pytest.raises(Unreadable, match=refused):
            scan_sheet("t.xlsx", "OKRs", data)


@pytest.mark.parametrize(
    ("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (1000, "ALL"), (16384, "XFD")]
)
def test_column_letters(number: int, letters: str) -> None:
    assert column_letters(number) == letters


def test_error_cells_read_as_their_text(tmp_path: Path) -> None:
    root = _two_teams(tmp_path)
    error = b'<c r="I3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    rezip(root / "core.xlsx", {SHEET: lambda d: re.sub(rb'<c r="I3"[^>]*>.*?</c>', error, d)})
    [snap] = XlsxBackend(root).read_teams([team("core.xlsx")])
    assert snap.grid is not None and snap.grid[2][8] == "#DIV/0!"


def test_a_refused_workbook_is_never_written_and_the_others_are(tmp_path: Path) -> None:
    root = _two_teams(tmp_path)
    _with_strings(_huge_strings(64))(root / "bad.xlsx")
    before = {name: (root / name).read_bytes() for name in ("bad.xlsx", "core.xlsx")}
    run(XlsxBackend(root), AS_OF, write=True)
    assert (root / "bad.xlsx").read_bytes() == before["bad.xlsx"]
    assert (root / "core.xlsx").read_bytes() != before["core.xlsx"]


@pytest.mark.parametrize(
    ("max_rows", "refused"), [(MAX_ROWS, True), (MAX_HUB_ROWS, False)], ids=["team", "hub"]
)
def test_the_hubs_log_tabs_may_grow_past_a_team_sheets_rows(max_rows: int, refused: bool) -> None:
    history = _row_of_columns(1, 4, rows=MAX_ROWS + 1)
    if refused:
        with pytest.raises(Unreadable, match=r"beyond the 100,000 rows"):
            scan_sheet("hub.xlsx", "History", history, max_rows)
    else:
        assert scan_sheet("hub.xlsx", "History", history, max_rows) == []
