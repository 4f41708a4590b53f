"""Every check the project has, in the order CI runs them: lint, format, types, tests.

Run it with the project's virtual environment:  .venv/bin/python scripts/check.py
Extra arguments are passed to pytest (e.g. `-k vignette -x`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    python = sys.executable
    paths = [p for p in ("src", "tests", "benchmarks", "scripts") if (ROOT / p).is_dir()]
    steps = [
        ("ruff lint", [python, "-m", "ruff", "check", *paths]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", *paths]),
        ("mypy", [python, "-m", "mypy"]),
        ("pytest", [python, "-m", "pytest", *sys.argv[1:]]),
    ]
    for name, command in steps:
        print(f"== {name}", flush=True)
        if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
            print(f"FAILED: {name}", flush=True)
            return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
