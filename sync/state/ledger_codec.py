"""A `Ledger` as JSON values and back, inside the state (`codec`)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from ..ledger import Ledger
from ..model import Code, Finding, Severity

__all__ = ["finding_json", "ledger_json", "read_finding", "read_ledger"]


def finding_json(finding: Finding) -> list[Any]:
    return [
        finding.severity.value,
        finding.code.value,
        finding.id,
        finding.team,
        finding.message,
        list(finding.related),
        finding.row,
    ]


def read_finding(raw: Any) -> Finding:
    severity, code, item, team, message, related, row = raw
    return Finding(Severity(severity), Code(code), item, team, str(message), tuple(related), row)


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    return {
        "code": ledger.code,
        "as_of": ledger.as_of.isoformat(),
        "teams": ledger.teams,
        "ok": [int(ok) for ok in ledger.ok],
        "offsets": ledger.offsets,
        "ids": ledger.ids,
        "rows": ledger.rows,
        "parents": ledger.parents,
        "scores": ledger.scores,
        "weights": ledger.weights,
        "statuses": ledger.statuses,
        "objective": [int(o) for o in ledger.objective],
        "fixed": [int(f) for f in ledger.fixed],
        "depended": [int(d) for d in ledger.depended],
        "cyclic": ledger.cyclic,
        "tree_at": ledger.tree_at,
        "depths": ledger.depths,
        "tree_filled": ledger.tree_filled,
        "findings": [finding_json(f) for f in ledger.findings],
        "owners": ledger.owners,
        "chunks": [base64.b64encode(chunk).decode("ascii") for chunk in ledger.chunks],
    }


def read_ledger(raw: dict[str, Any]) -> Ledger:
    """The ledger in `raw`; a damaged one raises (KeyError, TypeError, ValueError)."""
    ledger = Ledger(
        str(raw["code"]),
        dt.date.fromisoformat(raw["as_of"]),
        [str(name) for name in raw["teams"]],
        [bool(ok) for ok in raw["ok"]],
        [int(n) for n in raw["offsets"]],
        [str(i) for i in raw["ids"]],
        [int(n) for n in raw["rows"]],
        [int(n) for n in raw["parents"]],
        [None if s is None else float(s) for s in raw["scores"]],
        [float(w) for w in raw["weights"]],
        [str(s) for s in raw["statuses"]],
        [bool(o) for o in raw["objective"]],
        [bool(f) for f in raw["fixed"]],
        [bool(d) for d in raw["depended"]],
        [int(n) for n in raw["cyclic"]],
        [int(n) for n in raw["tree_at"]],
        [int(n) for n in raw["depths"]],
        int(raw["tree_filled"]),
        [read_finding(f) for f in raw["findings"]],
        [None if o is None else str(o) for o in raw["owners"]],
        [base64.b64decode(chunk, validate=True) for chunk in raw["chunks"]],
    )
    count = ledger.offsets[-1]
    columns = (ledger.rows, ledger.parents, ledger.scores, ledger.weights, ledger.statuses)
    if len(ledger.offsets) != len(ledger.teams) + 1 or any(len(c) != count for c in columns):
        raise ValueError("its columns differ in length")
    if len(ledger.ids) != count or len(ledger.owners) != len(ledger.findings):
        raise ValueError("its findings do not match")
    if ledger.chunks and len(ledger.chunks) != len(ledger.teams):
        raise ValueError("its findings or pieces do not match")
    return ledger
