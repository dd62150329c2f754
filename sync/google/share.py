"""`okrtree share`: give a person access to a Google organisation's hub and every team
spreadsheet registered in its `Teams` tab (Drive `permissions.create`, one per spreadsheet)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import SourceError
from ..hub import parse_settings, parse_teams
from .keys import spreadsheet_key

if TYPE_CHECKING:  # the CLI imports this module for ROLES; gspread loads only when sharing
    from .api import SheetsApi

__all__ = ["ROLES", "Shared", "share_organisation"]

ROLES = ("reader", "commenter", "writer")  # Drive's names, as `--role` takes them


@dataclass(slots=True)
class Shared:
    """What a share did: the spreadsheets now open to the person, and those it could not share
    (team name -> reason)."""

    keys: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def share_organisation(api: SheetsApi, hub: str, email: str, role: str = "writer") -> Shared:
    """Share the hub, then each team's spreadsheet once (several teams may share one)."""
    from ..backends.gsheets import GoogleBackend
    from .api import GoogleApiError

    backend = GoogleBackend(hub, api)
    read = backend.read_hub()
    teams = parse_teams(read).teams
    with suppress(SourceError):  # other Settings problems are for a sync to report
        backend.use_settings(parse_settings(read))  # the hub's Writes per minute paces the shares
    shared = Shared()
    targets: dict[str, str] = {backend.hub_key: "the hub"}
    for team in teams:
        key = spreadsheet_key(team.source)
        if key is None:
            shared.failed[team.name] = f"'{team.source}' is no Google Sheets URL or key"
        else:
            targets.setdefault(key, team.name)
    for key, name in targets.items():
        try:
            api.share(key, email, role)
        except GoogleApiError as err:
            if name == "the hub":
                raise
            shared.failed[name] = str(err)
            continue
        shared.keys.append(key)
    return shared
