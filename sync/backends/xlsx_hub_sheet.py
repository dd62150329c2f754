"""One hub output tab as worksheet XML, written directly (a 100,000-row tree in about a second).

The look is the one okrtree has always given these tabs: a bold, filled, frozen header with a
filter, column widths, wrapping and alignment from the template, `0.00` scores, `yyyy-mm-dd`
dates, statuses coloured (and each score in its row's status colour), and `Link` cells that open
the source row (relationship targets for other files, a `location` for places in the hub
itself). For print: landscape, one page wide, and a tree's rows grouped by depth (outline
levels, summary row above) so a reader can collapse branches; the header row repeats on each
page through the workbook's print titles (`xlsx_hub`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from sheets_templates.definition import HEADER_COLOUR, OutputCol, hub_columns, status_colours

from ..plan import outline_levels
from ..snapshot import Link, OutputTable
from .xlsx_chunks import RowChunk
from .xlsx_dates import WINDOWS_EPOCH, serial
from .xlsx_styles import StyleSheet
from .xlsx_writes import ILLEGAL_CHARACTERS, column_letter

__all__ = [
    "CHUNK_ROWS",
    "HYPERLINK_TYPE",
    "SheetXml",
    "prepare_styles",
    "sheet_frame",
    "sheet_xml",
]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK_TYPE = f"{REL_NS}/hyperlink"
DEFAULT_WIDTH = 14
HYPERLINK_STYLE_ID = 8  # Excel's built-in number for the Hyperlink cell style
LINE_HEIGHT = 15  # points, the default row height
CHARACTERS_PER_WIDTH = 1.05  # text characters per unit of column width, on the safe side
MAX_LINES = 27  # 409 points, the tallest row Excel allows
CHUNK_ROWS = 1_000  # rows a piece: a part is compressed, and later changed, a piece at a time


@dataclass(slots=True)
class SheetXml:
    """A generated sheet part, in pieces, and its relationships part (None when it links
    nowhere). The pieces: the head through the header row, the rows `CHUNK_ROWS` at a time
    (`chunks` tells of each), the end of the rows through the filter, the rest."""

    pieces: list[bytes]
    rels: bytes | None
    targets: dict[str, str] = field(default_factory=dict)  # relationship id -> external target
    chunks: list[RowChunk] = field(default_factory=list)

    @property
    def sheet(self) -> bytes:
        return b"".join(self.pieces)


def _text(value: str) -> str:
    """A string item: `<t>` with the text escaped, keeping its spaces and line ends."""
    if _NEEDS_WORK.search(value):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = escape(ILLEGAL_CHARACTERS.sub("", value))
    if value[:1] in _SPACES or value[-1:] in _SPACES or "\n" in value:
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


_SPACES = (" ", "\t", "\n")
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r&<>]")
_TEXTS_KEPT = 50_000  # escaped texts remembered per table, for the labels that repeat
_SERIALS: dict[tuple[dt.datetime, dt.date], str] = {}  # (epoch, date) -> its serial, as written
_PLAIN_ATTRIBUTE = re.compile(r'[&<>"\n\r\t]')


def _quoted(value: str) -> str:
    """`quoteattr`, without its work for the usual value that needs none."""
    return f'"{value}"' if _PLAIN_ATTRIBUTE.search(value) is None else quoteattr(value)


def _split_link(target: str) -> tuple[str | None, str | None]:
    """(file or web address, place inside it): a local `file.xlsx#'Tab'!A5` is split for Excel."""
    if "://" in target or target.startswith("mailto:") or "#" not in target:
        return target, None
    file, location = target.split("#", 1)
    return file or None, location


def _header_format(book: StyleSheet) -> int:
    return book.cell_format(font=book.font(bold=True), fill=book.fill(HEADER_COLOUR))


def _alignment(spec: dict[str, object]) -> dict[str, str] | None:
    """A column's `<alignment>` attributes from template.json (`wrap`, `align`)."""
    alignment = {}
    if spec.get("wrap"):
        alignment["wrapText"] = "1"
    if spec.get("align"):
        alignment["horizontal"] = str(spec["align"])
    return alignment or None


