"""The standard okrtree template, read from `template.json` (also used by the add-on)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["HUB_FILE", "template"]

HUB_FILE = "hub.xlsx"  # here, not in builder: reading a workspace needs no openpyxl


@cache
def template() -> dict[str, Any]:
    """The template definition: team columns, hub tabs, colours (see template.json)."""
    text = resources.files(__package__).joinpath("template.json").read_text(encoding="utf-8")
    return json.loads(text)
