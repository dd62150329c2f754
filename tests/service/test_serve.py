"""`okrtree serve` through the real entry point: a one-time link on loopback, a token for the
API, `--no-auth` only when asked and only on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import make_local_server
from sync.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_serve_has_help_with_an_example() -> None:
    outcome = CliRunner().invoke(cli, ["serve", "--help"])
    assert outcome.exit_code == 0
    assert "Example:" in outcome.stdout and "okrtree serve" in outcome.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "no-such-folder"], "no such workspace folder"),
        (["serve", "{org}", "--no-auth", "--host", "0.0.0.0"], "--no-auth serves only on a loop"),
        (["serve", "{org}", "--as-of", "tomorrow"], "is not a date"),
    ],
)
def test_serve_refuses_with_one_line(workspace: Path, args: list[str], message: str) -> None:
    outcome = CliRunner().invoke(cli, [a.format(org=workspace) for a in args])
    assert outcome.exit_code == 2
    assert message in outcome.stderr and outcome.stderr.count("\n") == 1


def test_serve_prints_a_link_that_opens_the_tree(workspace: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sync", "serve", str(workspace), "--port", "0",
         "--as-of", "2026-11-21"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("okrtree is serving")
        link = lines[1].split(": ", 1)[1].strip()
        assert "the link works once" in lines[1]
        assert link.startswith("http://127.0.0.1:") and "/tree?token=" in link
        assert lines[2].startswith("API: send 'Authorization: Bearer ")
        token = lines[2].strip()[len("API: send 'Authorization: Bearer ") : -1]
        assert token and token not in link  # the link's code is not the API token
        base = link.split("/tree", 1)[0]

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(link, timeout=30) as page:
            assert page.url == f"{base}/tree" and "Alignment tree" in page.read().decode()
        second_browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        with pytest.raises(urllib.error.HTTPError) as spent:
            second_browser.open(link, timeout=30)
        spent_page = spent.value.read().decode()
        assert spent.value.code == 401 and "<code>link_used</code>" in spent_page
        assert "How to get a link" in spent_page
        spent.value.close()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/tree", timeout=30)
        assert refused.value.code == 401
        refused.value.close()
        request = urllib.request.Request(
            f"{base}/api/validate",
            data=json.dumps({"spreadsheet": "teams/sales.xlsx"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.load(answer)["team"] == "Sales"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_no_auth_serves_without_a_token(workspace: Path) -> None:
    local = make_local_server(str(workspace), port=0, no_auth=True)
    try:
        assert local.token is None and local.url.endswith("/tree")
        assert "token" not in local.url
    finally:
        local.server.server_close()
