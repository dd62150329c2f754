"""The emulator on a loopback port, for clients that cannot take an in-process transport.

``serve`` blocks (the CLI's ``okrtree emulator``); ``start`` runs the same server in a daemon
thread and returns a handle whose ``url`` goes into ``OKRTREE_SHEETS_ENDPOINT``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from .app import EmulatorApp
from .emulator import Emulator

__all__ = ["RunningServer", "serve", "start"]

HOST = "127.0.0.1"


@dataclass
class RunningServer:
    """A server answering in a background thread; ``stop()`` shuts it down."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The bound port (useful when started on port 0)."""
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        """Base URL to use as ``OKRTREE_SHEETS_ENDPOINT``."""
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _server(port: int, emulator: Emulator) -> BaseWSGIServer:
    return make_server(HOST, port, EmulatorApp(emulator), threaded=True)


def serve(port: int, emulator: Emulator) -> None:
    """Serve ``emulator`` on ``127.0.0.1:port`` until interrupted."""
    server = _server(port, emulator)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def start(emulator: Emulator, port: int = 0) -> RunningServer:
    """Serve ``emulator`` in a daemon thread; port 0 picks a free port."""
    server = _server(port, emulator)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="okrtree-emulator",
        daemon=True,
    )
    thread.start()
    return RunningServer(server, thread)
