"""The emulator held against Google's own answers: replay every recording and compare.

Each recording (vcrpy JSON, taken by gspread's suite against the real APIs) is replayed in
order against a fresh emulator through the in-process transport. Ids that Google chose
(spreadsheet ids, sheet ids, protected range ids) are learned from the first answer that shows
them and translated both ways; timestamps are blanked. Everything else -- status, keys, values,
error bodies -- must be equal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from sync.emulator import Emulator
from sync.emulator.app import EmulatorApp, route
from sync.emulator.transport import WsgiAdapter

# Beside the project's folder, or where OKRTREE_RECORDINGS says; CI sets
# OKRTREE_REQUIRE_RECORDINGS so that their absence fails there instead of skipping.
RECORDINGS = Path(
    os.environ.get("OKRTREE_RECORDINGS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "sheets-api-recordings"
)
FILES = sorted(RECORDINGS.glob("*.json"))
pytestmark = pytest.mark.skipif(
    not FILES and not os.environ.get("OKRTREE_REQUIRE_RECORDINGS"),
    reason=f"the Sheets API recordings (gspread's, as JSON) are missing from {RECORDINGS}; "
    "put the shared folder beside this one or set OKRTREE_RECORDINGS to them",
)

# Request kinds present in the recordings that the emulator does not answer, with the reason.
# The test below asserts this is exactly the set found, so nothing is skipped silently.
UNCOVERED: dict[tuple[str, str], str] = {}

# The service account that made the recordings: the caller's identity is an input, not a result.
ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
ID_KEYS = {"id", "spreadsheetId", "sheetId", "protectedRangeId", "metadataId"}
TIME_KEYS = {"createdTime", "modifiedTime"}


class IdMap:
    """Google's ids <-> the emulator's ids, learned as answers reveal them."""

    def __init__(self) -> None:
        self.to_fake: dict[Any, Any] = {}
        self.to_real: dict[Any, Any] = {}

    def learn(self, real: Any, fake: Any) -> None:
        """Walk both answers side by side and pair up ids that differ."""
        if isinstance(real, dict) and isinstance(fake, dict):
            for key, value in real.items():
                if key in ID_KEYS and key in fake and not isinstance(value, dict | list):
                    if value != fake[key] and value not in self.to_fake:
                        self.to_fake[value] = fake[key]
                        self.to_real[fake[key]] = value
                elif key in fake:
                    self.learn(value, fake[key])
        elif isinstance(real, list) and isinstance(fake, list):
            for r, f in zip(real, fake, strict=False):
                self.learn(r, f)

    def translate(self, text: str, mapping: dict[Any, Any]) -> str:
        """Swap spreadsheet ids inside a URL or a JSON text."""
        for old, new in mapping.items():
            if isinstance(old, str):
                text = text.replace(old, new)
        return text

    def translate_json(self, value: Any, mapping: dict[Any, Any]) -> Any:
        """Swap numeric ids (``sheetId`` and friends) and spreadsheet ids in a JSON value."""
        if isinstance(value, dict):
            return {
                k: mapping.get(v, v)
                if k in ID_KEYS and isinstance(v, int)
                else self.translate_json(v, mapping)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.translate_json(v, mapping) for v in value]
        if isinstance(value, str):
            return self.translate(value, mapping)
        return value


def normalise(value: Any) -> Any:
    """Blank what legitimately differs between two runs: timestamps."""
    if isinstance(value, dict):
        return {k: "<time>" if k in TIME_KEYS else normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def parse(body: str) -> Any:
    """JSON when the body is JSON, else the text itself."""
    try:
        return json.loads(body)
    except ValueError:
        return body


def interactions(path: Path) -> list[dict[str, Any]]:
    """The recorded request/response pairs of one file."""
    return list(json.loads(path.read_text())["interactions"])


def kind_of(request: dict[str, Any]) -> tuple[str, str]:
    """(method, route kind) of a recorded request; the kind is ``?`` when unrouted."""
    found = route(request["method"], urlsplit(request["uri"]).path)
    return request["method"], found.kind if found else f"? {urlsplit(request['uri']).path}"


def replay(path: Path) -> tuple[int, list[str]]:
    """Replay one recording; returns how many interactions ran and the mismatches found."""
    session = requests.Session()
    session.mount("https://", WsgiAdapter(EmulatorApp(Emulator(account=ACCOUNT))))
    ids = IdMap()
    ran, problems = 0, []
    for number, pair in enumerate(interactions(path)):
        request, recorded = pair["request"], pair["response"]
        if kind_of(request) in UNCOVERED:
            continue
        body = request.get("body")
        if body:
            body = json.dumps(ids.translate_json(json.loads(body), ids.to_fake))
        answer = session.request(
            request["method"],
            ids.translate(request["uri"], ids.to_fake),
            data=body.encode("utf-8") if body else None,
            headers={"Content-Type": "application/json"} if body else {},
        )
        ran += 1
        expected = parse(recorded["body"]["string"])
        actual = parse(answer.text)
        ids.learn(expected, actual)
        actual = ids.translate_json(actual, ids.to_real)
        where = f"[{number}] {request['method']} {request['uri']}"
        if answer.status_code != recorded["status"]["code"]:
            problems.append(
                f"{where}: status {answer.status_code} != {recorded['status']['code']}: {actual}"
            )
        elif normalise(actual) != normalise(expected):
            problems.append(
                f"{where}:\n  google:   {json.dumps(normalise(expected))[:3000]}"
                f"\n  emulator: {json.dumps(normalise(actual))[:3000]}"
            )
    return ran, problems


def test_recordings_are_present() -> None:
    assert len(FILES) >= 27, f"expected the shared recordings in {RECORDINGS}"
    assert sum(len(interactions(path)) for path in FILES) >= 399


def test_uncovered_list_is_exactly_what_the_emulator_lacks() -> None:
    found = {kind_of(pair["request"]) for path in FILES for pair in interactions(path)}
    unrouted = {k for k in found if k[1].startswith("?")}
    assert unrouted == set(UNCOVERED)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_recording_replays_identically(path: Path) -> None:
    ran, problems = replay(path)
    assert ran == len(interactions(path)) - sum(
        kind_of(p["request"]) in UNCOVERED for p in interactions(path)
    )
    assert not problems, f"{len(problems)} of {ran} answers differ:\n" + "\n".join(problems)
