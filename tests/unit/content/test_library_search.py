"""The library is found by what an exercise trains, in the words runners use, and
narrowed by kind, body area, equipment and level (issue 13, item 5)."""

from __future__ import annotations

import pytest

from backstride.content.library import (
    BODY_AREAS,
    KIND_NAMES,
    TARGET_WORDS,
    body_areas,
    filter_exercises,
    load_exercises,
    search_exercises,
)
from backstride.domain.library.exercise import Target


def _found(text: str) -> set[str]:
    return {exercise.slug for exercise in search_exercises(text)}


@pytest.mark.parametrize(
    ("text", "must_find"),
    [
        ("core", {"forearm-plank", "side-plank", "dead-bug", "bird-dog", "curl-up", "plank-knees"}),
        ("glutes", {"glute-bridge", "clamshell", "single-leg-bridge", "lateral-band-walk"}),
        ("hamstrings", {"hamstring-stretch", "seated-forward-fold", "hip-hinge"}),
        ("hamstring", {"hamstring-stretch"}),
        ("mobility", {"cat-cow", "pelvic-tilt", "supine-twist"}),
        ("stretches", {"hamstring-stretch", "figure-4-stretch", "hip-flexor-stretch"}),
        ("abs", {"curl-up", "dead-bug"}),
        ("low back", {"cat-cow", "knee-to-chest"}),
        ("calves", {"calf-raise"}),
        ("quads", {"sit-to-stand", "wall-squat-ball"}),
        ("self-massage", {"piriformis-ball-release", "lacrosse-ball-glute-release"}),
        ("cardio", {"walking"}),
    ],
)
def test_search_finds_exercises_by_what_they_train(text: str, must_find: set[str]) -> None:
    assert must_find <= _found(text), _found(text)


def test_core_finds_the_trunk_exercises_and_not_the_stretches_of_the_legs() -> None:
    found = _found("core")
    assert "hamstring-stretch" not in found
    assert "calf-raise" not in found
    assert search_exercises("core")[0].slug in {"bird-dog", "dead-bug", "forearm-plank"}


def test_every_target_has_plain_words_and_every_kind_a_name() -> None:
    from typing import get_args

    assert set(TARGET_WORDS) == set(get_args(Target))
    assert set(KIND_NAMES) == {exercise.kind for exercise in load_exercises().values()}


def test_every_exercise_trains_at_least_one_body_area() -> None:
    for exercise in load_exercises().values():
        assert body_areas(exercise), exercise.slug


@pytest.mark.parametrize("area", sorted(BODY_AREAS))
def test_each_body_area_filter_keeps_only_that_area(area: str) -> None:
    kept = filter_exercises(load_exercises().values(), area=area)
    assert kept
    members = BODY_AREAS[area][1]
    assert all(set(exercise.targets) & members for exercise in kept)


def test_filters_combine() -> None:
    pool = load_exercises().values()
    kept = filter_exercises(pool, kind="strength", area="core", equipment="none", level=2)
    assert kept
    for exercise in kept:
        assert exercise.kind == "strength"
        assert "core" in body_areas(exercise)
        assert set(exercise.equipment) <= {"none", "mat"}
        assert exercise.difficulty <= 2
    balls = filter_exercises(pool, equipment="exercise_ball")
    assert [e.slug for e in balls] == ["wall-squat-ball"]
    assert len(filter_exercises(pool)) == len(load_exercises())
