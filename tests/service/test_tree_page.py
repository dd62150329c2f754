"""`/tree` without JavaScript: nested <details>, server-side filters, who may see it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.treeview import Filters, nest_rows, search_text

from .conftest import AppFactory, FakeGoogle, bearer, page_error


class Nodes(HTMLParser):
    """The tree's <li class="node"> elements: item ID, depth, hidden, dimmed, open."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[dict[str, object]] = []
        self._pending: dict[str, object] | None = None
        self._in_id = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "li" and "node" in classes:
            self._pending = {
                "depth": int(values["data-depth"] or 0),
                "hidden": "hidden" in values,
                "context": "context" in classes,
                "marker": "marker-node" in classes,
                "open": None,
                "id": None,
            }
            self.nodes.append(self._pending)
        elif tag == "details" and self._pending is not None:
            self._pending["open"] = "open" in values
        elif tag in ("span", "a") and "id" in classes:  # a link when the row has a source
            self._in_id = True

    def handle_data(self, data: str) -> None:
        if self._in_id and self._pending is not None:
            self._pending["id"] = data
            self._in_id = False
            self._pending = None


def nodes(html: str) -> dict[str, dict[str, object]]:
    parser = Nodes()
    parser.feed(html)
    return {str(n["id"]): n for n in parser.nodes if n["id"]}


@pytest.fixture
def page(make_app: AppFactory) -> FlaskClient:
    return make_app(AUTH_MODE="none").test_client()


def test_the_whole_tree_without_filters(page: FlaskClient) -> None:
    response = page.get("/tree")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.text
    shown = nodes(html)
    assert len(shown) == 76 and not any(n["hidden"] for n in shown.values())
    assert shown["CO-1"]["depth"] == 0 and shown["CO-1"]["open"] is True
    assert shown["CO-2"]["depth"] == 1 and shown["CO-2"]["open"] is False  # collapsed below roots
    assert shown["SAL-2"]["open"] is None  # a leaf
    assert "76 items in 16 teams" in html and "56% of the cycle elapsed" in html
    assert 'class="status status-at_risk">At risk</span>' in html
    assert 'style="width: 60%"' in html  # CO-2's score bar
    assert "⚠ 1" in html and "NO_OWNER: Team Support, row 5 (SUP-4)" in html
    assert "--status-on_track: #D9EAD3" in html  # the template's colours
    assert '<script src="/static/tree.js" defer>' in html
    assert '<button type="submit" class="apply">Apply</button>' in html  # works without JS


@pytest.mark.parametrize(
    ("query", "matches", "context"),
    [
        ("status=at_risk", {"AMER-2", "GRO-2"}, {"CO-1", "CO-2", "SAL-1", "AMER-1", "GRO-1"}),
        ("team=Data", {"DATA-1", "DATA-2", "DATA-3", "DATA-4"}, {"CO-4", "ENG-1"}),
        ("owner=TOM.BECKER%40northwind.example", {"SUP-3", "TB-1", "TB-2", "TB-3"}, None),
        ("q=rollback", {"PLAT-6", "PS-1", "PS-2", "PS-3"}, {"CO-4", "ENG-1", "PLAT-4"}),
        ("q=nothing+like+this", set(), set()),
        ("team=Mobile&status=off_track", {"MOB-4"}, {"CO-1", "ENG-4", "MOB-1"}),
    ],
)
def test_filters_on_the_server(
    page: FlaskClient, query: str, matches: set[str], context: set[str] | None
) -> None:
    html = page.get(f"/tree?{query}").text
    shown = {k: n for k, n in nodes(html).items() if not n["hidden"]}
    assert {k for k, n in shown.items() if not n["context"]} == matches
    if context is not None:
        assert {k for k, n in shown.items() if n["context"]} == context
    for node in shown.values():
        if node["context"]:
            assert node["open"] is True  # ancestors open to show what matched
    assert f"{len(matches)} of 76 items match" in html


def test_the_form_keeps_the_chosen_filters(page: FlaskClient) -> None:
    html = page.get("/tree?team=Sales&status=on_track&q=win").text
    assert '<option value="Sales" selected>' in html
    assert '<option value="on_track" selected>' in html
    assert 'value="win"' in html


