"""The Google backend and the core need no openpyxl: importing them leaves it unloaded. Only the
local workbook backend (`sync.backends.xlsx*`, `sync.addteam`), the workbook builder and styles,
and the fake Sheets API load it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import pytest

import sync

OPENPYXL_USERS = ("sync.backends.xlsx_", "sync.addteam", "sync.emulator", "sync.__main__")


def _library_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(sync.__path__, "sync.")]
    return ["sync.cli"] + sorted(
        name
        for name in names
        if not name.startswith(OPENPYXL_USERS) and not name.startswith("sync.cli")
    )


def _openpyxl_loaders(modules: list[str]) -> list[str]:
    """Of `modules`, imported one after another in a fresh interpreter, those after whose
    import openpyxl is loaded (the first one to load it, and every one after)."""
    code = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
            if "openpyxl" in sys.modules:
                print(name)
        """
    )
    outcome = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert outcome.returncode == 0, outcome.stderr
    return outcome.stdout.split()


def test_the_google_backend_and_the_core_do_not_import_openpyxl() -> None:
    modules = ["sheets_templates", "sheets_templates.definition", *_library_modules()]
    assert {"sync.backends.gsheets", "sync.google.provision", "sync.engine"} <= set(modules)
    assert _openpyxl_loaders(modules) == []


@pytest.mark.parametrize("module", ["sync.backends.xlsx_patch", "sheets_templates.builder"])
def test_the_check_sees_a_module_that_imports_openpyxl(module: str) -> None:
    assert _openpyxl_loaders(["sync.engine", module]) == [module]
