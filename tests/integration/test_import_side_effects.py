"""Importing backstride connects to nothing (the architecture tests' companion in
tests/unit/test_architecture.py): every module imported in a fresh interpreter, with
a database URL that cannot work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "backstride"


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
