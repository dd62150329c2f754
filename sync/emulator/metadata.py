"""Developer metadata: key/value tags on the spreadsheet, a tab, or rows and columns.

Row and column tags move with their rows when rows are inserted, deleted or sorted away,
which is what makes them useful for finding "the same row" after a person edited the sheet;
:mod:`sync.emulator.grid` shifts them together with the cells.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .errors import ApiError, bad_request
from .fieldmask import apply_update, parse_mask
from .state import Spreadsheet
from .store import Store

__all__ = [
    "METADATA_REQUESTS",
    "all_metadata",
    "get_metadata",
    "matches_lookup",
    "search_metadata",
]


def all_metadata(spreadsheet: Spreadsheet) -> Iterator[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Every metadata entry with the list that holds it (spreadsheet first, then tabs)."""
    for entry in spreadsheet.developer_metadata:
        yield spreadsheet.developer_metadata, entry
    for sheet in spreadsheet.sheets:
        for entry in sheet.developer_metadata:
            yield sheet.developer_metadata, entry


def _location(spreadsheet: Spreadsheet, wanted: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    if wanted.get("spreadsheet"):
        return spreadsheet.developer_metadata, {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "sheetId" in wanted:
        sheet = spreadsheet.sheet_by_id(int(wanted["sheetId"]))
        return sheet.developer_metadata, {"locationType": "SHEET", "sheetId": sheet.sheet_id}
    if "dimensionRange" in wanted:
        rng = dict(wanted["dimensionRange"])
        sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
        dimension = rng.get("dimension", "ROWS")
        limit = sheet.rows if dimension == "ROWS" else sheet.cols
        start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", limit))
        if not 0 <= start < end <= limit:
            raise bad_request("range out of bounds")
        dimension_range: dict[str, Any] = {"sheetId": sheet.sheet_id} if sheet.sheet_id else {}
        dimension_range |= {"dimension": dimension, "startIndex": start, "endIndex": end}
        kind = "ROW" if dimension == "ROWS" else "COLUMN"
        return sheet.developer_metadata, {"locationType": kind, "dimensionRange": dimension_range}
    raise bad_request("location is required.")


def _create(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    metadata = copy.deepcopy(req.get("developerMetadata", {}))
    if not metadata.get("metadataKey"):
        raise bad_request("metadataKey is required.")
    if "metadataId" in metadata and any(
        e["metadataId"] == metadata["metadataId"] for _, e in all_metadata(spreadsheet)
    ):
        raise bad_request(f"Metadata with id {metadata['metadataId']} already exists.")
    metadata.setdefault("metadataId", store.rng.randrange(1, 2**31 - 1))
    metadata.setdefault("visibility", "DOCUMENT")
    holder, metadata["location"] = _location(spreadsheet, metadata.get("location", {}))
    holder.append(metadata)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(metadata)}}


def matches_lookup(entry: dict[str, Any], lookup: dict[str, Any]) -> bool:
    """Whether a metadata entry satisfies a ``DeveloperMetadataLookup``."""
    for key in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if key in lookup and entry.get(key) != lookup[key]:
            return False
    location = entry["location"]
    if "locationType" in lookup and location["locationType"] != lookup["locationType"]:
        return False
    wanted = lookup.get("metadataLocation") or {}
    if wanted.get("spreadsheet") and location["locationType"] != "SPREADSHEET":
        return False
    if "sheetId" in wanted:
        sheet_id = location.get("sheetId", location.get("dimensionRange", {}).get("sheetId", 0))
        if location["locationType"] == "SPREADSHEET" or sheet_id != wanted["sheetId"]:
            return False
    return True


def _found(spreadsheet: Spreadsheet, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    matched = []
    for _, entry in all_metadata(spreadsheet):
        hits = [f for f in filters if matches_lookup(entry, f.get("developerMetadataLookup") or {})]
        if hits:
            matched.append({"developerMetadata": copy.deepcopy(entry), "dataFilters": hits})
    return matched


def search_metadata(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``developerMetadata:search``; no match answers ``{}`` as Google does."""
    filters = body.get("dataFilters") or []
    if not filters:
        raise bad_request("Must specify at least one data filter.")
    matched = _found(spreadsheet, filters)
    return {"matchedDeveloperMetadata": matched} if matched else {}


def get_metadata(spreadsheet: Spreadsheet, metadata_id: str) -> dict[str, Any]:
    """``developerMetadata.get`` by id."""
    for _, entry in all_metadata(spreadsheet):
        if str(entry["metadataId"]) == metadata_id:
            return copy.deepcopy(entry)
    raise ApiError(404, f"No developer metadata with ID: {metadata_id}")


def _delete(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    data_filter = req.get("dataFilter") or {}
    gone = []
    for holder, entry in list(all_metadata(spreadsheet)):
        if matches_lookup(entry, data_filter.get("developerMetadataLookup") or {}):
            holder.remove(entry)
            gone.append(entry)
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": gone}}


def _update(store: Store, spreadsheet: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    mask = parse_mask(req.get("fields", ""))
    if "location" in mask or "metadataId" in mask:
        raise bad_request("cannot move or renumber.")
    changed = []
    for item in _found(spreadsheet, req.get("dataFilters") or []):
        for _, entry in all_metadata(spreadsheet):
            if entry["metadataId"] == item["developerMetadata"]["metadataId"]:
                apply_update(entry, req.get("developerMetadata", {}), mask)
                changed.append(copy.deepcopy(entry))
    return {"updateDeveloperMetadata": {"developerMetadata": changed}}


METADATA_REQUESTS = {
    "createDeveloperMetadata": _create,
    "deleteDeveloperMetadata": _delete,
    "updateDeveloperMetadata": _update,
}
