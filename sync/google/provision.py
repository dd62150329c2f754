"""`okrtree init --google`: an organisation made in Google Sheets from the standard template.

Every column, width, format, dropdown, colour and note comes from `sheets_templates/`
(template.json and the example organisation), exactly as the local workbooks are built, so the
two backends start from the same cells. Each spreadsheet costs two requests (create, then one
`batchUpdate` that shapes it), plus one Drive permission per person it is shared with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheets_templates.definition import (
    DATA_ROWS,
    HEADER_COLOUR,
    OUTPUT_HEADER_COLOUR,
    OUTPUT_NOTE,
    TEAM_TAB,
    HubTab,
    TeamsCol,
    blank_settings,
    settings_rows,
    template,
)

from ..backends.gsheets_hub import hub_requests as output_tab_requests
from ..backends.gsheets_read import Tab
from ..snapshot import OutputTable
from ..template import Col
from .api import SheetsApi
from .cells import column_letter, extended_value, rgb, width_requests
from .keys import spreadsheet_url

__all__ = ["Provisioned", "TeamPlan", "create_organisation", "team_tab_requests"]

OUTPUT = "output"
_NUMBER_FORMATS = {
    "@": {"type": "TEXT", "pattern": "@"},
    "0.00": {"type": "NUMBER", "pattern": "0.00"},
    "yyyy-mm-dd": {"type": "DATE", "pattern": "yyyy-mm-dd"},
}


@dataclass(frozen=True, slots=True)
class TeamPlan:
    """A team to create: its `Teams` row (without the spreadsheet) and its OKR rows."""

    hub_row: Mapping[str, Any]
    rows: Sequence[Mapping[str, Any]] = ()
    prefix: str = "TEAM"
    tab: str = TEAM_TAB

    @property
    def name(self) -> str:
        return str(self.hub_row[TeamsCol.TEAM])


@dataclass(slots=True)
class Provisioned:
    """What was created: the hub and each team's spreadsheet, by team name."""

    hub_key: str
    teams: dict[str, str] = field(default_factory=dict)

    @property
    def hub_url(self) -> str:
        return spreadsheet_url(self.hub_key)


def _values(row: Mapping[str, Any], names: list[str]) -> list[Any]:
    by_key = {str(k).strip().casefold(): v for k, v in row.items()}
    return [by_key.get(name.casefold()) for name in names]


def _cell(value: Any) -> dict[str, Any]:
    entered = extended_value(value)
    return {"userEnteredValue": entered} if entered is not None else {}


def _size(sheet_id: int, title: str, rows: int, columns: int) -> dict[str, Any]:
    grid = {"rowCount": rows, "columnCount": columns, "frozenRowCount": 1}
    return {
        "updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "title": title, "gridProperties": grid},
            "fields": "title,gridProperties.rowCount,gridProperties.columnCount,"
            "gridProperties.frozenRowCount",
        }
    }


def _header(
    sheet_id: int, names: list[str], output: set[str], notes: Mapping[str, str]
) -> dict[str, Any]:
    cells = []
    for name in names:
        colour = OUTPUT_HEADER_COLOUR if name in output else HEADER_COLOUR
        cell: dict[str, Any] = {
            "userEnteredValue": {"stringValue": name},
            "userEnteredFormat": {"textFormat": {"bold": True}, "backgroundColor": rgb(colour)},
        }
        note = OUTPUT_NOTE if name in output else notes.get(name)
        if note:
            cell["note"] = note
        cells.append(cell)
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": cells}],
            "fields": "userEnteredValue,userEnteredFormat,note",
        }
    }


