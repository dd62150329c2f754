"""The `okrtree` command line: the only place that prints or exits.

Exit status: 0 no errors, 1 findings of severity error, 2 the run could not proceed (one line on
stderr, nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .engine import Run, run
from .errors import OkrError
from .render import print_summary, print_tree
from .report import result_json
from .sources import open_backend

__all__ = ["cli", "main"]

EXIT_ERRORS = 1
EXIT_CANNOT_RUN = 2


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


as_of_option = click.option(
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
    help="Print one JSON object on stdout (SPEC §6) instead of a summary.",
)


@contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{phase} teams", total=total)
            bar.update(tasks[phase], completed=done)  # type: ignore[arg-type]

        yield update


def _execute(source: str, as_of: dt.date, *, write: bool = False, snapshot: bool = False) -> Run:
    backend = open_backend(source)
    with _progress(sys.stderr.isatty()) as progress:
        return run(backend, as_of, write=write, snapshot=snapshot, progress=progress)  # type: ignore[arg-type]


def _finish(outcome: Run, as_json: bool) -> None:
    result = outcome.computed.result
    if as_json:
        click.echo(json.dumps(result_json(result), ensure_ascii=False, indent=1))
    else:
        print_summary(Console(), result)
    sys.exit(EXIT_ERRORS if result.has_errors else 0)


class OkrGroup(click.Group):
    """Turns every error that stops a run into one stderr line and exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            outcome = super().main(*args, **kwargs)
        except click.ClickException as err:
            message = err.format_message()
            if isinstance(err, click.UsageError) and err.ctx is not None:
                message = f"{err.ctx.command_path}: {message} (see --help)"
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
def validate(source: str, as_of: dt.date, as_json: bool) -> None:
    """Read and check SOURCE; writes nothing.

    \b
    Example:
      okrtree validate my-org --as-of 2026-11-21 --json
    """
    _finish(_execute(source, as_of), as_json)


@cli.command()
@click.argument("source")
@as_of_option
@json_option
@click.option(
    "--snapshot", is_flag=True, help="Also record today's scores in the hub's History tab."
)
def sync(source: str, as_of: dt.date, as_json: bool, snapshot: bool) -> None:
    """Validate SOURCE, write Score/Status/Warnings back and rebuild the hub tabs.

    \b
    Example:
      okrtree sync my-org --snapshot
    """
    _finish(_execute(source, as_of, write=True, snapshot=snapshot), as_json)


@cli.command()
@click.argument("source")
@as_of_option
def tree(source: str, as_of: dt.date) -> None:
    """Draw SOURCE's alignment tree in the terminal.

    \b
    Example:
      okrtree tree my-org
    """
    outcome = _execute(source, as_of)
    print_tree(Console(), outcome.computed)
    sys.exit(EXIT_ERRORS if outcome.computed.result.has_errors else 0)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Fill it with the example organisation.")
def init(directory: Path, example: bool) -> None:
    """Make a workspace in DIRECTORY from the standard template.

    \b
    Example:
      okrtree init my-org --example
    """
    from sheets_templates.builder import create_workspace

    hub = create_workspace(directory, example=example)
    click.echo(f"Created {hub.parent} (hub: {hub}). Next: okrtree sync {directory}")


def main() -> None:
    """The console script."""
    cli.main(prog_name="okrtree")


from service.cli import serve  # noqa: E402  (the service builds on this module, so it comes last)

cli.add_command(serve)
