"""Boundaries that keep the core pure (design.md): checked on the source, not by convention.

Which package may import which is checked by import-linter (the contracts in
pyproject.toml, run by scripts/check.py and pre-commit): the layers from the entry
points down to the domain, the domain's own layers, the web app and the command line
reaching the database only through ``bootstrap``, services using ports and never
adapters, and no framework or I/O module in the domain. The tests here check that
those contracts stay declared, and what an import graph cannot show: reading the
clock and touching files (connecting to a database on import: tests/integration/
test_import_side_effects.py, which starts a fresh interpreter).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "backstride"
FRAMEWORKS = ("sqlalchemy", "alembic", "fastapi", "starlette", "typer", "rich", "uvicorn", "jinja2")
CLOCK_CALLS = ("datetime.now", "date.today", "datetime.utcnow", "time.time")
FILE_METHODS = frozenset(
    {"open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir", "getenv"}
)
# Reasoned exceptions, the same as the import-linter contract "domain-no-io" makes: none.
# (The return-to-run docs writer is scripts/gen_return_to_run_docs.py; the domain keeps
# the pure render functions.)
FILE_IO_ALLOWED: frozenset[str] = frozenset()


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_the_import_contracts_are_declared() -> None:
    contracts = _contracts()
    assert {
        "layers",
        "domain-layers",
        "entry-points-use-bootstrap",
        "services-use-ports",
        "pure-core",
        "domain-no-io",
    } <= set(contracts)
    pure = contracts["pure-core"]
    assert set(FRAMEWORKS) <= set(pure["forbidden_modules"])
    assert set(pure["source_modules"]) == {"backstride.domain", "backstride.ingest"}
    entry = contracts["entry-points-use-bootstrap"]
    assert {"backstride.adapters.db", "sqlalchemy"} <= set(entry["forbidden_modules"])
    assert contracts["layers"]["layers"][-1] == "backstride.domain"


def test_the_domain_never_reads_the_clock() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in (SRC / "domain").rglob("*.py")
        if any(call in path.read_text() for call in CLOCK_CALLS)
    ]
    assert offenders == []


def _file_calls(path: Path) -> list[str]:
    """``open(...)``, ``x.read_text()`` and the like: the calls that touch files or the env."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            found.append(f"open (line {node.lineno})")
        elif isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
            found.append(f".{func.attr} (line {node.lineno})")
    return found


def test_the_domain_touches_no_file() -> None:
    offenders = {
        name: calls
        for path in (SRC / "domain").rglob("*.py")
        if (name := path.relative_to(SRC / "domain").as_posix()) not in FILE_IO_ALLOWED
        and (calls := _file_calls(path))
    }
    assert offenders == {}


def test_each_file_io_exception_is_still_needed() -> None:
    for name in sorted(FILE_IO_ALLOWED):
        assert _file_calls(SRC / "domain" / name), f"{name} no longer touches files: drop it"
