"""A `Ledger` as JSON values and back, inside the state (`codec`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..ledger import Ledger
from ..model import Code, Finding, Severity
from .members import MemberReader, MemberWriter

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


def ledger_json(ledger: Ledger, members: MemberWriter) -> dict[str, Any]:
    """The ledger as JSON values, its columns and pieces as members of their own."""
    columns = {name: members.json(getattr(ledger, name)) for name in _COLUMNS}
    return {
        "code": ledger.code,
        "as_of": ledger.as_of.isoformat(),
        "teams": ledger.teams,
        "ok": ledger.ok,
        "offsets": ledger.offsets,
        "cyclic": ledger.cyclic,
        "tree_filled": ledger.tree_filled,
        "findings": [finding_json(f) for f in ledger.findings],
        "owners": ledger.owners,
        "chunks": [members.raw(chunk) for chunk in ledger.chunks],
        **columns,
    }


# The ledger's columns, a value per item: each a member of the state (`members`).
_COLUMNS = (
    "ids",
    "rows",
    "parents",
    "scores",
    "weights",
    "statuses",
    "objective",
    "fixed",
    "depended",
    "tree_at",
    "depths",
)


def _of(kinds: frozenset[type], values: Any) -> list[Any]:
    """`values`, a list whose items are all of these kinds (checked at C speed: a ledger has
    a value per item of the organisation)."""
    if type(values) is not list or set(map(type, values)) - kinds:
        raise TypeError(f"a ledger column holds other than {sorted(k.__name__ for k in kinds)}")
    return values


_INT: frozenset[type] = frozenset({int})
_BOOL: frozenset[type] = frozenset({bool})
_TEXT: frozenset[type] = frozenset({str})
_NUMBER: frozenset[type] = frozenset({int, float})


def read_ledger(raw: dict[str, Any], members: MemberReader) -> Ledger:
    """The ledger in `raw`; a damaged one raises (KeyError, TypeError, ValueError)."""
    column = {name: members.json(raw[name]) for name in _COLUMNS}
    ledger = Ledger(
        str(raw["code"]),
        dt.date.fromisoformat(raw["as_of"]),
        _of(_TEXT, raw["teams"]),
        _of(_BOOL, raw["ok"]),
        _of(_INT, raw["offsets"]),
        _of(_TEXT, column["ids"]),
        _of(_INT, column["rows"]),
        _of(_INT, column["parents"]),
        _of(_NUMBER | {type(None)}, column["scores"]),
        _of(_NUMBER, column["weights"]),
        _of(_TEXT, column["statuses"]),
        _of(_BOOL, column["objective"]),
        _of(_BOOL, column["fixed"]),
        _of(_BOOL, column["depended"]),
        _of(_INT, raw["cyclic"]),
        _of(_INT, column["tree_at"]),
        _of(_INT, column["depths"]),
        int(raw["tree_filled"]),
        [read_finding(f) for f in raw["findings"]],
        _of(_TEXT | {type(None)}, raw["owners"]),
        [members.raw(chunk) for chunk in raw["chunks"]],
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
