"""The exercise library: every file valid, every named exercise present, a sound
progression graph, and contraindications a plan builder can evaluate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from backstride.content.library import (
    UnknownExerciseError,
    check_library,
    contraindication_tests,
    get_exercise,
    load_exercises,
    search_exercises,
    source_ids,
)
from backstride.domain.library.exercise import (
    CONDITION_IDS,
    FINDING_FIELDS,
    Contraindication,
    Exercise,
    FindingError,
    check_exercise,
    finding_present,
    parse_finding,
)

ROOT = Path(__file__).resolve().parents[3]
EXERCISE_DIR = ROOT / "src" / "backstride" / "content" / "exercises"
INTAKE_SCHEMA = ROOT / "docs" / "reference" / "intake.schema.json"

# Every exercise the seed articles name, plus the core set the plan builder relies on.
REQUIRED = {
    "piriformis-ball-release": "massage-ball piriformis / deep-gluteal release",
    "lacrosse-ball-glute-release": "lacrosse-ball glute release",
    "hip-flexor-stretch": "hip-flexor stretch",
    "childs-pose": "child's pose",
    "knee-to-chest": "knee hugs",
    "cat-cow": "cat-cow",
    "figure-4-stretch": "figure-4 piriformis stretch",
    "hamstring-stretch": "hamstring stretch",
    "glute-bridge": "glute bridge",
    "lateral-band-walk": "lateral band (tube) walks",
    "leg-slides": "leg slides",
    "wall-squat-ball": "wall squat with an exercise ball",
    "pelvic-tilt": "pelvic tilt",
    "double-knee-tuck": "double knee tucks with pelvic tilt",
    "single-leg-lowers": "single leg lowers",
    "double-leg-lowers": "double leg lowers",
    "forearm-plank": "forearm plank",
    "mountain-climbers": "mountain climbers",
    "superman": "superman",
    "seated-forward-fold": "seated forward fold",
    "legs-up-the-wall": "legs up the wall",
    "supine-twist": "supine twist",
    "bird-dog": "bird dog",
    "dead-bug": "dead bug",
    "side-plank": "side plank",
    "curl-up": "curl-up",
    "clamshell": "clamshell",
    "single-leg-bridge": "single-leg bridge",
    "hip-hinge": "hip hinge",
    "calf-raise": "calf raise",
    "walking": "walking",
}

FILES = sorted(EXERCISE_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_exercise_file_validates_on_its_own(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    exercise = Exercise.model_validate(data)
    assert exercise.slug == path.stem
    assert set(exercise.sources) <= source_ids()


def test_the_loader_loads_every_file() -> None:
    assert sorted(load_exercises()) == sorted(p.stem for p in FILES)


def test_loading_is_cached() -> None:
    assert load_exercises() is load_exercises()


@pytest.mark.parametrize("slug", sorted(REQUIRED))
def test_every_named_exercise_exists(slug: str) -> None:
    assert slug in load_exercises(), f"missing: {REQUIRED[slug]}"


def test_every_easier_and_harder_slug_exists_and_none_points_to_itself() -> None:
    exercises = load_exercises()
    for slug, exercise in exercises.items():
        for other in (*exercise.easier, *exercise.harder):
            assert other in exercises, f"{slug} → {other}"
            assert other != slug


def test_the_progression_graph_has_no_cycles() -> None:
    exercises = load_exercises()
    harder: dict[str, set[str]] = {slug: set(ex.harder) for slug, ex in exercises.items()}
    for slug, exercise in exercises.items():
        for easier in exercise.easier:
            harder[easier].add(slug)

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(harder[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(harder[node])
        return seen

    for slug in exercises:
        assert slug not in reachable(slug), f"{slug} is harder than itself"


def test_easier_and_harder_links_agree_in_direction() -> None:
    exercises = load_exercises()
    for slug, exercise in exercises.items():
        for other in exercise.harder:
            assert slug not in exercises[other].harder
        for other in exercise.easier:
            assert slug not in exercises[other].easier


def test_every_exercise_is_complete_enough_for_a_physiotherapist() -> None:
    for slug, exercise in load_exercises().items():
        assert len(exercise.steps) >= 4, slug
        assert exercise.cues, slug
        assert exercise.mistakes, slug
        assert len(exercise.why) > 80, slug
        assert exercise.phases, slug


def test_stretches_say_that_stretching_alone_has_weak_evidence() -> None:
    for slug, exercise in load_exercises().items():
        if exercise.kind == "stretch":
            assert "owen2020" in exercise.sources, slug


def test_contraindication_findings_parse_against_the_intake_vocabulary() -> None:
    for slug, exercise in load_exercises().items():
        for entry in exercise.contraindications:
            if entry.finding is not None:
                path, _ = parse_finding(entry.finding)
                assert path in FINDING_FIELDS, slug
            else:
                assert entry.condition in CONDITION_IDS, slug
            assert entry.reason


def _schema_field(schema: dict[str, Any], path: str) -> dict[str, Any]:
    node = schema
    for part in path.split("."):
        node = _resolve(schema, node)["properties"][part]
    return node


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        extra = {k: v for k, v in node.items() if k != "$ref"}
        node = {**schema["$defs"][name], **extra}
    return node


@pytest.mark.skipif(not INTAKE_SCHEMA.exists(), reason="no copy of the intake contract")
def test_the_finding_vocabulary_matches_the_intake_contract() -> None:
    schema = json.loads(INTAKE_SCHEMA.read_text())
    for path, allowed in FINDING_FIELDS.items():
        node = _resolve(schema, _schema_field(schema, path))
        if allowed is None:
            # A yes/no answer; the cauda equina questions also take "not_sure".
            types = [_resolve(schema, b).get("type") for b in node.get("anyOf", [node])]
            assert "boolean" in types, path
            continue
        if node.get("type") == "array":
            node = _resolve(schema, node["items"])
        assert set(node["enum"]) == set(allowed), path


@pytest.mark.parametrize(
    "bad",
    [
        "pain.aggravated_by",  # an enum field needs a value
        "pain.aggravated_by=jumping",  # not a value of the field
        "neuro.getting_worse=yes",  # a yes/no field takes no value
        "neuro.numbness=below_knee",  # not a region
        "pain.unknown_field",
        "aggravated_by=bending_forward",  # not a full path
    ],
)
def test_malformed_findings_are_rejected(bad: str) -> None:
    with pytest.raises(FindingError):
        parse_finding(bad)
    with pytest.raises(ValidationError):
        Contraindication(finding=bad, reason="x")


def test_a_contraindication_names_exactly_one_test() -> None:
    with pytest.raises(ValidationError):
        Contraindication(reason="neither")
    with pytest.raises(ValidationError):
        Contraindication(condition="spondylolysis", finding="neuro.getting_worse", reason="both")
    with pytest.raises(ValidationError):
        Contraindication(condition="not_a_condition", reason="unknown id")  # type: ignore[arg-type]


INTAKE = {
    "schema": "backstride.intake/1",
    "person": {"age": 34, "history": ["previous_disc_herniation"]},
    "pain": {
        "started_days_ago": 5,
        "regions": ["low_back_center", "thigh_back_left"],
        "worst_0_10": 6,
        "aggravated_by": ["bending_backward", "sitting"],
    },
    "neuro": {"numbness": ["below_knee_left"], "getting_worse": False},
}


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        ("person.history=previous_disc_herniation", True),
        ("person.history=pregnant", False),
        ("pain.aggravated_by=bending_backward", True),
        ("pain.aggravated_by=bending_forward", False),
        ("neuro.numbness=below_knee_left", True),
        ("neuro.numbness=below_knee_right", False),
        ("neuro.getting_worse", False),
        ("neuro.walking_limited_by_leg_symptoms", False),  # absent means unknown, not true
        ("general.fever_or_chills", False),  # whole section absent
    ],
)
def test_findings_are_evaluated_against_an_intake(finding: str, expected: bool) -> None:
    assert finding_present(finding, INTAKE) is expected


def test_the_seated_forward_fold_is_blocked_for_a_past_disc_herniation() -> None:
    fold = get_exercise("seated-forward-fold")
    verdict = check_exercise(fold, [], INTAKE)
    assert not verdict.allowed
    assert {c.test for c in verdict.blocked_by} >= {
        "person.history=previous_disc_herniation",
        "neuro.numbness=below_knee_left",
    }
    assert not check_exercise(fold, ["radicular_sciatica"]).allowed


def test_extension_exercises_are_blocked_for_spondylolysis_and_extension_pain() -> None:
    superman = get_exercise("superman")
    assert not check_exercise(superman, ["spondylolysis"]).allowed
    assert not check_exercise(superman, [], INTAKE).allowed
    assert check_exercise(superman, ["nonspecific_mechanical"], {"person": {"age": 30}}).allowed


def test_prone_lying_is_avoided_in_pregnancy_and_supine_work_needs_care() -> None:
    pregnant = {"person": {"age": 31, "history": ["pregnant"]}}
    assert not check_exercise(get_exercise("superman"), [], pregnant).allowed
    bridge = check_exercise(get_exercise("glute-bridge"), [], pregnant)
    assert bridge.allowed
    assert [c.test for c in bridge.cautions] == ["person.history=pregnant"]


def test_any_serious_condition_blocks_every_exercise() -> None:
    for exercise in load_exercises().values():
        verdict = check_exercise(exercise, ["cauda_equina_syndrome"])
        assert not verdict.allowed
        assert verdict.serious == ("cauda_equina_syndrome",)
        assert verdict.reasons


def test_unknown_condition_ids_are_an_error() -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        check_exercise(get_exercise("walking"), ["pulled_hamstring"])


def test_walking_is_allowed_for_plain_mechanical_back_pain() -> None:
    verdict = check_exercise(get_exercise("walking"), ["nonspecific_mechanical"], INTAKE)
    assert verdict.allowed
    assert verdict.cautions == ()


@pytest.mark.parametrize(
    ("text", "expected_first"),
    [
        ("knee hugs", "knee-to-chest"),
        ("bridge", "glute-bridge"),
        ("piriformis", "figure-4-stretch"),
        ("lateral tube", "lateral-band-walk"),
        ("glute med", "clamshell"),
    ],
)
def test_search_matches_names_aliases_and_targets(text: str, expected_first: str) -> None:
    slugs = [exercise.slug for exercise in search_exercises(text)]
    assert expected_first in slugs[:3], slugs


def test_search_by_kind_finds_every_exercise_of_that_kind() -> None:
    found = {exercise.slug for exercise in search_exercises("self release")}
    assert found == {"piriformis-ball-release", "lacrosse-ball-glute-release"}


def test_search_with_no_match_is_empty_and_blank_search_lists_all() -> None:
    assert search_exercises("zzzz") == []
    assert len(search_exercises("  ")) == len(load_exercises())


def test_unknown_slugs_raise_with_close_matches() -> None:
    with pytest.raises(UnknownExerciseError) as caught:
        get_exercise("glute-brige")
    assert "glute-bridge" in caught.value.suggestions
    assert get_exercise("Knee hugs").slug == "knee-to-chest"


def test_the_library_reports_what_its_contraindications_test() -> None:
    conditions, findings = contraindication_tests()
    assert "spondylolysis" in conditions
    assert "person.history=pregnant" in findings
    assert conditions <= CONDITION_IDS
    for finding in findings:
        parse_finding(finding)


def test_check_library_filters_by_phase_and_person() -> None:
    verdicts = check_library(["radicular_sciatica"], INTAKE, phase="settle")
    assert verdicts
    assert all("settle" in load_exercises()[slug].phases for slug in verdicts)
    assert verdicts["walking"].allowed
    everything = check_library(["radicular_sciatica"], INTAKE)
    assert set(everything) == set(load_exercises())
    assert not everything["seated-forward-fold"].allowed
    assert everything["hamstring-stretch"].cautions
