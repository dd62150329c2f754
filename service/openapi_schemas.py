"""The JSON schemas of `/openapi.json`: every body this service reads or answers."""

from __future__ import annotations

from typing import Any

from sync.model import Severity, Status

from .api import MAX_SPREADSHEET_LENGTH

__all__ = ["SCHEMAS", "STATUSES", "ref"]

_SEVERITIES = [str(s) for s in Severity]
STATUSES = [str(s) for s in Status]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _object(properties: dict[str, Any], *, closed: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": not closed,
    }


_COUNT = {"type": "integer", "minimum": 0}
SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {"type": "string", "description": "stable, snake_case"},
                    "message": {"type": "string", "description": "what happened and what to do"},
                }
            )
        }
    ),
    "ValidateRequest": {
        "type": "object",
        "required": ["spreadsheet"],
        "properties": {
            "spreadsheet": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_SPREADSHEET_LENGTH,
                # Python's strip() also takes the separators U+001C-001F and U+0085.
                "pattern": r"[^\s\u001c-\u001f\u0085]",
                "description": "Google: the spreadsheet's key or URL; local: its path as written "
                "in the hub's Teams tab (e.g. teams/sales.xlsx)",
            }
        },
    },
    "SyncRequest": {"type": "object", "description": "no parameters; send {}"},
    "Summary": _object({s: _COUNT for s in _SEVERITIES}),
    "Writes": _object({"spreadsheets": _COUNT, "cells": _COUNT}),
    "Item": _object(
        {
            "id": {"type": "string"},
            "type": {"enum": ["objective", "key_result"]},
            "team": {"type": "string"},
            "title": {"type": "string"},
            "owner": {"type": "string"},
            "parent": _nullable("string"),
            "depends_on": {"type": "array", "items": {"type": "string"}},
            "score": _nullable("number", minimum=0, maximum=1),
            "progress": _nullable("number"),
            "status": {"enum": STATUSES},
            "row": {"type": "integer", "minimum": 1},
            "confidence": _nullable("number", minimum=0, maximum=10),
            "note": _nullable("string"),
            "trend": {
                "type": "array",
                "items": {
                    "type": "array",
                    "prefixItems": [{"type": "string", "format": "date"}, _nullable("number")],
                },
            },
        }
    ),
    "Finding": _object(
        {
            "severity": {"enum": _SEVERITIES},
            "code": {"type": "string"},
            "id": _nullable("string"),
            "team": _nullable("string"),
            "message": {"type": "string"},
            "related": {"type": "array", "items": {"type": "string"}},
            "row": _nullable("integer", minimum=1),
        }
    ),
    "ValidateResponse": _object(
        {
            "spreadsheet": {"type": "string"},
            "team": {"type": "string"},
            "tab": {"type": "string"},
            "as_of": {"type": "string", "format": "date"},
            "items": {"type": "array", "items": ref("Item")},
            "findings": {"type": "array", "items": ref("Finding")},
            "writes": ref("Writes"),
            "summary": ref("Summary"),
        }
    ),
    "SyncResponse": _object(
        {
            "as_of": {"type": "string", "format": "date"},
            "teams": _COUNT,
            "items": _COUNT,
            "summary": ref("Summary"),
            "writes": ref("Writes"),
        }
    ),
    "NightlyResponse": {
        "allOf": [
            ref("SyncResponse"),
            {
                "type": "object",
                "required": ["history"],
                "properties": {
                    "history": {"const": True},
                    "digest": {
                        "description": "the weekly digest's post to the chat webhook, on the "
                        "hub's Digest day when OKRTREE_DIGEST_WEBHOOK is set; else null",
                        "type": ["object", "null"],
                    },
                },
            },
        ]
    },
    "RolloverRequest": _object(
        {
            "cycle": {"type": "string", "minLength": 1, "description": "e.g. 2027-Q1"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "dry_run": {"type": "boolean", "description": "show the plan, write nothing"},
        }
    )
    | {"required": ["cycle", "start", "end"]},
    "RolloverResponse": _object(
        {
            "dry_run": {"type": "boolean"},
            "complete": {"type": "boolean", "description": "every team that can be was rolled"},
            "settings_written": {"type": "boolean"},
            "from": {"type": "object"},
            "to": {"type": "object"},
            "teams": {"type": "array", "items": {"type": "object"}},
            "findings": {"type": "array", "items": {"type": "object"}},
        }
    ),
    "Cycle": _object(
        {
            "name": {"type": "string"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "expected": {"type": "number", "minimum": 0, "maximum": 1},
        }
    ),
    "TreeRow": _object(
        {
            "id": _nullable("string"),
            "title": {"type": "string"},
            "type": {
                "enum": ["objective", "key_result", "marker"],
                "description": "marker: the 'Unreachable (alignment cycle)' row",
            },
            "team": _nullable("string"),
            "owner": _nullable("string"),
            "depth": {"type": "integer", "minimum": 0},
            "score": _nullable("number", minimum=0, maximum=1),
            "status": {"enum": [*STATUSES, None]},
            "warnings": _COUNT,
            "parent": _nullable("string"),
            "row": _nullable("integer", minimum=1),
            "link": _nullable(
                "string",
                description="the item's row in its spreadsheet (Google), or its workbook's "
                "file:// address (a local workspace)",
            ),
        }
    ),
    "TreeResponse": _object(
        {
            "as_of": {"type": "string", "format": "date"},
            "cycle": ref("Cycle"),
            "teams": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": ref("TreeRow")},
        }
    ),
    "Health": _object({"status": {"const": "ok"}}),
    "LinkResponse": _object({"url": {"type": "string", "format": "uri"}}, closed=True),
    "SyncedResponse": _object(
        {"synced_at": _nullable("string", description="ISO 8601 UTC; null before any sync")},
        closed=True,
    ),
}