class _Styles:
    """The `s` index of each kind of cell in this table."""

    def __init__(self, book: StyleSheet, table: OutputTable) -> None:
        columns = hub_columns(table.name)
        self.header = _header_format(book)
        link_font = book.font(link=True)
        self.link = book.cell_format(
            font=link_font, style=book.named_style("Hyperlink", HYPERLINK_STYLE_ID, link_font)
        )
        self.formats: dict[int, tuple[int, dict[str, str] | None]] = {}
        self.by_column: dict[int, int] = {}
        for index, name in enumerate(table.header):
            spec = columns.get(name, {})
            code = spec.get("number_format") or ("0.00" if name == OutputCol.SCORE else "")
            number = book.number_format(code) if code else 0
            alignment = _alignment(spec)
            self.formats[index] = (number, alignment)
            if number or alignment:
                self.by_column[index] = book.cell_format(number_format=number, alignment=alignment)
        self.status_column = (
            table.header.index(OutputCol.STATUS) if OutputCol.STATUS in table.header else -1
        )
        self.score_column = (
            table.header.index(OutputCol.SCORE) if OutputCol.SCORE in table.header else -1
        )
        self.coloured: dict[tuple[int, object], str] = {}
        self.book = book
        # Every status's colour, used or not: rows replaced later in place (`xlsx_hub_parts`)
        # then never need a format the workbook lacks.
        for label in status_colours() if self.status_column >= 0 else ():
            for column in (self.status_column, self.score_column):
                if column >= 0:
                    self.status_attribute(column, label)

    def status_attribute(self, column: int, label: object) -> str:
        """` s="N"` for a cell of `column` in the colour of status `label` (the Status cell
        itself, or the Score beside it), "" for a label without a colour."""
        key = (column, label)
        if key not in self.coloured:
            colour = status_colours().get(label) if isinstance(label, str) else None
            attribute = ""
            if colour is not None:
                number, alignment = self.formats.get(column, (0, None))
                index = self.book.cell_format(
                    number_format=number,
                    alignment=alignment,
                    fill=self.book.fill(colour),
                )
                attribute = f' s="{index}"'
            self.coloured[key] = attribute
        return self.coloured[key]


def prepare_styles(table: OutputTable, book: StyleSheet) -> None:
    """Add to `book` every cell format `sheet_xml` will use for `table`."""
    styles = _Styles(book, table)
    at = styles.status_column
    if at < 0:
        return
    labels = {label for row in table.rows if at < len(row) and isinstance(label := row[at], str)}
    for label in sorted(labels):
        styles.status_attribute(at, label)
        if styles.score_column >= 0:
            styles.status_attribute(styles.score_column, label)


def sheet_xml(
    table: OutputTable, book: StyleSheet, first: int = 2, epoch: dt.datetime = WINDOWS_EPOCH
) -> SheetXml:
    """The worksheet XML for `table`, adding the formats it needs to `book`; its rows are
    numbered from `first` (after the header's row 1) as rows to append there are, its dates
    counted from the workbook's `epoch` (`xlsx_package.date_epoch`)."""
    styles = _Styles(book, table)
    width = max([len(table.header), *(len(row) for row in table.rows)], default=0)
    letters = [column_letter(i + 1) for i in range(max(width, 1))]
    rows: list[str] = []
    links: list[tuple[str, str]] = []  # (cell, target)
    rows.append(_header_row(table.header, styles.header))
    column_style = [
        f' s="{styles.by_column[c]}"' if c in styles.by_column else "" for c in range(width)
    ]
    link_style = f' s="{styles.link}"'
    wrapped = [
        (c, _width(table.name, name))
        for c, name in enumerate(table.header)
        if hub_columns(table.name).get(name, {}).get("wrap")
    ]
    status_column, score_column = styles.status_column, styles.score_column
    levels = outline_levels(table)
    deepest = 0
    text = _text
    texts: dict[str, str] = {}  # labels repeat (statuses, types, teams): escaped once each
    coloured = styles.coloured
    for r, values in enumerate(table.rows, start=first):
        number = str(r)
        status = values[status_column] if 0 <= status_column < len(values) else None
        cells: list[str] = []
        add = cells.append
        for c, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                style = column_style[c]
                if c == status_column:
                    status_style = coloured.get((c, value))
                    if status_style is None:
                        status_style = styles.status_attribute(c, value)
                    style = status_style or style
                shown = texts.get(value)  # type: ignore[arg-type]
                if shown is None:
                    shown = text(value)  # type: ignore[arg-type]
                    if len(texts) < _TEXTS_KEPT:
                        texts[value] = shown  # type: ignore[index]
                add(f'<c r="{letters[c]}{number}"{style} t="inlineStr"><is>{shown}</is></c>')
            elif kind is int or kind is float:
                if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
                    continue
                style = column_style[c]
                if c == score_column:  # the score wears its row's status colour
                    status_style = coloured.get((c, status))
                    if status_style is None:
                        status_style = styles.status_attribute(c, status)
                    style = status_style or style
                add(f'<c r="{letters[c]}{number}"{style}><v>{value!r}</v></c>')
            elif kind is Link:
                link: Link = value  # type: ignore[assignment]
                links.append((f"{letters[c]}{number}", link.target))
                shown = text(link.text)
                add(f'<c r="{letters[c]}{number}"{link_style} t="inlineStr"><is>{shown}</is></c>')
            else:
                add(_cell(f"{letters[c]}{number}", value, column_style[c], epoch))
        level = levels[r - first]
        attributes = ""
        if level:
            deepest = max(deepest, level)
            attributes = f' outlineLevel="{level}"'
        lines = _lines(values, wrapped) if wrapped else 1
        if lines > 1:
            attributes += f' ht="{lines * LINE_HEIGHT}" customHeight="1"'
        rows.append(f'<row r="{number}"{attributes}>{"".join(cells)}</row>')
    hyperlinks, rels, targets = _hyperlinks(links)
    last_row = first + len(table.rows) - 1 if table.rows else 1
    head, data_end = _frame(table, width, last_row, deepest)
    pieces = [head + rows[0]]
    chunks: list[RowChunk] = []
    for start in range(0, len(table.rows), CHUNK_ROWS):
        end = start + CHUNK_ROWS
        chunk = table.rows[start:end]
        pieces.append("".join(rows[1 + start : 1 + end]))
        widest = max(len(table.header), *(len(row) for row in chunk))
        chunks.append(RowChunk(first + start, len(chunk), max(levels[start:end]), widest))
    pieces.append(data_end)
    pieces.append(
        "".join(
            [
                hyperlinks,
                '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
                'footer="0.3"/>',
                # landscape, one page wide and as many tall as it takes (fitToHeight 0: no limit)
                '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
                "</worksheet>",
            ]
        )
    )
    return SheetXml([piece.encode("utf-8") for piece in pieces], rels, targets, chunks)


