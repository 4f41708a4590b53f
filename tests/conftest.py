"""Fixtures shared by every kind of test.

Databases: the storage suite runs on SQLite always and on PostgreSQL when
BACKSTRIDE_TEST_POSTGRES_URL is set (CI sets it, together with
BACKSTRIDE_REQUIRE_POSTGRES=1 so that a missing server fails instead of skipping).
Each PostgreSQL test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Property tests: derandomized by default so CI is deterministic (the same examples
# every run); BACKSTRIDE_HYPOTHESIS_PROFILE=hunt searches randomly and much longer.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "hunt", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("BACKSTRIDE_HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
VIGNETTES = ROOT / "tests" / "spec" / "vignettes"
CONTRACTS = ROOT / "tests" / "spec" / "contracts"
FILES = ROOT / "tests" / "files"

POSTGRES_URL = os.environ.get("BACKSTRIDE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("BACKSTRIDE_REQUIRE_POSTGRES") == "1"


def load_vignettes() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(VIGNETTES.glob("[a-z]*.json"))]


def _postgres_schema_url(base: str) -> Iterator[str]:
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in plain else "?"
    try:
        yield f"{plain}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _database_params() -> list[Any]:
    params: list[Any] = [pytest.param("sqlite", id="sqlite")]
    marks = [pytest.mark.postgres]
    if not POSTGRES_URL and not REQUIRE_POSTGRES:
        marks.append(pytest.mark.skip(reason="BACKSTRIDE_TEST_POSTGRES_URL is not set"))
    params.append(pytest.param("postgresql", id="postgresql", marks=marks))
    return params


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to the current schema, made once per test run.

    Migrating takes 50-200 ms; the page and command tests copy this file instead
    (``fresh_sqlite``), which is what opening a new database would leave behind.
    """
    from backstride.adapters.db.database import open_database

    path = tmp_path_factory.mktemp("migrated") / "backstride.sqlite"
    open_database(f"sqlite:///{path}").engine.dispose()
    return path


def fresh_sqlite(template: Path, folder: Path, name: str = "backstride.sqlite") -> str:
    """The URL of a copy of the migrated template in ``folder``."""
    import shutil

    copy = folder / name
    shutil.copyfile(template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite in a temp folder, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backstride.sqlite'}"
        return
    if not POSTGRES_URL:
        pytest.fail("BACKSTRIDE_REQUIRE_POSTGRES=1 but BACKSTRIDE_TEST_POSTGRES_URL is not set")
    yield from _postgres_schema_url(POSTGRES_URL)


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real `backstride` command in a subprocess."""
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "backstride", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def isolated_data_home(tmp_path: Path) -> dict[str, str]:
    """Environment that points the default database at a temp folder."""
    return {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HOME": str(tmp_path / "home"),
        "BACKSTRIDE_DATABASE_URL": "",
    }
