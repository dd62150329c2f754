"""`okrtree serve`: the service on this machine, for a local workspace (or a Google hub).

Like Jupyter, it listens on 127.0.0.1 and prints a link and a random token. The link opens one
browser, once: its code is traded for a session cookie and spent (`service.links`); scripts
send the token as `Authorization: Bearer`, and with it `POST /api/link` hands out more links.
Turning authentication off takes `--no-auth`, and only on a loopback address; the service then
answers only to loopback host names and refuses requests from other sites (`service.guard`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from sync.cli_dates import date_value
from sync.ports import check_port_free

__all__ = ["LocalServer", "make_local_server", "serve"]


@dataclass(slots=True)
class LocalServer:
    """A bound server, the link to print (one-time with a token), and the token (None with
    `--no-auth`)."""

    server: Any  # werkzeug.serving.BaseWSGIServer
    url: str
    token: str | None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_local_server(
    source: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    no_auth: bool = False,
    state_dir: Path | None = None,
    as_of: dt.date | None = None,
    credentials: str | None = None,
) -> LocalServer:
    """Check SOURCE, build the app and bind the port (0 picks a free one); does not serve yet."""
    from werkzeug.serving import make_server

    from sync.sources import is_google_hub, open_backend

    from .app import create_app
    from .state import services_of

    if no_auth and not _loopback(host):
        raise click.UsageError(
            f"--no-auth serves only on a loopback address (127.0.0.1), not {host}; "
            "drop --no-auth to use a token"
        )
    # a missing workspace or credential stops here with the way out, not on the first click:
    # a folder is opened now, a Google hub's client is made (credentials and all) by create_app
    if not is_google_hub(source):
        open_backend(source)
    token = None if no_auth else secrets.token_urlsafe(24)
    app = create_app(
        {
            "SOURCE": source,
            "AUTH_MODE": "none" if no_auth else "token",
            "LOCAL_TOKEN": token,
            "STATE_DIR": str(state_dir) if state_dir else None,
            "AS_OF": as_of,
            "ON_APP_ENGINE": False,
            "CREDENTIALS": credentials,
        }
    )
    check_port_free(host, port)
    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_port}/tree"
    if token is None:
        return LocalServer(server, url, None)
    return LocalServer(server, f"{url}?token={services_of(app).auth.links.issue()}", token)


@click.command()
@click.argument("source")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port; 0 picks a free one.")
@click.option("--no-auth", is_flag=True, help="No token: anyone who can reach the port may use it.")
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the last sync's state here (default: WORKSPACE/.okrtree, or the user cache "
    "folder for a Google hub; OKRTREE_STATE_BUCKET: a Cloud Storage bucket).",
)
@click.option(
    "--as-of",
    "as_of",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help="Date to judge progress against (default: today).",
)
@click.option(
    "--credentials",
    metavar="FILE",
    help="Google hubs only: a service-account JSON key (default: OKRTREE_CREDENTIALS, "
    "GOOGLE_APPLICATION_CREDENTIALS, then Application Default Credentials).",
)
def serve(
    source: str,
    host: str,
    port: int,
    no_auth: bool,
    state_dir: Path | None,
    as_of: dt.date | None,
    credentials: str | None,
) -> None:
    """Serve SOURCE's alignment tree and API on this machine.

    Prints a link that opens the tree in one browser, once, and a token. Scripts send the token
    as 'Authorization: Bearer TOKEN' to /api/validate, /api/sync and /api/tree; POST /api/link
    with it gives a new link for another browser. With --no-auth, scripts send 'X-Okrtree: 1'.

    \b
    Example:
      okrtree serve my-org --port 8080
      okrtree serve https://docs.google.com/spreadsheets/d/KEY/edit --credentials key.json
    """
    local = make_local_server(
        source,
        host=host,
        port=port,
        no_auth=no_auth,
        state_dir=state_dir,
        as_of=as_of,
        credentials=credentials,
    )
    click.echo(f"okrtree is serving {source}")
    if local.token:
        click.echo(f"Open the alignment tree (the link works once): {local.url}")
        click.echo(f"API: send 'Authorization: Bearer {local.token}'")
    else:
        click.echo(f"Open the alignment tree: {local.url}")
        click.echo(
            "Authentication is off (--no-auth): anyone on this machine may use it; "
            "scripts send 'X-Okrtree: 1'."
        )
    click.echo("Press Ctrl+C to stop.")
    try:
        local.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        local.server.server_close()
    click.echo("Stopped.")
