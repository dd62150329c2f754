"""The shared fixture `tests/fixtures/api_validate.json` is a real exchange with this service:
the service produces its response for its request, accepts its request, and both match the
OpenAPI document. The add-on's Node tests replay the same file (`cd addon && npm test`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from service import create_app
from service.openapi_schemas import SCHEMAS
from service.org import find_team
from sheets_templates.example import AS_OF
from sync.hub import parse_teams
from sync.sources import open_backend
from tools.api_fixture import FIXTURE, exchange, main, prepare_workspace, render

from .conftest import LOCAL_TOKEN, bearer


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def resolved(schema: Any) -> Any:
    """The schema with `#/components/schemas/...` references replaced by what they name."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return resolved(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
        return {k: resolved(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolved(v) for v in schema]
    return schema


def test_the_service_produces_the_fixture(fixture: dict[str, Any], tmp_path: Path) -> None:
    produced = exchange(tmp_path / "org")
    assert produced == fixture, "run `python -m tools.api_fixture --write` and `npm test` in addon/"
    assert render(produced) == FIXTURE.read_text(encoding="utf-8")


def test_the_service_accepts_the_fixture_request(fixture: dict[str, Any], tmp_path: Path) -> None:
    directory = tmp_path / "org"
    spreadsheet = prepare_workspace(directory)
    assert fixture["request"] == {"spreadsheet": spreadsheet}
    teams = parse_teams(open_backend(str(directory)).read_hub()).teams
    registered = find_team(teams, fixture["request"]["spreadsheet"])
    assert registered is not None and registered.name == fixture["response"]["team"]
    app = create_app(
        {
            "SOURCE": str(directory),
            "AUTH_MODE": "token",
            "LOCAL_TOKEN": LOCAL_TOKEN,
            "AS_OF": AS_OF.isoformat(),
        }
    )
    response = app.test_client().post(
        "/api/validate",
        data=json.dumps(fixture["request"]),  # as the add-on sends it
        content_type="application/json",
        headers=bearer(LOCAL_TOKEN),
    )
    assert response.status_code == 200
    assert response.json == fixture["response"]


def test_the_fixture_follows_the_openapi_document(fixture: dict[str, Any]) -> None:
    jsonschema_rs.Draft202012Validator(resolved(SCHEMAS["ValidateRequest"])).validate(
        fixture["request"]
    )
    jsonschema_rs.Draft202012Validator(resolved(SCHEMAS["ValidateResponse"])).validate(
        fixture["response"]
    )


def test_the_fixture_shows_what_the_sidebar_is_for(fixture: dict[str, Any]) -> None:
    response = fixture["response"]
    assert {f["severity"] for f in response["findings"]} == {"error", "warning"}
    assert all(f["team"] == response["team"] for f in response["findings"])
    assert response["summary"] == {"error": 2, "warning": 5, "info": 0}
    assert response["writes"]["spreadsheets"] == 1


def test_the_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "holds the service's real answer" in capsys.readouterr().out
