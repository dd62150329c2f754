"""Terminal output: the alignment tree with colours, score bars and warning marks, and a run
summary (rich). Only the CLI calls this."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .compute import Computed
from .model import STATUS_LABELS, Item, Result, Severity, Status
from .tree import UNREACHABLE_LABEL

__all__ = ["print_summary", "print_tree", "score_bar"]

STATUS_STYLES = {
    Status.DONE: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.NO_DATA: "dim",
}
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
BAR_WIDTH = 10


def score_bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """A score as a bar of block characters.

    >>> score_bar(0.7, 10)
    '███████░░░'
    """
    if score is None:
        return "·" * width
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)


def _label(item: Item, marks: Counter[tuple[str | None, int | None]]) -> Text:
    style = STATUS_STYLES[item.status]
    text = Text()
    text.append(f"{item.id} ", style="bold")
    text.append(item.title or "(no title)")
    text.append(f"  {item.team}", style="dim")
    text.append("  ")
    text.append(score_bar(item.score), style=style)
    text.append(f" {item.score:.2f}" if item.score is not None else "   —", style=style)
    text.append(f"  {STATUS_LABELS[item.status]}", style=style)
    count = marks[(item.team, item.row)]
    if count:
        text.append(f"  ⚠ {count}", style="yellow")
    return text


def print_tree(console: Console, computed: Computed) -> None:
    """The combined tree, one branch per root; items on cycles under their own heading."""
    marks: Counter[tuple[str | None, int | None]] = Counter(
        (f.team, f.row) for f in computed.result.findings if f.row is not None
    )
    result = computed.result
    title = Text(f"{result.cycle.name or 'OKRs'}  ", style="bold")
    title.append(
        f"as of {result.as_of.isoformat()}, {result.cycle.expected:.0%} of the cycle elapsed",
        style="dim",
    )
    root = Tree(title)
    branches: list[Tree] = [root]
    holder = root
    for entry in computed.tree:
        if entry.item is None:
            holder = root.add(Text(UNREACHABLE_LABEL, style="bold red"))
            branches = [holder]
            continue
        depth = entry.depth
        del branches[depth + 1 :]
        parent = branches[depth] if depth < len(branches) else branches[-1]
        node = parent.add(_label(entry.item, marks))
        branches.append(node)
    console.print(root)


def print_summary(console: Console, result: Result, *, show: int = 40) -> None:
    """Counts by status and severity, then the first findings."""
    statuses = Counter(item.status for item in result.items)
    severities = Counter(f.severity for f in result.findings)
    ok_teams = sum(state.ok for state in result.teams)
    console.print(
        f"[bold]{len(result.teams)}[/] teams ({ok_teams} read), "
        f"[bold]{len(result.items)}[/] items; "
        + ", ".join(
            f"[{STATUS_STYLES[s]}]{statuses[s]} {STATUS_LABELS[s].lower()}[/]"
            for s in Status
            if statuses[s]
        )
    )
    console.print(
        ", ".join(f"[{SEVERITY_STYLES[s]}]{severities[s]} {s.value}s[/]" for s in Severity)
        + f"; wrote {result.writes_cells} cells in {result.writes_spreadsheets} spreadsheets"
    )
    if not result.findings:
        return
    table = Table(show_header=True, header_style="bold", expand=False)
    for column in ("Severity", "Code", "ID", "Team", "Message"):
        table.add_column(column, overflow="fold")
    for finding in result.findings[:show]:
        table.add_row(
            Text(finding.severity.value, style=SEVERITY_STYLES[finding.severity]),
            finding.code.value,
            finding.id or "",
            finding.team or "",
            finding.message,
        )
    console.print(table)
    if len(result.findings) > show:
        console.print(f"… and {len(result.findings) - show} more (use --json for all)")
