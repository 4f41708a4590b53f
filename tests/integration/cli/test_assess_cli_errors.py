"""Bad input: exit status 2, one line per problem naming the path, nothing on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli.invoke import invoke

# A complete safety screen: with a question left out the result would be "soon"
# (policy CE3d), which other tests cover.
VALID = {
    "schema": "backstride.intake/1",
    "person": {"age": 30},
    "pain": {
        "started_days_ago": 3,
        "regions": ["low_back_center"],
        "worst_0_10": 4,
        "onset": "gradual",
        "trauma": "none",
        "changes_with_movement": True,
    },
    "neuro": {
        "weakness": [],
        "leg_drags_or_trips": False,
        "saddle_numbness": False,
        "bladder_change": False,
        "bowel_change": False,
        "sexual_change": False,
    },
    "general": {
        "fever_or_chills": False,
        "faint_or_collapse": False,
        "chest_pain_or_breathless": False,
        "urinary_symptoms": False,
    },
}


def write(tmp_path: Path, content: str) -> str:
    path = tmp_path / "intake.json"
    path.write_text(content)
    return str(path)


def with_change(section: str, key: str, value: object) -> str:
    document = json.loads(json.dumps(VALID))
    document[section][key] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("content", "expected_fragments"),
    [
        (with_change("pain", "trend", "better"), ["pain.trend", "must be one of"]),
        (with_change("pain", "worst_0_10", 12), ["pain.worst_0_10", "at most 10"]),
        (with_change("person", "age", 5), ["person.age", "at least 10"]),
        (with_change("person", "colour", "blue"), ["person.colour", "not a field"]),
        (with_change("pain", "regions", ["low_back_center", "knee"]), ["pain.regions[1]"]),
        (with_change("pain", "regions", []), ["pain.regions", "at least 1"]),
        (with_change("pain", "now_0_10", None), ["pain.now_0_10", "null"]),
        (with_change("pain", "worst_0_10", "7"), ["pain.worst_0_10", "whole number"]),
        ('{"schema": "backstride.intake/1", "person": {"age": 30', ["not valid JSON"]),
        ("", ["empty"]),
        ("[1, 2]", ["must be a JSON object"]),
    ],
    ids=[
        "wrong-enum",
        "out-of-range",
        "too-young",
        "unknown-field",
        "unknown-region",
        "no-regions",
        "null",
        "string-number",
        "bad-json",
        "empty-file",
        "not-an-object",
    ],
)
def test_invalid_documents_exit_2_with_the_path(
    tmp_path: Path, content: str, expected_fragments: list[str]
) -> None:
    result = invoke("assess", "--input", write(tmp_path, content), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    for fragment in expected_fragments:
        assert fragment in result.stderr


def test_one_line_per_problem(tmp_path: Path) -> None:
    document = json.loads(json.dumps(VALID))
    document["pain"]["worst_0_10"] = 11
    document["person"]["sex"] = "robot"
    document["extra"] = True
    result = invoke("assess", "--input", write(tmp_path, json.dumps(document)))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == 3
    assert all(line.startswith("error: ") for line in lines)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("assess", "--input", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_stdin_input(tmp_path: Path) -> None:
    result = invoke("assess", "--input", "-", "--format", "json", stdin=json.dumps(VALID))
    assert result.returncode == 0
    assert json.loads(result.stdout)["triage"]["level"] == "self_care"


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    result = invoke("assess", "--input", write(tmp_path, json.dumps(VALID)), "--format", "xml")
    assert result.returncode == 2
    assert "--format" in result.stderr


def test_text_report_has_every_section(tmp_path: Path) -> None:
    result = invoke("assess", "--input", write(tmp_path, json.dumps(VALID)))
    assert result.returncode == 0
    for heading in ("SELF-CARE", "What to do now", "Running", "Get help at once if", "Medicines"):
        assert heading in result.stdout
    assert "not a diagnosis" in result.stdout
