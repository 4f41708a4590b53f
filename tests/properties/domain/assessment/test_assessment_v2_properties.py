"""Invariants of triage policy version 2 over random version-2 intakes.

Each property is a sentence of the policy (docs/reference/triage-policy.md) that
must hold for every intake, not only for the reference vignettes.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.assess import NO_REASSURANCE_FLAGS, _meets
from backstride.domain.assessment.facts import Facts, leg_regions
from backstride.domain.vocabulary import LEVEL_ORDER, needs_care_now
from backstride.services.assessing import assess_intake, parse_intake
from tests.strategies import intakes_v2

KB = load_knowledge_base()
CES = ["saddle_numbness", "bladder_change", "bowel_change", "sexual_change"]
ADVICE = {"stop": 0, "pause": 1, "reduce": 2, "continue": 3}


def assessed(document: dict[str, Any]) -> dict[str, Any]:
    return assess_intake(parse_intake(document)).to_document()


def level(result: dict[str, Any]) -> int:
    return LEVEL_ORDER[result["triage"]["level"]]


def flags(result: dict[str, Any]) -> set[str]:
    return {flag["id"] for flag in result["red_flags"]}


def changed(document: dict[str, Any], section: str, **values: Any) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    copied.setdefault(section, {}).update(values)
    return copied


@settings(max_examples=300)
@given(intakes_v2(), st.sampled_from(["saddle_numbness", "bladder_change"]))
def test_not_sure_on_saddle_or_bladder_is_at_least_urgent(
    document: dict[str, Any], item: str
) -> None:
    result = assessed(changed(document, "neuro", **{item: "not_sure"}))
    assert level(result) >= LEVEL_ORDER["urgent"]
    assert "cauda_equina_syndrome" in flags(result)


@settings(max_examples=300)
@given(intakes_v2(), st.sampled_from(CES))
def test_not_sure_on_any_cauda_equina_question_is_at_least_soon_and_named(
    document: dict[str, Any], item: str
) -> None:
    result = assessed(changed(document, "neuro", **{item: "not_sure"}))
    assert level(result) >= LEVEL_ORDER["soon"]
    assert "cauda_equina_syndrome" in flags(result)
    assert result["running"]["advice"] != "continue"


@settings(max_examples=300)
@given(intakes_v2(), st.sampled_from(leg_regions("left")), st.sampled_from(leg_regions("right")))
def test_new_weakness_in_both_legs_is_an_emergency(
    document: dict[str, Any], left: str, right: str
) -> None:
    # Recent (90 days or less): the long-standing exemption cannot apply.
    neuro = {"weakness": [left, right], "leg_symptoms_started_days_ago": 10}
    result = assessed(changed(document, "neuro", **neuro))
    assert result["triage"]["level"] == "emergency"


@settings(max_examples=300)
@given(intakes_v2())
def test_a_warning_sign_the_answers_meet_is_never_listed_below_its_level(
    document: dict[str, Any],
) -> None:
    result = assessed(document)
    facts = Facts(parse_intake(document))
    by_text = {sign.text: sign for sign in KB.texts.warning_signs}
    for listed in result["warning_signs"]:
        sign = by_text[listed["text"]]
        if any(_meets(facts, condition) for condition in sign.met_by):
            assert LEVEL_ORDER[sign.level] <= level(result), sign.text


@settings(max_examples=300)
@given(intakes_v2())
def test_no_reassurance_beside_a_serious_flag_or_at_care_now(document: dict[str, Any]) -> None:
    result = assessed(document)
    serious = flags(result) & NO_REASSURANCE_FLAGS
    if serious or needs_care_now(result["triage"]["level"]):
        assert all(cause["audience"] == "clinician" for cause in result["likely_causes"])
        assert result["outlook"]["audience"] == "clinician"
    if needs_care_now(result["triage"]["level"]):
        assert result["running"]["advice"] == "stop"
        assert all(f["audience"] == "clinician" for f in result["contributing_factors"])


@settings(max_examples=300)
@given(intakes_v2(), st.sampled_from(["pregnant", "postpartum"]))
def test_no_weight_advice_in_pregnancy_or_after_birth(
    document: dict[str, Any], status: str
) -> None:
    person = dict(document["person"])
    person["history"] = sorted({*person.get("history", []), status})
    person.pop("weeks_since_birth", None)
    result = assessed({**document, "person": person})
    factors = {factor["id"] for factor in result["contributing_factors"]}
    assert "excess_weight" not in factors


@settings(max_examples=300)
@given(intakes_v2())
def test_an_incomplete_screen_is_at_least_soon_and_never_continue(
    document: dict[str, Any],
) -> None:
    result = assessed(document)
    if not result["safety_screen"]["complete"]:
        assert level(result) >= LEVEL_ORDER["soon"]
        assert ADVICE[result["running"]["advice"]] <= ADVICE["reduce"]


@settings(max_examples=300)
@given(intakes_v2())
def test_no_continue_after_a_fast_return_a_spike_or_as_a_new_runner(
    document: dict[str, Any],
) -> None:
    result = assessed(document)
    factors = {factor["id"] for factor in result["contributing_factors"]}
    if factors & {"return_too_fast", "load_spike", "new_runner"}:
        assert result["running"]["advice"] != "continue"


@settings(max_examples=200)
@given(intakes_v2())
def test_the_seed_articles_are_never_cited(document: dict[str, Any]) -> None:
    result = assessed(document)
    cited = [
        s
        for part in ("red_flags", "contributing_factors")
        for x in result[part]
        for s in x["sources"]
    ]
    assert not [s for s in cited if s.startswith("seed")]
    assert all(KB.sources[s].verified for s in cited)
