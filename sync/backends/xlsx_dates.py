"""The day a workbook counts its date serials from: 1899-12-30, or 1904-01-01 in a workbook
saved with the 1904 date system (`<workbookPr date1904="1"/>`, older Excel for Mac). Dates the
hub writer puts in a cell count from the hub's own, or they would show four years off."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from .xlsx_package import workbook_part

__all__ = ["date_epoch", "workbook_epoch"]

_DATE_1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")


def date_epoch(workbook_xml: bytes) -> dt.datetime:
    """The epoch of the workbook whose workbook part is `workbook_xml`."""
    return MAC_EPOCH if _DATE_1904.search(workbook_xml) else WINDOWS_EPOCH


def workbook_epoch(path: Path) -> dt.datetime:
    """The epoch of the workbook at `path`."""
    with zipfile.ZipFile(path) as archive:
        return date_epoch(archive.read(workbook_part(archive)))
