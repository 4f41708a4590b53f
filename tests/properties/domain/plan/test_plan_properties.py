"""Properties of the plan builder over random valid intakes and preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.domain.plan.model import EQUIPMENT
from tests.strategies import intakes
from tests.unit.domain.plan.support import build, check_safety

preferences = st.fixed_dictionaries(
    {
        "minutes_per_day": st.integers(5, 120),
        "days_per_week": st.integers(1, 7),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), min_size=1, max_size=5, unique=True),
        "start_date": st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    }
)

# History items that raise a red flag by themselves; dropped for calm intakes.
FLAG_HISTORY = {
    "cancer",
    "osteoporosis",
    "long_term_steroids",
    "immunosuppressed",
    "iv_drug_use",
    "recent_spinal_surgery_or_injection",
    "pregnant",
}


@st.composite
def calm_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """Valid intakes without warning signs, so that most of them get an exercise plan
    (random intakes are often emergencies), including mild improving pain (advice
    'continue') and severe pain (advice 'pause')."""
    document = draw(intakes())
    document.pop("general", None)
    neuro = document.pop("neuro", {})
    if draw(st.booleans()):
        document["neuro"] = {k: v for k, v in neuro.items() if k in ("tingling", "numbness")}
    person = document["person"]
    person["age"] = draw(st.integers(18, 60))
    if "history" in person:
        person["history"] = [h for h in person["history"] if h not in FLAG_HISTORY]
    pain = document["pain"]
    pain.update(trauma="none", night="none", changes_with_movement=True)
    pain["worst_0_10"] = draw(st.integers(0, 10))
    pain["now_0_10"] = draw(st.integers(0, pain["worst_0_10"]))
    pain["trend"] = draw(st.sampled_from(["improving", "same", "worsening"]))
    pain["started_days_ago"] = draw(st.integers(0, 120))
    return document


SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(intakes(), preferences)
def test_no_plan_ever_breaks_a_safety_rule(document: dict[str, Any], prefs: dict[str, Any]) -> None:
    """Never a contraindicated exercise, never running the advice forbids, always a why
    and real sources, and the runner's equipment, days and minutes respected."""
    check_safety(*build(document, **prefs))


@SETTINGS
@given(calm_intakes(), preferences)
def test_no_exercise_plan_ever_breaks_a_safety_rule(
    document: dict[str, Any], prefs: dict[str, Any]
) -> None:
    """The same rules over intakes that mostly get a full exercise plan."""
    check_safety(*build(document, **prefs))


@settings(max_examples=60, deadline=None)
@given(intakes(), preferences)
def test_the_same_inputs_always_give_the_same_plan(
    document: dict[str, Any], prefs: dict[str, Any]
) -> None:
    first, *_ = build(document, **prefs)
    second, *_ = build(document, **prefs)
    assert first.to_document() == second.to_document()


@settings(max_examples=60, deadline=None)
@given(intakes(), preferences)
def test_a_plan_survives_its_own_json(document: dict[str, Any], prefs: dict[str, Any]) -> None:
    from backstride.domain.plan.model import Plan

    plan, *_ = build(document, **prefs)
    assert Plan.model_validate(plan.to_document()) == plan
