"""One run of the installed `backstride` command per command, in a subprocess.

Every other CLI test runs the command line in-process (``invoke.py``); these prove
that the entry point installed by ``pip install`` starts each command for real,
with its lazy imports, in a fresh interpreter. A minimal real run where one is
cheap; `serve` (which would not return) shows its help.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from backstride.cli.main import app
from tests.conftest import ROOT

COMMAND = Path(sys.executable).parent / "backstride"
INTAKE = str(ROOT / "tests" / "spec" / "examples" / "new-runner-v2.json")

# (command, its arguments, a text the output must hold). A real run where it needs
# no database; a command that reads or writes one shows its help instead (a fresh
# database costs seconds of migrations; the in-process tests run them all for real).
RUNS = [
    ("assess", ["--input", INTAKE, "--format", "json"], '"schema": "backstride.assessment/'),
    ("history", ["--help"], "List saved assessments"),
    ("schema", ["checkin"], '"$id": "backstride.checkin/1"'),
    ("exercises", ["--search", "cat-cow", "--format", "json"], '"slug": "cat-cow"'),
    ("exercise", ["cat-cow", "--format", "json"], '"slug": "cat-cow"'),
    ("learn", ["ice-or-heat", "--format", "json"], '"slug": "ice-or-heat"'),
    ("plan", ["--input", INTAKE, "--start", "2026-03-02", "--format", "json"], '"phases"'),
    ("checkin", ["--help"], "Record how your back is today"),
    ("today", ["--help"], "What to do today"),
    ("progress", ["--help"], "Your recovery so far"),
    ("import", ["--help"], "Import runs from watch and app files"),
    ("runs", ["--help"], "List imported and hand-entered activities"),
    ("load", ["--help"], "Training load from your log"),
    ("serve", ["--help"], "Start the web app"),
    ("run", ["add", "--help"], "Add a run by hand"),
    ("shoes", ["--help"], "Shoes: add pairs"),
    ("export", ["fhir", "--help"], "as a FHIR R4 bundle"),
    ("user", ["add", "--help"], "Add an account"),
    ("report", ["summary", "--help"], "A one-page PDF for your GP or physiotherapist"),
    ("restore", ["--help"], "Read an export back into an empty record"),
    ("worker", ["--help"], "Run queued imports and exports"),
]


def test_every_command_has_one_run_here() -> None:
    assert sorted(name for name, _, _ in RUNS) == sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_the_version_is_printed() -> None:
    from backstride import __version__

    result = subprocess.run(
        [str(COMMAND), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, f"backstride {__version__}\n")


@pytest.mark.parametrize(("name", "args", "expected"), RUNS, ids=[run[0] for run in RUNS])
def test_the_installed_command_runs(
    tmp_path: Path, name: str, args: list[str], expected: str
) -> None:
    assert COMMAND.is_file(), f"{COMMAND} is not installed: pip install -e ."
    # A database that is never there: no run here may touch one.
    env = {
        **os.environ,
        "COLUMNS": "100",
        "BACKSTRIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'backstride.sqlite'}",
    }
    result = subprocess.run(
        [str(COMMAND), name, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in " ".join(result.stdout.split()) or expected in result.stdout
    if "--format" in args:
        json.loads(result.stdout)
    assert not (tmp_path / "missing").exists()


def test_the_version_is_the_one_the_package_declares() -> None:
    import importlib.metadata
    import tomllib

    from backstride import __version__

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert __version__ == declared == importlib.metadata.version("backstride")
