"""The corpus workspace: one hub and a team workbook per way real programs leave a workbook.

`build_corpus` makes it in a folder at test time: template-made team workbooks (real OKR rows,
so a sync writes Score, Status and Warnings), each given one feature (`FEATURES`), two
re-saved by LibreOffice, and the hub re-saved by LibreOffice too.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sheets_templates.builder import new_hub_workbook, new_team_workbook

from .cell_metadata import dynamic_array, picture_in_cell
from .features import (
    chart_and_image,
    comments,
    defined_names_and_external_link,
    macros,
    pivot_table,
    validation_and_formats,
)
from .soffice import resave

__all__ = ["AS_OF", "CASES", "Corpus", "SETTINGS", "build_corpus", "okr_rows", "team_row"]

AS_OF = "2026-11-21"
SETTINGS = {
    "Cycle": "2026-Q4",
    "Cycle start": dt.date(2026, 10, 1),
    "Cycle end": dt.date(2026, 12, 31),
}
# One feature per team workbook, each as the program named in its docstring leaves it.
FEATURES: dict[str, Callable[[Path], None]] = {
    "chart_image": chart_and_image,
    "validation_formats": validation_and_formats,
    "comments": comments,
    "macros": macros,
    "pivot": pivot_table,
    "picture_in_cell": picture_in_cell,
    "dynamic_array": dynamic_array,
    "names_external_link": defined_names_and_external_link,
}

LIBREOFFICE_CASES = ("libreoffice", "libreoffice_chart")
CASES = ("plain", *LIBREOFFICE_CASES, *FEATURES)
TAB = "OKRs"


def okr_rows(prefix: str, theme: str) -> list[dict[str, object]]:
    """An objective and two key results: one on track, one with no owner (a warning to write)."""
    return [
        {
            "ID": f"{prefix}-1",
            "Type": "Objective",
            "Title": f"Deliver {theme}",
            "Owner": "ana@x.example",
        },
        {
            "ID": f"{prefix}-2",
            "Type": "Key Result",
            "Title": "Releases shipped from 0 to 10",
            "Owner": "ben@x.example",
            "Start": 0,
            "Target": 10,
            "Current": 4,
            "Updated": dt.date(2026, 11, 20),
        },
        {
            "ID": f"{prefix}-3",
            "Type": "Key Result",
            "Title": "Open incidents from 9 down to 5",
            "Start": 9,
            "Target": 5,
            "Current": 7,
            "Updated": dt.date(2026, 11, 19),
        },
    ]


def team_row(name: str, source: str, level: str = "Team") -> dict[str, str]:
    return {"Team": name, "Level": level, "Spreadsheet": source, "Tab": TAB}


@dataclass(frozen=True)
class Corpus:
    root: Path
    sources: dict[str, str]  # case -> workbook path relative to root

    def path(self, case: str) -> Path:
        return self.root / self.sources[case]


def prefix(case: str) -> str:
    return f"K{CASES.index(case):02d}"


def build_corpus(root: Path) -> Corpus:
    """Make the corpus workspace in `root` (one soffice run for the LibreOffice re-saves)."""
    staging = root.parent / (root.name + "-staging")
    (root / "teams").mkdir(parents=True)
    staging.mkdir()
    sources: dict[str, str] = {}
    via_libreoffice: list[Path] = []
    for case in CASES:
        suffix = ".xlsm" if case == "macros" else ".xlsx"
        sources[case] = f"teams/{case}{suffix}"
        made_in = staging if case in LIBREOFFICE_CASES else root / "teams"
        path = new_team_workbook(
            made_in / f"{case}.xlsx", prefix(case), okr_rows(prefix(case), case)
        )
        if case == "libreoffice_chart":
            chart_and_image(path)
        elif case in FEATURES:
            FEATURES[case](path)
        if case in LIBREOFFICE_CASES:
            via_libreoffice.append(path)
        elif suffix != ".xlsx":
            path.rename(root / sources[case])
    hub = new_hub_workbook(
        staging / "hub.xlsx",
        teams=[team_row(f"Team {case}", sources[case]) for case in CASES],
        settings=SETTINGS,
    )
    for saved in resave([*via_libreoffice, hub], staging / "saved"):
        destination = root / "hub.xlsx" if saved.name == "hub.xlsx" else root / "teams" / saved.name
        shutil.move(saved, destination)
    shutil.rmtree(staging)
    return Corpus(root, sources)
