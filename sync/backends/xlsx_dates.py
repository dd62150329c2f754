"""The day a workbook counts its date serials from: 1899-12-30, or 1904-01-01 in a workbook
saved with the 1904 date system (`<workbookPr date1904="1"/>`, older Excel for Mac). Dates the
hub writer puts in a cell count from the hub's own, or they would show four years off."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from .xlsx_package import workbook_part

__all__ = ["MAC_EPOCH", "WINDOWS_EPOCH", "date_epoch", "serial", "workbook_epoch"]

# The epochs as openpyxl names them; defined here so that writing the hub needs no openpyxl,
# whose import costs a sync that writes a few cells more than the writing.
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_DAY = 86_400

_DATE_1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")


def date_epoch(workbook_xml: bytes) -> dt.datetime:
    """The epoch of the workbook whose workbook part is `workbook_xml`."""
    return MAC_EPOCH if _DATE_1904.search(workbook_xml) else WINDOWS_EPOCH


def workbook_epoch(path: Path) -> dt.datetime:
    """The epoch of the workbook at `path`."""
    with zipfile.ZipFile(path) as archive:
        return date_epoch(archive.read(workbook_part(archive)))


def serial(value: dt.date | dt.time | dt.timedelta, epoch: dt.datetime = WINDOWS_EPOCH) -> float:
    """The serial number a cell holds for `value`, as openpyxl's `to_excel` gives it: days since
    `epoch` (one fewer before 1900-03-01, Excel's 1900 leap day), a time of day as a fraction."""
    if isinstance(value, dt.time):
        return _fraction(value)
    if isinstance(value, dt.timedelta):
        return (value.days * _DAY + value.seconds + value.microseconds / 10**6) / _DAY
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    days = (moment - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1
    return days + _fraction(moment)


def _fraction(value: dt.time | dt.datetime) -> float:
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return (seconds + value.microsecond / 10**6) / _DAY
