"""The `okrtree` command line: the only place that prints or exits.

Exit status: 0 no errors, 1 findings of severity error, 2 the run could not proceed (one line on
stderr, nothing written).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from .cli_dates import date_value
from .cli_run import EXIT_ERRORS, Shown, execute, show, sync_and_record
from .errors import OkrError
from .model import Status, id_key
from .ports import check_port_free
from .render import print_tree
from .suggest import did_you_mean
from .tree_export import tree_csv, tree_html, tree_json
from .treefilter import TreeFilter, parse_status, shown_rows

__all__ = ["EXIT_ERRORS", "cli", "credentials_option", "main"]

FC = TypeVar("FC", bound=Callable[..., Any])  # a click command function

EXIT_CANNOT_RUN = 2


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    return date_value(ctx, param, value) or dt.date.today()


as_of_option: Callable[[FC], FC] = click.option(
    "--as-of",
    "as_of",
    callback=_as_of,
    metavar="YYYY-MM-DD",
    help="Date to judge progress and staleness against (default: today).",
)
json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object on stdout (described in the README) instead of a summary.",
)
verbose_option = click.option(
    "--verbose", "-v", is_flag=True, help="List every finding, not only the first ten."
)


credentials_option: Callable[[FC], FC] = click.option(
    "--credentials",
    metavar="FILE",
    help="Google only: a service-account JSON key, or 'anonymous' for the offline emulator "
    "(default: OKRTREE_CREDENTIALS, GOOGLE_APPLICATION_CREDENTIALS, then Application Default "
    "Credentials).",
)


class OkrGroup(click.Group):
    """Turns every error that stops a run into one stderr line and exit status 2.

    Commands of the service are imported only when asked for (`LAZY_COMMANDS`), so `validate`,
    `sync` and `tree` never import the service and run without Flask installed."""

    LAZY_COMMANDS = {"serve": "service.cli"}  # command name -> module defining it by that name

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.LAZY_COMMANDS.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            outcome = super().main(*args, **kwargs)
        except click.ClickException as err:
            message = err.format_message()
            if isinstance(err, click.UsageError) and err.ctx is not None:
                command = " ".join(["okrtree", *err.ctx.command_path.split()[1:]])
                message = f"{message} (see {command} --help)"
            click.echo(f"okrtree: {message}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        except click.exceptions.Abort:
            click.echo("okrtree: aborted", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        except OkrError as err:
            click.echo(f"okrtree: {err}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        sys.exit(outcome if isinstance(outcome, int) else 0)


@click.group(cls=OkrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="okrtree")
def cli() -> None:
    """okrtree: validate, score and align OKRs kept in spreadsheets.

    \b
    Example:
      okrtree init my-org --example && okrtree sync my-org && okrtree tree my-org
    """


@cli.command()
@click.argument("source")
@as_of_option
@json_option
@verbose_option
@credentials_option
def validate(
    source: str, as_of: dt.date, as_json: bool, verbose: bool, credentials: str | None
) -> None:
    """Read and check SOURCE (a workspace folder, or a Google hub URL or key); writes nothing.

    \b
    Example:
      okrtree validate my-org --as-of 2026-11-21 --json
    """
    outcome = execute(source, as_of, credentials=credentials)
    show(Shown.of(outcome, as_json), as_json, verbose=verbose, wrote=False)


@cli.command()
@click.argument("source")
@as_of_option
@json_option
@click.option(
    "--history",
    "--snapshot",
    "history",
    is_flag=True,
    help="Also record in the hub's History tab each item whose score or status moved.",
)
@verbose_option
@click.option(
    "--full",
    is_flag=True,
    help="Read every team sheet, not only those changed since the last sync's saved state.",
)
@credentials_option
def sync(
    source: str,
    as_of: dt.date,
    as_json: bool,
    history: bool,
    verbose: bool,
    full: bool,
    credentials: str | None,
) -> None:
    """Validate SOURCE, write Score/Status/Warnings back and rebuild the hub tabs.

    Team sheets unchanged since the last sync are not read again; the state that makes this
    possible is kept in WORKSPACE/.okrtree/, the user's cache folder for a Google hub, or the
    bucket OKRTREE_STATE_BUCKET (OKRTREE_STATE_DIR: a folder of your choice).

    \b
    Example:
      okrtree sync my-org --history
    """
    shown = sync_and_record(
        source, as_of, history=history, full=full, credentials=credentials, as_json=as_json
    )
    show(shown, as_json, verbose=verbose, wrote=True)


def _status(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Status | None:
    if value is None:
        return None
    status = parse_status(value)
    if status is None:
        names = ", ".join(s.value for s in Status)
        raise click.BadParameter(f"'{value}' is not a status; use one of {names}")
    return status


def _depth(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter("give 1 or more (1 shows only the top objectives)")
    return value


@cli.command()
@click.argument("source")
@as_of_option
@click.option("--team", metavar="NAME", default="", help="Only this team's items (with context).")
@click.option(
    "--status",
    metavar="STATUS",
    callback=_status,
    help="Only items with this status: done, on_track, at_risk, off_track, no_data.",
)
@click.option("--owner", metavar="WHO", default="", help="Only items this person owns.")
@click.option(
    "--depth", type=int, metavar="N", callback=_depth, help="Show N levels; counts what is below."
)
@click.option(
    "--json", "as_json", is_flag=True, help="The shown rows as JSON (same as --format json)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "html"]),
    default="text",
    show_default=True,
    help="html: one standalone page anyone can open or print.",
)
@credentials_option
def tree(
    source: str,
    as_of: dt.date,
    team: str,
    status: Status | None,
    owner: str,
    depth: int | None,
    as_json: bool,
    output_format: str,
    credentials: str | None,
) -> None:
    """Draw SOURCE's alignment tree; filters keep the rows above a match as dimmed context.

    \b
    Example:
      okrtree tree my-org --team Sales --status at_risk
      okrtree tree my-org --format html > tree.html
    """
    outcome = execute(source, as_of, credentials=credentials)
    computed = outcome.computed
    if team:
        known = {state.team.name for state in computed.result.teams}
        if id_key(team) not in {id_key(name) for name in known}:
            raise click.BadParameter(
                f"no team '{team}'.{did_you_mean(team, known)}", param_hint="--team"
            )
    wanted = TreeFilter(team, status, owner, depth)
    chosen = "json" if as_json else output_format
    if chosen == "text":
        print_tree(Console(), computed, wanted)
    else:
        rows = shown_rows(computed.tree, wanted)
        if chosen == "json":
            click.echo(tree_json(computed.result, rows))
        elif chosen == "csv":
            click.echo(tree_csv(rows), nl=False)
        else:
            click.echo(tree_html(computed.result, rows), nl=False)
    sys.exit(EXIT_ERRORS if computed.result.has_errors else 0)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Fill it with the example organisation.")
@click.option(
    "--google", is_flag=True, help="Create the organisation in Google Sheets instead of a folder."
)
@click.option("--title", metavar="NAME", help="With --google: the organisation's name.")
@click.option(
    "--share",
    metavar="EMAIL",
    multiple=True,
    help="With --google: give this person edit access to every spreadsheet (repeatable).",
)
@credentials_option
def init(
    directory: Path | None,
    example: bool,
    google: bool,
    title: str | None,
    share: tuple[str, ...],
    credentials: str | None,
) -> None:
    """Make a workspace in DIRECTORY (or, with --google, spreadsheets) from the template.

    \b
    Example:
      okrtree init my-org --example
      okrtree init --google --title "Northwind" --share ana@example.com --example
    """
    if google:
        if directory is not None:
            raise click.UsageError("--google creates spreadsheets, not a folder; drop DIRECTORY")
        if not title:
            raise click.UsageError("--google needs --title NAME for the new spreadsheets")
        from .google.api import make_api
        from .google.provision import create_organisation

        made = create_organisation(make_api(credentials), title, share=list(share), example=example)
        click.echo(f"Created {len(made.teams)} team spreadsheets and the hub: {made.hub_url}")
        if not share:
            click.echo(
                "Only okrtree's account can open them; give people access with "
                f"okrtree share {made.hub_url} --with EMAIL"
            )
        click.echo(f"Next: okrtree sync {made.hub_url}")
        return
    if directory is None:
        raise click.UsageError("give DIRECTORY for the new workspace (or use --google)")
    if title or share:
        raise click.UsageError("--title and --share go with --google")
    from sheets_templates.builder import create_workspace

    hub = create_workspace(directory, example=example)
    click.echo(f"Created {hub.parent} (hub: {hub}). Next: okrtree sync {directory}")


@cli.command()
@click.option(
    "--port", default=8765, show_default=True, help="Port on 127.0.0.1 (0 picks a free one)."
)
@click.option(
    "--from",
    "workspace",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A workspace folder to serve: each workbook becomes a spreadsheet.",
)
def emulator(port: int, workspace: Path | None) -> None:
    """Serve a fake Google Sheets API on 127.0.0.1 for trying the Google path offline.

    Prints the hub's key; point okrtree at it with OKRTREE_SHEETS_ENDPOINT and anonymous
    credentials. GET /_emulator/stats counts the requests by kind.

    \b
    Example:
      okrtree emulator --port 8765 --from my-org
      OKRTREE_SHEETS_ENDPOINT=http://127.0.0.1:8765 okrtree sync HUBKEY --credentials anonymous
    """
    from .emulator import Emulator, seed_workspace, start
    from .emulator.server import HOST

    if workspace is not None and not (workspace / "hub.xlsx").is_file():
        raise click.UsageError(f"{workspace} holds no hub.xlsx; make one with `okrtree init`")
    check_port_free(HOST, port)
    fake = Emulator()
    hub = seed_workspace(fake, workspace) if workspace is not None else None
    try:
        server = start(fake, port)
    except OSError as err:
        raise click.UsageError(f"cannot serve on {HOST}:{port} ({err.strerror})") from err
    click.echo(f"Sheets API emulator on {server.url}")
    click.echo(f"Request counts: {server.url}/_emulator/stats")
    if hub is not None:
        click.echo(f"Hub key: {hub}")
        click.echo(
            f"Try: OKRTREE_SHEETS_ENDPOINT={server.url} okrtree sync {hub} --credentials anonymous"
        )
    try:
        while server.thread.is_alive():
            server.thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main() -> None:
    """The console script."""
    cli.main(prog_name="okrtree")


# These build on this module, so they come last.
from .cli_cycle import digest, rollover_command  # noqa: E402
from .cli_teams import add_team, share  # noqa: E402

for command in (add_team, share, rollover_command, digest):
    cli.add_command(command)
