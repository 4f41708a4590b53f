"""The README's promises: two quick-start commands, and CI runs the second one verbatim."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    assert block, "the Quick start has a code block"
    return [
        line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")
    ]


def test_quick_start_is_exactly_two_commands() -> None:
    assert len(quick_start_commands()) == 2


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = quick_start_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


def test_the_cli_reference_is_current() -> None:
    """docs/reference/cli.md is generated from the commands; regenerate it when they change."""
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "reference" / "cli.md").read_text()
    assert current == module.render(), "stale: run .venv/bin/python scripts/gen_cli_docs.py"


def test_every_place_the_glossary_names_exists() -> None:
    """docs/reference/glossary.md says where each term lives: `path` or `path:Name`.

    Paths are under src/backstride/ unless they start at the repository root; a Name
    must be defined or appear as a key in that file.
    """
    glossary = (ROOT / "docs" / "reference" / "glossary.md").read_text()
    location = re.compile(r"^([\w./-]+(?:\.py|\.ya?ml|\.json|\.md|/))(?::(\w+))?$")
    from_root = ("docs/", "tests/", "benchmarks/", "scripts/", "src/")
    checked, missing = 0, []
    for token in re.findall(r"`([^`\n]+)`", glossary):
        match = location.match(token)
        if not match:
            continue
        path, name = match.groups()
        base = ROOT if path.startswith(from_root) else ROOT / "src" / "backstride"
        target = base / path
        checked += 1
        found = target.exists() and (not name or re.search(rf"\b{name}\b", target.read_text()))
        if not found:
            missing.append(token)
    assert checked > 100, "the glossary names where its terms live"
    assert not missing, f"the glossary names places that do not exist: {missing}"
