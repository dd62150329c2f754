"""The per-app objects handlers share, built once by `create_app` and found through
`current_app`, so no module holds global state and several apps can live in one process."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from .auth import Authenticator
from .config import ServiceConfig
from .org import Organisation
from .treecache import TreeCache

__all__ = ["Services", "install", "services", "services_of"]

EXTENSION = "okrtree"


@dataclass(frozen=True, slots=True)
class Services:
    config: ServiceConfig
    organisation: Organisation
    auth: Authenticator
    tree: TreeCache


def install(app: Flask, found: Services) -> None:
    app.extensions[EXTENSION] = found


def services_of(app: Flask) -> Services:
    """`app`'s services, outside a request (e.g. `okrtree serve` before it serves)."""
    found = app.extensions[EXTENSION]
    assert isinstance(found, Services)
    return found


def services() -> Services:
    """This app's services (inside a request or an app context)."""
    return services_of(current_app)
