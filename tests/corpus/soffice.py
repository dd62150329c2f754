"""Headless LibreOffice: re-save workbooks as a person would, and read what it shows as CSV."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

__all__ = ["require_soffice", "resave", "shown_values", "to_pdf"]

REQUIRE = "OKRTREE_REQUIRE_SOFFICE"  # set by CI: a missing LibreOffice fails instead of skipping
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
TIMEOUT = 180


def require_soffice() -> str:
    """The `soffice` program; skip (or, where LibreOffice is required, fail) without it."""
    found = shutil.which("soffice")
    if found is None:
        message = "LibreOffice's `soffice` is not on PATH; install libreoffice-calc-nogui"
        if os.environ.get(REQUIRE):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _convert(files: Sequence[Path], to: str, outdir: Path) -> None:
    program = require_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        done = subprocess.run(
            [
                program,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        raise AssertionError(f"soffice failed ({done.returncode}): {done.stderr}")


def resave(files: Sequence[Path], outdir: Path) -> list[Path]:
    """Open each workbook in LibreOffice and save it as .xlsx into `outdir` (one soffice run)."""
    _convert(files, "xlsx", outdir)
    out = [outdir / (Path(f).stem + ".xlsx") for f in files]
    missing = [str(p) for p in out if not p.is_file()]
    assert not missing, f"LibreOffice did not save {missing}"
    return out


def to_pdf(workbook: Path, outdir: Path) -> Path:
    """`workbook` printed by LibreOffice to a PDF in `outdir`, with the print setup it holds."""
    _convert([workbook], "pdf", outdir)
    pdf = outdir / f"{workbook.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice did not print {workbook}"
    return pdf


def shown_values(files: Sequence[Path], outdir: Path) -> dict[tuple[str, str], list[list[str]]]:
    """What LibreOffice shows in every sheet of each workbook, as text, by (file stem, tab)."""
    _convert(files, CSV_ALL_SHEETS, outdir)
    shown: dict[tuple[str, str], list[list[str]]] = {}
    for f in files:
        stem = Path(f).stem
        for sheet in outdir.glob(f"{stem}-*.csv"):
            with sheet.open(newline="", encoding="utf-8") as handle:
                shown[(stem, sheet.stem[len(stem) + 1 :])] = list(csv.reader(handle))
    assert all(any(key[0] == Path(f).stem for key in shown) for f in files), (
        f"LibreOffice could not open some of {[Path(f).name for f in files]}"
    )
    return shown
