"""Which identity okrtree uses, in which order, and the one line when there is none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import google.auth
import pytest
from click.testing import CliRunner
from google.auth.credentials import AnonymousCredentials
from google.auth.exceptions import DefaultCredentialsError

from sync.cli import cli
from sync.errors import ConfigError
from sync.google.credentials import HOW_TO_PROVIDE, SCOPES, resolve_credentials

EMAIL = "okrtree-bot@northwind-okrs.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A service-account JSON key as Google hands it out (a fresh, useless private key)."""
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "northwind-okrs",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": EMAIL,
        "client_id": "1" * 21,
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = tmp_path_factory.mktemp("keys") / "okrtree.json"
    path.write_text(json.dumps(info))
    return path


class Adc:
    """Stands in for `google.auth.default`: records the call, answers or fails."""

    def __init__(self, found: bool) -> None:
        self.found = found
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> tuple[Any, Any]:
        self.calls.append(kwargs)
        if not self.found:
            raise DefaultCredentialsError("no ADC")
        return AnonymousCredentials(), "project"


@pytest.mark.parametrize(
    ("option", "env", "origin", "from_key"),
    [
        (
            "KEY",
            {"OKRTREE_CREDENTIALS": "anonymous", "GOOGLE_APPLICATION_CREDENTIALS": "x"},
            "--credentials",
            True,
        ),
        ("anonymous", {"GOOGLE_APPLICATION_CREDENTIALS": "KEY"}, "--credentials", False),
        (
            None,
            {"OKRTREE_CREDENTIALS": "KEY", "GOOGLE_APPLICATION_CREDENTIALS": "x"},
            "OKRTREE_CREDENTIALS",
            True,
        ),
        (
            None,
            {"OKRTREE_CREDENTIALS": "ANONYMOUS", "GOOGLE_APPLICATION_CREDENTIALS": "KEY"},
            "OKRTREE_CREDENTIALS",
            False,
        ),
        (None, {"GOOGLE_APPLICATION_CREDENTIALS": "KEY"}, "GOOGLE_APPLICATION_CREDENTIALS", True),
        (None, {}, "application default credentials", False),
        (
            None,
            {"OKRTREE_CREDENTIALS": "", "GOOGLE_APPLICATION_CREDENTIALS": ""},
            "application default credentials",
            False,
        ),
    ],
)
def test_resolution_order(
    key_file: Path, option: str | None, env: dict[str, str], origin: str, from_key: bool
) -> None:
    def real(value: str | None) -> str | None:
        return str(key_file) if value == "KEY" else value

    adc = Adc(found=True)
    identity = resolve_credentials(real(option), {k: real(v) or "" for k, v in env.items()}, adc)
    assert identity.origin == origin
    assert identity.account == (EMAIL if from_key else None)
    assert identity.anonymous is not from_key
    assert adc.calls == ([{"scopes": list(SCOPES)}] if origin.startswith("application") else [])


def test_a_service_account_key_gives_its_email_and_scopes(key_file: Path) -> None:
    identity = resolve_credentials(str(key_file), {})
    assert identity.account == EMAIL
    assert set(SCOPES) <= set(identity.credentials.scopes or [])  # type: ignore[attr-defined]


def test_no_credentials_at_all_says_how_to_provide_them() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(None, {}, Adc(found=False))
    assert str(caught.value) == HOW_TO_PROVIDE
    assert (
        "--credentials FILE" in HOW_TO_PROVIDE
        and "GOOGLE_APPLICATION_CREDENTIALS" in HOW_TO_PROVIDE
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "is not a file"),
        ("{not json", "not a usable Google credentials file"),
        ('{"type": "nonsense"}', "not a usable Google credentials file"),
    ],
)
def test_a_bad_key_file_is_a_config_error(tmp_path: Path, content: str | None, says: str) -> None:
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError, match=says):
        resolve_credentials(str(path), {})
    with pytest.raises(ConfigError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        resolve_credentials(None, {"GOOGLE_APPLICATION_CREDENTIALS": str(path)})


@pytest.mark.parametrize("command", ["validate", "sync", "tree"])
def test_the_cli_exits_2_with_one_line_when_there_are_no_credentials(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(google.auth, "default", Adc(found=False))
    env = {"OKRTREE_CREDENTIALS": "", "GOOGLE_APPLICATION_CREDENTIALS": ""}
    outcome = CliRunner(env=env).invoke(cli, [command, "1" + "a" * 43])
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrtree: {HOW_TO_PROVIDE}\n"
    assert outcome.stdout == ""


def test_the_cli_names_a_missing_key_file(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        cli, ["validate", "1" + "a" * 43, "--credentials", str(tmp_path / "nope.json")]
    )
    assert outcome.exit_code == 2
    assert "--credentials" in outcome.stderr and "is not a file" in outcome.stderr
    assert outcome.stderr.count("\n") == 1
