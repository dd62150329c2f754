"""The shared `/api/validate` fixture: one real exchange with the service, which the add-on's
Node tests replay and `tests/service/test_fixture.py` holds the service to.

    python -m service.fixtures            # check: exit 1 if the file differs from the service
    python -m service.fixtures --write    # regenerate tests/fixtures/api_validate.json

The exchange is the example organisation on its `AS_OF` date, after someone on the Platform
team edited their sheet (`PLATFORM_EDIT`: a row without an ID, a dependency on an item that does
not exist, a key result with no owner and one not checked in for a month, an unaligned objective
depending on a team that has not acknowledged it) and clicked *Validate this sheet*. So the
sidebar shows errors and warnings, as people will see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from sheets_templates.builder import create_workspace, new_team_workbook
from sheets_templates.example import AS_OF, TEAMS, kr, obj

__all__ = ["FIXTURE", "PLATFORM_EDIT", "exchange", "prepare_workspace"]

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "api_validate.json"
TEAM = "Platform"


def _day(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


PLATFORM_EDIT: tuple[dict[str, Any], ...] = (
    obj("PLAT-1", "Make deploys boring", "wei.zhang", "ENG-2"),
    kr("PLAT-2", "Deploy success rate at least 99.9%", "sam.okafor",
       None, ">= 99.9", 99.95, _day(11, 19)),
    kr("PLAT-3", "Median deploy time from 40 to 10 minutes", "",
       40, 10, 22, _day(11, 18), depends="PLAT-5, PLAT-9"),
    obj("PLAT-4", "Self-service databases for product teams", "marco.bianchi",
        depends="team:Security"),
    kr("PLAT-5", "Teams provisioning their own Postgres: 0 to 12", "marco.bianchi",
       0, 12, 3, _day(10, 20)),
    kr("PLAT-6", "Provisioning runbook published", "priya.shah",
       None, "yes", "done", _day(11, 17)),
    {"Type": "Objective", "Title": "Self-serve Redis caches", "Owner": "wei.zhang@example.com"},
)  # fmt: skip


def prepare_workspace(directory: Path) -> str:
    """The example organisation in `directory` with Platform's edit, and the state a sync of it
    would leave (read only: nothing is written); returns the request's spreadsheet
    (Platform's `Spreadsheet` cell in the hub's Teams tab)."""
    from sync.engine import run
    from sync.sources import open_backend
    from sync.state import open_state_store, state_of

    create_workspace(directory, example=True)
    platform = next(team for team in TEAMS if team.name == TEAM)
    new_team_workbook(directory / platform.source, team_prefix=platform.prefix, rows=PLATFORM_EDIT)
    source = str(directory)
    open_state_store(source).save(state_of(run(open_backend(source), AS_OF), source))
    return platform.source


def exchange(directory: Path) -> dict[str, Any]:
    """Prepare the workspace, send the add-on's request to a fresh service, return both."""
    from . import create_app

    spreadsheet = prepare_workspace(directory)
    app = create_app({"SOURCE": str(directory), "AUTH_MODE": "none", "AS_OF": AS_OF.isoformat()})
    request = {"spreadsheet": spreadsheet}
    response = app.test_client().post("/api/validate", json=request, headers={"X-Okrtree": "1"})
    if response.status_code != 200:
        raise RuntimeError(f"the service answered {response.status_code}: {response.text}")
    return {"request": request, "response": response.get_json()}


def render(data: dict[str, Any]) -> str:
    """The file's text: one item or finding per line, so a diff shows what changed."""
    response = data["response"]
    lines = ["{", f'  "request": {json.dumps(data["request"], ensure_ascii=False)},']
    lines.append('  "response": {')
    keys = list(response)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = response[key]
        if isinstance(value, list):
            lines.append(f'    "{key}": [')
            for position, entry in enumerate(value):
                more = "," if position < len(value) - 1 else ""
                lines.append(f"      {json.dumps(entry, ensure_ascii=False)}{more}")
            lines.append(f"    ]{comma}")
        else:
            lines.append(f'    "{key}": {json.dumps(value, ensure_ascii=False)}{comma}')
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check or regenerate the /api/validate fixture.")
    parser.add_argument("--write", action="store_true", help="rewrite the fixture file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        text = render(exchange(Path(scratch) / "org"))
    if args.write:
        FIXTURE.write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURE}")
        return 0
    current = json.loads(FIXTURE.read_text(encoding="utf-8"))
    if current == json.loads(text):
        print(f"{FIXTURE} holds the service's real answer")
        return 0
    print(f"{FIXTURE} differs from the service's answer; run with --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
