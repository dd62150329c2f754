"""`okrtree rollover` and `okrtree digest`: the end of a cycle and the weekly look back.

`rollover` exits 1 when a team could not be rolled over (run it again once that is fixed).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from .cli import EXIT_ERRORS, as_of_option, credentials_option
from .cli_dates import date_value
from .engine import run
from .rollers import roller_for
from .rollover import NewCycle
from .rollover_run import RolloverReport, report_json, rollover
from .sources import open_backend

__all__ = ["digest", "rollover_command"]


@click.command("rollover")
@click.argument("source")
@click.option("--cycle", "name", required=True, metavar="NAME", help="The new cycle, e.g. 2027-Q1.")
@click.option(
    "--start", required=True, callback=date_value, metavar="YYYY-MM-DD", help="Its first day."
)
@click.option(
    "--end", required=True, callback=date_value, metavar="YYYY-MM-DD", help="Its last day."
)
@as_of_option
@click.option("--dry-run", is_flag=True, help="Show what would carry over; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan per team as JSON.")
@credentials_option
def rollover_command(
    source: str,
    name: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    dry_run: bool,
    as_json: bool,
    credentials: str | None,
) -> None:
    """Close SOURCE's cycle and open the next: archive each team tab, carry what is not done.

    \b
    Example:
      okrtree rollover my-org --cycle 2027-Q1 --start 2027-01-01 --end 2027-03-31 --dry-run
    """
    backend = open_backend(source, credentials=credentials)
    new = NewCycle(name.strip(), start, end)
    report = rollover(backend, roller_for(backend), new, as_of, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=1))
    else:
        _print(report)
    sys.exit(0 if report.complete else EXIT_ERRORS)


def _print(report: RolloverReport) -> None:
    verb = "Would close" if report.dry_run else "Closing"
    click.echo(
        f"{verb} {report.old.name or 'the cycle'} ({report.old.start} to {report.old.end}) "
        f"and open {report.new.name} ({report.new.start} to {report.new.end})."
    )
    for entry in report.teams:
        head = f"- {entry.team} ({entry.source}, tab {entry.tab})"
        if entry.plan is None or entry.state in ("not_rolled", "already_rolled"):
            said = {
                "already_rolled": f"already rolled over ({entry.archive_tab!r} exists); skipped",
                "skipped": f"not rolled over: {entry.reason}",
                "not_rolled": f"NOT rolled over: {entry.reason}",
            }
            click.echo(f"{head}: {said.get(entry.state, entry.state)}")
            continue
        plan = entry.plan
        ids = [c.id for c in plan.carried if c.id]
        left = [c.id for c in plan.archived if c.id]
        click.echo(
            f"{head}: archived as {entry.archive_tab!r}; carries {len(ids)} "
            f"({', '.join(ids) or 'nothing'}); left in the archive: {', '.join(left) or 'nothing'}"
        )
        for row, value in plan.starts.items():
            item = next(c for c in plan.carried if c.row == row)
            click.echo(f"    {item.id}: Start becomes {value}")
        for item_id, parent in entry.parent_archived:
            click.echo(
                f"    {item_id} aligns to {parent}, which stays in the archive: "
                "give it a new Parent in the new cycle"
            )
    if report.dry_run:
        click.echo("Dry run: nothing was written.")
    elif report.settings_written:
        click.echo(f"The hub's Settings now say {report.new.name}.")
    else:
        for finding in report.findings:
            if finding.team is None:
                click.echo(finding.message)
        click.echo(
            "The hub's Settings still name the old cycle. Fix what is said above and run the "
            "same command again: teams already rolled over are skipped."
        )


@click.command("digest")
@click.argument("source")
@click.option(
    "--since",
    metavar="DATE|Nd",
    help="Start of the period: a date (YYYY-MM-DD) or days back (14d); default 7d.",
)
@as_of_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown reads well pasted into an e-mail or chat.",
)
@credentials_option
def digest(
    source: str, since: str | None, as_of: dt.date, output_format: str, credentials: str | None
) -> None:
    """What changed in SOURCE since a date, whom to ask for an update; writes nothing.

    \b
    Example:
      okrtree digest my-org --since 14d --format markdown
    """
    # Imported here: the digest uses pandas, whose import would cost every other command 0.3 s.
    from .digest import build_digest, parse_since
    from .digest_render import digest_json, render

    try:
        start = parse_since(since, as_of)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--since") from None
    if start >= as_of:
        raise click.BadParameter(f"{start} is not before --as-of {as_of}", param_hint="--since")
    backend = open_backend(source, credentials=credentials)
    outcome = run(backend, as_of)
    made = build_digest(outcome.computed.result, outcome.snapshots, outcome.hub.tabs, start)
    if output_format == "json":
        click.echo(json.dumps(digest_json(made), ensure_ascii=False, indent=1))
    else:
        click.echo(render(made, output_format), nl=False)
