"""`/openapi.json` describes every route, and the service keeps to it under schemathesis:
generated requests to every operation get no 5xx and only documented, well-formed answers."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from service import create_app
from service.openapi import spec
from service.state import Services
from sheets_templates.builder import create_workspace

from .conftest import AS_OF, LOCAL_TOKEN, WEB_CLIENT_ID, AppFactory, bearer

# schemathesis reads the document when this module is imported (its pytest integration makes
# one test per operation), so the app exists then; its workspace is made only when tests run.
WORKSPACE = Path(tempfile.gettempdir()) / f"okrtree-contract-{os.getpid()}" / "org"
CONTRACT_APP = create_app(
    {"SOURCE": str(WORKSPACE), "AUTH_MODE": "token", "LOCAL_TOKEN": LOCAL_TOKEN, "AS_OF": AS_OF}
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", CONTRACT_APP)


@pytest.fixture(scope="module", autouse=True)
def example_organisation() -> Iterator[None]:
    shutil.rmtree(WORKSPACE.parent, ignore_errors=True)
    create_workspace(WORKSPACE, example=True)
    yield
    shutil.rmtree(WORKSPACE.parent, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_service_keeps_to_its_openapi_document(case: schemathesis.Case) -> None:
    # identity: the in-process WSGI transport does not undo Content-Encoding as HTTP clients do
    case.call_and_validate(headers={**bearer(LOCAL_TOKEN), "Accept-Encoding": "identity"})


@pytest.mark.parametrize("web_login", [False, True])
def test_every_route_is_described(make_app: AppFactory, web_login: bool) -> None:
    extra = (
        {"WEB_CLIENT_ID": WEB_CLIENT_ID, "WEB_CLIENT_SECRET": "s", "SECRET_KEY": "k"}
        if web_login
        else {}
    )
    app = make_app(**extra)
    found = app.extensions["okrtree"]
    assert isinstance(found, Services)
    document = spec(found.config)
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ("static", "views.index")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == described
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert (
                "default" in responses
                or path == "/openapi.json"
                or path == "/healthz"
                or (path == "/logout")
            ), (method, path)
            for status, answer in responses.items():
                if not (status.startswith(("4", "5")) or status == "default"):
                    continue
                if path in ("/tree", "/item/{item_id}"):  # a person's page fails as a page
                    assert list(answer["content"]) == ["text/html"], (method, path, status)
                    continue
                schema_ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert schema_ref == "#/components/schemas/Error", (method, path, status)


def test_the_document_is_served(make_app: AppFactory, tmp_path: Path) -> None:
    response = make_app().test_client().get("/openapi.json")
    assert response.status_code == 200 and response.json["openapi"] == "3.1.0"
    assert "/login" not in response.json["paths"]
