"""The library does not need the service: with Flask impossible to import, `okrtree sync` and
`okrtree --help` still work, and only `serve` needs it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sheets_templates.builder import create_workspace

BLOCKER = textwrap.dedent(
    """
    import sys

    class NoFlask:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("flask", "werkzeug"):
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, NoFlask())
    """
)


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_the_blocker_blocks_flask(tmp_path: Path) -> None:
    outcome = _run("import flask", tmp_path)
    assert outcome.returncode != 0 and "flask is blocked" in outcome.stderr


def test_sync_runs_and_imports_no_service_without_flask(tmp_path: Path) -> None:
    org = tmp_path / "org"
    create_workspace(org, example=True)
    outcome = _run(
        f"""
        import sys
        from click.testing import CliRunner
        import sync.cli
        assert not [m for m in sys.modules if m.split(".")[0] in ("service", "flask")]
        result = CliRunner().invoke(sync.cli.cli, ["sync", {str(org)!r}, "--as-of", "2026-11-21"])
        print(result.exit_code)
        print(result.output[:200])
        assert not [m for m in sys.modules if m.split(".")[0] in ("service", "flask")]
        """,
        tmp_path,
    )
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stdout.split("\n")[0] in ("0", "1"), outcome.stdout
    assert "2026-Q4" in outcome.stdout


def test_help_lists_serve_without_flask(tmp_path: Path) -> None:
    outcome = _run(
        """
        from click.testing import CliRunner
        import sync.cli
        print(CliRunner().invoke(sync.cli.cli, ["--help"]).output)
        """,
        tmp_path,
    )
    assert outcome.returncode == 0, outcome.stderr
    assert "serve" in outcome.stdout and "sync" in outcome.stdout
