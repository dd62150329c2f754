"""``values:*ByDataFilter``: values addressed by A1, GridRange or developer metadata.

A filter on row metadata finds a row wherever people have moved it since it was tagged, which
is what lets a writer update "the row of KR-7" rather than "row 12". Each filter may match
several ranges (one per tagged row); each match is answered on its own, with the filter that
found it.
"""

from __future__ import annotations

import copy
from typing import Any

from . import values
from .a1 import CellBox
from .errors import ApiError, bad_request
from .metadata import all_metadata, matches_lookup
from .state import Sheet, Spreadsheet

__all__ = ["batch_clear_by_filter", "batch_get_by_filter", "batch_update_by_filter", "resolve"]


def _metadata_ranges(
    spreadsheet: Spreadsheet, lookup: dict[str, Any]
) -> list[tuple[Sheet, CellBox]]:
    found = []
    for _, entry in all_metadata(spreadsheet):
        if not matches_lookup(entry, lookup):
            continue
        location = entry["location"]
        if location["locationType"] in ("ROW", "COLUMN"):
            dimension = location["dimensionRange"]
            sheet = spreadsheet.sheet_by_id(int(dimension.get("sheetId", 0)))
            start, end = dimension["startIndex"], dimension["endIndex"]
            if dimension["dimension"] == "ROWS":
                found.append((sheet, CellBox(start, 0, end, sheet.cols)))
            else:
                found.append((sheet, CellBox(0, start, sheet.rows, end)))
        elif location["locationType"] == "SHEET":
            sheet = spreadsheet.sheet_by_id(int(location["sheetId"]))
            found.append((sheet, CellBox(0, 0, sheet.rows, sheet.cols)))
    return found


def resolve(spreadsheet: Spreadsheet, data_filter: dict[str, Any]) -> list[tuple[Sheet, CellBox]]:
    """Every range a ``DataFilter`` matches, bounded to its grid (none is not an error)."""
    if "a1Range" in data_filter:
        sheet, box = spreadsheet.resolve(str(data_filter["a1Range"]))
        return [(sheet, sheet.check_box(box))]
    if "gridRange" in data_filter:
        sheet, box = spreadsheet.grid_range(data_filter["gridRange"])
        return [(sheet, sheet.clamp_grid_range(box))]
    if "developerMetadataLookup" in data_filter:
        return _metadata_ranges(spreadsheet, data_filter["developerMetadataLookup"])
    raise bad_request("A data filter needs a1Range, gridRange or developerMetadataLookup.")


def batch_get_by_filter(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``values.batchGetByDataFilter``."""
    options = {
        key: body.get(key)
        for key in ("valueRenderOption", "dateTimeRenderOption", "majorDimension")
    }
    matched = []
    for data_filter in body.get("dataFilters") or []:
        for sheet, box in resolve(spreadsheet, data_filter):
            text = spreadsheet.echo(sheet, box)
            matched.append(
                {
                    "valueRange": values.value_range(spreadsheet, text, options),
                    "dataFilters": [data_filter],
                }
            )
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if matched:
        answer["valueRanges"] = matched
    return answer


def batch_update_by_filter(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``values.batchUpdateByDataFilter``: each match is written from its top-left cell and
    must hold the values; every write or none."""
    option = body.get("valueInputOption")
    responses = []
    touched = set()
    saved = copy.deepcopy(spreadsheet.sheets)
    try:
        for i, item in enumerate(body.get("data") or []):
            data_filter = item.get("dataFilter") or {}
            for sheet, box in resolve(spreadsheet, data_filter):
                try:
                    answer, _, _ = values.write_values(
                        spreadsheet,
                        spreadsheet.echo(sheet, box),
                        item,
                        option,
                        f"data[{i}].values",
                    )
                except ApiError as err:
                    if not err.message.startswith("Invalid value"):
                        err.message = f"Invalid data[{i}]: {err.message}"
                    raise
                if answer.get("updatedCells"):
                    touched.add(sheet.sheet_id)
                answer = values.with_data(spreadsheet, answer, body)
                responses.append(answer | {"dataFilter": data_filter})
    except ApiError:
        spreadsheet.sheets = saved
        raise
    spreadsheet.touch()
    return values.batch_update_answer(spreadsheet, responses, touched)


def batch_clear_by_filter(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``values.batchClearByDataFilter``."""
    cleared = []
    for data_filter in body.get("dataFilters") or []:
        for sheet, box in resolve(spreadsheet, data_filter):
            cleared.append(values.clear(spreadsheet, spreadsheet.echo(sheet, box))["clearedRange"])
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if cleared:
        answer["clearedRanges"] = cleared
    return answer
