"""The text a run prints: counts, where the cycle stands, then the findings one block each
(code and place on one line, the message wrapped below), so they read at 80 columns and in a
pipe. Only the CLI calls this."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import Counter
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from .model import STATUS_LABELS, Finding, Result, Severity, Status
from .render import STATUS_STYLES
from .wording import cycle_phrase, plural

__all__ = ["DEFAULT_SHOWN", "Overview", "finding_place", "print_summary"]

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
DEFAULT_SHOWN = 10  # findings listed without --verbose
TOP_TEAMS = 3
INDENT = 2  # a finding's message, under its code and place
# After "Team Sales": ", row 7 (SAL-3), column Current: ", the rest of the place a message names
_PLACE = re.compile(r"(?:, row \d+(?: \([^)]*\))?)?(?:, column [^:]+)?(?:, tab '[^']*')?: ")


def finding_place(finding: Finding) -> tuple[str, str]:
    """The finding's place and the rest of its message, split where the message names it.

    >>> from sync.model import Code
    >>> finding_place(Finding(Severity.WARNING, Code.NO_OWNER, "S-4", "Support",
    ...     "Team Support, row 5 (S-4): this key result has no Owner; type who drives it."))
    ('Support, row 5 (S-4)', 'this key result has no Owner; type who drives it.')
    """
    lead = f"Team {finding.team}"
    match = _PLACE.match(finding.message, len(lead))
    if finding.team is None or not finding.message.startswith(lead) or match is None:
        return (finding.team or "the hub", finding.message)
    return (finding.message[len("Team ") : match.end() - 2], finding.message[match.end() :])


@dataclass(slots=True)
class Overview:
    """What the summary shows of a run, small enough to keep: counts, the cycle, the findings."""

    as_of: dt.date
    cycle: str  # its name, blank when the hub names none
    phrase: str  # where the run stands in its cycle
    teams: int
    unread: int
    items: int
    statuses: dict[Status, int]
    findings: list[Finding]
    writes_spreadsheets: int = 0
    writes_cells: int = 0

    @classmethod
    def of(cls, result: Result, statuses: Counter[Status] | None = None) -> Overview:
        """The overview of `result`; its items counted by status in `statuses` when they are
        not all in it (a run that recomputed a few teams)."""
        if statuses is None:
            statuses = Counter(item.status for item in result.items)
        return cls(
            result.as_of,
            result.cycle.name,
            cycle_phrase(result),
            len(result.teams),
            sum(not state.ok for state in result.teams),
            sum(statuses.values()),
            {status: statuses[status] for status in Status if statuses[status]},
            list(result.findings),
            result.writes_spreadsheets,
            result.writes_cells,
        )


def _counts(overview: Overview, show_writes: bool) -> list[Text | str]:
    counts = Text.assemble(
        (plural(overview.teams, "team"), "bold"),
        f" ({overview.unread} not read)" if overview.unread else "",
        ", ",
        (plural(overview.items, "item"), "bold"),
    )
    for status in Status:
        if overview.statuses.get(status):
            counts.append(", ")
            counts.append(
                f"{overview.statuses[status]} {STATUS_LABELS[status].lower()}",
                STATUS_STYLES[status],
            )
    name = overview.cycle or "The cycle"
    lines: list[Text | str] = [
        counts,
        f"{name} as of {overview.as_of.isoformat()}: {overview.phrase}",
    ]
    if show_writes:
        cells = plural(overview.writes_cells, "cell")
        sheets = plural(overview.writes_spreadsheets, "spreadsheet")
        lines.append(
            f"Wrote {cells} in {sheets}"
            if overview.writes_cells
            else "Nothing to write: up to date"
        )
    return lines


def _finding_lines(overview: Overview) -> list[Text | str]:
    if not overview.findings:
        return ["No findings"]
    severities = Counter(f.severity for f in overview.findings)
    kinds = Text(f"{plural(len(overview.findings), 'finding')}: ")
    for severity in Severity:
        if severities[severity]:
            if not kinds.plain.endswith(": "):
                kinds.append(", ")
            kinds.append(plural(severities[severity], severity.value), SEVERITY_STYLES[severity])
    codes = Counter(f.code.value for f in overview.findings)
    teams = Counter(f.team for f in overview.findings if f.team)
    lines: list[Text | str] = [kinds]
    lines.append("By code: " + ", ".join(f"{code} {n}" for code, n in codes.most_common()))
    if teams:
        top = ", ".join(f"{team} {n}" for team, n in teams.most_common(TOP_TEAMS))
        lines.append(f"Most in: {top}")
    return lines


def _print_wrapped(console: Console, line: Text | str) -> None:
    """A line wrapped at the console's width, no trailing blanks, continuation lines indented."""
    if isinstance(line, str):
        line = Text(line)
    for number, part in enumerate(line.wrap(console, max(console.width - INDENT, 20))):
        part.rstrip()
        console.print(Text(" " * INDENT) + part if number else part, highlight=False)


def _block(console: Console, finding: Finding) -> None:
    place, message = finding_place(finding)
    head = Text()
    head.append(finding.severity.value, style=SEVERITY_STYLES[finding.severity])
    head.append(f" {finding.code.value}", style="bold")
    head.append(f"  {place}")
    _print_wrapped(console, head)
    for line in textwrap.wrap(message, max(console.width - INDENT, 20)):
        console.print(" " * INDENT + line, markup=False, emoji=False, highlight=False)


def print_summary(
    console: Console,
    result: Result | Overview,
    *,
    show_writes: bool = False,
    verbose: bool = False,
) -> None:
    """Counts, then the findings (the first `DEFAULT_SHOWN`, or all when `verbose`)."""
    if isinstance(result, Result):
        result = Overview.of(result)
    for line in [*_counts(result, show_writes), *_finding_lines(result)]:
        _print_wrapped(console, line)
    shown = result.findings if verbose else result.findings[:DEFAULT_SHOWN]
    for finding in shown:
        _block(console, finding)
    if len(shown) < len(result.findings):
        more = len(result.findings) - len(shown)
        console.print(f"… and {more} more: --verbose lists them all, --json gives every field.")