def test_text_is_escaped(make_app: AppFactory, workspace: object) -> None:
    html = make_app(AUTH_MODE="none").test_client().get('/tree?q=<script>alert("x")</script>').text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_tree_needs_a_reader(make_app: AppFactory, google: FakeGoogle) -> None:
    client = make_app().test_client()
    refused = client.get("/tree")
    assert page_error(refused) == (401, "missing_token")
    assert "How to get in" in refused.text
    allowed = client.get("/tree", headers=bearer(google.id_token()))
    assert allowed.status_code == 200 and "wei.zhang@northwind.example" in allowed.text


def test_filters_match_like_the_script() -> None:
    row = {"id": "SAL-2", "title": "New customers", "team": "Sales", "owner": "Ann@x.example",
           "type": "key_result", "status": "on_track"}  # fmt: skip
    assert search_text(row) == "sal-2 new customers sales ann@x.example"
    assert Filters(owner="ann@X.example").matches(row)
    assert not Filters(team="sales").matches(row)  # team names as written in the select
    assert Filters(q="CUSTOMERS").matches(row) and not Filters(q="churn").matches(row)
    assert not Filters().active and Filters(q="x").active
    assert Filters.from_args({"q": "  x  ", "team": "y" * 500}).team == "y" * 200


def test_items_on_cycles_hang_below_the_marker() -> None:
    rows = [
        {"type": "objective", "depth": 0, "team": "A", "row": 2},
        {"type": "marker", "depth": 0, "team": None, "row": None},
        {"type": "objective", "depth": 0, "team": "A", "row": 3},
        {"type": "objective", "depth": 1, "team": "A", "row": 4},
        {"type": "objective", "depth": 0, "team": "A", "row": 5},
    ]
    roots = nest_rows(rows, {("A", 4): ["X: y"]})
    assert [r.row["row"] for r in roots] == [2, None]
    assert [c.row["row"] for c in roots[1].children] == [3, 5]
    assert roots[1].children[0].children[0].messages == ["X: y"]


def test_no_script_is_needed_to_expand(page: FlaskClient) -> None:
    html = page.get("/tree").text
    assert html.count("<details") == html.count("<summary>") > 10
    assert not re.search(r"<details[^>]*onclick", html)


def test_warnings_are_readable_without_hovering(page: FlaskClient) -> None:
    html = page.get("/tree").text
    message = re.search(
        r'<li class="node"[^>]*data-id="SUP-4".*?<span class="messages">(.*?)</span>\n', html, re.S
    )
    assert message is not None
    assert "NO_OWNER: Team Support, row 5 (SUP-4): this key result has no Owner" in message[1]
    assert 'title="NO_OWNER' not in html  # not hidden in a tooltip


def test_local_rows_link_to_their_workbook(page: FlaskClient, workspace: Path) -> None:
    html = page.get("/tree?team=Support").text
    link = (workspace / "teams" / "support.xlsx").absolute().as_uri()
    assert f'<a class="id" href="{link}" target="_blank" rel="noopener"' in html


def test_the_page_knows_its_sync_and_the_service_says_when_the_last_was(
    page: FlaskClient,
) -> None:
    html = page.get("/tree").text
    drawn = re.search(r'data-synced="([^"]+)" data-poll="/api/synced"', html)
    assert drawn is not None and '<script src="/static/refresh.js" defer>' in html
    assert page.get("/api/synced").json == {"synced_at": drawn[1]}
    assert page.post("/api/sync", json={}, headers={"X-Okrtree": "1"}).status_code == 200
    after = page.get("/api/synced").json["synced_at"]
    assert after is not None and after > drawn[1]
    assert f'data-synced="{after}"' in page.get("/tree").text


def test_api_errors_stay_json_while_the_page_explains(make_app: AppFactory) -> None:
    client = make_app(AUTH_MODE="token").test_client()
    api = client.get("/api/tree")
    assert api.status_code == 401 and api.json["error"]["code"] == "missing_token"
    synced = client.get("/api/synced")
    assert synced.status_code == 401 and synced.json["error"]["code"] == "missing_token"
    page = client.get("/tree")
    assert page_error(page) == (401, "missing_token")
    assert "How to get a link" in page.text and "okrtree serve" in page.text
    assert "{" not in page.text.split("<body>", 1)[1]  # no JSON in sight
