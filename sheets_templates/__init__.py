"""The standard okrtree template: `definition` (the names, columns and colours of template.json,
also read by the add-on; pure), `builder` and `styles` (workbooks, with openpyxl), `example`."""

from __future__ import annotations

from .definition import HUB_FILE, template

__all__ = ["HUB_FILE", "template"]
