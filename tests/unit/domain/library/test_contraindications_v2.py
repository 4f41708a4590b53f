"""Exercise contraindications for the version-2 conditions (clinical-v2 item 12):
no compressive hamstring stretching or piriformis/figure-4 stretching for the hip
tendinopathies, care with deep hip flexion for the hip joint, no impact with a
possible bone stress injury. And no plan ever holds an exercise to avoid for a
likely cause, checked on the selection function and on whole plans."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backstride.content.library import contraindication_tests, load_exercises
from backstride.domain.library.exercise import CONDITION_IDS, Contraindication, check_exercise
from backstride.domain.plan.model import EQUIPMENT
from backstride.domain.plan.select import (
    RECIPES,
    Runner,
    choose,
)
from tests.unit.domain.plan.support import build, planned_slugs

LIBRARY = load_exercises()
PHT = "proximal_hamstring_tendinopathy"
GT = "gluteal_tendinopathy"
HIP = "hip_joint"
BSI = "bone_stress_injury"
NEW_CAUSES = (HIP, PHT, GT)


def levels(slug: str, condition: str) -> set[str]:
    return {c.level for c in LIBRARY[slug].contraindications if c.condition == condition}


def avoided(condition: str) -> set[str]:
    return {slug for slug in LIBRARY if "avoid" in levels(slug, condition)}


# -- what the library says ---------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "condition", "level"),
    [
        # compressive hamstring stretching
        ("hamstring-stretch", PHT, "avoid"),
        ("seated-forward-fold", PHT, "avoid"),
        ("legs-up-the-wall", PHT, "caution"),
        ("hip-hinge", PHT, "caution"),
        ("knee-to-chest", PHT, "caution"),
        # piriformis / figure-4 stretching and release, hip flexed (and adducted)
        ("figure-4-stretch", PHT, "avoid"),
        ("figure-4-stretch", GT, "avoid"),
        ("piriformis-ball-release", PHT, "avoid"),
        ("piriformis-ball-release", GT, "avoid"),
        ("lacrosse-ball-glute-release", PHT, "avoid"),
        ("lacrosse-ball-glute-release", GT, "avoid"),
        ("supine-twist", GT, "avoid"),
        # side-lying and side-of-hip loading: only with a change
        ("clamshell", GT, "caution"),
        ("side-plank-knees", GT, "caution"),
        ("side-plank", GT, "caution"),
        ("lateral-band-walk", GT, "caution"),
        ("single-leg-bridge", GT, "caution"),
        ("sit-to-stand", GT, "caution"),
        # deep hip flexion with a painful hip joint
        ("knee-to-chest", HIP, "caution"),
        ("childs-pose", HIP, "caution"),
        ("figure-4-stretch", HIP, "caution"),
        ("seated-forward-fold", HIP, "caution"),
        ("sit-to-stand", HIP, "caution"),
        ("wall-squat-ball", HIP, "caution"),
        # no impact with a possible bone stress injury
        ("mountain-climbers", BSI, "avoid"),
        ("walking", BSI, "caution"),
    ],
)
def test_the_library_contraindicates(slug: str, condition: str, level: str) -> None:
    assert levels(slug, condition) == {level}


def test_the_hip_joint_is_a_caution_never_a_reason_to_leave_out_movement() -> None:
    assert avoided(HIP) == set()


def test_the_new_condition_ids_are_accepted_in_contraindications() -> None:
    for condition in (*NEW_CAUSES, BSI):
        assert condition in CONDITION_IDS
        entry = Contraindication.model_validate(
            {"condition": condition, "level": "avoid", "reason": "test"}
        )
        assert entry.applies({condition}, None)
    tested, _ = contraindication_tests()
    assert {*NEW_CAUSES, BSI} <= tested <= CONDITION_IDS


def test_every_contraindication_reason_stands_on_its_own() -> None:
    for slug, exercise in LIBRARY.items():
        for entry in exercise.contraindications:
            if entry.condition in (*NEW_CAUSES, BSI):
                assert len(entry.reason) > 30, (slug, entry.condition)
                assert not any(s.startswith("seed") for s in entry.sources), slug


@pytest.mark.parametrize("condition", [PHT, GT])
def test_a_tendinopathy_leaves_exercises_to_plan(condition: str) -> None:
    allowed = {slug for slug, ex in LIBRARY.items() if check_exercise(ex, [condition]).allowed}
    assert len(allowed) >= 20
    assert {"glute-bridge", "walking", "bird-dog"} <= allowed


# -- the selection function ------------------------------------------------------------


def test_selection_would_otherwise_pick_what_the_tendinopathies_rule_out() -> None:
    # The check bites: without the cause, the restore phase reaches for a
    # buttock stretch or release that the tendinopathies rule out.
    base = Runner(
        conditions=frozenset({"nonspecific_mechanical"}),
        cause_weights={"nonspecific_mechanical": 3},
        factors=frozenset({"prolonged_sitting"}),
        intake={},
        at_hand=frozenset({*EQUIPMENT}),
    )
    plain = {c.exercise.slug for c in choose(LIBRARY, base, RECIPES["restore"], 60)}
    assert plain & (avoided(GT) | avoided(PHT))
    for cause in (GT, PHT):
        runner = Runner(
            conditions=base.conditions | {cause},
            cause_weights={**base.cause_weights, cause: 3},
            factors=base.factors,
            intake={},
            at_hand=base.at_hand,
        )
        picked = {c.exercise.slug for c in choose(LIBRARY, runner, RECIPES["restore"], 60)}
        assert not picked & avoided(cause)


# -- whole plans ---------------------------------------------------------------------

# Every safety-screen question answered "no", so that a calm intake gets a plan.
BASE: dict[str, Any] = {
    "schema": "backstride.intake/2",
    "person": {"age": 35, "could_be_pregnant": "no"},
    "pain": {
        "started_days_ago": 21,
        "onset": "gradual",
        "trauma": "none",
        "regions": ["low_back_center"],
        "worst_0_10": 3,
        "changes_with_movement": True,
    },
    "neuro": {
        "saddle_numbness": False,
        "bladder_change": False,
        "bowel_change": False,
        "sexual_change": False,
        "new_bladder_urgency": False,
        "weakness": [],
        "leg_drags_or_trips": False,
    },
    "general": {
        "fever_or_chills": False,
        "faint_or_collapse": False,
        "chest_pain_or_breathless": False,
        "lightheaded_or_sweaty": False,
        "very_unwell_signs": False,
        "painful_or_bloody_urine": False,
        "pulsating_abdomen": False,
    },
}
PRESENTATIONS = {
    HIP: (
        {"groin_left", "groin_right", "hip_side_left", "thigh_front_left"},
        ["putting_on_shoes_and_socks", "walking"],
    ),
    PHT: ({"sit_bone_left", "sit_bone_right", "thigh_back_left"}, ["sitting", "running_uphill"]),
    GT: ({"hip_side_left", "hip_side_right"}, ["lying_on_side", "climbing_stairs"]),
}


@pytest.mark.parametrize("cause", [PHT, GT])
def test_a_typical_tendinopathy_plan_leaves_out_what_presses_on_the_tendon(cause: str) -> None:
    places, worse = PRESENTATIONS[cause]
    document = copy.deepcopy(BASE)
    document["person"].update(age=48, sex="female")
    document["pain"].update(
        regions=[sorted(places)[0]], aggravated_by=worse, changes_with_movement=True, now_0_10=2
    )
    plan, assessment, _, _ = build(document, equipment=list(EQUIPMENT), minutes_per_day=45)
    assert assessment.likely_causes[0].id == cause
    assert assessment.likely_causes[0].likelihood == "high"
    slugs = planned_slugs(plan)
    assert slugs, "the plan should still have exercises"
    assert not slugs & avoided(cause)
