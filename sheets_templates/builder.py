"""Workbooks made from the template definition: team OKR workbooks, the hub, whole workspaces.

Everything about columns (names, widths, formats, dropdowns, notes) comes from template.json, so
a new column there appears in every new workbook without touching this code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.errors import SourceError
from sync.template import Col

from .definition import (
    DATA_ROWS,
    HUB_FILE,
    TEAM_TAB,
    HubTab,
    TeamsCol,
    blank_settings,
    settings_rows,
    status_colours,
    team_column_names,
    template,
)
from .styles import WRAPPED, set_print_layout, solid_fill, style_header

__all__ = [
    "DATA_ROWS",
    "HUB_FILE",
    "Row",
    "create_workspace",
    "new_hub_workbook",
    "new_team_workbook",
    "team_column_names",
]

OUTPUT = "output"

# A row: values by column name (any case), or values in the template's column order.
Row = Mapping[str, Any] | Sequence[Any]


def _row_values(row: Row, names: list[str]) -> list[Any]:
    if isinstance(row, Mapping):
        by_key = {str(key).strip().casefold(): value for key, value in row.items()}
        unknown = set(by_key) - {name.casefold() for name in names}
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}; the template has {names}")
        return [by_key.get(name.casefold()) for name in names]
    values = list(row)
    if len(values) > len(names):
        raise ValueError(f"a row has {len(values)} values but the template only {len(names)}")
    return values + [None] * (len(names) - len(values))


def _write_rows(ws: Worksheet, rows: Iterable[Row], names: list[str], formats: list[str]) -> int:
    count = 0
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(_row_values(row, names), start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if formats[c - 1] != "General":
                cell.number_format = formats[c - 1]
        count += 1
    return count


def _dropdown(ws: Worksheet, column: int, choices: list[str], last_row: int) -> None:
    """A list dropdown that warns (not blocks), so aliases like `KR` can still be typed."""
    letter = get_column_letter(column)
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Not in the list",
        error="Choose one of: " + ", ".join(choices),
    )
    rule.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(rule)


def _colour_rules(ws: Worksheet, names: list[str], last_row: int) -> None:
    """Status cells coloured by label, Score cells by their row's Status (blank cells stay
    white), so a 0.59 beside "On track" is green, not the amber of a score band."""
    if Col.STATUS in names:
        letter = get_column_letter(names.index(Col.STATUS) + 1)
        for label, colour in status_colours().items():
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{last_row}",
                CellIsRule(operator="equal", formula=[f'"{label}"'], fill=solid_fill(colour)),
            )
    if Col.SCORE in names and Col.STATUS in names:  # the score wears its row's status colour
        letter = get_column_letter(names.index(Col.SCORE) + 1)
        first = f"{letter}2"
        status = f"${get_column_letter(names.index(Col.STATUS) + 1)}2"
        for label, colour in status_colours().items():
            ws.conditional_formatting.add(
                f"{first}:{letter}{last_row}",
                FormulaRule(
                    formula=[f'AND(ISNUMBER({first}),{status}="{label}")'], fill=solid_fill(colour)
                ),
            )


def new_team_workbook(
    path: Path | str, team_prefix: str | None = None, rows: Iterable[Row] = ()
) -> Path:
    """Write a team workbook with the standard `OKRs` tab (and `rows`, if any) to `path`.

    `team_prefix` (e.g. `ENG`) shows up in the ID column's note as the way to number items.
    """
    path = Path(path)
    columns = template()["team_columns"]
    names = [col["name"] for col in columns]
    formats = [col.get("number_format", "General") for col in columns]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TEAM_TAB
    notes = {col["name"]: col["note"] for col in columns if col.get("note")}
    if team_prefix:
        notes[Col.ID] = f"Unique across the organisation: number this team's rows {team_prefix}-1, "
        notes[Col.ID] += f"{team_prefix}-2, ..."
    output = frozenset(col["name"] for col in columns if col["on"] == OUTPUT)
    style_header(ws, names, {col["name"]: col["width"] for col in columns}, output, notes)
    written = _write_rows(ws, rows, names, formats)
    last_row = max(DATA_ROWS, written + 1)
    for c, number_format in enumerate(formats, start=1):
        if number_format != "General":
            ws.column_dimensions[get_column_letter(c)].number_format = number_format
    for c, col in enumerate(columns, start=1):
        if col.get("validation"):
            _dropdown(ws, c, col["validation"], last_row)
    _colour_rules(ws, names, last_row)
    for c, col in enumerate(columns, start=1):
        if col.get("wrap"):
            ws.column_dimensions[get_column_letter(c)].alignment = WRAPPED
    set_print_layout(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def new_hub_workbook(
    path: Path | str,
    teams: Iterable[Row] = (),
    settings: Mapping[str, Any] | None = None,
) -> Path:
    """Write a hub workbook: `Teams` (header, `teams` rows, Level dropdown) and `Settings`."""
    path = Path(path)
    columns = template()["hub_tabs"][HubTab.TEAMS]["columns"]
    names = [col["name"] for col in columns]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = HubTab.TEAMS
    style_header(ws, names, {col["name"]: col["width"] for col in columns})
    written = _write_rows(ws, teams, names, ["@"] * len(names))
    for c, col in enumerate(columns, start=1):
        if col.get("validation"):
            _dropdown(ws, c, col["validation"], max(DATA_ROWS, written + 1))
    sheet = wb.create_sheet(HubTab.SETTINGS)
    for r, (key, value) in enumerate(settings_rows(settings or {}), start=1):
        sheet.cell(row=r, column=1, value=key)
        cell = sheet.cell(row=r, column=2, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def create_workspace(
    directory: Path | str, example: bool = False, *, today: dt.date | None = None
) -> Path:
    """Make a workspace folder: hub.xlsx and team workbooks; return the hub's path.

    Blank: one team row and its empty workbook, the cycle set to the quarter holding `today`.
    `example`: the example organisation (see `sheets_templates.example`). The folder must be new
    or empty, so nobody's files are overwritten.
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise SourceError(
            f"{directory} already exists and is not empty; choose a new folder name "
            f"(okrtree init creates it)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    if example:
        from .example import write_example

        return write_example(directory)
    source = "teams/my-team.xlsx"
    new_team_workbook(directory / source, team_prefix="TEAM")
    return new_hub_workbook(
        directory / HUB_FILE,
        teams=[
            {
                TeamsCol.TEAM: "My team",
                TeamsCol.LEVEL: "Team",
                TeamsCol.SPREADSHEET: source,
                TeamsCol.TAB: TEAM_TAB,
            }
        ],
        settings=blank_settings(today or dt.date.today()),
    )
