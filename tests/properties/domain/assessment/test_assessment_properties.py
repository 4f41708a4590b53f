"""Invariants of the assessment over random valid intakes."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.assessment.document import CAUSE_CONDITIONS, FACTOR_IDS, SERIOUS_CONDITIONS
from backstride.domain.assessment.triage_rules import LEVEL_ORDER
from backstride.services.assessing import assess_intake, parse_intake
from tests.strategies import intakes

CES_FINDINGS = ["saddle_numbness", "bladder_change", "bowel_change", "sexual_change"]

# Each way of adding one red-flag finding to an intake.
RED_FLAG_ADDITIONS = [
    ("neuro", "saddle_numbness", True),
    ("neuro", "bladder_change", True),
    ("neuro", "bowel_change", True),
    ("neuro", "sexual_change", True),
    ("neuro", "leg_drags_or_trips", True),
    ("neuro", "getting_worse", True),
    ("general", "fever_or_chills", True),
    ("general", "faint_or_collapse", True),
    ("general", "chest_pain_or_breathless", True),
    ("general", "pulsating_abdomen", True),
    ("general", "unexplained_weight_loss", True),
    ("general", "urinary_symptoms", True),
    ("person", "history", "cancer"),
    ("person", "history", "immunosuppressed"),
    ("person", "history", "osteoporosis"),
    ("pain", "night", "constant"),
    ("pain", "trauma", "major"),
]


def assessed(document: dict[str, Any]) -> dict[str, Any]:
    return assess_intake(parse_intake(document)).to_document()


def with_finding(document: dict[str, Any], section: str, key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    part = changed.setdefault(section, {})
    if key == "history":
        part[key] = sorted({*part.get(key, []), value})
    else:
        part[key] = value
    return changed


@settings(max_examples=400, deadline=None)
@given(intakes())
def test_any_valid_intake_gives_a_valid_contract_document(document: dict[str, Any]) -> None:
    result = assessed(document)
    assert result["schema"] == "backstride.assessment/2"
    assert result["triage"]["level"] in LEVEL_ORDER
    assert result["triage"]["headline"]
    assert result["triage"]["actions"]
    assert len(result["likely_causes"]) <= 5
    assert all(cause["id"] in CAUSE_CONDITIONS for cause in result["likely_causes"])
    assert all(flag["id"] in SERIOUS_CONDITIONS for flag in result["red_flags"])
    assert all(flag["findings"] and flag["sources"] for flag in result["red_flags"])
    assert all(factor["id"] in FACTOR_IDS for factor in result["contributing_factors"])
    scores = [cause["score"] for cause in result["likely_causes"]]
    assert scores == sorted(scores, reverse=True)
    flag_levels = [LEVEL_ORDER[flag["level"]] for flag in result["red_flags"]]
    assert all(level <= LEVEL_ORDER[result["triage"]["level"]] for level in flag_levels)
    assert "not a diagnosis" in result["disclaimer"]


@settings(max_examples=300, deadline=None)
@given(intakes(), st.sampled_from(CES_FINDINGS))
def test_saddle_numbness_or_sphincter_change_is_always_an_emergency(
    document: dict[str, Any], finding: str
) -> None:
    result = assessed(with_finding(document, "neuro", finding, True))
    assert result["triage"]["level"] == "emergency"
    assert "cauda_equina_syndrome" in {flag["id"] for flag in result["red_flags"]}
    assert result["running"]["advice"] == "stop"


@settings(max_examples=400, deadline=None)
@given(intakes(), st.sampled_from(RED_FLAG_ADDITIONS))
def test_adding_a_red_flag_finding_never_lowers_the_level(
    document: dict[str, Any], addition: tuple[str, str, Any]
) -> None:
    before = assessed(document)["triage"]["level"]
    after = assessed(with_finding(document, *addition))["triage"]["level"]
    assert LEVEL_ORDER[after] >= LEVEL_ORDER[before]


@settings(max_examples=200, deadline=None)
@given(intakes())
def test_the_assessment_is_deterministic(document: dict[str, Any]) -> None:
    assert assessed(document) == assessed(copy.deepcopy(document))


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_emergency_and_urgent_always_stop_running(document: dict[str, Any]) -> None:
    result = assessed(document)
    if result["triage"]["level"] in ("emergency", "urgent"):
        assert result["running"]["advice"] == "stop"
