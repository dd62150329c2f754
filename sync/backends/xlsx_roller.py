"""The local side of a rollover: list and read tabs, roll a team workbook, set the hub's cycle.

Every write goes through the same safety as a sync: refused when the file is open in an editor
or changed since it was read, and replaced atomically keeping its links, mode and owner.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel

from sheets_templates.definition import HUB_FILE, HubTab

from ..rollover import TabRollover
from ..snapshot import CellValue, Grid, TeamSnapshot
from .base import WriteRefused
from .xlsx import XlsxBackend
from .xlsx_cells import UNREADABLE, read_sheet
from .xlsx_package import PackageRefused, SheetPart, find_sheet
from .xlsx_patch import patch_cells
from .xlsx_paths import file_key
from .xlsx_rollover import roll_workbook, tab_names
from .xlsx_safety import FileStamp, capture_loss_warnings, unwritable_reason, write_through

__all__ = ["XlsxRoller"]


class XlsxRoller:
    """`sync.rollover_run.Roller` over a workspace, sharing the backend's file stamps."""

    def __init__(self, backend: XlsxBackend) -> None:
        self.backend = backend

    def _path(self, source: str) -> Path:
        return self.backend.workspace / source.strip()

    def tab_names(self, snapshot: TeamSnapshot) -> list[str]:
        try:
            return tab_names(self._path(snapshot.source))
        except (OSError, PackageRefused):
            return []

    def read_tab(self, snapshot: TeamSnapshot, tab: str) -> Grid | None:
        try:
            with capture_loss_warnings():
                wb = load_workbook(self._path(snapshot.source), read_only=True, data_only=True)
                try:
                    found = find_sheet([SheetPart(n, "") for n in wb.sheetnames], tab)
                    return read_sheet(wb, wb[found.name]) if found is not None else None
                finally:
                    wb.close()
        except UNREADABLE:
            return None

    def roll_team(self, roll: TabRollover) -> None:
        source = roll.source.strip()
        path = self._path(source)
        key = file_key(path)
        if not path.is_file():
            raise WriteRefused(f"{source} no longer exists; run again")
        reason = self.backend._unwritable.get(key) or unwritable_reason(path, source)
        if reason:
            raise WriteRefused(reason)
        expected = self.backend._stamps.get(key)
        if expected is not None and FileStamp.of(path) != expected:
            raise WriteRefused(f"{source} changed since it was read; run again")

        def write(target: Path) -> None:
            roll_workbook(path, roll, target)

        write_through(path, source, write, expected)
        self.backend._stamps[key] = FileStamp.of(path)

    def write_settings(self, cells: dict[tuple[int, int], CellValue]) -> None:
        path = self.backend.hub_path
        reason = unwritable_reason(path, HUB_FILE)
        if reason:
            raise WriteRefused(reason)
        seen = self.backend._hub_seen
        expected = seen[0] if seen is not None else None
        values = {where: _stored(value) for where, value in cells.items()}

        def write(target: Path) -> None:
            patch_cells(path, HubTab.SETTINGS, values, target)

        write_through(path, HUB_FILE, write, expected)


def _stored(value: CellValue) -> str | int | float | None:
    """A date as the serial number its cell's date format shows as a date."""
    if isinstance(value, dt.date):
        return float(to_excel(value))
    return value