def _data(sheet_id: int, rows: list[list[Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    return [
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
                "rows": [{"values": [_cell(v) for v in row]} for row in rows],
                "fields": "userEnteredValue",
            }
        }
    ]


def _column(sheet_id: int, index: int, last_row: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "endRowIndex": last_row,
        "startColumnIndex": index,
        "endColumnIndex": index + 1,
    }


def _dropdown(sheet_id: int, index: int, choices: list[str], last_row: int) -> dict[str, Any]:
    """A list dropdown that warns rather than blocks, so aliases like `KR` can still be typed."""
    return {
        "setDataValidation": {
            "range": _column(sheet_id, index, last_row),
            "rule": {
                "condition": {
                    "type": "ONE_OF_LIST",
                    "values": [{"userEnteredValue": choice} for choice in choices],
                },
                "inputMessage": "Choose one of: " + ", ".join(choices),
                "strict": False,
                "showCustomUi": True,
            },
        }
    }


def _colour_rules(sheet_id: int, names: list[str], last_row: int) -> list[dict[str, Any]]:
    """Status cells coloured by label, Score cells by their row's Status (blanks stay white)."""
    rules: list[dict[str, Any]] = []
    if Col.STATUS in names:
        where = _column(sheet_id, names.index(Col.STATUS), last_row)
        for label, colour in template()["status_colours"].items():
            condition = {"type": "TEXT_EQ", "values": [{"userEnteredValue": label}]}
            rules.append({"ranges": [where], "booleanRule": _boolean(condition, colour)})
    if Col.SCORE in names and Col.STATUS in names:  # the score wears its row's status colour
        index = names.index(Col.SCORE)
        where = _column(sheet_id, index, last_row)
        first = f"{column_letter(index + 1)}2"
        status = f"${column_letter(names.index(Col.STATUS) + 1)}2"
        for label, colour in template()["status_colours"].items():
            formula = f'=AND(ISNUMBER({first}),{status}="{label}")'
            condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
            rules.append({"ranges": [where], "booleanRule": _boolean(condition, colour)})
    return [
        {"addConditionalFormatRule": {"rule": rule, "index": i}} for i, rule in enumerate(rules)
    ]


def _boolean(condition: dict[str, Any], colour: str) -> dict[str, Any]:
    return {"condition": condition, "format": {"backgroundColor": rgb(colour)}}


def team_tab_requests(
    sheet_id: int, rows: Sequence[Mapping[str, Any]] = (), prefix: str | None = None
) -> list[dict[str, Any]]:
    """Shape a new tab into the standard OKR tab holding `rows` (values by column name)."""
    columns = template()["team_columns"]
    names = [col["name"] for col in columns]
    output = {col["name"] for col in columns if col["on"] == OUTPUT}
    notes = {col["name"]: col["note"] for col in columns if col.get("note")}
    if prefix:
        notes[Col.ID] = (
            f"Unique across the organisation: number this team's rows {prefix}-1, {prefix}-2, ..."
        )
    last_row = max(DATA_ROWS, len(rows)) + 1
    requests = [_size(sheet_id, TEAM_TAB, last_row, len(names))]
    requests += width_requests(sheet_id, [col.get("width") for col in columns])
    for index, col in enumerate(columns):
        number_format = _NUMBER_FORMATS.get(col.get("number_format", "General"))
        if number_format:
            requests.append(
                {
                    "repeatCell": {
                        "range": _column(sheet_id, index, last_row),
                        "cell": {"userEnteredFormat": {"numberFormat": number_format}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
        if col.get("validation"):
            requests.append(_dropdown(sheet_id, index, col["validation"], last_row))
        if col.get("wrap"):
            requests.append(
                {
                    "repeatCell": {
                        "range": _column(sheet_id, index, last_row),
                        "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                        "fields": "userEnteredFormat.wrapStrategy",
                    }
                }
            )
    requests.append(_header(sheet_id, names, output, notes))
    requests += _data(sheet_id, [_values(row, names) for row in rows])
    first, last = names.index(Col.SCORE), names.index(Col.WARNINGS)
    requests.append(
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {
                        "sheetId": sheet_id,
                        "startColumnIndex": first,
                        "endColumnIndex": last + 1,
                    },
                    "description": OUTPUT_NOTE,
                    "warningOnly": True,
                }
            }
        }
    )
    requests += _colour_rules(sheet_id, names, last_row)
    return requests


def hub_requests(
    teams_id: int, settings_id: int, teams: list[dict[str, Any]], settings: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Shape a new hub: `Teams` (header, rows, Level dropdown) and `Settings`."""
    columns = template()["hub_tabs"][HubTab.TEAMS]["columns"]
    names = [col["name"] for col in columns]
    last_row = max(DATA_ROWS, len(teams)) + 1
    requests = [_size(teams_id, HubTab.TEAMS, last_row, len(names))]
    requests += width_requests(teams_id, [col.get("width") for col in columns])
    for index, col in enumerate(columns):
        requests.append(
            {
                "repeatCell": {
                    "range": _column(teams_id, index, last_row),
                    "cell": {"userEnteredFormat": {"numberFormat": _NUMBER_FORMATS["@"]}},
                    "fields": "userEnteredFormat.numberFormat",
                }
            }
        )
        if col.get("validation"):
            requests.append(_dropdown(teams_id, index, col["validation"], last_row))
    requests.append(_header(teams_id, names, set(), {}))
    requests += _data(teams_id, [_values(row, names) for row in teams])
    rows = settings_rows(settings)
    settings_cells = []
    for key, value in rows:
        cell = _cell(value)
        if isinstance(value, dt.date):
            cell["userEnteredFormat"] = {"numberFormat": _NUMBER_FORMATS["yyyy-mm-dd"]}
        settings_cells.append({"values": [_cell(key), cell]})
    requests.append(
        {
            "updateSheetProperties": {
                "properties": {"sheetId": settings_id, "title": HubTab.SETTINGS},
                "fields": "title",
            }
        }
    )
    requests.append(
        {
            "updateCells": {
                "start": {"sheetId": settings_id, "rowIndex": 0, "columnIndex": 0},
                "rows": settings_cells,
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    requests += width_requests(settings_id, [30, 14])
    return requests


def _plans(example: bool) -> tuple[list[TeamPlan], dict[str, Any]]:
    if example:
        from sheets_templates.example import SETTINGS, TEAMS

        plans = [TeamPlan(t.hub_row(), t.rows, t.prefix, t.tab) for t in TEAMS]
        return plans, dict(SETTINGS)
    row: dict[str, Any] = {TeamsCol.TEAM: "My team", TeamsCol.LEVEL: "Team", TeamsCol.TAB: TEAM_TAB}
    return [TeamPlan(row)], blank_settings(dt.date.today())


def _example_logs() -> list[OutputTable]:
    """The example hub's `History` and `Check-ins`, as `init --example` writes them locally."""
    from sheets_templates.example import AS_OF, SETTINGS, TEAMS
    from sheets_templates.example_logs import example_logs

    return list(example_logs(TEAMS, SETTINGS, AS_OF))


def _create(api: SheetsApi, title: str, tabs: list[str]) -> tuple[str, list[int]]:
    answer = api.create_spreadsheet(
        {
            "properties": {"title": title},
            "sheets": [{"properties": {"title": tab}} for tab in tabs],
        }
    )
    ids = [int(s["properties"]["sheetId"]) for s in answer.get("sheets", [])]
    return str(answer["spreadsheetId"]), ids


def create_organisation(
    api: SheetsApi,
    title: str,
    *,
    share: Sequence[str] = (),
    example: bool = False,
    settings: Mapping[str, Any] | None = None,
) -> Provisioned:
    """Create the hub and one spreadsheet per team (the example organisation with `example`,
    else one empty team with the current quarter as cycle), share them all with `share`."""
    plans, defaults = _plans(example)
    created = []
    for plan in plans:
        key, ids = _create(api, f"{title} - {plan.name}", [plan.tab])
        api.batch_update(key, team_tab_requests(ids[0], plan.rows, plan.prefix))
        created.append(key)
    rows = [
        dict(plan.hub_row) | {TeamsCol.SPREADSHEET: spreadsheet_url(key), TeamsCol.TAB: plan.tab}
        for plan, key in zip(plans, created, strict=True)
    ]
    hub_tabs: list[str] = [HubTab.TEAMS, HubTab.SETTINGS]
    hub_key, ids = _create(api, f"{title} - OKR hub", hub_tabs)
    requests = hub_requests(ids[0], ids[1], rows, {**defaults, **(settings or {})})
    if example:  # with the quarter of History and Check-ins the local example has
        made = [
            Tab(i, name, index, 0, 0)
            for index, (i, name) in enumerate(zip(ids, hub_tabs, strict=True))
        ]
        requests += output_tab_requests(_example_logs(), made)[0]
    api.batch_update(hub_key, requests)
    for key in [hub_key, *created]:
        for email in share:
            api.share(key, email)
    return Provisioned(hub_key, {p.name: k for p, k in zip(plans, created, strict=True)})
