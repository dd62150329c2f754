"""All the emulator's spreadsheets, with deterministic ids, and access as the Sheets API refuses
it: the store every request of one emulator reads and changes."""

from __future__ import annotations

import datetime as dt
import random
import string

from .clock import ChangeClock
from .clock import now as _now
from .errors import not_found, permission_denied
from .state import Sheet, Spreadsheet

__all__ = ["Store"]


def _new_id(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "1" + "".join(rng.choice(alphabet) for _ in range(43))


class Store:
    """All spreadsheets, with deterministic ids so test runs repeat exactly."""

    def __init__(self, seed: int = 0, account: str = "okrtree@emulator.invalid") -> None:
        self.account = account
        self.rng = random.Random(seed)
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.clock = ChangeClock()
        self.removed: dict[str, tuple[int, dt.datetime]] = {}

    def create(self, title: str, tab_titles: list[str] | None = None) -> Spreadsheet:
        """A new spreadsheet; tabs default to one ``Sheet1`` of 1000 x 26 whose id is 0."""
        spreadsheet = Spreadsheet(_new_id(self.rng), title, clock=self.clock)
        spreadsheet.mark_changed()
        for i, tab in enumerate(tab_titles or ["Sheet1"]):
            sheet_id = 0 if i == 0 else self.new_sheet_id(spreadsheet)
            spreadsheet.sheets.append(Sheet(sheet_id, tab, index=i))
        self.spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
        return spreadsheet

    def new_sheet_id(self, spreadsheet: Spreadsheet) -> int:
        """A random positive 31-bit sheet id not used in the spreadsheet, like Google's."""
        taken = {s.sheet_id for s in spreadsheet.sheets}
        while True:
            candidate = self.rng.randrange(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    def get(self, spreadsheet_id: str, write: bool = False) -> Spreadsheet:
        """The spreadsheet as the caller may use it, refused as the Sheets API refuses it:
        404 when it does not exist, 403 when it is not shared with the caller or, for
        writes, shared read-only."""
        spreadsheet = self.spreadsheets.get(spreadsheet_id)
        if spreadsheet is None or not spreadsheet.exists:
            raise not_found()
        if not spreadsheet.readable or write and not spreadsheet.writable:
            raise permission_denied()
        return spreadsheet

    def delete(self, spreadsheet_id: str) -> None:
        """Remove a file for good, as Drive ``files.delete`` does."""
        self.get(spreadsheet_id, write=True)
        self.forget(spreadsheet_id)

    def forget(self, spreadsheet_id: str) -> None:
        """Drop a file and leave the ``removed`` entry Drive's change feed reports."""
        del self.spreadsheets[spreadsheet_id]
        self.removed[spreadsheet_id] = (self.clock.tick(), _now())
