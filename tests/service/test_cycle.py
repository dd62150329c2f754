"""`POST /api/rollover` (administrators; a dry run first) and the `/digest` page."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from .conftest import ADMIN, AppFactory, FakeGoogle, bearer
from .conftest import LOCAL_TOKEN as TOKEN

NEXT = {"cycle": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31"}
END = "2026-12-31"


def _local(make_app: AppFactory, as_of: str = END) -> FlaskClient:
    app: Flask = make_app(AUTH_MODE="token", AS_OF=as_of)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


def _stamps(org: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in org.rglob("*.xlsx")}


def test_a_dry_run_shows_the_plan_and_writes_nothing(make_app: AppFactory, workspace: Path) -> None:
    before = _stamps(workspace)
    answer = _local(make_app).post("/api/rollover", json={**NEXT, "dry_run": True})
    assert answer.status_code == 200
    plan = answer.json
    assert plan["dry_run"] is True and plan["complete"] is True
    assert plan["from"]["name"] == "2026-Q4" and plan["to"] == {
        "name": "2027-Q1",
        **{k: NEXT[k] for k in ("start", "end")},
    }
    northwind = next(t for t in plan["teams"] if t["team"] == "Northwind")
    assert [c["id"] for c in northwind["carried"]] == ["CO-1", "CO-2", "CO-3"]
    assert _stamps(workspace) == before


def test_the_rollover_writes_and_the_pages_show_the_new_cycle(
    make_app: AppFactory, workspace: Path
) -> None:
    client = _local(make_app)
    answer = client.post("/api/rollover", json=NEXT)
    assert answer.status_code == 200 and answer.json["settings_written"] is True
    assert {t["state"] for t in answer.json["teams"]} == {"rolled"}
    assert load_workbook(workspace / "teams" / "sales.xlsx").sheetnames == ["OKRs", "OKRs 2026-Q4"]
    assert "2027-Q1" in client.get("/tree").get_data(as_text=True)
    again = client.post("/api/rollover", json=NEXT)
    assert again.status_code == 409 and again.json["error"]["code"] == "rollover_refused"


def test_rollover_is_for_administrators(make_app: AppFactory, google: FakeGoogle) -> None:
    client = make_app().test_client()
    answer = client.post(
        "/api/rollover", json={**NEXT, "dry_run": True}, headers=bearer(google.id_token())
    )
    assert answer.status_code == 403 and answer.json["error"]["code"] == "not_admin"
    admin = bearer(google.id_token(email=ADMIN))
    assert (
        client.post("/api/rollover", json={**NEXT, "dry_run": True}, headers=admin).status_code
        == 200
    )


def test_bad_requests_are_400_and_write_nothing(make_app: AppFactory, workspace: Path) -> None:
    client = _local(make_app)
    before = _stamps(workspace)
    for body in (
        {**NEXT, "start": "2027-13-01"},
        {**NEXT, "cycle": " "},
        {**NEXT, "dry_run": "yes"},
        ["2027-Q1"],
    ):
        answer = client.post("/api/rollover", json=body)
        assert answer.status_code == 400, body
    early = client.post("/api/rollover", json={**NEXT, "start": "2026-12-01"})
    assert (
        early.status_code == 409
        and "after the current cycle's end" in early.json["error"]["message"]
    )
    assert _stamps(workspace) == before


def test_the_digest_page_links_each_stale_owner_to_their_rows(make_app: AppFactory) -> None:
    page = _local(make_app, "2026-11-21").get("/digest?since=14d")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "OKR digest of 2026-Q4" in html and "2026-11-07 to 2026-11-21" in html
    assert (
        '<a href="/tree?owner=tom.becker%40northwind.example">tom.becker@northwind.example</a>'
        in html
    )
    assert "TB-2" in html and "last check-in 2026-10-23" in html
    assert _local(make_app).get("/digest?since=soon").status_code == 400


def test_the_digest_page_needs_a_sign_in(make_app: AppFactory) -> None:
    assert make_app(AUTH_MODE="token").test_client().get("/digest").status_code == 401
