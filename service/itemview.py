"""The page of one item: its score over time against the pace, its check-ins, findings, parent
and children, and its dependencies both ways (pure; the view renders it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sheets_templates.definition import HubTab, OutputCol
from sync.engine import Run
from sync.logtab import read_log
from sync.model import Finding, Item, id_key
from sync.snapshot import hub_tab
from sync.values import BadValue, cell_text, parse_confidence

from .charts import Chart, score_chart

__all__ = ["CheckinRow", "ItemPage", "build_item_page"]

CHART_WIDTH, CHART_HEIGHT = 480, 160


@dataclass(frozen=True, slots=True)
class CheckinRow:
    """One row of the hub's Check-ins tab for this item."""

    day: str
    current: str
    score: str
    status: str
    confidence: float | None
    note: str


@dataclass(slots=True)
class ItemPage:
    item: Item
    chart: Chart
    checkins: list[CheckinRow]
    findings: list[Finding]
    parent: Item | None
    children: list[Item] = field(default_factory=list)
    depends_on: list[Item | str] = field(default_factory=list)  # unknown IDs, team:X as text
    depended_by: list[Item] = field(default_factory=list)
    link: str | None = None


def _checkins(outcome: Run, item: Item) -> list[CheckinRow]:
    grid = hub_tab(outcome.hub.tabs, HubTab.CHECK_INS)
    log = read_log(HubTab.CHECK_INS.value, grid)
    if not log.usable:
        return []
    rows = []
    for row in log.rows:
        if log.id_key(row) != item.key:
            continue
        try:
            confidence = parse_confidence(log.cell(row, OutputCol.CONFIDENCE))
        except BadValue:
            confidence = None
        day = log.date(row)
        rows.append(
            CheckinRow(
                day.isoformat() if day else cell_text(log.cell(row, OutputCol.DATE)),
                cell_text(log.cell(row, OutputCol.CURRENT)),
                cell_text(log.cell(row, OutputCol.SCORE)),
                cell_text(log.cell(row, OutputCol.STATUS)),
                confidence,
                cell_text(log.cell(row, OutputCol.NOTE)),
            )
        )
    return sorted(rows, key=lambda r: r.day)


def build_item_page(outcome: Run, item_id: str, link: str | None = None) -> ItemPage | None:
    """The page of the item `item_id` (any case), or None when there is no such item."""
    result = outcome.computed.result
    by_key = {item.key: item for item in result.items}
    item = by_key.get(id_key(item_id))
    if item is None:
        return None
    cycle = result.cycle
    chart = score_chart(
        item.trend, cycle.start, cycle.end, result.as_of, CHART_WIDTH, CHART_HEIGHT, pad=8
    )
    depends_on: list[Item | str] = [by_key.get(id_key(token), token) for token in item.depends_on]
    return ItemPage(
        item=item,
        chart=chart,
        checkins=_checkins(outcome, item),
        findings=[f for f in result.findings if f.id is not None and id_key(f.id) == item.key],
        parent=by_key.get(item.parent) if item.parent else None,
        children=[i for i in result.items if i.parent == item.key],
        depends_on=depends_on,
        depended_by=[i for i in result.items if any(id_key(t) == item.key for t in i.depends_on)],
        link=link,
    )
