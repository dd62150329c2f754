"""`okrtree tree` as JSON, CSV or one standalone HTML page (pure: strings out).

Every format holds the same rows: the shown rows of the tree, in order, with their depth.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from .model import STATUS_LABELS, Result
from .report import result_header
from .tree import UNREACHABLE_LABEL
from .treefilter import ShownRow
from .wording import cycle_phrase

__all__ = ["CSV_COLUMNS", "tree_csv", "tree_html", "tree_json", "tree_records"]

CSV_COLUMNS = (
    "depth", "id", "type", "team", "title", "owner", "score", "status", "context", "hidden_below"
)  # fmt: skip
STATUS_COLOURS = {
    "done": "#1b7f3b",
    "on_track": "#2e9d4f",
    "at_risk": "#b7791f",
    "off_track": "#c53030",
    "no_data": "#718096",
}


def tree_records(rows: list[ShownRow]) -> list[dict[str, Any]]:
    """One plain record per shown row; the cycle marker is a row of type `marker`."""
    records: list[dict[str, Any]] = []
    for shown in rows:
        item = shown.row.item
        if item is None:
            records.append({"depth": 0, "type": "marker", "title": UNREACHABLE_LABEL})
            continue
        records.append(
            {
                "depth": shown.row.depth,
                "id": item.id,
                "type": item.type.value,
                "team": item.team,
                "title": item.title,
                "owner": item.owner,
                "score": item.score,
                "status": item.status.value,
                "context": shown.context,
                "hidden_below": shown.hidden,
            }
        )
    return records


def tree_json(result: Result, rows: list[ShownRow]) -> str:
    """`{"as_of", "cycle", "rows"}`; scores in full precision like `--json` elsewhere."""
    return json.dumps(
        {**result_header(result), "rows": tree_records(rows)}, ensure_ascii=False, indent=1
    )


def tree_csv(rows: list[ShownRow]) -> str:
    """A header row, then one line per shown row (blank cells where a field has no value)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for record in tree_records(rows):
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    return out.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1a202c}
h1{font-size:1.3rem;margin:0 0 .2rem}p.meta{color:#4a5568;margin:0 0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;
border-bottom:1px solid #e2e8f0;vertical-align:top}th{background:#f7fafc}
td.score{text-align:right;font-variant-numeric:tabular-nums}tr.context td{color:#a0aec0}
tr.marker td{font-weight:bold;color:#c53030}.status{font-weight:600}
@media print{body{margin:0}tr{break-inside:avoid}}
"""


def _html_row(record: dict[str, Any]) -> str:
    if record["type"] == "marker":
        return f'<tr class="marker"><td colspan="5">{escape(record["title"])}</td></tr>'
    indent = record["depth"] * 1.5
    score = "—" if record["score"] is None else f"{record['score']:.2f}"
    status = record["status"]
    label = next(text for key, text in STATUS_LABELS.items() if key.value == status)
    hidden = f" (+{record['hidden_below']} below)" if record["hidden_below"] else ""
    css = ' class="context"' if record["context"] else ""
    return (
        f'<tr{css}><td style="padding-left:{indent + 0.5}rem"><b>{escape(record["id"])}</b> '
        f"{escape(record['title'])}{escape(hidden)}</td><td>{escape(record['team'])}</td>"
        f'<td>{escape(record["owner"])}</td><td class="score">{score}</td>'
        f'<td class="status" style="color:{STATUS_COLOURS[status]}">{escape(label)}</td></tr>'
    )


def tree_html(result: Result, rows: list[ShownRow]) -> str:
    """A page with no scripts and no outside links: it opens anywhere and prints."""
    header = result_header(result)
    name = result.cycle.name or "OKRs"
    when = cycle_phrase(result)
    body = "\n".join(_html_row(record) for record in tree_records(rows))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(name)} · alignment tree</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>Alignment tree · {escape(name)}</h1>"
        f'<p class="meta">As of {header["as_of"]}, {escape(when)}</p>\n'
        "<table><thead><tr><th>Objective or key result</th><th>Team</th><th>Owner</th>"
        "<th>Score</th><th>Status</th></tr></thead><tbody>\n"
        f"{body}\n</tbody></table></body></html>\n"
    )
