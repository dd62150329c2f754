"""How okrtree's sheets look, shared by the workbook builder and the local backend.

Colours come from template.json so the Google add-on and the workbooks agree.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .definition import HEADER_COLOUR, OUTPUT_HEADER_COLOUR, OUTPUT_NOTE, status_colours

__all__ = [
    "HEADER_FILL",
    "HEADER_FONT",
    "OUTPUT_HEADER_FILL",
    "WRAPPED",
    "set_print_layout",
    "solid_fill",
    "status_fill",
    "style_header",
]

HEADER_FONT = Font(bold=True)
DEFAULT_WIDTH = 14
WRAPPED = Alignment(wrap_text=True, vertical="top")  # long text grows the row, not the column


def solid_fill(colour: str) -> PatternFill:
    """A solid fill; both colours set so Excel and LibreOffice agree (also inside rules)."""
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


HEADER_FILL = solid_fill(HEADER_COLOUR)
OUTPUT_HEADER_FILL = solid_fill(OUTPUT_HEADER_COLOUR)


@cache
def status_fill(label: str) -> PatternFill | None:
    """The fill for a written status label (`On track`, ...), None for an unknown label."""
    colour = status_colours().get(label)
    return solid_fill(colour) if colour else None


def style_header(
    ws: Worksheet,
    names: list[str],
    widths: dict[str, Any] | None = None,
    output: frozenset[str] = frozenset(),
    notes: dict[str, str] | None = None,
) -> None:
    """Write `names` as a bold, filled, frozen header row and size the columns.

    Columns named in `output` get a grey header and a comment saying okrtree writes them.
    """
    widths = widths or {}
    notes = notes or {}
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font = HEADER_FONT
        cell.fill = OUTPUT_HEADER_FILL if name in output else HEADER_FILL
        note = OUTPUT_NOTE if name in output else notes.get(name)
        if note:
            cell.comment = Comment(note, "okrtree", width=240, height=60)
        width = widths.get(name, DEFAULT_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def set_print_layout(ws: Worksheet, header_row: int = 1) -> None:
    """Landscape, every column on one page width (as many pages tall as it takes), and the
    header row repeated at the top of each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: no limit on the number of pages tall
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
