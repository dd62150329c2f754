"""The README's pictures, made from the current code on the example organisation.

    python -m tools.screenshots              # docs/terminal.png, web.png, hub-print.png
    python -m tools.screenshots --out DIR    # somewhere else

- terminal: `okrtree tree` run as a command in a 110-column colour terminal, its output turned
  into an SVG by rich and photographed by Chromium;
- web: `okrtree serve`'s tree page in headless Chromium;
- printed hub page: the hub's `Alignment Tree` printed to PDF by LibreOffice, page 1 as PNG.

Needs Debian's chromium, LibreOffice (`soffice`) and the dev extras (playwright, pypdfium2,
pillow). The example is made fresh in a temporary folder and judged as of its own date.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image
from rich.console import Console
from rich.text import Text

from sheets_templates.builder import create_workspace
from sheets_templates.example import AS_OF
from sync.cli import cli

__all__ = ["main", "printed_hub", "terminal", "web"]

DOCS = Path(__file__).resolve().parent.parent / "docs"
COLUMNS = 110
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _save_small(image: Image.Image, path: Path) -> None:
    """A PNG with an adaptive palette: screenshots have few colours, so this loses nothing seen."""
    image.convert("RGB").quantize(colors=128).save(path, optimize=True)
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


def _photograph(html_or_svg: Path, out: Path, selector: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(html_or_svg.as_uri())
            shot = page.locator(selector).first.screenshot()
        finally:
            browser.close()
    _save_small(Image.open(io.BytesIO(shot)), out)


def terminal(org: Path, out: Path, scratch: Path) -> None:
    """`okrtree tree ORG --depth 3` as a colour terminal shows it."""
    env = os.environ | {"COLUMNS": str(COLUMNS), "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    arguments = ["tree", str(org), "--depth", "3", "--as-of", AS_OF.isoformat()]
    shown = subprocess.run(
        [sys.executable, "-m", "sync", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    console = Console(record=True, width=COLUMNS, file=io.StringIO(), force_terminal=True)
    console.print(Text("$ okrtree tree demo-org --depth 3", style="bold"))
    console.print(Text.from_ansi(shown.rstrip("\n")))
    svg = scratch / "terminal.svg"
    svg.write_text(console.export_svg(title="okrtree tree"), encoding="utf-8")
    _photograph(svg, out, "svg")


def web(org: Path, out: Path) -> None:
    """The tree page of `okrtree serve`, a branch opened, at a laptop's width."""
    from playwright.sync_api import sync_playwright

    from service.cli import make_local_server

    local = make_local_server(str(org), port=0, as_of=AS_OF)
    thread = threading.Thread(target=local.server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(local.url)
                for item in ("CO-2", "SAL-1"):
                    page.locator(f"li.node[data-id='{item}'] > details > summary").click()
                shot = page.screenshot()
            finally:
                browser.close()
    finally:
        local.server.shutdown()
        local.server.server_close()
    _save_small(Image.open(io.BytesIO(shot)), out)


def printed_hub(org: Path, out: Path, scratch: Path) -> None:
    """Page 1 of the hub's `Alignment Tree` as LibreOffice prints it."""
    import pypdfium2

    book = load_workbook(org / "hub.xlsx")
    for name in book.sheetnames:
        if name != "Alignment Tree":
            del book[name]
    only_tree = scratch / "alignment-tree.xlsx"
    book.save(only_tree)
    profile = (scratch / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(scratch), str(only_tree)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pypdfium2.PdfDocument(scratch / "alignment-tree.pdf")
    try:
        image = pdf[0].render(scale=1.6).to_pil()
    finally:
        pdf.close()
    _save_small(image, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the README's pictures.")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        org = scratch / "demo-org"
        create_workspace(org, example=True)
        synced = CliRunner().invoke(cli, ["sync", str(org), "--as-of", AS_OF.isoformat()])
        if synced.exit_code not in (0, 1):
            print(synced.output, file=sys.stderr)
            return 2
        terminal(org, args.out / "terminal.png", scratch)
        web(org, args.out / "web.png")
        printed_hub(org, args.out / "hub-print.png", scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
