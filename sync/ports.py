"""Whether a local port is free, asked before a server binds it: werkzeug's own answer to a busy
port is two lines and exit status 1, where okrtree promises one line and status 2."""

from __future__ import annotations

import socket

from .errors import ConfigError

__all__ = ["check_port_free"]


def check_port_free(host: str, port: int) -> None:
    """Raise `ConfigError` naming the way out when `host:port` cannot be listened on."""
    if port == 0:  # the system picks a free one
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError as err:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({err.strerror}); "
                "stop what uses it or pick another --port (0 picks a free one)"
            ) from None