def sheet_frame(
    table: OutputTable, book: StyleSheet, width: int, last_row: int, deepest: int
) -> tuple[bytes, bytes]:
    """The part's head (through the header row) and the piece that ends its rows (through the
    filter), for a tab `width` cells wide whose last row is `last_row` and deepest outline
    level `deepest`: what `sheet_xml` writes around the rows."""
    header_format = _header_format(book)
    head, data_end = _frame(table, width, last_row, deepest)
    return (head + _header_row(table.header, header_format)).encode(), data_end.encode()


def _header_row(header: list[str], header_format: int) -> str:
    cells = "".join(
        f'<c r="{column_letter(i + 1)}1" s="{header_format}" t="inlineStr">'
        f"<is>{_text(name)}</is></c>"
        for i, name in enumerate(header)
    )
    return f'<row r="1">{cells}</row>'


def _frame(table: OutputTable, width: int, last_row: int, deepest: int) -> tuple[str, str]:
    """The part up to `<sheetData>`, and from `</sheetData>` through the filter."""
    last = f"{column_letter(max(width, 1))}{last_row}"
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{_width(table.name, name):g}" customWidth="1"/>'
        for i, name in enumerate(table.header)
    )
    outline = f' outlineLevelRow="{deepest}"' if deepest else ""
    head = "".join(
        [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
            # a tree's summary row (the parent) is above its detail rows; fit to the page width
            '<sheetPr><outlinePr summaryBelow="0"/><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="A1:{last}"/>',
            '<sheetViews><sheetView workbookViewId="0">',
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>',
            "</sheetView></sheetViews>",
            f'<sheetFormatPr defaultRowHeight="15"{outline}/>',
            f"<cols>{cols}</cols>" if cols else "",
            "<sheetData>",
        ]
    )
    data_end = "</sheetData>" + (f'<autoFilter ref="A1:{last}"/>' if table.header else "")
    return head, data_end


def _lines(values: Sequence[object], wrapped: list[tuple[int, float]]) -> int:
    """How many lines the row's wrapped text takes, roughly: a row height written down, as
    LibreOffice keeps the default height of a row whose text wraps unless told."""
    most = 1
    for column, width in wrapped:
        text = values[column] if column < len(values) else None
        if isinstance(text, str) and text:
            per_line = max(int(width * CHARACTERS_PER_WIDTH), 1)
            if len(text) <= per_line and "\n" not in text:
                continue
            lines = sum(max(1, len(textwrap.wrap(part, per_line))) for part in text.split("\n"))
            most = max(most, lines)
    return min(most, MAX_LINES)


def _width(tab: str, name: str) -> float:
    return float(hub_columns(tab).get(name, {}).get("width") or DEFAULT_WIDTH)


def _cell(ref: str, value: object, s: str, epoch: dt.datetime) -> str:
    """Any other cell: booleans, dates, and whatever else as text."""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        number = _SERIALS.get((epoch, value))
        if number is None:
            number = _SERIALS[(epoch, value)] = repr(serial(value, epoch))
        return f'<c r="{ref}"{s}><v>{number}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is>{_text(str(value))}</is></c>'


def _hyperlinks(links: list[tuple[str, str]]) -> tuple[str, bytes | None, dict[str, str]]:
    """The `<hyperlinks>` element and the relationships part; one relationship per file."""
    if not links:
        return "", None, {}
    ids: dict[str, str] = {}
    out = []
    for ref, target in links:
        file, location = _split_link(target)
        rel = ""
        if file is not None:
            rel_id = ids.get(file)
            if rel_id is None:
                rel_id = ids[file] = f"rId{len(ids) + 1}"
            rel = f' r:id="{rel_id}"'
        place = f" location={_quoted(location)}" if location is not None else ""
        out.append(f'<hyperlink ref="{ref}"{rel}{place}/>')
    relations = "".join(
        f'<Relationship Id="{rel_id}" Type="{HYPERLINK_TYPE}" Target={quoteattr(file)} '
        f'TargetMode="External"/>'
        for file, rel_id in ids.items()
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PACKAGE_REL_NS}">{relations}</Relationships>'
    ).encode()
    return f"<hyperlinks>{''.join(out)}</hyperlinks>", rels, {v: k for k, v in ids.items()}
