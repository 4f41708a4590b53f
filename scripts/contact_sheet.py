"""Draw every exercise's figure on one page and screenshot it: the contact sheet.

    .venv/bin/python scripts/contact_sheet.py                 # docs/images/exercise-figures.png
    .venv/bin/python scripts/contact_sheet.py --html sheet.html --out sheet.png --width 1600

Each exercise shows its start and end positions side by side (the static figure, as
printed in the PDF) under its name, slug and view. A person looks at the PNG and
checks every figure against its steps (docs/explanation/illustrations.md). Needs
Debian's Chromium (/usr/bin/chromium) and Playwright, as the browser tests do.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import tempfile
from pathlib import Path

from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.content.library import load_exercises

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "images" / "exercise-figures.png"

STYLE = """
body { margin: 0; padding: 16px; font-family: system-ui, sans-serif; background: #f3f4f6; }
h1 { font-size: 20px; margin: 0 0 12px; }
.grid { display: grid; grid-template-columns: repeat(var(--cols), 1fr); gap: 10px; }
figure { margin: 0; background: #fff; border: 1px solid #d1d5db; border-radius: 6px;
         padding: 6px; }
figcaption { font-size: 15px; font-weight: 600; margin-bottom: 2px; }
figcaption small { font-weight: 400; color: #4b5563; }
svg { display: block; width: 100%; height: auto; }
"""


def sheet_html(columns: int, only: list[str] | None = None) -> str:
    """One HTML page with every exercise's static figure and its name."""
    cells = []
    for slug, exercise in sorted(load_exercises().items()):
        if only and slug not in only:
            continue
        svg = render_exercise_svg(exercise, animate=False, size_px=480)
        view = exercise.illustration.view
        cells.append(
            f"<figure><figcaption>{html.escape(exercise.name)} "
            f"<small>{html.escape(slug)} · {view} view</small></figcaption>{svg}</figure>"
        )
    count = len(cells)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>backstride exercise figures</title><style>{STYLE}</style></head>"
        f"<body style='--cols:{columns}'><h1>backstride: every exercise figure "
        f"({count}), start and end</h1><div class='grid'>{''.join(cells)}</div></body></html>"
    )


def screenshot(page_html: Path, out: Path, width: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is needed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(page_html.as_uri())
        page.screenshot(path=str(out), full_page=True)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG to write")
    parser.add_argument("--html", type=Path, help="also keep the HTML page here")
    parser.add_argument("--width", type=int, default=1800, help="page width in CSS px")
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--only", help="comma-separated slugs (default: every exercise)")
    args = parser.parse_args(argv)
    text = sheet_html(args.columns, args.only.split(",") if args.only else None)
    with tempfile.TemporaryDirectory() as tmp:
        page = args.html or Path(tmp) / "sheet.html"
        page.write_text(text, encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(page.resolve(), args.out, args.width)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
