"""The App Engine files agree with the code: requirements in step with pyproject, the services,
the cron job and the entry point."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def requirements() -> dict[str, Requirement]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    found = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): r for r in found}


def test_requirements_pin_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = requirements()
    wanted = [Requirement(d) for d in project["dependencies"]]
    for dependency in wanted:
        name = canonicalize_name(dependency.name)
        assert name in pinned, f"requirements.txt lacks {dependency.name}"
        pins = [s for s in pinned[name].specifier if s.operator == "=="]
        assert len(pins) == 1, f"requirements.txt must pin {name} to one version"
        assert dependency.specifier.contains(pins[0].version), (
            f"requirements.txt pins {name}=={pins[0].version}, outside pyproject's "
            f"{dependency.specifier}"
        )
    assert "gunicorn" in pinned  # App Engine's entry point, whether or not pyproject lists it
    assert set(pinned) == {canonicalize_name(d.name) for d in wanted} | {"gunicorn"}


@pytest.mark.parametrize("name", ["app.yaml", "worker.yaml"])
def test_services_run_gunicorn_on_python_3_12(name: str) -> None:
    service = load(name)
    assert service["runtime"] == "python312"
    assert re.fullmatch(r"gunicorn -b :\$PORT .*main:app", service["entrypoint"])
    variables = service["env_variables"]
    for key in ("OKRTREE_SOURCE", "OKRTREE_OAUTH_CLIENT_IDS", "OKRTREE_ALLOWED_DOMAINS",
                "OKRTREE_ADMINS", "OKRTREE_STATE_DIR", "OKRTREE_SERVICE_URL",
                "OKRTREE_STATE_BUCKET"):  # fmt: skip
        assert key in variables, (name, key)
    assert variables["OKRTREE_STATE_DIR"].startswith("/tmp")  # App Engine's only writable place
    assert variables["OKRTREE_STATE_BUCKET"] == "PROJECT_ID.appspot.com"  # shared by both


def test_the_worker_has_a_long_deadline_and_one_instance() -> None:
    worker = load("worker.yaml")
    assert worker["service"] == "worker"
    assert worker["basic_scaling"]["max_instances"] == 1  # one sync at a time
    assert worker["instance_class"].startswith("B")  # basic scaling classes
    assert "--timeout 0" in worker["entrypoint"]
    assert "OKRTREE_SCHEDULER_ACCOUNTS" in worker["env_variables"]
    assert "automatic_scaling" not in worker


def test_the_default_service_scales_automatically() -> None:
    default = load("app.yaml")
    assert "service" not in default or default["service"] == "default"
    assert "automatic_scaling" in default
    static = next(h for h in default["handlers"] if h["url"] == "/static")
    assert (ROOT / static["static_dir"] / "tree.js").is_file()


def test_cron_runs_the_nightly_task_on_the_worker() -> None:
    (job,) = load("cron.yaml")["cron"]
    assert job["url"] == "/tasks/nightly" and job["target"] == "worker"
    assert job["schedule"] == "every day 02:00" and job["timezone"] == "Europe/Berlin"


def test_long_syncs_are_dispatched_to_the_worker() -> None:
    rules = {rule["url"]: rule["service"] for rule in load("dispatch.yaml")["dispatch"]}
    assert rules == {"*/api/sync": "worker", "*/api/rollover": "worker", "*/tasks/*": "worker"}


def test_main_exposes_the_app() -> None:
    text = (ROOT / "main.py").read_text(encoding="utf-8")
    assert "from service import create_app" in text and "app = create_app()" in text
