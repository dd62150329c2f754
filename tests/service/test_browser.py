"""The tree page in a real browser (Debian's headless Chromium through playwright): expand a node,
filter by status, search; the same page with JavaScript off, filtered by the plain form; the page
a browser gets without a link; rows that link to their source and show their warnings; and the
page refreshing itself after a sync."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page

from service.cli import LocalServer, make_local_server
from sheets_templates.example import AS_OF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(workspace: Path) -> Iterator[LocalServer]:
    """`okrtree serve` on a free loopback port, in a thread."""
    local = make_local_server(str(workspace), port=0, as_of=AS_OF)
    thread = threading.Thread(target=local.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        local.server.shutdown()
        local.server.server_close()
        thread.join(timeout=10)


def node(page: Page, item: str) -> Locator:
    """The <li> of an item."""
    return page.locator(f"li.node[data-id='{item}']")


def test_expand_filter_and_search(server: LocalServer, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url)
            assert page.url.endswith("/tree")  # the token went into a cookie, out of the URL
            expect(page.locator("#count")).to_have_text("76 items")
            expect(page.locator("button#expand-all")).to_be_visible()  # the script is running
            expect(page.locator("button.apply")).to_be_hidden()

            sal1 = node(page, "SAL-1")
            expect(sal1).to_be_hidden()  # CO-2 starts collapsed
            node(page, "CO-2").locator("summary").first.click()
            expect(sal1).to_be_visible()

            page.select_option("#status", "at_risk")
            expect(page.locator("#count")).to_have_text("2 of 76 items match")
            expect(node(page, "AMER-2")).to_be_visible()
            expect(node(page, "GRO-2")).to_be_visible()
            expect(node(page, "SAL-2")).to_be_hidden()
            expect(node(page, "SAL-1")).to_have_class("node context")
            assert page.url.endswith("/tree?status=at_risk")
            page.screenshot(path=str(tmp_path / "tree-at-risk.png"), full_page=True)

            page.select_option("#status", "")
            page.locator("#q").press_sequentially("rollback")
            expect(page.locator("#count")).to_have_text("4 of 76 items match")
            expect(node(page, "PS-2")).to_be_visible()
            expect(node(page, "AMER-2")).to_be_hidden()
            assert page.url.endswith("/tree?q=rollback")
            page.screenshot(path=str(tmp_path / "tree-search.png"), full_page=True)

            page.locator("a.clear").click()
            expect(page.locator("#count")).to_have_text("76 items")
            page.locator("#collapse-all").click()
            expect(sal1).to_be_hidden()
            page.screenshot(path=str(tmp_path / "tree.png"), full_page=False)
        finally:
            browser.close()
    assert (tmp_path / "tree.png").stat().st_size > 10_000


def test_the_page_works_without_javascript(server: LocalServer, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(java_script_enabled=False)
            page = context.new_page()
            page.goto(server.url)
            expect(page.locator("button.apply")).to_be_visible()
            expect(page.locator("button#expand-all")).to_be_hidden()
            node(page, "CO-2").locator("summary").first.click()  # <details> opens by itself
            expect(node(page, "SAL-1")).to_be_visible()
            page.select_option("#status", "off_track")
            page.locator("button.apply").click()
            page.wait_for_url("**/tree?*status=off_track*")
            expect(page.locator("#count")).to_have_text("2 of 76 items match")
            expect(node(page, "MOB-4")).to_be_visible()
            expect(node(page, "MOB-2")).to_be_hidden()
            page.screenshot(path=str(tmp_path / "tree-no-js.png"), full_page=True)
        finally:
            browser.close()


def test_without_a_link_the_page_says_how_to_get_one(server: LocalServer) -> None:
    from playwright.sync_api import expect, sync_playwright

    bare = server.url.split("?", 1)[0]
    assert bare.endswith("/tree")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            response = page.goto(bare)
            assert response is not None and response.status == 401
            expect(page.locator("h1")).to_have_text("This page needs a link or a sign-in")
            expect(page.locator("h2")).to_have_text("How to get a link")
            expect(page.locator("main")).to_contain_text("okrtree serve")
            expect(page.locator("main")).to_contain_text("POST")
            assert "{" not in page.locator("body").inner_text()  # a page, not JSON
        finally:
            browser.close()


def test_a_rows_source_link_and_its_warnings_show(server: LocalServer, workspace: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url)
            page.select_option("#team", "Support")
            sup4 = node(page, "SUP-4")
            expect(sup4).to_be_visible()
            link = sup4.locator("a.id").first
            expect(link).to_have_attribute(
                "href", (workspace / "teams" / "support.xlsx").absolute().as_uri()
            )
            message = sup4.locator(".message").first
            expect(message).to_be_visible()  # on the page, no hovering
            expect(message).to_contain_text("NO_OWNER: Team Support, row 5 (SUP-4)")
        finally:
            browser.close()


def test_the_page_refreshes_itself_after_a_sync(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import urllib.request

    from playwright.sync_api import expect, sync_playwright

    from service import views

    monkeypatch.setattr(views, "POLL_SECONDS", 0.3)
    base = server.url.split("/tree", 1)[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url + "&team=Data")
            page.select_option("#status", "on_track")
            drawn = page.locator("#page").get_attribute("data-synced")
            assert drawn
            request = urllib.request.Request(
                f"{base}/api/sync",
                data=b"{}",
                headers={
                    "Authorization": f"Bearer {server.token}",
                    "Content-Type": "application/json",
                },
            )
            with urllib.request.urlopen(request, timeout=120) as answer:
                assert json.load(answer)["items"]
            expect(page.locator("#page")).not_to_have_attribute("data-synced", drawn)
            assert "team=Data" in page.url and "status=on_track" in page.url  # kept
            expect(page.locator("#status")).to_have_value("on_track")
        finally:
            browser.close()


def test_an_items_page_opens_from_its_row(server: LocalServer, workspace: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from sync.backends.xlsx import XlsxBackend
    from sync.engine import read_and_compute

    items = read_and_compute(XlsxBackend(workspace), AS_OF).computed.result.items
    trend = next(i.trend for i in items if i.id == "AMER-2")
    hub = load_workbook(workspace / "hub.xlsx", read_only=True)
    try:
        log = [
            r for r in hub["Check-ins"].iter_rows(min_row=2, values_only=True) if r[1] == "AMER-2"
        ]
    finally:
        hub.close()
    assert len(trend) >= 3 and len(log) >= 3  # the example's quarter shows a real history
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url)
            page.goto(server.url.split("/tree")[0] + "/tree?q=AMER-2")
            row = node(page, "AMER-2")
            expect(row.locator("svg.spark polyline.trend")).to_have_count(1)
            row.locator("a.title").first.click()
            page.wait_for_url("**/item/AMER-2")
            points = page.locator("#chart circle.point")
            expect(points).to_have_count(len(trend))
            shown = [
                (p.get_attribute("data-date"), p.get_attribute("data-score")) for p in points.all()
            ]
            assert shown == [(day.isoformat(), f"{score:.2f}") for day, score in trend]
            expect(page.locator("#chart line.pace")).to_have_count(1)
            cells = page.locator("#checkins tbody tr")
            expect(cells).to_have_count(len(log))
            first = cells.first.locator("td").all_inner_texts()
            last = cells.last.locator("td").all_inner_texts()
            assert first[0] == log[0][0].date().isoformat()
            assert last[0] == log[-1][0].date().isoformat()
            assert last[4:] == ["6", "Pipeline review is weekly now."]  # Medium, the latest note
            expect(page.locator("#findings")).to_be_visible()
        finally:
            browser.close()
