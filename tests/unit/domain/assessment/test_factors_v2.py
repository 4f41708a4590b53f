"""Contributing factors, policy version 2 (clinical-v2 §2 and item 11; review R8,
R11 20e): low energy availability, pelvic floor symptoms, no weight factor in
pregnancy, within a year of birth or under 18, and no tight hip flexors from
cycling alone. Each threshold is tested on both sides."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.factors import FACTOR_IDS, FactorHit, find_factors
from backstride.domain.assessment.facts import Facts, FactsV2
from backstride.domain.assessment.intake import Intake

KB = load_knowledge_base()
T = KB.thresholds

BASE: dict[str, Any] = {
    "schema": "backstride.intake/2",
    "person": {"age": 30},
    "pain": {"started_days_ago": 10, "regions": ["low_back_center"], "worst_0_10": 4},
}
# Height 200 cm: BMI = weight / 4, so the thresholds fall on round weights.
LOW = {"height_cm": 200, "weight_kg": 73.9}  # BMI 18.475
NOT_LOW = {"height_cm": 200, "weight_kg": 74}  # BMI 18.5
HEAVY = {"height_cm": 200, "weight_kg": 100}  # BMI 25.0
NOT_HEAVY = {"height_cm": 200, "weight_kg": 99.9}  # BMI 24.975


def document(**sections: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(BASE)
    for name, values in sections.items():
        result.setdefault(name, {}).update(values)
    return result


def hits(doc: dict[str, Any]) -> dict[str, FactorHit]:
    found = find_factors(FactsV2(Intake.model_validate(doc)), T)
    return {hit.id: hit for hit in found}


def text(doc: dict[str, Any], factor: str) -> str:
    hit = hits(doc)[factor]
    entry = KB.factor_texts[factor]
    return f"{entry.detail.format(**hit.numbers)}. {entry.advice}"


def test_the_thresholds_these_tests_assume() -> None:
    assert (T.low_bmi, T.adult_age, T.postnatal_weight_advice_weeks) == (18.5, 18, 52)
    assert (T.excess_weight_bmi, T.prolonged_sitting_hours) == (25, 8)


# -- low energy availability (review R8 and R11 20e) ----------------------------------


@pytest.mark.parametrize(
    ("person", "present"),
    [
        ({**LOW}, True),  # adult, BMI just under 18.5
        ({**NOT_LOW}, False),  # BMI 18.5 exactly
        ({"age": 18, "height_cm": 200, "weight_kg": 64}, True),  # BMI 16 at 18
        ({"age": 17, "height_cm": 200, "weight_kg": 64}, False),  # never from BMI under 18
        ({"age": 17, "periods": "stopped_3_months"}, True),  # under 18: periods only
        ({"age": 17, "periods": "irregular", "height_cm": 200, "weight_kg": 64}, False),
        ({"periods": "stopped_3_months"}, True),
        ({"periods": "stopped_3_months", **NOT_LOW}, True),
        ({"periods": "irregular", **NOT_LOW}, False),
        ({"periods": "irregular", **LOW}, True),
        ({"periods": "regular", **LOW}, True),  # BMI alone is enough from 18
        ({"periods": "regular"}, False),
        ({"periods": "hormonal_contraception"}, False),
        ({"periods": "breastfeeding"}, False),
        ({}, False),  # nothing known
        ({"history": ["pregnant"], **LOW}, False),  # not in pregnancy
        ({"history": ["pregnant"], "periods": "stopped_3_months"}, False),
        ({"history": ["postpartum"], "weeks_since_birth": 51, **LOW}, False),
        ({"history": ["postpartum"], "weeks_since_birth": 52, **LOW}, True),
        ({"history": ["postpartum"], **LOW}, False),  # unknown weeks count as within a year
        ({"history": ["postpartum"], "weeks_since_birth": 20, "periods": "stopped_3_months"}, True),
    ],
)
def test_low_energy_availability(person: dict[str, Any], present: bool) -> None:
    assert ("low_energy_availability" in hits(document(person=person))) is present


@pytest.mark.parametrize(
    ("person", "says", "never_says"),
    [
        ({"periods": "stopped_3_months"}, ["periods have stopped"], ["body mass index"]),
        ({**LOW}, ["body mass index under 18.5"], ["periods"]),
        ({"periods": "irregular", **LOW}, ["irregular", "body mass index under 18.5"], []),
        (
            {"age": 16, "periods": "stopped_3_months", "height_cm": 200, "weight_kg": 64},
            ["periods have stopped"],
            ["body mass index"],
        ),
    ],
)
def test_low_energy_text_names_only_what_fired(
    person: dict[str, Any], says: list[str], never_says: list[str]
) -> None:
    words = text(document(person=person), "low_energy_availability")
    for phrase in says:
        assert phrase in words
    for phrase in never_says:
        assert phrase not in words
    # Never the BMI figure itself (only the threshold it fell under).
    assert not re.search(r"\b1[0-7](\.\d)?\b", words)


def test_low_energy_text_is_never_a_diet_or_weight_instruction() -> None:
    entry = KB.factor_texts["low_energy_availability"]
    words = f"{entry.name} {entry.detail} {entry.advice}".lower()
    for instruction in (
        "eat more",
        "eat less",
        "gain weight",
        "put on weight",
        "lose weight",
        "calorie",
        "diet plan",
        "you should eat",
        "weigh yourself",
    ):
        assert instruction not in words
    assert "doctor" in words
    assert "sports dietitian" in words
    assert set(entry.sources) >= {"desouza2014_triad"}
    assert all(KB.sources[s].verified for s in entry.sources)


# -- excess weight: never in pregnancy, within a year of birth or under 18 ------------


@pytest.mark.parametrize(
    ("person", "present"),
    [
        ({**HEAVY}, True),
        ({**NOT_HEAVY}, False),
        ({"history": ["pregnant"], **HEAVY}, False),
        ({"history": ["pregnant"], "pregnancy_weeks": 30, **HEAVY}, False),
        ({"history": ["postpartum"], "weeks_since_birth": 0, **HEAVY}, False),
        ({"history": ["postpartum"], "weeks_since_birth": 51, **HEAVY}, False),
        ({"history": ["postpartum"], "weeks_since_birth": 52, **HEAVY}, True),
        ({"history": ["postpartum"], "weeks_since_birth": 80, **HEAVY}, True),
        ({"history": ["postpartum"], **HEAVY}, False),  # weeks unknown: within a year
        ({"age": 17, **HEAVY}, False),
        ({"age": 18, **HEAVY}, True),
        ({"age": 10, "height_cm": 150, "weight_kg": 70}, False),
    ],
)
def test_excess_weight(person: dict[str, Any], present: bool) -> None:
    assert ("excess_weight" in hits(document(person=person))) is present


# -- tight hip flexors: sitting can raise it, cycling alone no longer does -----------


@pytest.mark.parametrize(
    ("running", "present"),
    [
        ({"cross_training": ["cycling"]}, False),
        ({"cross_training": ["indoor_cycling"]}, False),
        ({"cross_training": ["cycling", "indoor_cycling"], "sitting_hours_per_day": 7.9}, False),
        ({"sitting_hours_per_day": 8}, True),
        ({"sitting_hours_per_day": 7.9}, False),
        ({"sitting_hours_per_day": 10, "cross_training": ["cycling"]}, True),
    ],
)
def test_tight_hip_flexors(running: dict[str, Any], present: bool) -> None:
    assert ("tight_hip_flexors" in hits(document(running=running))) is present


def test_tight_hip_flexors_names_sitting_and_never_cycling() -> None:
    words = text(
        document(running={"sitting_hours_per_day": 9, "cross_training": ["cycling"]}),
        "tight_hip_flexors",
    )
    assert "9 hours of sitting a day" in words
    assert "cycling" not in words


# -- pelvic floor symptoms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("running", "person", "present"),
    [
        ({"pelvic_floor_symptoms": True}, {}, True),
        (
            {"pelvic_floor_symptoms": True},
            {"history": ["postpartum"], "weeks_since_birth": 8},
            True,
        ),
        (
            {"pelvic_floor_symptoms": False},
            {"history": ["postpartum"], "weeks_since_birth": 8},
            False,
        ),
        ({}, {"history": ["postpartum"], "weeks_since_birth": 8}, False),  # not asked
    ],
)
def test_pelvic_floor_symptoms(
    running: dict[str, Any], person: dict[str, Any], present: bool
) -> None:
    doc = document(running=running, person=person) if running else document(person=person)
    assert ("pelvic_floor_symptoms" in hits(doc)) is present


def test_pelvic_floor_advice_sends_to_a_pelvic_health_physiotherapist() -> None:
    words = text(document(running={"pelvic_floor_symptoms": True}), "pelvic_floor_symptoms")
    assert "pelvic-health physiotherapist" in words
    # It never files new or unfelt leaking as a pelvic-floor problem (review R14(f)).
    assert "emergency department" in words
    assert KB.factor_texts["pelvic_floor_symptoms"].sources == ("goom2019",)


# -- the factor table and its texts ----------------------------------------------------


def test_every_factor_has_a_text_and_no_factor_cites_a_seed_article() -> None:
    assert set(FACTOR_IDS) == set(KB.factor_texts)
    assert {"low_energy_availability", "pelvic_floor_symptoms"} <= set(FACTOR_IDS)
    for factor in KB.factor_texts.values():
        assert not any(s.startswith("seed") for s in factor.sources), factor.id


def test_find_factors_reads_a_version_1_view_with_the_version_2_definitions() -> None:
    doc = document(
        person={"history": ["pregnant"], **HEAVY}, running={"pelvic_floor_symptoms": True}
    )
    intake = Intake.model_validate(doc)
    assert find_factors(Facts(intake), T) == find_factors(FactsV2(intake), T)
    assert "excess_weight" not in {hit.id for hit in find_factors(Facts(intake), T)}
