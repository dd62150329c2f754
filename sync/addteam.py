"""`okrtree add-team` on a workspace folder: register a team in the hub's `Teams` tab and give
it a workbook (a new one from the template, or a copy of the team's own with the template
columns it lacks and IDs where rows have none).

Edits go through openpyxl, which rewrites a workbook from its model of it; a workbook holding
anything that model leaves out is refused before anything is written, and every save goes to a
temporary file renamed over the target, so a failure leaves the old file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from copy import copy
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_templates.builder import new_team_workbook
from sheets_templates.definition import HUB_FILE, TEAM_TAB, HubTab, TeamsCol, template

from .backends.xlsx import XlsxBackend
from .engine import read_and_compute
from .errors import SourceError
from .model import Level, id_key
from .newteam import (
    LEVEL_LABELS,
    Added,
    SheetPlan,
    check_team,
    choose_prefix,
    file_name,
    plan_sheet,
)
from .template import Col, find_header

__all__ = ["add_team"]

TEAMS_FOLDER = "teams"
# Parts openpyxl reads and writes back; `calcChain` and printer settings it drops harmlessly
# (the spreadsheet program rebuilds the one and falls back to defaults for the other).
_KEPT_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core|custom)\.xml|xl/workbook\.xml"
    r"|xl/_rels/workbook\.xml\.rels|xl/styles\.xml|xl/sharedStrings\.xml|xl/theme/theme\d+\.xml"
    r"|xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels|xl/comments\d*\.xml"
    r"|xl/comments/comment\d+\.xml|xl/tables/table\d+\.xml|xl/calcChain\.xml"
    r"|xl/printerSettings/printerSettings\d+\.bin|xl/drawings/(_rels/)?vmlDrawing\d+\.vml(\.rels)?",
    re.IGNORECASE,
)
_LOSS_WARNING = re.compile(r"will be removed|will be lost|not supported|discarded", re.IGNORECASE)


def what_openpyxl_drops(path: Path) -> str | None:
    """What a load-and-save through openpyxl would lose from the workbook at `path`, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, OSError) as err:
        raise SourceError(f"{path}: not an .xlsx workbook ({err})") from None
    lost = sorted(
        {n.split("/")[1] if "/" in n else n for n in names if not _KEPT_PARTS.fullmatch(n)}
    )
    if lost:
        return f"it holds parts okrtree cannot keep while editing ({', '.join(lost)})"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_workbook(path).close()
    losses = sorted({str(w.message) for w in caught if _LOSS_WARNING.search(str(w.message))})
    return f"saving it would lose: {'; '.join(losses)}" if losses else None


def _editor_lock(path: Path) -> Path | None:
    for name in (f".~lock.{path.name}#", f"~${path.name}"):
        if (path.parent / name).exists():
            return path.parent / name
    return None


