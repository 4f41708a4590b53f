"""Every check the project has, in the order CI runs them: lint, format, types, imports, tests.

Run it with the project's virtual environment:  .venv/bin/python scripts/check.py
Extra arguments are passed to pytest (e.g. `-k vignette -x`).

Without extra arguments the tests run in two steps, which together are the whole suite:
everything but ``tests/spec``, then ``tests/spec`` (the reference vignettes and the
contracts) under coverage of the triage engine, ``backstride.domain.assessment``, which
must stay at ``ENGINE_COVERAGE`` percent or more: a rule no vignette reaches is a rule
nobody has checked. Coverage of the whole code base (``--coverage``, settings and
exclusions in ``[tool.coverage]``, pyproject.toml) costs two to four times the run time
under the tracer, too much for every CI run on two cores, so it is on demand:

    .venv/bin/python scripts/check.py --coverage
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Measured 98-100 % per module on 2026-12-07 (docs/how-to/testing.md); a little below.
ENGINE_COVERAGE = 97


def main() -> int:
    python = sys.executable
    paths = [p for p in ("src", "tests", "benchmarks", "scripts") if (ROOT / p).is_dir()]
    arguments = sys.argv[1:]
    pytest = [python, "-m", "pytest"]
    if arguments == ["--coverage"]:
        # The whole suite under coverage, against fail_under in pyproject.toml.
        tests = [("pytest with coverage", [*pytest, "--cov", "--cov-report=term"])]
    elif arguments:
        tests = [("pytest", [*pytest, *arguments])]
    else:
        tests = [
            ("pytest (all but tests/spec)", [*pytest, "--ignore=tests/spec"]),
            (
                "pytest tests/spec, with coverage of the triage engine",
                [
                    *pytest,
                    "tests/spec",
                    "--cov=backstride.domain.assessment",
                    "--cov-report=term",
                    f"--cov-fail-under={ENGINE_COVERAGE}",
                ],
            ),
        ]
    steps = [
        ("ruff lint", [python, "-m", "ruff", "check", *paths]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", *paths]),
        ("mypy", [python, "-m", "mypy"]),
        # The import-linter contracts in pyproject.toml ([tool.importlinter]).
        ("import boundaries", [str(Path(python).with_name("lint-imports"))]),
        *tests,
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
