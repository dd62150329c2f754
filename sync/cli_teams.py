"""`okrtree add-team` and `okrtree share`: the commands that change who and what belongs to an
organisation (registered on the `okrtree` group by `sync.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import EXIT_ERRORS, credentials_option
from .google.keys import is_google_source
from .google.share import ROLES, share_organisation
from .model import Level
from .newteam import LEVEL_LABELS, parse_level
from .wording import plural

__all__ = ["add_team", "share"]


def _level(_ctx: click.Context, _param: click.Parameter, value: str) -> Level:
    level = parse_level(value)
    if level is None:
        names = ", ".join(LEVEL_LABELS.values())
        raise click.BadParameter(f"'{value}' is no level; use {names}")
    return level


@click.command("add-team")
@click.argument("workspace")
@click.option("--team", "name", metavar="NAME", required=True, help="The new team's name.")
@click.option(
    "--level",
    metavar="LEVEL",
    required=True,
    callback=_level,
    help="Company, Department, Team or Individual.",
)
@click.option("--parent", metavar="TEAM", default="", help="The team it belongs to.")
@click.option("--owner", metavar="EMAIL", default="", help="Who answers for the team.")
@click.option(
    "--from",
    "source_file",
    metavar="FILE",
    help="The team's own OKRs: an .xlsx file (a Google spreadsheet URL or key for a Google hub).",
)
@credentials_option
def add_team(
    workspace: str,
    name: str,
    level: Level,
    parent: str,
    owner: str,
    source_file: str | None,
    credentials: str | None,
) -> None:
    """Register a team in WORKSPACE's hub (a folder, or a Google hub URL or key) and give it a
    workbook.

    Without --from the team gets a blank workbook from the template (teams/NAME.xlsx, or a new
    spreadsheet). With --from the team's own workbook is copied in (registered where it is when
    it is already inside WORKSPACE, or on Google), the template columns it lacks are added after
    its last column, and rows with no ID get the team's prefix and a number. Nothing is written
    when that cannot be done without losing part of a workbook.

    \b
    Example:
      okrtree add-team my-org --team Mobile --level Team --parent Engineering
      okrtree add-team my-org --team Data --level Team --parent Engineering --from data.xlsx
    """
    folder = Path(workspace)
    if not folder.exists() and is_google_source(workspace):
        from .google.addteam import add_google_team
        from .google.api import make_api

        added = add_google_team(
            make_api(credentials), workspace, name, level, parent, owner=owner, source=source_file
        )
        where = "the hub"
    else:
        from .addteam import add_team as register

        if not (folder / "hub.xlsx").is_file():
            raise click.UsageError(f"{workspace} holds no hub.xlsx; make one with `okrtree init`")
        mine = Path(source_file) if source_file else None
        added = register(folder, name, level, parent, owner=owner, source_file=mine)
        where = f"{workspace}/hub.xlsx"
    under = f", under {added.parent}" if added.parent else ""
    click.echo(
        f"Added {added.team} ({LEVEL_LABELS[added.level]}{under}) to {where}, "
        f"Teams row {added.hub_row}."
    )
    how = (
        "new from the template"
        if added.created
        else (f"copied from {added.copied_from}" if added.copied_from else "registered in place")
    )
    click.echo(f"Workbook: {added.source} ({how}), tab {added.tab}.")
    if added.added_columns:
        click.echo(f"Added columns: {', '.join(added.added_columns)}.")
    if added.new_ids:
        filled = ", ".join(f"row {row} {new_id}" for row, new_id in added.new_ids.items())
        click.echo(f"Filled {plural(len(added.new_ids), 'missing ID')}: {filled}.")
    if added.findings:
        click.echo(
            f"{plural(len(added.findings), 'finding')} on the new team; "
            f"see them with okrtree validate {workspace}."
        )
    if added.created and where == "the hub":
        click.echo(f"Only okrtree's account can open it: okrtree share {workspace} --with EMAIL")
    click.echo(f"Next: okrtree sync {workspace}")


@click.command()
@click.argument("source")
@click.option(
    "--with", "emails", metavar="EMAIL", multiple=True, required=True, help="Who (repeatable)."
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="writer",
    show_default=True,
    help="reader sees, commenter comments, writer keeps OKRs.",
)
@credentials_option
def share(source: str, emails: tuple[str, ...], role: str, credentials: str | None) -> None:
    """Give people access to a Google hub SOURCE and every team spreadsheet in its Teams tab.

    \b
    Example:
      okrtree share https://docs.google.com/spreadsheets/d/KEY/edit --with ana@example.com
      okrtree share KEY --with raj@example.com --role reader
    """
    from .google.api import make_api

    if not is_google_source(source):
        raise click.UsageError(
            f"{source} is no Google hub; share a workspace folder the way you share files"
        )
    api = make_api(credentials)
    failed = False
    for email in emails:
        done = share_organisation(api, source, email, role)
        click.echo(f"Shared {plural(len(done.keys), 'spreadsheet')} with {email} as {role}.")
        for team, reason in done.failed.items():
            click.echo(f"  not shared: {team}: {reason}", err=True)
            failed = True
    sys.exit(EXIT_ERRORS if failed else 0)
