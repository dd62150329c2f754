"""`okrtree add-team` on a Google hub: a new team spreadsheet made from the template (or the
team's own spreadsheet, given its header's missing template columns and IDs where rows have
none), registered with one row appended to the hub's `Teams` tab.

Every change is one `batchUpdate` per spreadsheet, so each applies whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheets_templates.definition import TEAM_TAB, HubTab, TeamsCol

from ..backends.gsheets import GoogleBackend
from ..engine import read_and_compute
from ..errors import SourceError
from ..hub import parse_teams
from ..model import Level, id_key
from ..newteam import LEVEL_LABELS, Added, SheetPlan, check_team, choose_prefix, plan_sheet
from ..snapshot import hub_tab
from ..template import Col, find_header
from .api import SheetsApi
from .cells import extended_value
from .keys import spreadsheet_key, spreadsheet_url
from .provision import team_tab_requests

__all__ = ["add_google_team"]

_TABS = "properties.title,sheets.properties(sheetId,title,gridProperties.columnCount)"


def _quoted(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _tabs(api: SheetsApi, key: str) -> tuple[str, list[dict[str, Any]]]:
    answer = api.get_spreadsheet(key, fields=_TABS)
    sheets = [s["properties"] for s in answer.get("sheets", [])]
    return str(answer.get("properties", {}).get("title", "")), sheets


def _row(values: list[Any]) -> dict[str, Any]:
    """One row of cells for `updateCells` / `appendCells`; blank text clears."""
    return {"values": [{"userEnteredValue": extended_value(v or None)} for v in values]}


def _cells(sheet_id: int, row: int, column: int, values: list[Any]) -> dict[str, Any]:
    """Values into one row from (row, column), both 1-based."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": column - 1},
            "rows": [_row(values)],
            "fields": "userEnteredValue",
        }
    }


def _plan_requests(plan: SheetPlan, tab: dict[str, Any], id_column: int) -> list[dict[str, Any]]:
    sheet_id = int(tab["sheetId"])
    requests: list[dict[str, Any]] = []
    needed = plan.last_column + len(plan.missing_columns)
    have = int(tab.get("gridProperties", {}).get("columnCount", 0))
    if needed > have:
        requests.append(
            {
                "appendDimension": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "length": needed - have,
                }
            }
        )
    if plan.missing_columns:
        requests.append(
            _cells(sheet_id, plan.header_row, plan.last_column + 1, list(plan.missing_columns))
        )
    requests += [_cells(sheet_id, row, id_column, [new]) for row, new in plan.new_ids.items()]
    return requests


def _own_sheet(
    api: SheetsApi, key: str, name: str, org_ids: list[str], taken: set[str]
) -> tuple[dict[str, Any], SheetPlan, list[dict[str, Any]]]:
    """The team's own spreadsheet: the tab with the header, its plan and the requests."""
    _, tabs = _tabs(api, key)
    ordered = sorted(tabs, key=lambda t: id_key(str(t["title"])) != id_key(TEAM_TAB))
    grids = api.values_batch_get(key, [_quoted(str(t["title"])) for t in ordered])
    for tab, grid in zip(ordered, grids, strict=True):
        header = find_header(grid)
        plan = plan_sheet(grid, name, org_ids, taken)
        if header is not None and plan is not None:
            requests = _plan_requests(plan, tab, header.columns[Col.ID] + 1)
            return tab, plan, requests
    raise SourceError(
        f"{spreadsheet_url(key)}: no tab has a header row with ID and Type in its first ten "
        "rows; add those two column names above the OKRs and run again"
    )


def add_google_team(
    api: SheetsApi,
    hub: str,
    name: str,
    level: Level,
    parent: str = "",
    *,
    owner: str = "",
    source: str | None = None,
    as_of: dt.date | None = None,
) -> Added:
    """Register team `name` in the Google hub; `source` is the team's own spreadsheet (URL or
    key), else a new one is made. Raises `SourceError` before writing anything it refuses."""
    backend = GoogleBackend(hub, api)
    snapshot = backend.read_hub()  # the team list is all the checks need: one read
    problem, parent_name = check_team(
        name.strip(), level, parent.strip(), [t.name for t in parse_teams(snapshot).teams]
    )
    if problem:
        raise SourceError(problem)
    name = name.strip()
    hub_key = backend.hub_key
    org_ids: list[str] = []
    if source is not None:  # numbering new IDs needs every ID in use: read the teams too
        run = read_and_compute(backend, as_of or dt.date.today())
        org_ids = [item.id for item in run.computed.result.items]
    taken = {id_key(i.split("-", 1)[0]) for i in org_ids if "-" in i}
    title, hub_tabs = _tabs(api, hub_key)
    teams_tab = next((t for t in hub_tabs if id_key(str(t["title"])) == id_key(HubTab.TEAMS)), None)
    if teams_tab is None:
        raise SourceError(f"{spreadsheet_url(hub_key)}: the hub has no '{HubTab.TEAMS}' tab")

    if source is None:
        made = api.create_spreadsheet(
            {
                "properties": {"title": f"{title.removesuffix(' - OKR hub')} - {name}"},
                "sheets": [{"properties": {"title": TEAM_TAB}}],
            }
        )
        key = str(made["spreadsheetId"])
        sheet_id = int(made["sheets"][0]["properties"]["sheetId"])
        api.batch_update(key, team_tab_requests(sheet_id, [], choose_prefix(name, [], taken)))
        added = Added(name, level, parent_name, spreadsheet_url(key), TEAM_TAB, 0, created=True)
    else:
        key_found = spreadsheet_key(source)
        if key_found is None:
            raise SourceError(f"{source}: not a Google Sheets URL or spreadsheet key")
        tab, plan, requests = _own_sheet(api, key_found, name, org_ids, taken)
        if requests:
            api.batch_update(key_found, requests)
        added = Added(name, level, parent_name, spreadsheet_url(key_found), str(tab["title"]), 0)
        added.added_columns, added.new_ids = plan.missing_columns, plan.new_ids

    header = hub_tab(snapshot.tabs, HubTab.TEAMS) or []
    columns = [id_key(str(c or "")) for c in (header[0] if header else [])]
    row = {
        id_key(TeamsCol.TEAM): name,
        id_key(TeamsCol.LEVEL): LEVEL_LABELS[level],
        id_key(TeamsCol.PARENT_TEAM): parent_name or "",
        id_key(TeamsCol.SPREADSHEET): added.source,
        id_key(TeamsCol.TAB): added.tab,
        id_key(TeamsCol.OWNER): owner,
    }
    values = [row.get(column, "") for column in columns] if columns else list(row.values())
    api.batch_update(
        hub_key,
        [
            {
                "appendCells": {
                    "sheetId": int(teams_tab["sheetId"]),
                    "rows": [
                        {
                            "values": [
                                {"userEnteredValue": extended_value(v or None)} for v in values
                            ]
                        }
                    ],
                    "fields": "userEnteredValue",
                }
            }
        ],
        idempotent=False,  # a retried append would add the row twice
    )
    added.hub_row = 1 + sum(1 for r in header[1:] if any(c not in (None, "") for c in r)) + 1
    return added  # findings wait for the next validate: reading every team again costs quota
