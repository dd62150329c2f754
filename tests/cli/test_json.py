"""`--json`: the README's example is real output, and findings name whom to talk to."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook

from .conftest import EXAMPLE_AS_OF, Invoke

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> dict[str, object]:
    section = README.read_text(encoding="utf-8").split("### JSON (`--json`)", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    return dict(json.loads(block.group(1)))


def test_the_readme_example_is_what_validate_prints(example: Path, invoke: Invoke) -> None:
    shown = readme_example()
    _, out, _ = invoke("validate", str(example), "--as-of", EXAMPLE_AS_OF, "--json")
    real = json.loads(out)
    assert set(shown) == set(real)
    for key in ("as_of", "cycle", "writes"):
        assert shown[key] == real[key]
    for key in ("teams", "items", "findings"):
        listed = shown[key]
        assert isinstance(listed, list)
        assert all(entry in real[key] for entry in listed), key


def test_findings_name_the_item_owner_else_the_team_owner(org: Path, invoke: Invoke) -> None:
    hub = load_workbook(org / "hub.xlsx")
    hub["Teams"].append(["Ghost", "Team", "Northwind", "teams/ghost.xlsx", None, "gil@example.com"])
    hub["Teams"].append(["Nobody", "Team", "Northwind", "teams/nobody.xlsx"])
    hub.save(org / "hub.xlsx")
    _, out, _ = invoke("validate", str(org), "--as-of", EXAMPLE_AS_OF, "--json")
    data = json.loads(out)
    owners = {(f["code"], f["id"] or f["team"]): f["owner"] for f in data["findings"]}
    items = {i["id"]: i["owner"] for i in data["items"]}
    assert owners[("STALE", "TB-2")] == items["TB-2"] != ""
    assert owners[("NO_OWNER", "SUP-4")] == "emma.wright@northwind.example"  # Support's Owner
    assert owners[("SPREADSHEET_UNREADABLE", "Ghost")] == "gil@example.com"
    assert owners[("SPREADSHEET_UNREADABLE", "Nobody")] is None


def test_the_hub_findings_tab_has_an_owner_column(org: Path, invoke: Invoke) -> None:
    invoke("sync", str(org), "--as-of", EXAMPLE_AS_OF)
    tab = load_workbook(org / "hub.xlsx")["Findings"]
    header = [cell.value for cell in tab[1]]
    assert header[:6] == ["Severity", "Code", "ID", "Team", "Owner", "Message"]
    rows = {row[2]: row for row in tab.iter_rows(min_row=2, values_only=True)}
    assert rows["SUP-4"][4] == "emma.wright@northwind.example"
    assert rows["SUP-4"][5].startswith("Team Support, row 5 (SUP-4)")
