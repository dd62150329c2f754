"""Generating the hub's output tabs two at a time: the largest in a forked process, the others
(and the largest one's digest, when the writer records it next) meanwhile in this one.

A 100,000-row Alignment Tree is about a second of Python string building, as long as the
Check-ins and Findings tabs and the tree's digest together, and a machine has a core for each.
Forking is only safe without other threads (a server's sync is generated here, in turn), and
the child cannot add cell formats to the parent's `xl/styles.xml`: the formats the tab needs
are added before forking, and a tab whose generation would still add one is made again here.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sys
import threading
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor

from ..plan import table_digest
from ..snapshot import OutputTable
from .xlsx_dates import WINDOWS_EPOCH
from .xlsx_hub_sheet import SheetXml, prepare_styles, sheet_xml
from .xlsx_styles import StyleSheet

__all__ = ["FORK_FROM_ROWS", "sheets_xml"]

FORK_FROM_ROWS = 20_000  # a smaller tab takes less than forking costs

# inherited by the child: not pickled
_CHILD_JOB: tuple[OutputTable, StyleSheet, dt.datetime] | None = None


def sheets_xml(
    tables: list[OutputTable],
    styles: StyleSheet,
    digested: Collection[str] = (),
    epoch: dt.datetime = WINDOWS_EPOCH,
) -> list[SheetXml]:
    """`sheet_xml` of each table, in order, adding the formats they use to `styles`; the
    digests of the tables named in `digested` are computed too (`table_digest` keeps them)."""
    global _CHILD_JOB
    largest = max(range(len(tables)), key=lambda i: len(tables[i].rows), default=None)
    if (
        largest is None
        or len(tables) < 2
        or len(tables[largest].rows) < FORK_FROM_ROWS
        or sys.platform != "linux"
        or threading.active_count() > 1
    ):
        return [sheet_xml(table, styles, epoch=epoch) for table in tables]
    prepare_styles(tables[largest], styles)
    _CHILD_JOB = (tables[largest], styles, epoch)
    try:
        with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
            child = pool.submit(_generate_in_child)
            generated = {
                i: sheet_xml(table, styles, epoch=epoch)
                for i, table in enumerate(tables)
                if i != largest
            }
            if tables[largest].name in digested:
                table_digest(tables[largest])
            made, added_formats = child.result()
    finally:
        _CHILD_JOB = None
    generated[largest] = sheet_xml(tables[largest], styles, epoch=epoch) if added_formats else made
    return [generated[i] for i in range(len(tables))]


def _generate_in_child() -> tuple[SheetXml, bool]:
    assert _CHILD_JOB is not None
    table, styles, epoch = _CHILD_JOB
    before = styles.to_bytes()
    made = sheet_xml(table, styles, epoch=epoch)
    return made, styles.to_bytes() != before
