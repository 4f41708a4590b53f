"""The reference vignettes: each case's expected result, through the service and the CLI.

Every vignette runs through the command line in-process; a few, one per triage
level, also run through the installed command in a subprocess, so the entry point
itself is proven to print the same document.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.facts import Facts
from backstride.domain.assessment.triage_rules import fire_rules
from backstride.services.assessing import assess_intake, parse_intake
from tests.conftest import VIGNETTES as VIGNETTE_DIR
from tests.conftest import load_vignettes
from tests.integration.cli.invoke import invoke

VIGNETTES = load_vignettes()
IDS = [case["id"] for case in VIGNETTES]
# The first vignette of each triage level, for the subprocess runs.
ONE_PER_LEVEL = sorted(
    {case["expect"]["triage"]: case for case in reversed(VIGNETTES)}.values(),
    key=lambda case: str(case["id"]),
)
# The entry point `pip install` puts beside the interpreter.
COMMAND = Path(sys.executable).parent / "backstride"
DOCUMENT_KEYS = [
    "schema",
    "triage",
    "safety_screen",
    "red_flags",
    "likely_causes",
    "contributing_factors",
    "running",
    "outlook",
    "warning_signs",
    "safety_nets",
    "disclaimer",
]


def check_against_expectation(document: dict[str, Any], expect: dict[str, Any]) -> None:
    accept = expect.get("triage_any", [expect["triage"]])
    assert document["triage"]["level"] in accept
    flags = {flag["id"] for flag in document["red_flags"]}
    assert set(expect["red_flags"]) <= flags, (
        f"missed red flags: {set(expect['red_flags']) - flags}"
    )
    if expect.get("no_red_flags"):
        assert flags == set(), f"false alarm: {flags}"
    if expect.get("causes_top3"):
        top3 = [cause["id"] for cause in document["likely_causes"][:3]]
        assert set(top3) & set(expect["causes_top3"]), f"top three {top3}"
    factors = {factor["id"] for factor in document["contributing_factors"]}
    assert set(expect.get("factors", [])) <= factors
    assert document["running"]["advice"] in expect["running"]


@pytest.mark.parametrize("case", VIGNETTES, ids=IDS)
def test_the_service_gives_the_expected_assessment(case: dict[str, Any]) -> None:
    assessment = assess_intake(parse_intake(case["intake"]))
    check_against_expectation(assessment.to_document(), case["expect"])


def check_the_printed_document(
    returncode: int, stdout: str, stderr: str, case: dict[str, Any]
) -> None:
    assert returncode == 0, stderr
    document = json.loads(stdout)
    Assessment.model_validate(document)
    assert list(document) == DOCUMENT_KEYS
    check_against_expectation(document, case["expect"])


def intake_file(case: dict[str, Any], folder: Path) -> str:
    path = folder / "intake.json"
    path.write_text(json.dumps(case["intake"]))
    return str(path)


@pytest.mark.parametrize("case", VIGNETTES, ids=IDS)
def test_the_cli_prints_exactly_the_assessment_document(
    case: dict[str, Any], tmp_path: Path
) -> None:
    result = invoke("assess", "--input", intake_file(case, tmp_path), "--format", "json")
    check_the_printed_document(result.returncode, result.stdout, result.stderr, case)


@pytest.mark.parametrize("case", ONE_PER_LEVEL, ids=[case["id"] for case in ONE_PER_LEVEL])
def test_the_installed_command_prints_the_same_document(
    case: dict[str, Any], tmp_path: Path
) -> None:
    assert COMMAND.is_file(), f"{COMMAND} is not installed: pip install -e ."
    result = subprocess.run(
        [str(COMMAND), "assess", "--input", intake_file(case, tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,
    )
    check_the_printed_document(result.returncode, result.stdout, result.stderr, case)
    in_process = invoke("assess", "--input", intake_file(case, tmp_path), "--format", "json")
    assert result.stdout == in_process.stdout


def rules_table() -> dict[str, set[str]]:
    """The "rules that fire" column of the vignettes' coverage table."""
    rows = {}
    for line in (VIGNETTE_DIR / "README.md").read_text().splitlines():
        match = re.match(r"\| (p\d+) \| `\w+` \| ([^|]+) \|", line)
        if match:
            named = match.group(2).strip()
            rows[match.group(1)] = set() if named == "none" else set(named.split(", "))
    return rows


# The version-1 rule ids; the coverage table lists only these. Version-2 rows
# (AO1a, CE3d, ...) fire on top of them where the version-1 intakes meet them.
VERSION_1_RULES = (
    {f"E{n}" for n in range(1, 8)}
    | {f"U{n}" for n in range(1, 9)}
    | {f"S{n}" for n in range(1, 12)}
)
TABLED = [case for case in VIGNETTES if case["id"] in rules_table()]


@pytest.mark.parametrize("case", TABLED, ids=[case["id"] for case in TABLED])
def test_exactly_the_version_1_rules_the_coverage_table_lists_fire(case: dict[str, Any]) -> None:
    kb = load_knowledge_base()
    hits = fire_rules(Facts(parse_intake(case["intake"])), kb.thresholds)
    assert {hit.rule.id for hit in hits} & VERSION_1_RULES == rules_table()[case["id"]]
