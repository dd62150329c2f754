"""Keep formula results across an openpyxl save.

openpyxl writes formulas without their last computed values, and cannot compute them. A team
whose `Current` is `=COUNTIF(...)` would then read as blank on the next sync (and in any viewer
that does not recalculate) until someone opens and saves the file in a spreadsheet editor. So the
values Excel or LibreOffice cached are read before the save and put back into the saved XML.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook

__all__ = ["FormulaCache", "formula_coordinates", "restore_cached_values"]

# sheet title -> coordinate -> cached value
FormulaCache = dict[str, dict[str, object]]

_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*?)>'
    r"(?P<f><f\b[^>]*?(?:/>|>.*?</f>))<v\s*(?:/>|></v>)</c>",
    re.DOTALL,
)
_TYPE_ATTR = re.compile(r'\st="[^"]*"')


def formula_coordinates(wb: Workbook) -> dict[str, list[tuple[int, int]]]:
    """Where the formulas are: sheet title -> (row, column) of each formula cell."""
    found: dict[str, list[tuple[int, int]]] = {}
    for ws in wb.worksheets:
        cells = [key for key, cell in ws._cells.items() if cell.data_type == "f"]
        if cells:
            found[ws.title] = cells
    return found


def _cell_xml(ref: str, attrs: str, formula: str, value: object, epoch: dt.datetime) -> str:
    attrs = _TYPE_ATTR.sub("", attrs)
    if isinstance(value, bool):
        kind, text = "b", "1" if value else "0"
    elif isinstance(value, int | float):
        kind, text = "", repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        kind, text = "", repr(to_excel(value, epoch))
    elif isinstance(value, str) and value in ERROR_CODES:
        kind, text = "e", value
    else:
        kind, text = "str", escape(str(value))
    kind_attr = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{attrs}{kind_attr}>{formula}<v>{text}</v></c>'


def restore_cached_values(saved: Path, wb: Workbook, cache: FormulaCache) -> None:
    """Put `cache` values into the formula cells of `saved`, a file just written from `wb`."""
    parts = {ws.path.lstrip("/"): cache[ws.title] for ws in wb.worksheets if cache.get(ws.title)}
    if not parts:
        return
    with zipfile.ZipFile(saved) as archive:
        infos = archive.infolist()
        members = {info.filename: archive.read(info) for info in infos}
    for part, values in parts.items():

        def fill(match: re.Match[str], values: dict[str, object] = values) -> str:
            value = values.get(match["ref"])
            if value is None:
                return match[0]
            return _cell_xml(match["ref"], match["attrs"], match["f"], value, wb.epoch)

        members[part] = _FORMULA_CELL.sub(fill, members[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            archive.writestr(info, members[info.filename])