def _save_over(path: Path, edit: Callable[[Workbook], None], original: Path | None = None) -> None:
    """Load `original` (default `path`), apply `edit`, save to a temporary file beside `path`
    and rename it over `path`."""
    lock = _editor_lock(path)
    if lock is not None:
        raise SourceError(f"{path} is open in an editor ({lock.name} beside it); close it first")
    workbook = load_workbook(original or path)
    edit(workbook)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        workbook.save(temporary)
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _grid(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _team_tab(path: Path) -> tuple[str, list[list[object]]]:
    """The tab holding the team's OKRs: `OKRs` when it has a header, else the first that has."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise SourceError(f"{path}: not an .xlsx workbook ({err})") from None
    try:
        sheets = sorted(workbook.worksheets, key=lambda s: id_key(s.title) != id_key(TEAM_TAB))
        for sheet in sheets:
            grid = _grid(sheet)
            if find_header(grid) is not None:
                return sheet.title, grid
    finally:
        workbook.close()
    raise SourceError(
        f"{path}: no tab has a header row with ID and Type in its first ten rows; "
        "add those two column names above the OKRs and run again"
    )


def _apply_plan(plan: SheetPlan, tab: str) -> Callable[[Workbook], None]:
    widths = {c["name"]: c["width"] for c in template()["team_columns"]}

    def edit(workbook: Workbook) -> None:
        sheet = workbook[tab]
        header = find_header(_grid(sheet))
        assert header is not None  # planned from the same cells
        model = sheet.cell(plan.header_row, max(plan.last_column, 1))
        for offset, name in enumerate(plan.missing_columns, start=1):
            cell = sheet.cell(plan.header_row, plan.last_column + offset, name)
            if model.has_style:  # the header's look, as people made it
                for part in ("font", "fill", "border", "alignment"):
                    setattr(cell, part, copy(getattr(model, part)))
            letter = get_column_letter(cell.column)
            sheet.column_dimensions[letter].width = widths.get(name, 12)
        id_column = header.columns[Col.ID] + 1
        for row, new_id in plan.new_ids.items():
            sheet.cell(row, id_column, new_id)

    return edit


def _add_teams_row(values: dict[str, str]) -> tuple[Callable[[Workbook], None], list[int]]:
    where: list[int] = []

    def edit(workbook: Workbook) -> None:
        if HubTab.TEAMS not in workbook.sheetnames:
            raise SourceError(f"the hub has no '{HubTab.TEAMS}' tab")
        sheet = workbook[HubTab.TEAMS]
        header = {id_key(str(c.value or "")): int(c.column or 0) for c in sheet[1] if c.value}
        team_column = header.get(id_key(TeamsCol.TEAM), 1)
        names = sheet.iter_rows(min_col=team_column, max_col=team_column, values_only=True)
        last = max((n for n, (v,) in enumerate(names, start=1) if v not in (None, "")), default=1)
        for name, value in values.items():
            column = header.get(id_key(name))
            if column is None:
                column = max(header.values(), default=0) + 1
                sheet.cell(1, column, str(name))
                header[id_key(name)] = column
            sheet.cell(last + 1, column, value or None)
        where.append(last + 1)

    return edit, where


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def add_team(
    workspace: Path,
    name: str,
    level: Level,
    parent: str = "",
    *,
    owner: str = "",
    source_file: Path | None = None,
    as_of: dt.date | None = None,
) -> Added:
    """Register team `name` in the hub and give it a workbook; raise `SourceError` (nothing
    written) when that cannot be done safely."""
    as_of = as_of or dt.date.today()
    hub = workspace / HUB_FILE
    before = read_and_compute(XlsxBackend(workspace), as_of)
    known = [team.name for team in before.teams]
    problem, parent_name = check_team(name.strip(), level, parent.strip(), known)
    if problem:
        raise SourceError(problem)
    name = name.strip()
    org_ids = [item.id for item in before.computed.result.items]
    taken = {id_key(i.split("-", 1)[0]) for i in org_ids if "-" in i}
    hub_lost = what_openpyxl_drops(hub)
    if hub_lost:
        raise SourceError(f"{hub}: {hub_lost}; add the team's row to Teams by hand")

    if source_file is not None and _inside(source_file, workspace):
        target, copied_from = source_file, None
    else:
        target, copied_from = workspace / TEAMS_FOLDER / file_name(name), source_file
        if target.exists():
            raise SourceError(
                f"{target} already exists; register it with --from {target}, "
                "or choose another team name"
            )
    relative = target.resolve().relative_to(workspace.resolve()).as_posix()
    added = Added(name, level, parent_name, relative, TEAM_TAB, 0, copied_from)

    if source_file is None:
        prefix = choose_prefix(name, [], taken)
        new_team_workbook(target, team_prefix=prefix)
        added.created = True
    else:
        if source_file.suffix.lower() != ".xlsx":
            raise SourceError(
                f"{source_file}: okrtree reads .xlsx workbooks; save it as .xlsx and run again"
            )
        if not source_file.is_file():
            raise SourceError(f"{source_file}: no such file")
        added.tab, grid = _team_tab(source_file)
        plan = plan_sheet(grid, name, org_ids, taken)
        assert plan is not None  # _team_tab found the header
        if plan.needed:
            lost = what_openpyxl_drops(source_file)
            if lost:
                raise SourceError(
                    f"{source_file}: {lost}; it needs {_needs(plan)}, which okrtree would "
                    "write through openpyxl. Add them by hand, or move that content to "
                    "another workbook, and run again"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            _save_over(target, _apply_plan(plan, added.tab), original=source_file)
        elif copied_from is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_file, target)  # nothing to change: the very bytes
        added.added_columns, added.new_ids = plan.missing_columns, plan.new_ids

    row: dict[str, str] = {
        TeamsCol.TEAM: name,
        TeamsCol.LEVEL: LEVEL_LABELS[level],
        TeamsCol.PARENT_TEAM: parent_name or "",
        TeamsCol.SPREADSHEET: relative,
        TeamsCol.TAB: added.tab,
        TeamsCol.OWNER: owner,
    }
    edit, where = _add_teams_row(row)
    try:
        _save_over(hub, edit)
    except BaseException:
        if added.created or copied_from is not None:
            target.unlink(missing_ok=True)  # leave the workspace as it was
        raise
    added.hub_row = where[0]
    after = read_and_compute(XlsxBackend(workspace), as_of).computed.result
    added.findings = [f for f in after.findings if f.team == name]
    return added


def _needs(plan: SheetPlan) -> str:
    parts = []
    if plan.missing_columns:
        parts.append("the columns " + ", ".join(plan.missing_columns))
    if plan.new_ids:
        parts.append(f"{len(plan.new_ids)} IDs")
    return " and ".join(parts)
