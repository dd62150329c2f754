"""Running the real `okrtree` command in a child process and reading what it left behind."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets_templates.builder import team_column_names
from sync.model import STATUS_LABELS, Status

__all__ = [
    "Outcome",
    "expected_outputs",
    "okrtree",
    "sheet_cells",
    "strict_json",
]

AS_OF = "2026-11-21"
OUTPUT_COLUMNS = {
    name: team_column_names().index(name) + 1 for name in ("Score", "Status", "Warnings")
}


def strict_json(text: str) -> Any:
    """JSON as the standard allows it: NaN, Infinity and -Infinity are refused."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def data(self) -> Any:
        """The `--json` object; a run that printed none fails here, showing why."""
        assert self.stdout.strip(), f"exit {self.code}, no JSON; stderr: {self.stderr[-3000:]}"
        return strict_json(self.stdout)

    def findings(self, code: str) -> list[dict[str, Any]]:
        return [f for f in self.data["findings"] if f["code"] == code]


def okrtree(*args: str, timeout: float = 300, as_of: str = AS_OF) -> Outcome:
    """`python -m sync ARGS` as a person runs it (validate and sync with `--as-of`, `--json`)."""
    command = [sys.executable, "-m", "sync", *args]
    if args and args[0] in ("validate", "sync"):
        command += ["--as-of", as_of, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    return Outcome(done.returncode, done.stdout, done.stderr)


def sheet_cells(path: Path, tab: str) -> dict[tuple[int, int], Any]:
    """Every non-empty cell of one tab as openpyxl parses it (formulas as text), by (row, col)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl names the extensions it does not read
        wb = load_workbook(path)
    try:
        ws = wb[tab]
        return {
            (cell.row, cell.column): _comparable(cell.value)
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
    finally:
        wb.close()


def _comparable(value: Any) -> Any:
    """openpyxl's array formulas compare by identity; compare them by range and text instead."""
    if isinstance(value, ArrayFormula):
        return ("array formula", value.ref, value.text)
    return value


def expected_outputs(data: Any, team: str) -> dict[tuple[int, int], Any]:
    """The Score, Status and Warnings cells a sync should leave on `team`'s rows (from --json)."""
    labels = {status.value: label for status, label in STATUS_LABELS.items()}
    assert set(labels) == {status.value for status in Status}
    cells: dict[tuple[int, int], Any] = {}
    for item in data["items"]:
        if item["team"] != team:
            continue
        row = item["row"]
        if item["score"] is not None:
            cells[(row, OUTPUT_COLUMNS["Score"])] = round(item["score"], 2)
        cells[(row, OUTPUT_COLUMNS["Status"])] = labels[item["status"]]
        lines = [
            f"{f['code']}: {f['message']}"
            for f in data["findings"]
            if f["id"] == item["id"] and f["team"] == team
        ]
        if lines:
            cells[(row, OUTPUT_COLUMNS["Warnings"])] = "\n".join(lines)
    return cells


# Runs a command under an address-space cap and reports its peak resident memory and wall time.
_BOUNDED = """
import json, resource, subprocess, sys, time
limit, report, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
started = time.perf_counter()
code = subprocess.run(command, preexec_fn=cap).returncode
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
with open(report, "w") as out:
    json.dump({"code": code, "peak": peak, "seconds": seconds}, out)
"""


@dataclass
class Bounded:
    outcome: Outcome
    peak_bytes: int
    seconds: float


def okrtree_bounded(*args: str, address_space: int, report: Path, timeout: float = 300) -> Bounded:
    """`okrtree` (as in `okrtree`) with RLIMIT_AS = `address_space`; its peak RSS and wall time."""
    command = [sys.executable, "-m", "sync", *args, "--as-of", AS_OF, "--json"]
    done = subprocess.run(
        [sys.executable, "-c", _BOUNDED, str(address_space), str(report), *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # the measuring parent itself
    measured = json.loads(report.read_text())
    return Bounded(
        Outcome(measured["code"], done.stdout, done.stderr), measured["peak"], measured["seconds"]
    )
