"""The Google modules' docstring examples run, and the names they declare public exist."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "sync.google.api",
    "sync.google.cells",
    "sync.google.credentials",
    "sync.google.endpoint",
    "sync.google.keys",
    "sync.google.provision",
    "sync.google.ratelimit",
    "sync.google.retry",
    "sync.backends.gsheets",
    "sync.backends.gsheets_hub",
    "sync.backends.gsheets_read",
    "sync.backends.gsheets_write",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_and_public_names(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"
    result = doctest.testmod(module)
    assert result.failed == 0
