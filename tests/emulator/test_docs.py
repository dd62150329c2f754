"""The examples in the emulator's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sync.emulator

MODULES = sorted(m.name for m in pkgutil.iter_modules(sync.emulator.__path__, "sync.emulator."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_public_names_are_declared_and_documented(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for public in module.__all__:
        assert getattr(module, public) is not None
