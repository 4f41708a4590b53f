"""Every check the project has, in the order CI runs them: lint, format, types, imports, tests.

Run it with the project's virtual environment:  .venv/bin/python scripts/check.py
Extra arguments are passed to pytest (e.g. `-k vignette -x`).

The pytest step measures coverage of ``src/backstride`` (settings in
``[tool.coverage]``, pyproject.toml). On the whole suite the total must reach
``fail_under``; when extra arguments pick a subset of the tests, coverage is still
reported but the threshold is not applied (a subset covers less by design).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    python = sys.executable
    paths = [p for p in ("src", "tests", "benchmarks", "scripts") if (ROOT / p).is_dir()]
    coverage = ["--cov", "--cov-report=term"]
    if sys.argv[1:]:
        coverage.append("--cov-fail-under=0")
    steps = [
        ("ruff lint", [python, "-m", "ruff", "check", *paths]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", *paths]),
        ("mypy", [python, "-m", "mypy"]),
        # The import-linter contracts in pyproject.toml ([tool.importlinter]).
        ("import boundaries", [str(Path(python).with_name("lint-imports"))]),
        ("pytest", [python, "-m", "pytest", *coverage, *sys.argv[1:]]),
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
