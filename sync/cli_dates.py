"""The one parser of date options on the command line (`--as-of`, `--start`, `--end`)."""

from __future__ import annotations

import datetime as dt

import click

__all__ = ["date_value"]


def date_value(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback: `YYYY-MM-DD` as a date, None when the option was not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None
