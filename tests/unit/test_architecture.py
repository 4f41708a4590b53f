"""Boundaries that keep the core pure (design.md): checked on the source, not by convention."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "backstride"
FRAMEWORKS = ("sqlalchemy", "alembic", "fastapi", "starlette", "typer", "rich", "uvicorn", "jinja2")
PURE_PACKAGES = ("domain", "ingest")
CLOCK_CALLS = ("datetime.now", "date.today", "datetime.utcnow", "time.time")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_framework(package: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in imports_of(path) if m.split(".")[0] in FRAMEWORKS
        )
        for path in (SRC / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_domain_never_reads_the_clock() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in (SRC / "domain").rglob("*.py")
        if any(call in path.read_text() for call in CLOCK_CALLS)
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["cli", "web"])
def test_entry_points_do_not_query_the_database_directly(package: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in imports_of(path) if m.startswith("sqlalchemy")
        )
        for path in (SRC / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_everything_opens_no_database(tmp_path: Path) -> None:
    """Import every module with a database URL that cannot work: nothing may connect."""
    modules = sorted(
        ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__main__.py"
    )
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"BACKSTRIDE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
