"""The policy's thresholds, case by case at their edges (triage-policy.md)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.facts import Facts
from backstride.domain.assessment.triage_rules import fire_rules
from backstride.services.assessing import assess_intake, parse_intake

BASE: dict[str, Any] = {
    "schema": "backstride.intake/1",
    "person": {"age": 35},
    "pain": {"started_days_ago": 5, "regions": ["low_back_center"], "worst_0_10": 4},
}


def intake(**sections: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    for name, values in sections.items():
        document.setdefault(name, {}).update(values)
    return document


def fired(document: dict[str, Any]) -> set[str]:
    facts = Facts(parse_intake(document))
    return {hit.rule.id for hit in fire_rules(facts, load_knowledge_base().thresholds)}


def factors(document: dict[str, Any]) -> set[str]:
    return {f.id for f in assess_intake(parse_intake(document)).contributing_factors}


BILATERAL = {
    "regions": ["low_back_center", "below_knee_left", "below_knee_right"],
    "character": ["shooting"],
}


@pytest.mark.parametrize(
    ("document", "rule", "fires"),
    [
        (intake(pain={**BILATERAL, "started_days_ago": 42}), "E2", True),
        # Version 2 (review R7): no 42-day window; only long-standing (over 90 days) and
        # stable symptoms with every cauda equina answer "no" are exempt.
        (intake(pain={**BILATERAL, "started_days_ago": 43}), "E2", True),
        (
            intake(
                pain={**BILATERAL, "started_days_ago": 91, "trend": "same"},
                neuro={
                    "getting_worse": False,
                    "saddle_numbness": False,
                    "bladder_change": False,
                    "bowel_change": False,
                    "sexual_change": False,
                },
            ),
            "E2",
            False,
        ),
        (
            intake(
                pain={**BILATERAL, "started_days_ago": 300},
                neuro={"leg_symptoms_started_days_ago": 10},
            ),
            "E2",
            True,
        ),
        # The stenosis pattern exempts only from 60, stable, with a clear CES screen (R7).
        (
            intake(
                pain={**BILATERAL, "started_days_ago": 10, "eased_by": ["sitting"]},
                neuro={"walking_limited_by_leg_symptoms": True},
            ),
            "E2",
            True,
        ),
        (
            intake(
                person={"age": 60},
                pain={
                    **BILATERAL,
                    "started_days_ago": 10,
                    "eased_by": ["sitting"],
                    "trend": "same",
                },
                neuro={
                    "walking_limited_by_leg_symptoms": True,
                    "getting_worse": False,
                    "saddle_numbness": False,
                    "bladder_change": False,
                    "bowel_change": False,
                    "sexual_change": False,
                },
            ),
            "E2",
            False,
        ),
        (intake(neuro={"weakness": ["foot_left", "below_knee_right"]}), "E2", True),
        (intake(person={"age": 49}, general={"pulsating_abdomen": True}), "E3", False),
        (intake(person={"age": 50}, general={"pulsating_abdomen": True}), "E3", True),
        (
            intake(
                person={"age": 50},
                pain={"regions": ["flank_left"], "worst_0_10": 8, "changes_with_movement": False},
            ),
            "E3",
            True,
        ),
        (
            intake(person={"age": 50}, pain={"regions": ["flank_left"], "worst_0_10": 8}),
            "E3",
            False,
        ),
        (intake(pain={"trauma": "major", "started_days_ago": 7}), "E6", True),
        (intake(pain={"trauma": "major", "started_days_ago": 8}), "U6", True),
        (
            intake(person={"history": ["cancer"]}, neuro={"tingling": ["thigh_front_left"]}),
            "E7",
            True,
        ),
        (intake(person={"history": ["cancer"], "age": 49}), "U4", False),
        (intake(person={"history": ["cancer"], "age": 49}), "S3", True),
        (intake(person={"history": ["cancer"], "age": 50}), "U4", True),
        (intake(general={"fever_or_chills": True, "urinary_symptoms": True}), "U2", False),
        (
            intake(
                general={"fever_or_chills": True, "urinary_symptoms": True},
                person={"history": ["immunosuppressed"]},
            ),
            "U2",
            True,
        ),
        (intake(person={"history": ["immunosuppressed"]}), "S2", True),
        (
            intake(pain={"trauma": "minor", "worst_0_10": 7}, person={"history": ["osteoporosis"]}),
            "U5",
            True,
        ),
        (
            intake(pain={"trauma": "minor", "worst_0_10": 6}, person={"history": ["osteoporosis"]}),
            "S1",
            True,
        ),
        (
            intake(
                pain={"onset": "sudden", "worst_0_10": 7},
                person={"age": 70, "history": ["long_term_steroids"]},
            ),
            "U5",
            True,
        ),
        (intake(person={"age": 70}, pain={"started_days_ago": 42}), "S1", True),
        (intake(person={"age": 70}, pain={"started_days_ago": 43}), "S1", False),
        (
            intake(
                pain={"regions": ["flank_right"], "worst_0_10": 8, "changes_with_movement": False}
            ),
            "U7",
            True,
        ),
        # Version 2 (rule 7): severe flank pain is urgent from 7, so S11 starts below it.
        (
            intake(
                pain={"regions": ["flank_right"], "worst_0_10": 7, "changes_with_movement": False}
            ),
            "U7",
            True,
        ),
        (
            intake(
                pain={"regions": ["flank_right"], "worst_0_10": 6, "changes_with_movement": False}
            ),
            "S11",
            True,
        ),
        (intake(person={"history": ["pregnant"]}, pain={"character": ["cramping"]}), "U8", True),
        (
            intake(
                pain={"regions": ["below_knee_left"], "character": ["burning"], "worst_0_10": 6}
            ),
            "S5",
            False,
        ),
        (
            intake(
                pain={"regions": ["below_knee_left"], "character": ["burning"], "worst_0_10": 7}
            ),
            "S5",
            True,
        ),
        (
            intake(
                pain={
                    "regions": ["below_knee_left"],
                    "character": ["shooting"],
                    "started_days_ago": 43,
                }
            ),
            "S5",
            True,
        ),
        (intake(pain={"started_days_ago": 41}), "S8", False),
        (intake(pain={"started_days_ago": 42}), "S8", True),
        (intake(pain={"started_days_ago": 42, "trend": "improving"}), "S8", False),
        (intake(pain={"started_days_ago": 14, "trend": "worsening"}), "S8", True),
        (intake(pain={"worst_0_10": 8, "trend": "improving"}), "S8", False),
        (
            intake(
                person={"age": 25},
                pain={"aggravated_by": ["bending_backward"], "started_days_ago": 14},
            ),
            "S7",
            True,
        ),
        (
            intake(
                person={"age": 26},
                pain={"aggravated_by": ["bending_backward"], "started_days_ago": 14},
            ),
            "S7",
            False,
        ),
        (intake(neuro={"numbness": ["thigh_back_left"]}), "S9", True),
        (intake(general={"unexplained_weight_loss": True}), "S3", True),
        (intake(person={"age": 50}, pain={"changes_with_movement": False}), "S3", True),
    ],
)
def test_rule_edges(document: dict[str, Any], rule: str, fires: bool) -> None:
    assert (rule in fired(document)) is fires


def inflammatory(age: int, days: int, features: dict[str, Any]) -> dict[str, Any]:
    return intake(person={"age": age}, pain={"started_days_ago": days, **features})


# Four S6 features; "rest" in eased_by keeps "not eased by rest" from counting as a fifth.
FOUR_FEATURES = {
    "onset": "gradual",
    "night": "wakes_me",
    "morning_stiffness_min": 30,
    "eased_by": ["movement", "rest"],
}


@pytest.mark.parametrize(
    ("document", "fires"),
    [
        (inflammatory(40, 84, FOUR_FEATURES), True),
        (inflammatory(40, 83, FOUR_FEATURES), False),
        # onset age = 45 - floor(366 / 365.25) = 44: still under 45
        (inflammatory(45, 366, FOUR_FEATURES), True),
        (inflammatory(46, 366, FOUR_FEATURES), False),
        (inflammatory(40, 84, {**FOUR_FEATURES, "morning_stiffness_min": 29}), False),
        # young onset counts as a feature: three others are enough at 34
        (
            inflammatory(
                34, 84, {"onset": "gradual", "night": "wakes_me", "eased_by": ["movement", "rest"]}
            ),
            True,
        ),
    ],
)
def test_s6_edges(document: dict[str, Any], fires: bool) -> None:
    assert ("S6" in fired(document)) is fires


@pytest.mark.parametrize(
    ("running", "person", "factor", "present"),
    [
        ({"km_last_week": 26, "km_per_week_before": 20}, {}, "load_spike", True),  # 1.3 x 20
        ({"km_last_week": 18.2, "km_per_week_before": 13.2}, {}, "load_spike", True),  # +5.0
        ({"km_last_week": 18.1, "km_per_week_before": 13.2}, {}, "load_spike", False),
        ({"km_last_week": 12, "km_per_week_before": 8}, {}, "load_spike", False),  # +4 only
        ({"returned_after_break_weeks": 3, "runs_per_week": 3}, {}, "return_too_fast", True),
        ({"returned_after_break_weeks": 2, "runs_per_week": 3}, {}, "return_too_fast", False),
        ({"returned_after_break_weeks": 3, "km_last_week": 15}, {}, "return_too_fast", True),
        ({"years_running": 0.49}, {}, "new_runner", True),
        ({"years_running": 0.5}, {}, "new_runner", False),
        ({"surfaces": ["asphalt", "trail"]}, {}, "hard_surfaces", False),
        ({"surfaces": ["concrete"]}, {}, "hard_surfaces", True),
        ({"shoe_km": 800}, {}, "worn_shoes", True),
        ({"cadence_spm": 160}, {}, "low_cadence_overstriding", False),
        ({"sitting_hours_per_day": 8}, {}, "prolonged_sitting", True),
        # Version 2: cycling alone no longer raises tight hip flexors (no evidence).
        ({"cross_training": ["indoor_cycling"]}, {}, "tight_hip_flexors", False),
        ({"strength_sessions_per_week": 0}, {}, "weak_core_glutes", True),
        ({"warms_up": False}, {}, "no_warm_up", True),
        ({"cross_training": ["none"]}, {}, "no_cross_training", True),
        ({"cross_training": ["none", "walking"]}, {}, "no_cross_training", False),
        ({}, {"height_cm": 180, "weight_kg": 81}, "excess_weight", True),  # BMI 25.0
        ({}, {"height_cm": 180, "weight_kg": 80.9}, "excess_weight", False),
    ],
)
def test_factor_edges(
    running: dict[str, Any], person: dict[str, Any], factor: str, present: bool
) -> None:
    document = intake(running=running, person=person) if running else intake(person=person)
    assert (factor in factors(document)) is present


@pytest.mark.parametrize(
    ("document", "advice"),
    [
        (intake(pain={"now_0_10": 5, "worst_0_10": 5}), "pause"),
        (intake(pain={"worst_0_10": 7, "now_0_10": 2, "trend": "improving"}), "pause"),
        # "continue" needs a finished safety screen (review R14(e)).
        (
            intake(
                pain={
                    "worst_0_10": 4,
                    "now_0_10": 2,
                    "trend": "improving",
                    "onset": "gradual",
                    "trauma": "none",
                    "changes_with_movement": True,
                },
                neuro={
                    "weakness": [],
                    "leg_drags_or_trips": False,
                    "saddle_numbness": False,
                    "bladder_change": False,
                    "bowel_change": False,
                    "sexual_change": False,
                },
                general={
                    "fever_or_chills": False,
                    "faint_or_collapse": False,
                    "chest_pain_or_breathless": False,
                    "urinary_symptoms": False,
                },
            ),
            "continue",
        ),
        (intake(pain={"worst_0_10": 4, "now_0_10": 2, "trend": "improving"}), "reduce"),
        (intake(pain={"worst_0_10": 4, "now_0_10": 3, "trend": "improving"}), "reduce"),
        (intake(pain={"worst_0_10": 4, "now_0_10": 2}), "reduce"),  # trend unknown
        (intake(pain={"started_days_ago": 60, "worst_0_10": 4}), "reduce"),  # S8 only
        (intake(person={"history": ["immunosuppressed"]}), "pause"),  # S2: until seen
    ],
)
def test_running_advice_rows(document: dict[str, Any], advice: str) -> None:
    assert assess_intake(parse_intake(document)).running.advice == advice
