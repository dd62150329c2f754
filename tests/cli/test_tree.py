"""`okrtree tree`: filters, depth, and the JSON, CSV and HTML forms."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import EXAMPLE_AS_OF, Invoke, run_cli


def rows(example: Path, *options: str) -> list[dict[str, object]]:
    code, out, err = run_cli("tree", str(example), "--as-of", EXAMPLE_AS_OF, "--json", *options)
    assert (code, err) == (0, "")
    return list(json.loads(out)["rows"])


def test_without_filters_every_item_once(example: Path) -> None:
    everything = rows(example)
    assert len(everything) == 76 and len({r["id"] for r in everything}) == 76
    assert not any(r["context"] or r["hidden_below"] for r in everything)


@pytest.mark.parametrize(
    ("option", "value", "field", "expected"),
    [
        ("--team", "emea sales", "team", "EMEA Sales"),
        ("--status", "at risk", "status", "at_risk"),
        ("--status", "OFF_TRACK", "status", "off_track"),
        ("--owner", "Lena.Ortiz@northwind.example", "owner", "lena.ortiz@northwind.example"),
    ],
)
def test_a_filter_keeps_matches_and_the_path_above_them_as_context(
    example: Path, option: str, value: str, field: str, expected: str
) -> None:
    shown = rows(example, option, value)
    matches = [r for r in shown if not r["context"]]
    assert matches and all(r[field] == expected for r in matches)
    assert all(r[field] != expected for r in shown if r["context"])
    everything = rows(example)
    assert len(matches) == sum(1 for r in everything if r[field] == expected)
    for index, row in enumerate(shown):  # every context row has a match somewhere below it
        if row["context"]:
            below = shown[index + 1 :]
            end = next((i for i, r in enumerate(below) if r["depth"] <= row["depth"]), len(below))
            assert any(not r["context"] for r in below[:end])


def test_filters_combine(example: Path) -> None:
    shown = rows(example, "--team", "Sales", "--status", "done")
    assert [r["id"] for r in shown if not r["context"]] == ["SAL-6"]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_depth_cuts_the_tree_and_counts_what_it_hides(example: Path, depth: int) -> None:
    everything = rows(example)
    shown = rows(example, "--depth", str(depth))
    assert max(int(r["depth"]) for r in shown) == depth - 1
    assert len(shown) + sum(int(r["hidden_below"]) for r in shown) == len(everything)
    assert [r["id"] for r in shown] == [r["id"] for r in everything if int(r["depth"]) < depth]


def test_text_tree_with_filters_says_how_many_match(example: Path, invoke: Invoke) -> None:
    code, out, _ = invoke("tree", str(example), "--as-of", EXAMPLE_AS_OF, "--team", "Sales")
    assert code == 0
    assert "; 6 of 76 items match" in out.splitlines()[0]
    assert "SAL-6" in out and "EMEA-2" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "Salse"], "no team 'Salse'. Did you mean Sales?"),
        (["--status", "green"], "'green' is not a status; use one of done, on_track"),
        (["--depth", "0"], "give 1 or more"),
        (["--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_filters_exit_2_with_one_line(
    example: Path, invoke: Invoke, args: list[str], message: str
) -> None:
    code, out, err = invoke("tree", str(example), "--as-of", EXAMPLE_AS_OF, *args)
    assert (code, out) == (2, "")
    assert err.startswith("okrtree: ") and message in err and err.count("\n") == 1
    assert "okrtree: okrtree" not in err and err.endswith("(see okrtree tree --help)\n")


def test_csv_has_one_line_per_row(example: Path, invoke: Invoke) -> None:
    _, out, _ = invoke("tree", str(example), "--as-of", EXAMPLE_AS_OF, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == [r["id"] for r in rows(example)]
    assert table[0]["depth"] == "0" and table[0]["context"] == "false"
    assert float(table[0]["score"]) == pytest.approx(0.5875)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_standalone_and_escapes_what_people_typed(org: Path, invoke: Invoke) -> None:
    workbook = load_workbook(org / "teams" / "sales.xlsx")
    sheet = workbook["OKRs"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("Title") + 1, '<script>alert("x")</script> & more')
    workbook.save(org / "teams" / "sales.xlsx")
    code, out, _ = invoke("tree", str(org), "--as-of", EXAMPLE_AS_OF, "--format", "html")
    assert code == 0 and out.startswith("<!doctype html>")
    parser = _Cells()
    parser.feed(out)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert '<script>alert("x")</script> & more' in "".join(parser.text)
    assert sum(1 for tag in parser.tags if tag == "tr") == 76 + 1
