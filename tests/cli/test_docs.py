"""The examples in the docstrings of the command line's text modules run as written."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from sync import newteam, render, sources, suggest, summary, treefilter, wording


@pytest.mark.parametrize(
    "module", [newteam, render, sources, suggest, summary, treefilter, wording]
)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
