"""Terminal output: the alignment tree with colours, score bars and warning marks (rich). Only
the CLI calls this. Each row stays on one line: at narrow widths the title is shortened, then the
bar, the trend and the team name left out."""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from .compute import Computed
from .model import STATUS_LABELS, Item, Result, Status
from .tree import UNREACHABLE_LABEL
from .treefilter import ShownRow, TreeFilter, shown_rows
from .wording import cycle_phrase, plural

__all__ = ["STATUS_STYLES", "print_tree", "score_bar"]

STATUS_STYLES = {
    Status.DONE: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.NO_DATA: "dim",
}
BAR_WIDTH = 10
GUIDE_WIDTH = 4  # rich's tree guides ("├── ") take four cells per level
TITLE_WITH_TREND = 24  # a trend stays only while the title keeps this many cells
MIN_TITLE = 16  # below this many cells for the title, leave out the bar, then the team


def score_bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """A score as a bar of block characters.

    >>> score_bar(0.7, 10)
    '███████░░░'
    """
    if score is None:
        return "·" * width
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)


def _shorten(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def _label(item: Item, marks: int, shown: ShownRow, width: int) -> Text:
    """One row; `width` is what is left of the line after the tree's guides."""
    style = "dim" if shown.context else STATUS_STYLES[item.status]
    score = f" {item.score:.2f}" if item.score is not None else "   —"
    extras = [
        (f"  {STATUS_LABELS[item.status]}", style),
        (f"  ⚠ {marks}" if marks else "", "yellow"),
        (f"  (+{shown.hidden} below)" if shown.hidden else "", "dim"),
    ]
    trend = (f" {item.spark}", style) if item.spark else ("", "")
    parts = [("  ", ""), (score_bar(item.score), style), (score, style), trend, *extras]
    team = (f"  {item.team}", "dim")
    head = f"{item.id} "
    title = item.title or "(no title)"

    def room(pieces: list[tuple[str, str]]) -> int:
        return width - cell_len(head) - sum(cell_len(text) for text, _ in pieces)

    wanted = TITLE_WITH_TREND if item.spark else MIN_TITLE
    if room([team, *parts]) < wanted:
        parts = [("  ", ""), (score.strip(), style), trend, *extras]
    if room([team, *parts]) < wanted:  # then the trend, before the team's name
        parts = [p for p in parts if p is not trend]
    if room([team, *parts]) < MIN_TITLE:
        team = ("", "")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(head, style="dim bold" if shown.context else "bold")
    title_style = "dim" if shown.context else ""
    text.append(_shorten(title, max(room([team, *parts]), MIN_TITLE)), style=title_style)
    for piece, piece_style in [team, *parts]:
        text.append(piece, style=piece_style)
    return text


def _title(result: Result, shown: int, wanted: TreeFilter) -> Text:
    title = Text(f"{result.cycle.name or 'OKRs'}  ", style="bold")
    title.append(f"as of {result.as_of.isoformat()}, {cycle_phrase(result)}", style="dim")
    if wanted.active:
        title.append(f"; {shown} of {plural(len(result.items), 'item')} match", style="dim")
    return title


def print_tree(console: Console, computed: Computed, wanted: TreeFilter | None = None) -> None:
    """The combined tree, one branch per root; items on cycles under their own heading."""
    wanted = wanted or TreeFilter()
    marks: Counter[tuple[str | None, int | None]] = Counter(
        (f.team, f.row) for f in computed.result.findings if f.row is not None
    )
    rows = shown_rows(computed.tree, wanted)
    matching = sum(1 for item in computed.result.items if wanted.matches(item))
    root = Tree(_title(computed.result, matching, wanted))
    branches: list[Tree] = [root]  # branches[d] holds the rows of depth d
    nesting = 1  # guide levels in front of a depth-0 row: one more under the cycle marker
    for shown in rows:
        item = shown.row.item
        if item is None:
            branches = [root.add(Text(UNREACHABLE_LABEL, style="bold red"))]
            nesting = 2
            continue
        depth = shown.row.depth
        del branches[depth + 1 :]
        width = console.width - GUIDE_WIDTH * (depth + nesting)
        node = branches[-1].add(_label(item, marks[(item.team, item.row)], shown, width))
        branches.append(node)
    console.print(root)
    hidden = sum(shown.hidden for shown in rows)
    if hidden:
        console.print(f"{plural(hidden, 'more item')} below; leave out --depth to see every level.")
