"""The tree page's model: nested nodes, filters, and which nodes show (pure).

The page must be usable without JavaScript, so filtering happens here for the plain HTML form;
`static/tree.js` repeats the same rule in the browser for instant results. A node shows when it
matches every filter or when something below it does (then it is shown dimmed, as context).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.engine import Run
from sync.model import STATUS_LABELS, Status

from .charts import Chart, score_chart
from .payloads import tree_payload

__all__ = ["Filters", "Node", "TreePage", "build_page", "nest_rows", "search_text"]

OPEN_DEPTH = 1  # without filters, roots are open so their direct children show
SPARK_WIDTH, SPARK_HEIGHT = 64, 16


@dataclass(frozen=True, slots=True)
class Filters:
    """What the reader asked for; blank means everything."""

    team: str = ""
    status: str = ""
    owner: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        return cls(
            *(str(args.get(name, "")).strip()[:200] for name in ("team", "status", "owner", "q"))
        )

    @property
    def active(self) -> bool:
        return bool(self.team or self.status or self.owner or self.q)

    def matches(self, row: Mapping[str, Any]) -> bool:
        if row["type"] == "marker":
            return False
        if self.team and row["team"] != self.team:
            return False
        if self.status and row["status"] != self.status:
            return False
        if self.owner and (row["owner"] or "").lower() != self.owner.lower():
            return False
        return not self.q or self.q.lower() in search_text(row)


def search_text(row: Mapping[str, Any]) -> str:
    """What the search box looks in: ID, title, team and owner, lower-case."""
    return " ".join(str(row[k] or "") for k in ("id", "title", "team", "owner")).lower()


@dataclass(slots=True)
class Node:
    """One tree row and what hangs below it; `shown`/`matched`/`open` follow the filters."""

    row: dict[str, Any]
    messages: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    shown: bool = True
    matched: bool = True
    open: bool = False

    @property
    def marker(self) -> bool:
        return bool(self.row["type"] == "marker")


@dataclass(slots=True)
class TreePage:
    """Everything the template shows."""

    payload: dict[str, Any]
    roots: list[Node]
    filters: Filters
    teams: list[str]
    owners: list[str]
    statuses: list[tuple[str, str]]  # (value, label)
    counts: Counter[str]
    total: int
    shown: int
    charts: dict[str, Chart] = field(default_factory=dict)  # by item ID, items with a trend


def nest_rows(
    rows: Iterable[dict[str, Any]], messages: Mapping[tuple[Any, Any], list[str]]
) -> list[Node]:
    """Depth-first rows into nodes; items after the cycle marker hang below the marker."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    shift = 0
    for row in rows:
        node = Node(row, messages.get((row["team"], row["row"]), []))
        if node.marker:
            roots.append(node)
            stack = [(0, node)]
            shift = 1
            continue
        depth = row["depth"] + shift
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((depth, node))
    return roots


def _apply(nodes: list[Node], filters: Filters, depth: int = 0) -> int:
    """Mark shown/matched/open bottom-up; returns how many matching items are shown."""
    found = 0
    for node in nodes:
        below = _apply(node.children, filters, depth + 1)
        node.matched = not filters.active or filters.matches(node.row)
        own = 0 if node.marker else int(node.matched)
        node.shown = node.matched if not filters.active else bool(own or below)
        if node.marker:
            node.shown = bool(below) or not filters.active
        node.open = bool(below) if filters.active else depth < OPEN_DEPTH or node.marker
        found += own + below
    return found


def build_page(outcome: Run, filters: Filters) -> TreePage:
    """The page for one run and one set of filters."""
    computed = outcome.computed
    payload = tree_payload(outcome)
    messages: dict[tuple[Any, Any], list[str]] = defaultdict(list)
    for finding in computed.result.findings:
        if finding.row is not None:
            messages[(finding.team, finding.row)].append(f"{finding.code.value}: {finding.message}")
    roots = nest_rows(payload["rows"], messages)
    shown = _apply(roots, filters)
    items = [r for r in payload["rows"] if r["type"] != "marker"]
    owners = sorted({r["owner"] for r in items if r["owner"]}, key=str.lower)
    return TreePage(
        payload=payload,
        roots=roots,
        filters=filters,
        teams=payload["teams"],
        owners=owners,
        statuses=[(s.value, STATUS_LABELS[s]) for s in Status],
        counts=Counter(r["status"] for r in items),
        total=len(items),
        shown=shown,
        charts=_charts(outcome),
    )


def _charts(outcome: Run) -> dict[str, Chart]:
    result = outcome.computed.result
    start, end = result.cycle.start, result.cycle.end
    return {
        item.id: score_chart(item.trend, start, end, result.as_of, SPARK_WIDTH, SPARK_HEIGHT)
        for item in result.items
        if item.trend
    }
