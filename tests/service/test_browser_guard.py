"""`okrtree serve --no-auth` against a real browser (Debian's headless Chromium) on a page of
another site: its form POST and its `fetch` do not sync, and a name that resolves to 127.0.0.1
(DNS rebinding, simulated with Chromium's host resolver rules) reads nothing. The tree page
itself keeps working."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from service.cli import LocalServer, make_local_server
from service.state import services_of
from sheets_templates.example import AS_OF

from .test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"
)
REBOUND = "rebind.test"  # a name another site controls, pointed at this machine


@pytest.fixture
def served(workspace: Path) -> Iterator[tuple[LocalServer, list[bool]]]:
    """`okrtree serve --no-auth` in a thread, and a list that grows by one per sync it runs."""
    local = make_local_server(str(workspace), port=0, no_auth=True, as_of=AS_OF)
    organisation = services_of(local.server.app).organisation
    runs: list[bool] = []
    real = organisation.sync

    def counted(**options: Any) -> Any:
        runs.append(True)
        return real(**options)

    organisation.sync = counted  # type: ignore[method-assign]
    thread = threading.Thread(target=local.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield local, runs
    finally:
        local.server.shutdown()
        local.server.server_close()
        thread.join(timeout=10)


def attacker_page(target: str) -> str:
    return f"""<!doctype html><title>cute cats</title>
<form id="f" method="post" action="{target}/api/sync"></form>
<script>
  fetch("{target}/api/sync", {{method: "POST", mode: "no-cors", body: "{{}}"}})
    .finally(() => document.getElementById("f").submit());
</script>"""


@pytest.fixture
def other_site(served: tuple[LocalServer, list[bool]]) -> Iterator[str]:
    """Another origin (localhost on another port) serving a page that POSTs to okrtree."""
    target = served[0].url.rsplit("/tree", 1)[0]
    body = attacker_page(target).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_another_site_cannot_make_the_browser_sync(
    served: tuple[LocalServer, list[bool]], other_site: str
) -> None:
    from playwright.sync_api import sync_playwright

    local, runs = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            with page.expect_navigation(url="**/api/sync"):
                page.goto(other_site)
            assert "cross_site_request" in page.content()
            assert runs == []

            page.goto(local.url)  # the page of okrtree itself still works
            page.locator("#count").wait_for()
            assert page.locator("#count").inner_text() == "76 items"
        finally:
            browser.close()


def test_a_rebound_name_reads_nothing(served: tuple[LocalServer, list[bool]]) -> None:
    from playwright.sync_api import sync_playwright

    local, _ = served
    port = local.url.split(":")[2].split("/")[0]
    rules = f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, rules])
        try:
            page = browser.new_page()
            answer = page.goto(f"http://{REBOUND}:{port}/api/tree")
            assert answer is not None and answer.status == 400
            assert "untrusted_host" in page.content() and "PLAT-1" not in page.content()
            loopback = page.goto(f"http://localhost:{port}/api/tree")
            assert loopback is not None and loopback.status == 200
        finally:
            browser.close()
