"""ingest stays pure: no database, web, CLI or terminal libraries, and no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import backstride.ingest

PACKAGE = Path(backstride.ingest.__file__).parent
FORBIDDEN = ("sqlalchemy", "fastapi", "typer", "rich", "starlette", "psycopg")


def test_importing_ingest_loads_no_framework() -> None:
    code = (
        "import sys, backstride.ingest, backstride.ingest.reader;"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_ingest_never_reads_the_clock() -> None:
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow", "today"):
                raise AssertionError(f"{module.name} reads the clock ({node.attr})")
