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


def _of(kinds: frozenset[type], values: Any) -> list[Any]:
    """`values`, a list whose items are all of these kinds (checked at C speed: a ledger has
    a value per item of the organisation)."""
    if type(values) is not list or set(map(type, values)) - kinds:
        raise TypeError(f"a ledger column holds other than {sorted(k.__name__ for k in kinds)}")
    return values


_INT: frozenset[type] = frozenset({int})
_TEXT: frozenset[type] = frozenset({str})
_NUMBER: frozenset[type] = frozenset({int, float})


def read_ledger(raw: dict[str, Any]) -> Ledger:
    """The ledger in `raw`; a damaged one raises (KeyError, TypeError, ValueError)."""
    ledger = Ledger(
        str(raw["code"]),
        dt.date.fromisoformat(raw["as_of"]),
        _of(_TEXT, raw["teams"]),
        list(map(bool, _of(_INT, raw["ok"]))),
        _of(_INT, raw["offsets"]),
        _of(_TEXT, raw["ids"]),
        _of(_INT, raw["rows"]),
        _of(_INT, raw["parents"]),
        list(map(_float, _of(_NUMBER | {type(None)}, raw["scores"]))),
        list(map(float, _of(_NUMBER, raw["weights"]))),
        _of(_TEXT, raw["statuses"]),
        list(map(bool, _of(_INT, raw["objective"]))),
        list(map(bool, _of(_INT, raw["fixed"]))),
        list(map(bool, _of(_INT, raw["depended"]))),
        _of(_INT, raw["cyclic"]),
        _of(_INT, raw["tree_at"]),
        _of(_INT, raw["depths"]),
        int(raw["tree_filled"]),
        [read_finding(f) for f in raw["findings"]],
        _of(_TEXT | {type(None)}, raw["owners"]),
        [base64.b64decode(chunk, validate=True) for chunk in raw["chunks"]],
    )
    count = ledger.offsets[-1]
    columns = (ledger.ids, ledger.rows, ledger.parents, ledger.scores, ledger.weights)
    if len(ledger.offsets) != len(ledger.teams) + 1 or any(len(c) != count for c in columns):
        raise ValueError("its columns differ in length")
    if len(ledger.statuses) != count or len(ledger.owners) != len(ledger.findings):
        raise ValueError("its statuses or findings do not match")
    if ledger.chunks and len(ledger.chunks) != len(ledger.teams):
        raise ValueError("its pieces do not follow its teams")
    return ledger


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
