"""Only the hub's input tabs (`Teams`, `Settings`) of a workspace: what a validate click needs.

The output tabs (`Alignment Tree`, `Findings`, `History`) grow with the organisation; a click
judges one sheet against the stored state and never looks at them.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from sheets_templates.definition import INPUT_TABS

from ..errors import SourceError
from ..snapshot import HubSnapshot
from .xlsx_cells import UNREADABLE, read_sheet
from .xlsx_read import why
from .xlsx_safety import capture_loss_warnings

__all__ = ["read_hub_inputs"]

_INPUT_TITLES = {tab.casefold() for tab in INPUT_TABS}  # trimmed and case-folded, as `sync.hub`


def read_hub_inputs(workspace: Path, hub_path: Path) -> HubSnapshot:
    """The `Teams` and `Settings` tabs of `hub_path` as values; `SourceError` when unreadable."""
    if not hub_path.is_file():
        raise SourceError(f"{hub_path} not found; a workspace needs a hub.xlsx (`okrtree init`)")
    try:
        with capture_loss_warnings():
            wb = load_workbook(hub_path, read_only=True, data_only=True)
            try:
                tabs = {
                    ws.title: read_sheet(wb, ws)
                    for ws in wb.worksheets
                    if ws.title.strip().casefold() in _INPUT_TITLES
                }
            finally:
                wb.close()
    except UNREADABLE as err:
        raise SourceError(
            f"{hub_path} cannot be read as an Excel workbook ({why(err)}); "
            "open it in Excel or LibreOffice and save it as .xlsx"
        ) from err
    return HubSnapshot(source=str(workspace), tabs=tabs)
